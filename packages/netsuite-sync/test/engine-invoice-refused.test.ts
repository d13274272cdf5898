/**
 * An Invoiced invoice NetSuite refuses to write (its business rules on an invoice with payments applied):
 * the record error names the invoice, gives NetSuite's reason and says what a person can do.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { invoiceOfLinkedCustomer, payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine, type SyncSettingsInput } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 149,
  start: '2026-11-10T08:00:00Z',
  books: { customers: 8, invoices: 10, payments: 4, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engineWith = (overrides: SyncSettingsInput = {}) =>
  createSyncEngine({ netsuite, invoiced, store, connectionId: 'refused', clock, settings: { ...settings, ...overrides } });

const sync = async (target = engineWith()) => {
  later();
  const run = await target.sync();
  later();
  return run;
};

/** After a sync, a new Invoiced invoice of `unitCost` for the first customer the sync linked. */
async function invoiceOfALinkedCustomer(number: string, unitCost: number) {
  await sync();
  const invoice = await invoiceOfLinkedCustomer(sandbox, store, 'refused', number, unitCost);
  return { invoice, customer: await store.findLinkByInvoicedId('refused', 'customer', String(invoice.customer)) };
}

describe('engine: an Invoiced invoice NetSuite refuses to write', () => {
  it('reports a total below what is paid in NetSuite as INVOICE_REFUSED_BY_NETSUITE, naming the invoice and what to do', async () => {
    const { invoice } = await invoiceOfALinkedCustomer('INV-REFUSED-1', 120);
    const payment = payInvoicedInvoice(sandbox, invoice, 100, { method: 'check', reference: 'CHK-REFUSED-1' });
    await sync();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();

    // The payment is voided on Invoiced (reported, so NetSuite keeps it) and the invoice cut below it.
    sandbox.invoiced.state.void('payments', payment.id);
    sandbox.invoiced.state.update('invoices', invoice.id, { items: [{ name: 'Consulting', quantity: 1, unit_cost: 40 }] });
    const run = await sync(engineWith({ invoicedVoids: 'report' }));
    const error = run.recordErrors.find((item) => item.entity === 'invoice' && item.sourceId === String(invoice.id));
    expect(error).toMatchObject({ code: 'INVOICE_REFUSED_BY_NETSUITE', number: 'INV-REFUSED-1', direction: 'invoiced_to_netsuite' });
    expect(error?.message).toContain('INV-REFUSED-1');
    expect(error?.message).toContain('cannot be less than the amount already paid');
    expect(error?.resolution).toMatch(/unapply or reduce its payments in NetSuite/);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)?.total).toBeCloseTo(120, 6);

    // The payment's void is followed (flow 4 comes after flow 3, so the invoice is refused once more); the
    // retried invoice is then written.
    const ours = (errors: typeof run.recordErrors) => errors.filter((item) => item.direction === 'invoiced_to_netsuite');
    const run2 = await sync();
    expect(ours(run2.recordErrors).map((item) => item.code)).toEqual(['INVOICE_REFUSED_BY_NETSUITE']);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    const run3 = await sync();
    expect(ours(run3.recordErrors)).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)?.total).toBeCloseTo(40, 6);
  });
});

describe('engine: an Invoiced payment NetSuite refuses to write', () => {
  it('reports an invoice paid in NetSuite meanwhile as PAYMENT_REFUSED_BY_NETSUITE, naming the payment and what to do', async () => {
    const { customer, invoice } = await invoiceOfALinkedCustomer('INV-TWICE-1', 80);
    await sync();
    const copy = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    // Paid in full in NetSuite, and (the customer paying twice) on Invoiced too.
    sandbox.netsuite.state.insert('customerPayment', { customer: { id: customer?.netsuiteId }, tranId: 'PAY-TWICE-NS', payment: 80, apply: { items: [{ doc: { id: String(copy?.id) }, amount: 80 }] } });
    const payment = payInvoicedInvoice(sandbox, invoice, 80, { method: 'check', reference: 'CHK-TWICE-1' });
    const run = await sync();
    const error = run.recordErrors.find((item) => item.entity === 'payment' && item.sourceId === String(payment.id));
    expect(error).toMatchObject({ code: 'PAYMENT_REFUSED_BY_NETSUITE', number: 'CHK-TWICE-1', direction: 'invoiced_to_netsuite' });
    expect(error?.message).toContain(`invd-pay-${payment.id}`);
    expect(error?.resolution).toMatch(/paid twice/);
  });
});
