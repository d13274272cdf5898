/**
 * Flow 4 end to end: payments received on Invoiced are reconciled to NetSuite (upsert by external ID),
 * including payments of invoices that were imported from NetSuite (the spec's edge case).
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 95,
  start: '2026-11-05T08:00:00Z',
  books: { customers: 10, invoices: 30, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engineOptions = {
  netsuite,
  invoiced,
  store,
  connectionId: 'recon',
  clock,
  settings: { ...settings, paymentAccounts: [{ currency: '*' as const, method: '*' as const, account: 'undeposited' as const }] },
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
    if (invoice === undefined) throw new Error('the imported invoice is on Invoiced');
    const payment = payInvoicedInvoice(sandbox, invoice, part, { method: 'check', reference: 'CHK-1001' });
    later();
    const run = await engine.sync();
    const written = sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(written).toBeDefined();
    expect(written?.undepFunds).toMatchObject({ id: 'T' });
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
    payInvoicedInvoice(sandbox, invoice, 300, { method: 'ach' });
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
    // Paid in full, the invoice is closed: Invoiced refuses to edit it from now on.
    const payment = payInvoicedInvoice(sandbox, draft, 80);
    later();
    const run = await engine.sync();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    expect(run.recordErrors.filter((error) => error.code === 'PAYMENT_INVOICES_NOT_SYNCED')).toEqual([]);
  });

  it('keeps a payment waiting, naming its invoice, while the invoice is not in NetSuite', async () => {
    const customer = (await store.listLinks('recon', 'customer'))[0];
    later();
    const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), items: [{ name: 'Support', quantity: 1, unit_cost: 45 }] });
    const payment = payInvoicedInvoice(sandbox, invoice, 45);
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

describe('engine: a payment waiting in the retry queue, then voided on Invoiced', () => {
  it('leaves the queue: a voided payment never written to NetSuite needs nothing more', async () => {
    await engine.sync();
    // A payment of a customer that is not in NetSuite (no invoice of it was written): it waits.
    const customer = sandbox.invoiced.state.insert('customers', { name: 'Waiting Wares', currency: 'usd' });
    later();
    const payment = sandbox.invoiced.state.insert('payments', { customer: customer.id, amount: 50, currency: 'usd', method: 'check', reference: 'CHK-WAIT-1' });
    later();
    await engine.sync();
    const key = `invoiced_to_netsuite:payment:${payment.id}`;
    expect((await store.getRetry('recon', key))?.lastError.code).toBe('CUSTOMER_NOT_SYNCED');

    sandbox.invoiced.state.void('payments', payment.id);
    later();
    const run = await engine.sync();
    expect(run.recordErrors.filter((error) => error.sourceId === String(payment.id))).toEqual([]);
    expect(await store.getRetry('recon', key)).toBeNull();
  });
});

describe('engine: a payment voided on Invoiced and the one that replaces it, in one run', () => {
  it('writes the new payment after the voided one left NetSuite, though it came first', async () => {
    await engine.sync();
    const customer = (await store.listLinks('recon', 'customer'))[0];
    later();
    const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), items: [{ name: 'Retainer', quantity: 1, unit_cost: 640 }] });
    const first = payInvoicedInvoice(sandbox, invoice, 640, { method: 'check', reference: 'CHK-BOUNCED' });
    later();
    await engine.sync();
    const netsuiteInvoice = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(amountRemaining(String(netsuiteInvoice?.id))).toBe(0);
    // The check bounced: voided on Invoiced, and the invoice paid again by card. The new payment is the
    // older change (a clock behind), so the phase reads it before the void, and one record at a time.
    later(120_000);
    sandbox.invoiced.state.void('payments', first.id);
    later(-60_000);
    const second = payInvoicedInvoice(sandbox, invoice, 640, { method: 'credit_card', reference: 'ch_replacement' });
    later(120_000);
    const oneAtATime = createSyncEngine({ ...engineOptions, settings: { ...engineOptions.settings, recordConcurrency: 1 } });
    const run = await oneAtATime.sync();
    expect(run.recordErrors.filter((error) => error.entity === 'payment')).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${first.id}`)).toBeUndefined();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${second.id}`)).toBeDefined();
    expect(amountRemaining(String(netsuiteInvoice?.id))).toBe(0);
  });
});
