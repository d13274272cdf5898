/**
 * Paged SuiteQL reads need a unique order: NetSuite promises no order for rows an `ORDER BY` leaves tied
 * (or for a query without one), so pages read by offset can repeat some rows and never show others. The
 * sandbox returns tied rows in a new seeded order on every request; the engine's paged queries must
 * still read each row exactly once.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '@invoiced/netsuite-sync-sandbox';
import { createNetSuiteClient, sql, tokenBasedAuth } from '../src/index';
import { paymentApplicationsQuery } from '../src/engine/netsuite-queries';

const INVOICES = 1_150;
const sandbox = createSandbox({ seed: 21 });
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), retries: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } });

// One payment applied to more invoices than one SuiteQL page holds: its application rows share `nextdoc`.
const customer = sandbox.netsuite.state.insert('customer', { companyName: 'Many Invoices Inc', subsidiary: { id: '1' } });
const invoiceIds: string[] = [];
for (let index = 0; index < INVOICES; index += 1) {
  const invoice = sandbox.netsuite.state.insert('invoice', { entity: { id: String(customer.id) }, tranDate: '2026-05-01', item: { items: [{ item: { id: '1' }, quantity: 1, rate: 10 }] } });
  invoiceIds.push(String(invoice.id));
}
const payment = sandbox.netsuite.state.insert('customerPayment', {
  customer: { id: String(customer.id) },
  payment: INVOICES * 10,
  apply: { items: invoiceIds.map((id) => ({ doc: { id }, apply: true, amount: 10 })) },
});

describe('engine: paged SuiteQL reads', () => {
  it('reads the applications of a payment that pays more invoices than a page holds, each exactly once', async () => {
    const rows = [];
    for await (const row of netsuite.suiteqlAll(paymentApplicationsQuery([String(payment.id)]), { anchor: false })) rows.push(row);
    expect(rows).toHaveLength(INVOICES);
    expect(new Set(rows.map((row) => String(row.previousdoc)))).toEqual(new Set(invoiceIds));
  });

  it('would repeat and skip rows with an order that leaves them tied (what the sandbox is there to show)', async () => {
    const tied = sql`SELECT l.nextdoc, l.previousdoc, l.foreignamount FROM NextTransactionLineLink l WHERE l.nextdoc IN ${[Number(payment.id)]} ORDER BY l.nextdoc`;
    const seen = [];
    for await (const row of netsuite.suiteqlAll(tied, { anchor: false })) seen.push(String(row.previousdoc));
    expect(seen).toHaveLength(INVOICES);
    expect(new Set(seen).size).toBeLessThan(INVOICES);
  });

  it('reads every open invoice once although invoices it has passed are deleted between pages', async () => {
    const owner = sandbox.netsuite.state.insert('customer', { companyName: 'Open Invoices Inc', subsidiary: { id: '1' } });
    const open: string[] = [];
    for (let index = 0; index < 350; index += 1) {
      const invoice = sandbox.netsuite.state.insert('invoice', { entity: { id: String(owner.id) }, tranDate: '2026-05-02', item: { items: [{ item: { id: '1' }, quantity: 1, rate: 5 }] } });
      open.push(String(invoice.id));
    }
    const query = sql`SELECT t.id FROM transaction t WHERE t.type = 'CustInvc' AND t.entity = ${Number(owner.id)} AND BUILTIN.CF(t.status) = 'CustInvc:A'`;
    const seen: string[] = [];
    const deleted = open.slice(3, 8);
    for await (const row of netsuite.suiteqlAll(query, { pageSize: 100 })) {
      seen.push(String(row.id));
      // NetSuite answers each page from the data of that moment: the rows read already now match no more.
      if (seen.length === 101) for (const id of deleted) sandbox.netsuite.state.delete('invoice', id);
    }
    expect(seen).toEqual(open);
  });
});
