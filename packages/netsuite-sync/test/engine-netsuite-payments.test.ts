/**
 * Flow 2 end to end: payments recorded on NetSuite become Invoiced payments applied to the imported
 * invoices, so each invoice's balance on Invoiced equals its amount unpaid in NetSuite.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '../src/index';

let now = new Date('2026-11-04T08:00:00Z');
const clock = () => now;
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const sandbox = createSandbox({ seed: 91, clock });
const books = generateBooks({ seed: 91, customers: 20, invoices: 90, payments: 60, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } });
sandbox.load(books);
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const store = engineTestStore({ clock });
const engine = createSyncEngine({
  netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
  invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast }),
  store,
  connectionId: 'payments',
  clock,
  settings: { phases: { writeInvoicedInvoices: false }, cursorOverlapMs: 0 },
});

describe('engine: NetSuite payments into Invoiced', () => {
  it('applies every payment of an imported invoice once, so Invoiced balances equal NetSuite amounts unpaid', async () => {
    const run = await engine.sync();
    expect(['succeeded', 'partial']).toContain(run.status);
    const paymentLinks = await store.listLinks('payments', 'payment');
    expect(paymentLinks.length).toBeGreaterThan(0);
    for (const link of paymentLinks) {
      const payment = sandbox.invoiced.state.get('payments', Number(link.invoicedId));
      expect(payment?.reference).toBe(`NS-PAY-${link.netsuiteId}`);
    }
    // Every imported invoice whose payments all synced has the same balance on both sides.
    const waiting = new Set(run.recordErrors.filter((error) => error.entity === 'payment').map((error) => error.sourceId));
    const invoiceLinks = await store.listLinks('payments', 'invoice');
    let compared = 0;
    for (const link of invoiceLinks) {
      const payers = sandbox.netsuite.state.query(
        `SELECT l.nextdoc, t.externalid FROM NextTransactionLineLink l JOIN transaction t ON t.id = l.nextdoc WHERE l.previousdoc = ${Number(link.netsuiteId)}`,
      );
      // Payments still waiting, and payments that came from Invoiced (never echoed back), are not on Invoiced from this flow.
      if (payers.some((row) => waiting.has(String(row.nextdoc)) || String(row.externalid ?? '').startsWith('invd-pay-'))) continue;
      const [netsuite] = sandbox.netsuite.state.query(`SELECT foreignamountunpaid FROM transaction WHERE id = ${Number(link.netsuiteId)}`);
      const invoice = sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
      expect(invoice?.balance).toBeCloseTo(Number(netsuite?.foreignamountunpaid), 6);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('keeps a payment waiting, naming it and its invoice, while the invoice it pays fails to import', async () => {
    // A second NetSuite customer named like one already linked: its invoice cannot be imported
    // (CUSTOMER_ALREADY_LINKED) until a person renames it, so its payment waits.
    now = new Date(now.getTime() + 60_000);
    // Which customers were created first on Invoiced depends on timing (records run side by side): take a
    // linked company (an individual has no company name to share).
    const companies = (await store.listLinks('payments', 'customer'))
      .map((link) => sandbox.netsuite.state.get('customer', link.netsuiteId)?.companyName)
      .filter((name): name is string => typeof name === 'string' && name.trim() !== '');
    const twin = String(sandbox.netsuite.state.insert('customer', { companyName: companies[0] ?? '', subsidiary: { id: '1' } }).id);
    const item = books.netsuite.items[0]?.id ?? '1';
    const invoice = String(sandbox.netsuite.state.insert('invoice', { entity: { id: twin }, tranId: 'INV-TWIN-1', item: { items: [{ item: { id: item }, amount: 80 }] } }).id);
    const payment = String(sandbox.netsuite.state.insert('customerPayment', { customer: { id: twin }, tranId: 'PAY-TWIN-1', payment: 30, apply: { items: [{ doc: { id: invoice }, amount: 30 }] } }).id);
    now = new Date(now.getTime() + 60_000);
    const run = await engine.sync();
    expect(run.recordErrors.find((error) => error.sourceId === invoice)?.code).toBe('CUSTOMER_ALREADY_LINKED');
    const waiting = run.recordErrors.find((error) => error.sourceId === payment);
    // Its customer is not on Invoiced either: the payment waits for the customer first.
    expect(waiting).toMatchObject({ entity: 'payment', number: 'PAY-TWIN-1', code: 'CUSTOMER_NOT_SYNCED' });
    expect(waiting?.resolution).toMatch(/retried on every run/);
    expect(await store.findLinkByNetSuiteId('payments', 'payment', payment)).toBeNull();
    expect(await store.getRetry('payments', `netsuite_to_invoiced:payment:${payment}`)).toMatchObject({ status: 'pending' });
    for (const key of [`netsuite_to_invoiced:payment:${payment}`, `netsuite_to_invoiced:invoice:${invoice}`]) await engine.ignore(key);
  });

  it('skips, with no error, a payment of invoices that will never be imported, and keeps one that waits on a failed import', async () => {
    const first = (await engine.recentSyncs()).at(-1);
    const linkedInvoices = new Set((await store.listLinks('payments', 'invoice')).map((link) => link.netsuiteId));
    const queuedInvoices = new Set((await engine.retryQueue()).filter((item) => item.entity === 'invoice').map((item) => item.sourceId));
    const appliedTo = (paymentId: string) =>
      sandbox.netsuite.state.query(`SELECT previousdoc FROM NextTransactionLineLink WHERE nextdoc = ${Number(paymentId)}`).map((row) => String(row.previousdoc));
    // The books have payments of invoices closed before the first sync (paid in full, so never imported).
    const payments = sandbox.netsuite.state.query("SELECT id FROM transaction WHERE type = 'CustPymt' AND (externalid IS NULL OR externalid NOT LIKE 'invd-%')");
    const ofClosedOnly = payments.map((row) => String(row.id)).filter((id) => {
      const invoices = appliedTo(id);
      return invoices.length > 0 && invoices.every((invoice) => !linkedInvoices.has(invoice) && !queuedInvoices.has(invoice));
    });
    expect(ofClosedOnly.length).toBeGreaterThan(0);
    const failed = new Set(first?.recordErrors.filter((error) => error.entity === 'payment').map((error) => error.sourceId));
    for (const id of ofClosedOnly) {
      expect(failed.has(id), `payment ${id} pays only invoices that will never be imported`).toBe(false);
      expect(await store.findLinkByNetSuiteId('payments', 'payment', id)).toBeNull();
    }
    expect(first?.counts.payments_skipped).toBeGreaterThanOrEqual(ofClosedOnly.length);
    // A payment of imported invoices and of closed ones carries only what the imported ones got (the
    // balances compared in the first test stay equal), and its notes name what was left out.
    const mixed = sandbox.invoiced.state.list('payments').filter((payment) => (payment.notes ?? '').includes('left out'));
    expect(mixed.length).toBeGreaterThan(0);
    for (const payment of mixed) {
      const applied = (payment.applied_to ?? []).reduce((sum, entry) => sum + Number(entry.amount), 0);
      expect(payment.amount).toBeGreaterThanOrEqual(applied - 1e-9);
      expect(payment.notes).toMatch(/applied to NetSuite invoice \d+, not on Invoiced, left out/);
    }
    // Every payment still reported waits on an invoice whose import failed (and may succeed later).
    for (const error of first?.recordErrors.filter((entry) => entry.code === 'PAYMENT_INVOICES_NOT_SYNCED') ?? []) {
      expect(appliedTo(error.sourceId).some((invoice) => queuedInvoices.has(invoice)), `payment ${error.sourceId} waits on a queued invoice`).toBe(true);
    }
  });

  it('creates no second Invoiced payment on the next run, and voids the Invoiced payment when NetSuite voids it', async () => {
    const before = sandbox.invoiced.state.count('payments');
    now = new Date(now.getTime() + 60_000);
    const [link] = await store.listLinks('payments', 'payment');
    sandbox.netsuite.state.update('customerPayment', link?.netsuiteId ?? '', { voided: true });
    now = new Date(now.getTime() + 60_000);
    const run = await engine.sync();
    expect(sandbox.invoiced.state.count('payments')).toBe(before);
    expect(sandbox.invoiced.state.get('payments', Number(link?.invoicedId))?.voided).toBe(true);
    expect(run.counts.payments_updated).toBeGreaterThanOrEqual(1);
  });
});
