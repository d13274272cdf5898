/**
 * Flow 4 against Invoiced's contract as the sandbox now models it: a payment's applications come back
 * only when asked for (`include=applied_to`), and a payment is voided by `DELETE /payments/{id}`. A
 * payment read without its applications is never written to NetSuite as a payment applied to nothing.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine, type InvoicedClient } from '../src/index';
import type { InvoicedList } from '../src/invoiced/pagination';
import type { InvoicedPayment } from '../src/invoiced/schemas';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 131,
  start: '2026-11-10T08:00:00Z',
  books: { customers: 6, invoices: 10, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engineOptions = {
  netsuite,
  invoiced,
  store,
  connectionId: 'fidelity',
  clock,
  settings: { ...settings, paymentAccounts: [{ currency: '*' as const, method: '*' as const, account: 'undeposited' as const }] },
};

/** Payments as an Invoiced that leaves `applied_to` out (a proxy, an older API): listed, or retrieved too. */
function withoutApplications(client: InvoicedClient, also: { retrieve: boolean }): InvoicedClient {
  const strip = (payment: InvoicedPayment): InvoicedPayment => {
    const { applied_to: _appliedTo, ...rest } = payment;
    return rest;
  };
  const payments: InvoicedClient['payments'] = {
    ...client.payments,
    list: (options) => {
      const inner = client.payments.list(options);
      async function* stripped() {
        for await (const payment of inner) yield strip(payment);
      }
      const generator = stripped();
      return Object.assign(generator, { toArray: async () => (await inner.toArray()).map(strip) }) as unknown as InvoicedList<InvoicedPayment>;
    },
    retrieve: async (id, options) => {
      const payment = await client.payments.retrieve(id, options);
      return also.retrieve ? strip(payment) : payment;
    },
  };
  return { ...client, payments };
}

async function invoiceOnBothSides(total: number) {
  const customer = (await store.listLinks('fidelity', 'customer'))[0];
  later();
  const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), items: [{ name: 'Review', quantity: 1, unit_cost: total }] });
  later();
  return invoice;
}

describe('engine: Invoiced payments read with their applications', () => {
  it('writes a payment applied to an invoice as a NetSuite customer payment applied to that invoice', async () => {
    await createSyncEngine(engineOptions).sync();
    const invoice = await invoiceOnBothSides(120);
    await createSyncEngine(engineOptions).sync();
    const netsuiteInvoice = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(netsuiteInvoice).toBeDefined();
    later();
    const payment = payInvoicedInvoice(sandbox, invoice, 70, { method: 'check', reference: 'CHK-7' });
    later();
    sandbox.invoiced.clearRequests();
    const run = await createSyncEngine(engineOptions).sync();
    expect(run.recordErrors.filter((error) => error.entity === 'payment')).toEqual([]);
    const written = sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(written).toBeDefined();
    expect(Number(sandbox.netsuite.state.get('invoice', String(netsuiteInvoice?.id))?.amountRemaining)).toBeCloseTo(50, 6);
    // The list of payments asked Invoiced for the applications.
    const listed = sandbox.invoiced.requests.filter((entry) => entry.method === 'GET' && entry.path === '/payments');
    expect(listed.length).toBeGreaterThan(0);
    for (const entry of listed) expect(entry.query.include).toBe('applied_to');
  });

  it('reads a payment again with its applications when a list left them out, and writes them', async () => {
    const invoice = await invoiceOnBothSides(90);
    await createSyncEngine(engineOptions).sync();
    later();
    const payment = payInvoicedInvoice(sandbox, invoice, 90);
    later();
    const run = await createSyncEngine({ ...engineOptions, invoiced: withoutApplications(invoiced, { retrieve: false }) }).sync();
    expect(run.recordErrors.filter((error) => error.entity === 'payment')).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    const netsuiteInvoice = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(Number(netsuiteInvoice?.amountRemaining)).toBe(0);
  });

  it('fails the payment with a resolvable error, writing nothing, when Invoiced never says how it is applied', async () => {
    const invoice = await invoiceOnBothSides(30);
    await createSyncEngine(engineOptions).sync();
    later();
    const payment = payInvoicedInvoice(sandbox, invoice, 30);
    later();
    const run = await createSyncEngine({ ...engineOptions, invoiced: withoutApplications(invoiced, { retrieve: true }) }).sync();
    const failed = run.recordErrors.find((error) => error.sourceId === String(payment.id));
    expect(failed?.code).toBe('PAYMENT_APPLICATIONS_UNKNOWN');
    expect(failed?.resolution).toEqual(expect.any(String));
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
  });
});
