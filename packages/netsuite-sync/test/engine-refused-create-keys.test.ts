/**
 * A create on Invoiced that was refused is sent again with a key of its own. Invoiced keeps the first answer
 * to an `Idempotency-Key` for 24 hours, failures included, and replays it to any repeat: a NetSuite payment
 * refused once (its invoice's copy had less left to pay on Invoiced) would be refused on every run for a
 * day after the cause was gone, had its create kept the key it was refused with.
 */
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '../src/index';

let now = new Date('2026-11-04T08:00:00Z');
const clock = () => now;
const later = () => {
  now = new Date(now.getTime() + 60_000);
};
const fast = { retries: 1, minDelayMs: 1, maxDelayMs: 5 };
const sandbox = createSandbox({ seed: 23, clock });
sandbox.load(generateBooks({ seed: 23, customers: 4, invoices: 8, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } }));
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast });
const store = engineTestStore({ clock });
const engine = createSyncEngine({
  netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
  invoiced,
  store,
  connectionId: 'refused-keys',
  clock,
  // The person's payment on Invoiced stays there: only what NetSuite records is written.
  settings: { phases: { writeInvoicedInvoices: false, writeInvoicedPayments: false }, cursorOverlapMs: 0 },
});

describe('engine: a create Invoiced refused, sent again once the cause is gone', () => {
  it('creates a NetSuite payment on the run after a person removed what made Invoiced refuse it', async () => {
    const first = await engine.sync();
    expect(['succeeded', 'partial']).toContain(first.status);
    const [link] = await store.listLinks('refused-keys', 'invoice');
    if (link === undefined) throw new Error('the books imported no invoice');
    const copy = await invoiced.invoices.retrieve(Number(link.invoicedId));
    const netsuiteInvoice = sandbox.netsuite.state.get('invoice', link.netsuiteId) ?? {};
    const remaining = Number(netsuiteInvoice.amountRemaining);
    expect(copy.balance).toBeCloseTo(remaining, 6);

    // A person records 10 paid on the Invoiced copy (not in NetSuite), then the customer's payment of the
    // whole invoice is recorded in NetSuite: on Invoiced it would apply 10 more than the copy has left.
    const local = await invoiced.payments.create({ customer: copy.customer, amount: 10, currency: copy.currency, method: 'check', applied_to: [{ type: 'invoice', invoice: copy.id, amount: 10 }] });
    const customerId = (netsuiteInvoice.entity as { id: string }).id;
    const currencyId = (netsuiteInvoice.currency as { id: string }).id;
    const payment = sandbox.netsuite.state.insert('customerPayment', {
      customer: { id: customerId },
      currency: { id: currencyId },
      payment: remaining,
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: remaining }] },
    });
    later();
    const refused = await engine.sync();
    const error = refused.recordErrors.find((item) => item.entity === 'payment' && item.sourceId === String(payment.id));
    expect(error?.code).toBe('INVOICED_INVALID_REQUEST');
    expect(error?.message).toMatch(/exceeds the balance/);

    // The person sees their mistake and voids their payment: the copy has the whole invoice left again.
    await invoiced.payments.void(local.id);
    later();
    const next = await engine.sync();
    expect(next.recordErrors.filter((item) => item.entity === 'payment')).toEqual([]);
    const paymentLink = await store.findLinkByNetSuiteId('refused-keys', 'payment', String(payment.id));
    expect(paymentLink).not.toBeNull();
    expect((await invoiced.invoices.retrieve(copy.id)).balance).toBeCloseTo(0, 6);
    expect((await store.listRetries('refused-keys')).filter((item) => item.entity === 'payment')).toEqual([]);
  });
});

describe('engine: a customer create Invoiced refused, sent again once the customer is fixed in NetSuite', () => {
  it('creates the customer and imports its invoices on the run after a person corrected its email', async () => {
    const local = createSandbox({ seed: 29, clock });
    local.load(generateBooks({ seed: 29, customers: 3, invoices: 6, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } }));
    server.use(...local.handlers);
    const localStore = engineTestStore({ clock });
    const localEngine = createSyncEngine({
      netsuite: createNetSuiteClient({ accountId: local.netsuite.accountId, auth: tokenBasedAuth({ ...local.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
      invoiced: createInvoicedClient({ apiKey: local.invoiced.apiKey, sandbox: true, retries: fast }),
      store: localStore,
      connectionId: 'refused-customer',
      clock,
      settings: { phases: { writeInvoicedInvoices: false, writeInvoicedPayments: false }, cursorOverlapMs: 0 },
    });
    const [customer] = local.netsuite.state.list('customer');
    const customerId = String(customer?.id);
    local.netsuite.state.update('customer', customerId, { email: 'billing at example' });
    later();
    const refused = await localEngine.sync();
    const errors = refused.recordErrors.filter((error) => error.entity === 'invoice' && error.code === 'INVOICED_INVALID_REQUEST');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toMatch(/Email must be a valid email address/);

    local.netsuite.state.update('customer', customerId, { email: 'billing@example.com' });
    later();
    const next = await localEngine.sync();
    expect(next.recordErrors.filter((error) => error.code === 'INVOICED_INVALID_REQUEST')).toEqual([]);
    const link = await localStore.findLinkByNetSuiteId('refused-customer', 'customer', customerId);
    expect(link).not.toBeNull();
    expect((await localStore.listRetries('refused-customer')).filter((item) => item.lastError.code === 'INVOICED_INVALID_REQUEST')).toEqual([]);
  });
});
