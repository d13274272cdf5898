/**
 * Records deleted in NetSuite, and records voided on Invoiced after they were written to NetSuite, end to
 * end against the sandbox: each either syncs (the counterpart is voided or deleted) or is a record error
 * that names the record and says what to do.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { invoiceOfLinkedCustomer, payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine, type SyncSettingsInput } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 131,
  start: '2026-11-10T08:00:00Z',
  books: { customers: 12, invoices: 40, payments: 25, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engineWith = (overrides: SyncSettingsInput = {}) =>
  createSyncEngine({ netsuite, invoiced, store, connectionId: 'gone', clock, settings: { ...settings, ...overrides } });
const engine = engineWith();

const sync = async (target = engine) => {
  later();
  const run = await target.sync();
  later();
  return run;
};

/** A new Invoiced invoice of a linked customer, finalized, with one line. */
const invoicedInvoice = (number: string, amount = 120) => invoiceOfLinkedCustomer(sandbox, store, 'gone', number, amount);

describe('engine: deletions in NetSuite and voids on Invoiced', () => {
  it('starts from a first run that imports the NetSuite books', async () => {
    const run = await sync();
    expect(run.status).not.toBe('failed');
    expect(run.counts.invoices_created).toBeGreaterThan(5);
    expect(run.counts.payments_created).toBeGreaterThan(3);
    // The generated books have records that fail on purpose (customers with the same name...): set
    // them aside, so that every later run's errors are those of this file's cases.
    for (const item of await engine.retryQueue()) await engine.ignore(item.key);
    // The deletion phase's first run only sets its cursor.
    expect(await store.getCursor('gone', 'netsuite_deletions')).not.toBeNull();
  });

  it('voids the Invoiced payment and invoice when both are deleted in NetSuite, payment first', async () => {
    const payments = sandbox.invoiced.state.list('payments').filter((payment) => !payment.voided);
    // A payment that pays exactly one invoice, which no other payment pays.
    const payment = payments.find((candidate) => {
      const applied = (candidate.applied_to ?? []).filter((entry) => entry.type === 'invoice');
      if (applied.length !== 1) return false;
      return payments.filter((other) => (other.applied_to ?? []).some((entry) => entry.invoice === applied[0]?.invoice)).length === 1;
    });
    expect(payment, 'the books have a payment of one invoice').toBeDefined();
    const invoiceId = Number(payment?.applied_to?.find((entry) => entry.type === 'invoice')?.invoice);
    const paymentLink = await store.findLinkByInvoicedId('gone', 'payment', String(payment?.id));
    const invoiceLink = await store.findLinkByInvoicedId('gone', 'invoice', String(invoiceId));
    expect(paymentLink?.origin).toBe('netsuite');
    expect(invoiceLink?.origin).toBe('netsuite');

    later();
    sandbox.netsuite.state.delete('customerPayment', paymentLink?.netsuiteId ?? '');
    sandbox.netsuite.state.delete('invoice', invoiceLink?.netsuiteId ?? '');
    const run = await sync();

    expect(run.recordErrors).toEqual([]);
    expect(run.counts).toMatchObject({ payments_voided: 1, invoices_voided: 1 });
    expect(sandbox.invoiced.state.get('payments', Number(payment?.id))?.voided).toBe(true);
    expect(sandbox.invoiced.state.get('invoices', invoiceId)?.status).toBe('voided');

    // Seen again (the next window overlaps nothing, but a repeat must be harmless): nothing more happens.
    const again = await engineWith({ cursorOverlapMs: 86_400_000 }).sync();
    expect(again.counts.payments_voided ?? 0).toBe(0);
    expect(again.counts.invoices_voided ?? 0).toBe(0);
    expect(again.recordErrors).toEqual([]);
  });

  it("reads deletions and checks the linked records still exist with two more queries when nothing changed: six NetSuite (NetSuite's time and credit memos included) and six Invoiced requests (refunds and the deletion events of invoices and credit notes included)", async () => {
    await sync();
    sandbox.netsuite.clearRequests();
    sandbox.invoiced.clearRequests();
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(sandbox.netsuite.requests).toHaveLength(6);
    expect(sandbox.invoiced.requests).toHaveLength(6);
  });

  it('deletes the NetSuite payment of an Invoiced payment voided after it was written, reopening the invoice', async () => {
    const invoice = await invoicedInvoice('INV-VOID-PAY-1');
    await sync();
    const invoiceLink = await store.findLinkByInvoicedId('gone', 'invoice', String(invoice.id));
    expect(invoiceLink?.origin).toBe('invoiced');
    const total = Number(sandbox.netsuite.state.get('invoice', invoiceLink?.netsuiteId ?? '')?.amountRemaining);
    const payment = payInvoicedInvoice(sandbox, invoice, 120, { method: 'check', reference: 'CHK-VOID-1' });
    await sync();
    const written = sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(written).toBeDefined();
    expect(Number(sandbox.netsuite.state.get('invoice', invoiceLink?.netsuiteId ?? '')?.amountRemaining)).toBeCloseTo(total - 120, 6);

    sandbox.invoiced.state.void('payments', payment.id);
    const run = await sync();
    expect(run.recordErrors).toEqual([]);
    expect(run.counts.payments_deleted_in_netsuite).toBe(1);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    expect(Number(sandbox.netsuite.state.get('invoice', invoiceLink?.netsuiteId ?? '')?.amountRemaining)).toBeCloseTo(total, 6);

    // The sync's own deletion shows up in DeletedRecord; the next run knows it was its own.
    const next = await sync();
    expect(next.recordErrors).toEqual([]);
    expect(next.status).toBe('succeeded');
  });

  it("only reports a voided payment with invoicedVoids: 'report', leaving NetSuite as it is", async () => {
    const reporting = engineWith({ invoicedVoids: 'report' });
    const invoice = await invoicedInvoice('INV-VOID-PAY-2');
    const payment = payInvoicedInvoice(sandbox, invoice, 50, { method: 'check', reference: 'CHK-VOID-2' });
    await sync(reporting);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();

    sandbox.invoiced.state.void('payments', payment.id);
    const run = await sync(reporting);
    expect(run.status).toBe('partial');
    expect(run.recordErrors).toEqual([
      expect.objectContaining({ entity: 'payment', direction: 'invoiced_to_netsuite', sourceId: String(payment.id), number: 'CHK-VOID-2', code: 'PAYMENT_VOIDED_ON_INVOICED' }),
    ]);
    expect(run.recordErrors[0]?.resolution).toMatch(/ignore/);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();

    // Switched to 'delete', the waiting record is retried and its NetSuite copy deleted.
    const run2 = await sync();
    expect(run2.recordErrors).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    expect(await store.getRetry('gone', `invoiced_to_netsuite:payment:${payment.id}`)).toBeNull();
  });

  it('deletes the NetSuite invoice of an Invoiced invoice voided after it was written', async () => {
    const invoice = await invoicedInvoice('INV-VOID-1');
    await sync();
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeDefined();
    sandbox.invoiced.state.void('invoices', invoice.id);
    const run = await sync();
    expect(run.recordErrors).toEqual([]);
    expect(run.counts.invoices_deleted_in_netsuite).toBe(1);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
  });

  it('reports an invoice NetSuite will not delete (a payment applied in NetSuite), naming what to do', async () => {
    const invoice = await invoicedInvoice('INV-VOID-2');
    const payment = payInvoicedInvoice(sandbox, invoice, 20, { method: 'check', reference: 'CHK-VOID-3' });
    await sync();
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    // Invoiced voids an invoice only without payments: the payment is voided first, but the sync is
    // told (by 'report') to leave NetSuite's payment in place, so NetSuite's invoice still has it.
    sandbox.invoiced.state.void('payments', payment.id);
    sandbox.invoiced.state.void('invoices', invoice.id);
    const run = await sync(engineWith({ invoicedVoids: 'report' }));
    expect(run.recordErrors.map((error) => error.code).sort()).toEqual(['INVOICE_VOIDED_ON_INVOICED', 'PAYMENT_VOIDED_ON_INVOICED']);

    // With 'delete', the invoice (handled first) is refused while the payment is there; the payment goes.
    const run2 = await sync();
    const invoiceError = run2.recordErrors.find((error) => error.entity === 'invoice');
    expect(invoiceError).toMatchObject({ code: 'INVOICE_VOIDED_ON_INVOICED', number: 'INV-VOID-2', sourceId: String(invoice.id) });
    expect(invoiceError?.resolution).toMatch(/Unapply/);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeDefined();

    // On the next run the invoice, retried, can be deleted.
    const run3 = await sync();
    expect(run3.recordErrors).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
  });

  it('reports an invoice written from Invoiced that a person deleted in NetSuite, and never writes it again on its own', async () => {
    const invoice = await invoicedInvoice('INV-GONE-1');
    await sync();
    const link = await store.findLinkByInvoicedId('gone', 'invoice', String(invoice.id));
    expect(link?.origin).toBe('invoiced');
    sandbox.netsuite.state.delete('invoice', link?.netsuiteId ?? '');

    const run = await sync();
    expect(run.recordErrors).toEqual([
      expect.objectContaining({ entity: 'invoice', direction: 'invoiced_to_netsuite', sourceId: String(invoice.id), number: 'INV-GONE-1', code: 'DELETED_IN_NETSUITE' }),
    ]);
    expect(run.recordErrors[0]?.message).toContain(link?.netsuiteId ?? '?');

    // Edited on Invoiced: still not written again, still reported.
    sandbox.invoiced.state.update('invoices', invoice.id, { notes: 'edited' });
    const run2 = await sync();
    expect(run2.recordErrors.map((error) => error.code)).toEqual(['DELETED_IN_NETSUITE']);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();

    // Voided on Invoiced, as the resolution says: the error clears, and NetSuite is left alone.
    sandbox.invoiced.state.void('invoices', invoice.id);
    const run3 = await sync();
    expect(run3.recordErrors).toEqual([]);
    expect(await store.getRetry('gone', `invoiced_to_netsuite:invoice:${invoice.id}`)).toBeNull();
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
  });
  it('keeps running when an invoice written from Invoiced is deleted on both sides: nothing is left to do', async () => {
    const invoice = await invoicedInvoice('INV-GONE-BOTH');
    await sync();
    const link = await store.findLinkByInvoicedId('gone', 'invoice', String(invoice.id));
    expect(link?.origin).toBe('invoiced');
    // Deleted on Invoiced and, before the sync followed that, in NetSuite by a person: the deletion phase
    // finds the NetSuite copy gone and Invoiced answering 404 for the invoice.
    sandbox.invoiced.state.delete('invoices', invoice.id);
    sandbox.netsuite.state.delete('invoice', link?.netsuiteId ?? '');

    const run = await sync();
    expect(run.status).not.toBe('failed');
    expect(run.error).toBeNull();
    expect(run.recordErrors).toEqual([]);
    expect(await store.findLinkByInvoicedId('gone', 'invoice', String(invoice.id))).toMatchObject({ fingerprint: 'voided' });
    // And the runs after it too (before, every run failed on that 404 until a person stepped in).
    const again = await sync();
    expect(again.status).not.toBe('failed');
    expect(again.recordErrors).toEqual([]);
  });
});
