/**
 * Fixtures of the tests of payment credits, customer refunds, credit notes and processed payments: books
 * with all of them, and a check, from the books alone, that nothing is over-applied or over-refunded. Not
 * exported by the package.
 */
import { expect } from 'vitest';
import type { Books } from '../books';
import type { GenerateBooksOptions } from './index';
import { exponentOf, lineTotal, minor, product, sum } from './test-support';

/** Books with every new kind of record. */
export const RICH: GenerateBooksOptions = {
  seed: 11,
  creditMemos: 60,
  paymentCredits: 0.2,
  customerRefunds: 25,
  invoiced: { creditNotes: 12, processedShare: 0.5, refunds: 6 },
};

/** Checks, from the books alone, that nothing is over-applied or refunded beyond what is left. */
export function checkConsistency(b: Books): void {
  const ns = b.netsuite;
  const memos = new Map(ns.creditMemos.map((memo) => [memo.id, memo]));
  const payments = new Map(ns.payments.map((payment) => [payment.id, payment]));
  const memoLeft = new Map(ns.creditMemos.map((memo) => [memo.id, lineTotal(memo.lines, memo.currency) - sum(memo.applications.map((a) => minor(a.amount, memo.currency)))]));
  for (const left of memoLeft.values()) expect(left).toBeGreaterThanOrEqual(0n);
  const paymentLeft = new Map<string, bigint>();
  for (const payment of ns.payments) {
    const applied = sum(payment.applications.map((a) => minor(a.amount, payment.currency)));
    const credits = sum((payment.credits ?? []).map((c) => minor(c.amount, payment.currency)));
    expect(credits).toBeLessThanOrEqual(applied);
    const amount = minor(payment.amount, payment.currency);
    expect(amount).toBeGreaterThanOrEqual(0n);
    if (payment.voided === true) {
      expect(payment.credits).toBeUndefined();
      continue;
    }
    expect(applied - credits).toBeLessThanOrEqual(amount);
    paymentLeft.set(payment.id, amount - (applied - credits));
    for (const credit of payment.credits ?? []) {
      const memo = memos.get(credit.creditMemoId)!;
      expect([memo.customerId, memo.currency]).toEqual([payment.customerId, payment.currency]);
      expect(memo.tranDate <= payment.tranDate).toBe(true);
      expect(Number(memo.id)).toBeLessThan(Number(payment.id));
      memoLeft.set(memo.id, memoLeft.get(memo.id)! - minor(credit.amount, payment.currency));
      expect(memoLeft.get(memo.id)).toBeGreaterThanOrEqual(0n);
    }
  }
  const live = (ns.customerRefunds ?? []).filter((refund) => refund.voided !== true);
  for (const refund of ns.customerRefunds ?? []) {
    expect(refund.applications.length).toBeGreaterThan(0);
    for (const application of refund.applications) {
      const doc = memos.get(application.docId) ?? payments.get(application.docId)!;
      expect([doc.customerId, doc.currency]).toEqual([refund.customerId, refund.currency]);
      expect(doc.tranDate <= refund.tranDate).toBe(true);
      expect(Number(doc.id)).toBeLessThan(Number(refund.id));
      expect(minor(application.amount, refund.currency)).toBeGreaterThan(0n);
    }
  }
  for (const refund of live) {
    for (const application of refund.applications) {
      const left = memoLeft.has(application.docId) ? memoLeft : paymentLeft;
      left.set(application.docId, left.get(application.docId)! - minor(application.amount, refund.currency));
      expect(left.get(application.docId)).toBeGreaterThanOrEqual(0n);
    }
  }
  const ivd = b.invoiced;
  const total = (items: Books['invoiced']['invoices'][number]['items'], currency: string) => sum(items.map((item) => product(item.quantity, item.unitCost, exponentOf(currency))));
  const invoiceLeft = new Map(ivd.invoices.map((invoice) => [invoice.key, total(invoice.items, invoice.currency)]));
  const notes = new Map((ivd.creditNotes ?? []).map((note) => [note.key, note]));
  const noteLeft = new Map((ivd.creditNotes ?? []).map((note) => [note.key, total(note.items, note.currency)]));
  const invoices = new Map(ivd.invoices.map((invoice) => [invoice.key, invoice]));
  for (const payment of ivd.payments) {
    let cash = 0n;
    for (const applied of payment.appliedTo) {
      const amount = minor(applied.amount, payment.currency);
      const invoice = invoices.get(applied.invoiceKey)!;
      expect([invoice.customerKey, invoice.currency, invoice.draft]).toEqual([payment.customerKey, payment.currency, false]);
      invoiceLeft.set(invoice.key, invoiceLeft.get(invoice.key)! - amount);
      expect(invoiceLeft.get(invoice.key)).toBeGreaterThanOrEqual(0n);
      if ('creditNoteKey' in applied) {
        const note = notes.get(applied.creditNoteKey)!;
        expect([note.customerKey, note.currency, note.draft]).toEqual([payment.customerKey, payment.currency, false]);
        expect(note.date).toBeLessThanOrEqual(payment.date);
        noteLeft.set(note.key, noteLeft.get(note.key)! - amount);
        expect(noteLeft.get(note.key)).toBeGreaterThanOrEqual(0n);
      } else cash += amount;
    }
    const amount = minor(payment.amount, payment.currency);
    expect(cash).toBeLessThanOrEqual(amount);
    if (payment.processed === true) {
      expect(['credit_card', 'ach']).toContain(payment.method);
      expect(amount).toBeGreaterThan(0n);
      expect(payment.reference).toBeUndefined();
    }
    const refunded = sum((payment.refunds ?? []).map((refund) => minor(refund, payment.currency)));
    if (payment.refunds !== undefined) expect(payment.processed).toBe(true);
    expect(refunded).toBeLessThanOrEqual(amount);
  }
}
