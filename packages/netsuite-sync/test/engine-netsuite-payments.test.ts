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

  it('reports a payment of invoices that were not imported as waiting, naming the payment and the invoices', async () => {
    const [recent] = await engine.recentSyncs({ limit: 1 });
    const waiting = recent?.recordErrors.find((error) => error.code === 'PAYMENT_INVOICES_NOT_SYNCED');
    expect(waiting?.number).toMatch(/^PAY-/);
    expect(waiting?.message).toMatch(/not on Invoiced \(\d+: [\d.]+/);
    expect(waiting?.resolution).toMatch(/retried on every run/);
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
