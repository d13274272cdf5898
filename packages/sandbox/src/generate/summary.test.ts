import { describe, expect, it } from 'vitest';
import { createNetSuiteService } from '../netsuite/index';
import { RICH } from './credits-support';
import { generateBooks, summarizeBooks } from './index';
import { books, exponentOf, invoiceTotal, minor, ns, sum } from './test-support';

describe('summarizeBooks', () => {
  const summary = summarizeBooks(books);

  it('counts the records', () => {
    expect(summary.seed).toBe(1);
    expect(summary.netsuite).toMatchObject({ customers: 50, invoices: 200, payments: 100, creditMemos: 10 });
    expect(summary.netsuite.voidedInvoices).toBe(ns.invoices.filter((invoice) => invoice.voided).length);
    expect(summary.netsuite.voidedPayments).toBe(ns.payments.filter((payment) => payment.voided).length);
    expect(summary.netsuite.inactiveCustomers).toBeGreaterThan(0);
    expect(summary.netsuite.personCustomers).toBe(ns.customers.filter((customer) => customer.isPerson).length);
    expect(summary.invoiced).toMatchObject({ customers: 10, invoices: 20, drafts: 5, payments: 10 });
    const perCurrency = Object.values(summary.netsuite.byCurrency);
    expect(perCurrency.reduce((total, entry) => total + entry.invoices, 0)).toBe(200);
    expect(perCurrency.reduce((total, entry) => total + entry.customers, 0)).toBe(50);
  });

  it('totals each currency in its own decimals', () => {
    for (const currency of ns.currencies) {
      const entry = summary.netsuite.byCurrency[currency]!;
      const invoiced = sum(ns.invoices.filter((i) => i.currency === currency && !i.voided).map(invoiceTotal));
      const paid = sum(
        ns.payments.filter((p) => p.currency === currency && !p.voided).flatMap((p) => p.applications.map((a) => minor(a.amount, currency))),
      );
      const credited = sum(ns.creditMemos.filter((m) => m.currency === currency).flatMap((m) => m.applications.map((a) => minor(a.amount, currency))));
      expect(minor(entry.invoiced, currency)).toBe(invoiced);
      expect(minor(entry.paid, currency)).toBe(paid);
      expect(minor(entry.credited, currency)).toBe(credited);
      expect(minor(entry.open, currency)).toBe(invoiced - paid - credited);
      expect(minor(entry.open, currency)).toBeGreaterThan(0n);
      expect(minor(entry.unappliedPayments, currency)).toBeGreaterThanOrEqual(0n);
    }
    expect(summary.netsuite.byCurrency.JPY!.invoiced).toMatch(/^\d+$/);
    expect(summary.netsuite.byCurrency.USD!.invoiced).toMatch(/^\d+\.\d{2}$/);
  });

  it('totals the Invoiced side per lower-case currency', () => {
    const received = Object.entries(summary.invoiced.byCurrency).map(([currency, entry]) => minor(entry.received, currency));
    expect(sum(received)).toBeGreaterThan(0n);
    for (const [currency, entry] of Object.entries(summary.invoiced.byCurrency)) {
      expect(currency).toMatch(/^[a-z]{3}$/);
      expect(minor(entry.paid, currency)).toBeLessThanOrEqual(minor(entry.invoiced, currency));
    }
  });

  it('counts credits as credited, not paid, and leaves out what refunds took, so open is what NetSuite leaves open', () => {
    const rich = generateBooks(RICH);
    const netsuite = createNetSuiteService({ accountId: 'SUMMARY', clock: () => new Date('2026-11-01T00:00:00Z') });
    netsuite.state.load(rich.netsuite);
    const minorOf = (value: unknown, currency: string) => BigInt(Math.round(Number(value) * 10 ** exponentOf(currency)));
    for (const [currency, entry] of Object.entries(summarizeBooks(rich).netsuite.byCurrency)) {
      const remaining = rich.netsuite.invoices
        .filter((invoice) => invoice.currency === currency && invoice.voided !== true)
        .map((invoice) => minorOf(netsuite.state.get('invoice', invoice.id)!.amountRemaining, currency));
      expect(minor(entry.open, currency)).toBe(sum(remaining));
      const memos = rich.netsuite.creditMemos
        .filter((memo) => memo.currency === currency)
        .map((memo) => minorOf(netsuite.state.get('creditMemo', memo.id)!.amountRemaining, currency));
      expect(minor(entry.unappliedCredits, currency)).toBe(sum(memos));
    }
  });
});
