import { describe, expect, it } from 'vitest';
import type { Books } from '../books';
import { createInvoicedService } from '../invoiced/index';
import { createNetSuiteService } from '../netsuite/index';
import { RICH } from './credits-support';
import { generateBooks } from './index';
import { exponentOf, invoiceTotal, lineTotal, minor, product, sum } from './test-support';

const clock = () => new Date('2026-11-01T00:00:00Z');
/** A number the simulators answer, in minor units. */
const minorOf = (value: unknown, currency: string) => BigInt(Math.round(Number(value) * 10 ** exponentOf(currency)));

function checkNetSuite(b: Books): void {
  const netsuite = createNetSuiteService({ accountId: 'BOOKS_1', clock });
  netsuite.state.load(b.netsuite);
  const ns = b.netsuite;
  const refunds = ns.customerRefunds ?? [];
  expect(netsuite.state.count('customerRefund')).toBe(refunds.length);
  const settled = new Map<string, bigint>();
  const taken = new Map<string, bigint>();
  const add = (map: Map<string, bigint>, id: string, amount: string, currency: string) => map.set(id, (map.get(id) ?? 0n) + minor(amount, currency));
  for (const payment of ns.payments) {
    if (payment.voided === true) continue;
    for (const application of payment.applications) add(settled, application.invoiceId, application.amount, payment.currency);
    for (const credit of payment.credits ?? []) add(taken, credit.creditMemoId, credit.amount, payment.currency);
  }
  for (const memo of ns.creditMemos) for (const application of memo.applications) add(settled, application.invoiceId, application.amount, memo.currency);
  for (const refund of refunds) {
    if (refund.voided !== true) for (const application of refund.applications) add(taken, application.docId, application.amount, refund.currency);
  }
  for (const invoice of ns.invoices) {
    const record = netsuite.state.get('invoice', invoice.id)!;
    expect(record.lastModifiedDate).toBe(invoice.lastModifiedDate);
    if (invoice.voided === true) continue;
    expect(minorOf(record.amountRemaining, invoice.currency)).toBe(invoiceTotal(invoice) - (settled.get(invoice.id) ?? 0n));
  }
  for (const memo of ns.creditMemos) {
    const record = netsuite.state.get('creditMemo', memo.id)!;
    expect(record.lastModifiedDate).toBe(memo.lastModifiedDate);
    const own = sum(memo.applications.map((application) => minor(application.amount, memo.currency)));
    expect(minorOf(record.amountRemaining, memo.currency)).toBe(lineTotal(memo.lines, memo.currency) - own - (taken.get(memo.id) ?? 0n));
  }
  for (const payment of ns.payments) {
    const record = netsuite.state.get('customerPayment', payment.id)!;
    expect(record.lastModifiedDate).toBe(payment.lastModifiedDate);
    if (payment.voided === true) continue;
    const cash = sum(payment.applications.map((a) => minor(a.amount, payment.currency))) - sum((payment.credits ?? []).map((c) => minor(c.amount, payment.currency)));
    expect(minorOf(record.applied ?? 0, payment.currency)).toBe(cash);
    expect(minorOf(record.unapplied ?? 0, payment.currency)).toBe(minor(payment.amount, payment.currency) - cash - (taken.get(payment.id) ?? 0n));
  }
  for (const refund of refunds) {
    const record = netsuite.state.get('customerRefund', refund.id)!;
    expect(record).toMatchObject({ tranId: refund.tranId, lastModifiedDate: refund.lastModifiedDate, status: { id: refund.voided === true ? 'V' : 'R' } });
    const total = refund.voided === true ? 0n : sum(refund.applications.map((application) => minor(application.amount, refund.currency)));
    expect(minorOf(record.total, refund.currency)).toBe(total);
  }
}

