/**
 * Flow 4 end to end: payments received on Invoiced are reconciled to NetSuite (upsert by external ID),
 * including payments of invoices that were imported from NetSuite (the spec's edge case).
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '../src/index';

let now = new Date('2026-11-05T08:00:00Z');
const clock = () => now;
const later = () => {
  now = new Date(now.getTime() + 60_000);
};
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const sandbox = createSandbox({ seed: 95, clock });
const books = generateBooks({ seed: 95, customers: 10, invoices: 30, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } });
sandbox.load(books);
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const store = engineTestStore({ clock });
const serviceItem = books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '';
const engineOptions = {
  netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
  invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast }),
  store,
  connectionId: 'recon',
  clock,
  settings: {
    cursorOverlapMs: 0,
    items: { defaultItem: serviceItem },
    currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
    paymentAccounts: [{ currency: '*', method: '*', account: 'undeposited' }],
  },
};
const engine = createSyncEngine(engineOptions);

const amountRemaining = (netsuiteId: string) => Number(sandbox.netsuite.state.get('invoice', netsuiteId)?.amountRemaining);

describe('engine: Invoiced payments into NetSuite', () => {
  it('writes a payment received on Invoiced for an imported invoice to NetSuite, reducing its amount remaining', async () => {
    await engine.sync();
    const imported = (await store.listLinks('recon', 'invoice')).find((link) => link.origin === 'netsuite');
    expect(imported).toBeDefined();
    const invoice = sandbox.invoiced.state.get('invoices', Number(imported?.invoicedId));
    const before = amountRemaining(imported?.netsuiteId ?? '');
    const part = Math.floor((invoice?.balance ?? 0) / 2);
    later();
    const payment = sandbox.invoiced.state.insert('payments', {
      customer: invoice?.customer,
      amount: part,
      currency: invoice?.currency,
      method: 'check',
      reference: 'CHK-1001',
      applied_to: [{ type: 'invoice', invoice: invoice?.id, amount: part }],
    });
    later();
    const run = await engine.sync();
    const written = sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(written).toBeDefined();
    expect(written?.undepFunds).toBe(true);
    expect(amountRemaining(imported?.netsuiteId ?? '')).toBeCloseTo(before - part, 6);
    // The imported invoice itself, changed on Invoiced by the payment, is still not written back.
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice?.id}`)).toBeUndefined();
    expect(run.counts.payments_created).toBe(1);
  });

  it('does not write it twice, and never echoes a payment that came from NetSuite', async () => {
    later();
    sandbox.netsuite.clearRequests();
    const run = await engine.sync();
    expect(sandbox.netsuite.requests.filter((entry) => entry.method === 'PUT')).toHaveLength(0);
    expect(run.counts.payments_created ?? 0).toBe(0);
  });

  it('writes an invoice created on Invoiced and its payment in one run, invoice first', async () => {
    const customer = (await store.listLinks('recon', 'customer'))[0];
    later();
    const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), items: [{ name: 'Audit', quantity: 2, unit_cost: 150 }] });
    sandbox.invoiced.state.insert('payments', {
      customer: Number(customer?.invoicedId),
      amount: 300,
      currency: invoice.currency,
      method: 'ach',
      applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 300 }],
    });
    later();
    const run = await engine.sync();
    const netsuiteInvoice = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(netsuiteInvoice).toBeDefined();
    expect(Number(netsuiteInvoice?.amountRemaining)).toBe(0);
    expect(run.recordErrors.filter((error) => error.entity === 'payment')).toEqual([]);
  });

  it('writes the payment of an invoice finalized since the last run, since invoices are written first', async () => {
    const customer = (await store.listLinks('recon', 'customer'))[0];
    later();
    const draft = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), draft: true, items: [{ name: 'Later', quantity: 1, unit_cost: 80 }] });
    sandbox.invoiced.state.update('invoices', draft.id, { draft: false });
    const payment = sandbox.invoiced.state.insert('payments', { customer: Number(customer?.invoicedId), amount: 80, currency: draft.currency, applied_to: [{ type: 'invoice', invoice: draft.id, amount: 80 }] });
    sandbox.invoiced.state.update('invoices', draft.id, { notes: 'touched' });
    later();
    const run = await engine.sync();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    expect(run.recordErrors.filter((error) => error.code === 'PAYMENT_INVOICES_NOT_SYNCED')).toEqual([]);
  });

  it('keeps a payment waiting, naming its invoice, while the invoice is not in NetSuite', async () => {
    const customer = (await store.listLinks('recon', 'customer'))[0];
    later();
    const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), items: [{ name: 'Support', quantity: 1, unit_cost: 45 }] });
    const payment = sandbox.invoiced.state.insert('payments', { customer: Number(customer?.invoicedId), amount: 45, currency: invoice.currency, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 45 }] });
    later();
    const paymentsOnly = createSyncEngine({ ...engineOptions, settings: { ...engineOptions.settings, phases: { writeInvoicedInvoices: false } } });
    const run = await paymentsOnly.sync();
    const waiting = run.recordErrors.find((error) => error.sourceId === String(payment.id));
    expect(waiting?.code).toBe('PAYMENT_INVOICES_NOT_SYNCED');
    expect(waiting?.message).toContain(`#${invoice.id}: 45`);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    later();
    await engine.sync();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    expect(await store.getRetry('recon', `invoiced_to_netsuite:payment:${payment.id}`)).toBeNull();
  });
});
