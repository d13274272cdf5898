/**
 * Refunds both ways: refunds of payments processed through Invoiced become NetSuite customer refunds of
 * the payments' copies; NetSuite customer refunds of payments and credit memos are followed on Invoiced
 * as far as its API allows (the refunded amount left out of the payment; a credit note refunded in full
 * closed).
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, importedInvoice, refOf } from './support/credits';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 182,
  start: '2026-11-21T08:00:00Z',
  books: { customers: 5, invoices: 12, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
/** The books' bank account (USD): what refunds are paid from. */
const BANK = books.netsuite.accounts.find((account) => account.kind === 'bank')?.id ?? '';
const CONNECTION = 'refunds';
const withAccount = { ...settings, refundAccount: BANK };
const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: withAccount });
const ns = sandbox.netsuite.state;
const inv = sandbox.invoiced.state;
const openInvoice = (amount: number) => importedInvoice(sandbox, store, CONNECTION, amount);



describe('engine: refunds from Invoiced', () => {
  it('writes a refund of a processed payment as a customer refund of its NetSuite copy, partial refunds included', async () => {
    expect(errorsOf(await engine.sync())).toEqual([]);
    const { copy } = await openInvoice(60);
    later();
    // A card payment of 100, 60 of it applied: 40 stays with the customer, and is refunded in two parts.
    const payment = inv.charge({ customer: copy.customer, currency: 'usd', amount: 100, applied_to: [{ type: 'invoice', invoice: copy.id, amount: 60 }] });
    const chargeId = payment.charge.id;
    inv.refund(chargeId, 25);
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const nsPayment = ns.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(nsPayment).toMatchObject({ payment: 100, unapplied: 15 });
    const first = inv.list('refunds').at(-1);
    expect(ns.findByExternalId('customerRefund', `invd-ref-${first?.id}`)).toMatchObject({ total: 25, account: { id: BANK } });
    inv.refund(chargeId, 15);
    later();
    const again = await engine.sync();
    expect(errorsOf(again)).toEqual([]);
    expect(ns.get('customerPayment', String(nsPayment?.id))).toMatchObject({ unapplied: 0 });
    expect(again.counts.refunds_created).toBe(1);
  });

  it('reports a refund of a payment applied in full, then writes it once the payment is unapplied on Invoiced', async () => {
    const { copy, link } = await openInvoice(50);
    later();
    const payment = inv.charge({ customer: copy.customer, currency: 'usd', amount: 50, applied_to: [{ type: 'invoice', invoice: copy.id, amount: 50 }] });
    inv.refund(payment.charge.id, 50);
    later();
    const run = await engine.sync();
    expect(run.recordErrors.map((error) => error.code)).toContain('REFUND_REFUSED_BY_NETSUITE');
    later();
    // The customer was refunded: the invoice is owed again on Invoiced.
    inv.update('payments', payment.id, { applied_to: [] });
    later();
    const fixed = await engine.sync();
    expect(errorsOf(fixed)).toEqual([]);
    expect(Number(ns.get('invoice', link.netsuiteId)?.amountRemaining)).toBeCloseTo(inv.get('invoices', copy.id)?.balance ?? NaN, 6);
    expect(ns.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toMatchObject({ unapplied: 0 });
  });

  it('deletes the customer refund when the refund is voided on Invoiced, and says what is missing without a refund account', async () => {
    const refund = inv.list('refunds').at(0);
    later();
    inv.void('refunds', Number(refund?.id));
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect(ns.findByExternalId('customerRefund', `invd-ref-${refund?.id}`)).toBeUndefined();
    expect(run.counts.refunds_deleted_in_netsuite).toBe(1);

    const { copy } = await openInvoice(10);
    later();
    const payment = inv.charge({ customer: copy.customer, currency: 'usd', amount: 30, applied_to: [{ type: 'invoice', invoice: copy.id, amount: 10 }] });
    inv.refund(payment.charge.id, 20);
    later();
    const noAccount = await createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings }).sync();
    expect(noAccount.recordErrors.filter((error) => error.entity === 'refund').map((error) => error.code)).toEqual(['REFUND_ACCOUNT_REQUIRED']);
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
  });
});

describe('engine: refunds from NetSuite', () => {
  it('leaves out of the Invoiced payment what a NetSuite refund took of its unapplied amount', async () => {
    const { link, record } = await openInvoice(40);
    later();
    const paymentRecord = ns.insert('customerPayment', {
      customer: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'PAY-OVER',
      payment: 70,
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 40 }] },
    });
    later();
    await engine.sync();
    const paymentLink = await store.findLinkByNetSuiteId(CONNECTION, 'payment', String(paymentRecord.id));
    expect(inv.get('payments', Number(paymentLink?.invoicedId))).toMatchObject({ amount: 70, balance: 30 });
    later();
    ns.insert('customerRefund', { customer: { id: refOf(record.entity) }, account: { id: BANK }, tranId: 'RF-1', apply: { items: [{ doc: { id: String(paymentRecord.id) }, amount: 30 }] } });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect(inv.get('payments', Number(paymentLink?.invoicedId))).toMatchObject({ amount: 40, balance: 0 });
    expect(inv.get('payments', Number(paymentLink?.invoicedId))?.notes).toContain('refunded by NetSuite customer refund RF-1');
  });

  it('reads no NetSuite refund with phases.readNetSuiteRefunds off', async () => {
    const { link, record } = await openInvoice(10);
    later();
    const paymentRecord = ns.insert('customerPayment', { customer: { id: refOf(record.entity) }, currency: { id: refOf(record.currency) }, payment: 25, apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 10 }] } });
    ns.insert('customerRefund', { customer: { id: refOf(record.entity) }, account: { id: BANK }, apply: { items: [{ doc: { id: String(paymentRecord.id) }, amount: 15 }] } });
    later();
    const off = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: { ...withAccount, phases: { readNetSuiteRefunds: false } } });
    expect(errorsOf(await off.sync())).toEqual([]);
    const paymentLink = await store.findLinkByNetSuiteId(CONNECTION, 'payment', String(paymentRecord.id));
    expect(inv.get('payments', Number(paymentLink?.invoicedId))?.amount).toBe(25);
    // Turned on again, the refund is followed: the payment is read again because its refund changed since.
    ns.update('customerPayment', String(paymentRecord.id), { memo: 'touched' });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    expect(inv.get('payments', Number(paymentLink?.invoicedId))?.amount).toBe(10);
  });

  it('closes the credit note of a credit memo NetSuite refunded in full', async () => {
    const { record } = await openInvoice(1);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-CASHBACK',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 18, amount: 18 }] },
    });
    later();
    await engine.sync();
    const noteLink = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id));
    expect(inv.get('credit_notes', Number(noteLink?.invoicedId))).toMatchObject({ status: 'open', balance: 18 });
    later();
    ns.insert('customerRefund', { customer: { id: refOf(record.entity) }, account: { id: BANK }, tranId: 'RF-CM', apply: { items: [{ doc: { id: String(memo.id) }, amount: 18 }] } });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const note = inv.get('credit_notes', Number(noteLink?.invoicedId));
    expect(note).toMatchObject({ closed: true });
    expect(note?.notes).toContain('refunded by NetSuite customer refund RF-CM');
  });
});