function checkInvoiced(b: Books): void {
  const invoiced = createInvoicedService({ apiKey: 'key', clock });
  const ids = invoiced.state.load(b.invoiced);
  const ivd = b.invoiced;
  expect(ids.creditNotes.size).toBe((ivd.creditNotes ?? []).length);
  const totalOf = (items: Books['invoiced']['invoices'][number]['items'], currency: string) => sum(items.map((item) => product(item.quantity, item.unitCost, exponentOf(currency))));
  const applied = new Map<string, bigint>();
  const add = (key: string, amount: string, currency: string) => applied.set(key, (applied.get(key) ?? 0n) + minor(amount, currency));
  for (const payment of ivd.payments) {
    for (const entry of payment.appliedTo) {
      add(`invoice:${entry.invoiceKey}`, entry.amount, payment.currency);
      if ('creditNoteKey' in entry) add(`note:${entry.creditNoteKey}`, entry.amount, payment.currency);
    }
  }
  for (const invoice of ivd.invoices) {
    const record = invoiced.state.get('invoices', ids.invoices.get(invoice.key)!)!;
    expect(minorOf(record.balance, invoice.currency)).toBe(totalOf(invoice.items, invoice.currency) - (applied.get(`invoice:${invoice.key}`) ?? 0n));
  }
  for (const note of ivd.creditNotes ?? []) {
    const record = invoiced.state.get('credit_notes', ids.creditNotes.get(note.key)!)!;
    expect(record.draft).toBe(note.draft);
    expect(minorOf(record.balance, note.currency)).toBe(totalOf(note.items, note.currency) - (applied.get(`note:${note.key}`) ?? 0n));
  }
  let refunds = 0;
  for (const payment of ivd.payments) {
    const record = invoiced.state.get('payments', ids.payments.get(payment.key)!)!;
    expect(minorOf(record.amount, payment.currency)).toBe(minor(payment.amount, payment.currency));
    if (payment.processed !== true) {
      expect(record.charge).toBeNull();
      continue;
    }
    const refunded = sum((payment.refunds ?? []).map((amount) => minor(amount, payment.currency)));
    refunds += payment.refunds?.length ?? 0;
    expect(record.charge).toMatchObject({ refunded: refunded === minor(payment.amount, payment.currency) });
    expect(minorOf(record.charge?.amount_refunded, payment.currency)).toBe(refunded);
  }
  expect(invoiced.state.count('refunds')).toBe(refunds);
}

describe('loading generated books with credits, refunds, credit notes and processed payments', () => {
  it('loads the NetSuite side: balances as the books say, IDs and lastModifiedDates kept', () => {
    checkNetSuite(generateBooks(RICH));
  });

  it('loads the Invoiced side: balances, credit notes, charges and refunds as the books say', () => {
    checkInvoiced(generateBooks(RICH));
  });

  it('loads books of other seeds and sizes, scarce ones included', () => {
    for (const seed of [2, 3, 4]) {
      const b = generateBooks({ ...RICH, seed, customers: 12, invoices: 40, payments: 60, creditMemos: 30, paymentCredits: 0.5, customerRefunds: 40 });
      checkNetSuite(b);
      checkInvoiced(b);
    }
    const scarce = generateBooks({ seed: 2, customers: 3, invoices: 4, payments: 5, creditMemos: 3, paymentCredits: 1, customerRefunds: 200, invoiced: { customers: 2, invoices: 3, payments: 2, creditNotes: 20, processedShare: 1, refunds: 50 } });
    checkNetSuite(scarce);
    checkInvoiced(scarce);
  });

  it('refuses books whose payment credit is more than the memo has left, or whose refund is more than the payment has left', () => {
    const b = generateBooks(RICH);
    const netsuite = createNetSuiteService({ accountId: 'BOOKS_1', clock });
    const credited = b.netsuite.payments.find((payment) => (payment.credits ?? []).length > 0)!;
    const tooMuch = structuredClone(b.netsuite);
    const payment = tooMuch.payments.find((candidate) => candidate.id === credited.id)!;
    payment.credits![0]!.amount = payment.applications.reduce((total, application) => total + Number(application.amount), 1).toFixed(exponentOf(payment.currency));
    expect(() => netsuite.state.load(tooMuch)).toThrow();
    const refunded = structuredClone(b.netsuite);
    const refund = refunded.customerRefunds!.find((candidate) => candidate.voided !== true)!;
    refund.applications[0]!.amount = '99999999';
    expect(() => netsuite.state.load(refunded)).toThrow(/exceeds/);
    expect(netsuite.state.count('customerRefund')).toBe(0);
  });

  it('refuses Invoiced refunds of a payment that was not processed', () => {
    const b = generateBooks(RICH);
    const books = structuredClone(b.invoiced);
    const plain = books.payments.find((payment) => payment.processed !== true && Number(payment.amount) > 0)!;
    plain.refunds = ['1'];
    const invoiced = createInvoicedService({ apiKey: 'key', clock });
    expect(() => invoiced.state.load(books)).toThrow(/only a processed payment/);
  });
});
