import { describe, expect, it } from 'vitest';
import type { Books } from '../books';
import { checkConsistency, RICH } from './credits-support';
import { generateBooks } from './index';
import { minor, sum } from './test-support';

describe('generateBooks: payment credits, customer refunds, credit notes, processed payments', () => {
  const b = generateBooks(RICH);
  const ns = b.netsuite;
  const ivd = b.invoiced;

  it('gives up to Math.round(payments * paymentCredits) payments credits of their customer memos, some paid by credit alone', () => {
    const credited = ns.payments.filter((payment) => payment.credits !== undefined);
    // 20 asked for; fewer where customers have no memo with credit left
    expect(credited.length).toBeGreaterThanOrEqual(10);
    expect(credited.length).toBeLessThanOrEqual(20);
    const ample = generateBooks({ seed: 1, customers: 5, creditMemos: 60, paymentCredits: 0.3 });
    expect(ample.netsuite.payments.filter((payment) => payment.credits !== undefined)).toHaveLength(30);
    expect(credited.every((payment) => payment.credits!.length >= 1 && payment.credits!.length <= 2)).toBe(true);
    expect(credited.some((payment) => payment.amount.match(/^0(\.0+)?$/) !== null)).toBe(true);
    expect(credited.some((payment) => minor(payment.amount, payment.currency) > 0n)).toBe(true);
    expect(credited.every((payment) => payment.voided !== true && payment.externalId === undefined)).toBe(true);
  });

  it('generates the customer refunds asked for, of memos and payments, in full and in part, some voided', () => {
    const refunds = ns.customerRefunds ?? [];
    expect(refunds).toHaveLength(25);
    const memoIds = new Set(ns.creditMemos.map((memo) => memo.id));
    const docs = refunds.flatMap((refund) => refund.applications.map((application) => application.docId));
    expect(docs.some((doc) => memoIds.has(doc))).toBe(true);
    expect(docs.some((doc) => !memoIds.has(doc))).toBe(true);
    expect(refunds.some((refund) => refund.voided === true)).toBe(true);
    expect(refunds.some((refund) => refund.applications.length === 2)).toBe(true);
    expect(refunds.every((refund) => /^RFND-\d+$/.test(refund.tranId) && refund.accountId === String(ns.currencies.indexOf(refund.currency) + 2))).toBe(true);
    // IDs follow the shared sequence, and each array stays sorted by ID
    const ids = refunds.map((refund) => Number(refund.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set([...ns.invoices, ...ns.payments, ...ns.creditMemos, ...refunds].map((record) => record.id)).size).toBe(ns.invoices.length + ns.payments.length + ns.creditMemos.length + 25);
  });

  it('generates the Invoiced credit notes: drafts, applied by payments of 0, applied inside cash payments, open', () => {
    const notes = ivd.creditNotes ?? [];
    expect(notes).toHaveLength(12);
    expect(notes.filter((note) => note.draft).length).toBeGreaterThanOrEqual(2);
    const zero = ivd.payments.filter((payment) => payment.amount === '0' || /^0\.0+$/.test(payment.amount));
    expect(zero.length).toBeGreaterThan(0);
    expect(zero.every((payment) => payment.appliedTo.every((applied) => 'creditNoteKey' in applied))).toBe(true);
    const mixed = ivd.payments.filter((payment) => payment.appliedTo.some((applied) => 'creditNoteKey' in applied) && payment.appliedTo.some((applied) => !('creditNoteKey' in applied)));
    expect(mixed.length).toBeGreaterThan(0);
    const applied = new Set(ivd.payments.flatMap((payment) => payment.appliedTo.flatMap((entry) => ('creditNoteKey' in entry ? [entry.creditNoteKey] : []))));
    expect(notes.some((note) => !note.draft && !applied.has(note.key))).toBe(true);
    // the cash payments keep their count and keys; the payments of 0 come after them
    expect(ivd.payments.slice(0, 10).every((payment, index) => payment.key === `ivd-pay-${index + 1}`)).toBe(true);
    expect(ivd.payments.length).toBe(10 + zero.length);
  });

  it('makes exactly Math.round(payments * processedShare) cash payments processed, with the refunds asked for', () => {
    const processed = ivd.payments.filter((payment) => payment.processed === true);
    expect(processed).toHaveLength(5);
    const refunds = processed.flatMap((payment) => payment.refunds ?? []);
    expect(refunds).toHaveLength(6);
    const refunded = processed.filter((payment) => payment.refunds !== undefined);
    const whole = (payment: (typeof processed)[number]) => sum(payment.refunds!.map((amount) => minor(amount, payment.currency))) === minor(payment.amount, payment.currency);
    expect(refunded.some(whole)).toBe(true);
    expect(refunded.some((payment) => !whole(payment))).toBe(true);
  });

  it('never over-applies nor refunds more than is left', () => {
    checkConsistency(b);
    for (const seed of [1, 2, 3, 4, 5]) checkConsistency(generateBooks({ ...RICH, seed, customers: 12, invoices: 40, payments: 60, creditMemos: 30, paymentCredits: 0.5, customerRefunds: 40 }));
    // more refunds than there is anything to refund: they stop, consistent
    const scarce = generateBooks({ seed: 2, customers: 3, invoices: 4, payments: 5, creditMemos: 3, paymentCredits: 1, customerRefunds: 200, invoiced: { customers: 2, invoices: 3, payments: 2, creditNotes: 20, processedShare: 1, refunds: 50 } });
    checkConsistency(scarce);
    expect((scarce.netsuite.customerRefunds ?? []).length).toBeLessThan(200);
  });

  it('is deterministic per seed, and leaves the other records as they were', () => {
    expect(generateBooks(RICH)).toEqual(b);
    expect(generateBooks({ ...RICH, seed: 12 })).not.toEqual(b);
    const plain = generateBooks({ ...RICH, paymentCredits: 0, customerRefunds: 0 });
    // IDs move to make room for refunds; what payments apply does not (a credit takes the place of cash)
    const content = (invoices: Books['netsuite']['invoices']) => invoices.map((invoice) => [invoice.customerId, invoice.tranDate, invoice.lines]);
    expect(content(plain.netsuite.invoices)).toEqual(content(ns.invoices));
    expect(plain.netsuite.payments.map((payment) => payment.applications.length)).toEqual(ns.payments.map((payment) => payment.applications.length));
    expect(plain.netsuite.creditMemos.map((memo) => memo.lines)).toEqual(ns.creditMemos.map((memo) => memo.lines));
    expect(plain.invoiced).toEqual(ivd);
    expect(generateBooks({ ...RICH, invoiced: {} }).invoiced.invoices).toEqual(ivd.invoices);
  });

  it('rejects shares outside [0, 1] and negative counts', () => {
    expect(() => generateBooks({ paymentCredits: 1.5 })).toThrow(RangeError);
    expect(() => generateBooks({ customerRefunds: -1 })).toThrow(RangeError);
    expect(() => generateBooks({ invoiced: { processedShare: -0.1 } })).toThrow(RangeError);
    expect(() => generateBooks({ invoiced: { creditNotes: 1.5 } })).toThrow(RangeError);
    expect(() => generateBooks({ invoiced: { refunds: -2 } })).toThrow(RangeError);
  });
});
