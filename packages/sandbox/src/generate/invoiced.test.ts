import { describe, expect, it } from 'vitest';
import { generateBooks } from './index';
import { books, displayName, exponentOf, minor, product, sum } from './test-support';

describe('generateBooks: Invoiced side', () => {
  const ivd = books.invoiced;
  const customersByKey = new Map(ivd.customers.map((customer) => [customer.key, customer]));
  const invoicesByKey = new Map(ivd.invoices.map((invoice) => [invoice.key, invoice]));
  const invoicedTotal = (key: string) => {
    const invoice = invoicesByKey.get(key)!;
    return sum(invoice.items.map((item) => product(item.quantity, item.unitCost, exponentOf(invoice.currency))));
  };

  it('makes exactly draftRatio of the invoices drafts', () => {
    expect(ivd.invoices.filter((invoice) => invoice.draft)).toHaveLength(5);
    const half = generateBooks({ invoiced: { invoices: 30, draftRatio: 0.5 } }).invoiced.invoices;
    expect(half.filter((invoice) => invoice.draft)).toHaveLength(15);
    const none = generateBooks({ invoiced: { draftRatio: 0 } }).invoiced.invoices;
    expect(none.filter((invoice) => invoice.draft)).toHaveLength(0);
  });

  it('applies payments only to non-draft invoices of the same customer and currency', () => {
    const applications = ivd.payments.flatMap((payment) => payment.appliedTo.map((applied) => ({ payment, applied })));
    expect(applications.length).toBeGreaterThan(0);
    for (const { payment, applied } of applications) {
      const invoice = invoicesByKey.get(applied.invoiceKey)!;
      expect(invoice.draft).toBe(false);
      expect(invoice.customerKey).toBe(payment.customerKey);
      expect(invoice.currency).toBe(payment.currency);
      expect(payment.date).toBeGreaterThanOrEqual(invoice.date);
    }
    const allDrafts = generateBooks({ invoiced: { draftRatio: 1 } }).invoiced;
    expect(allDrafts.payments.flatMap((payment) => payment.appliedTo)).toEqual([]);
  });

  it('never applies more to an Invoiced invoice than its total, nor more than a payment amount', () => {
    for (const b of [books, generateBooks({ seed: 4, invoiced: { customers: 4, invoices: 10, payments: 40 } })]) {
      const paid = new Map<string, bigint>();
      for (const payment of b.invoiced.payments) {
        const amounts = payment.appliedTo.map((applied) => minor(applied.amount, payment.currency));
        expect(sum(amounts)).toBeLessThanOrEqual(minor(payment.amount, payment.currency));
        payment.appliedTo.forEach((applied, index) => paid.set(applied.invoiceKey, (paid.get(applied.invoiceKey) ?? 0n) + amounts[index]!));
      }
      const keys = new Map(b.invoiced.invoices.map((invoice) => [invoice.key, invoice]));
      for (const [key, amount] of paid) {
        const invoice = keys.get(key)!;
        const total = sum(invoice.items.map((item) => product(item.quantity, item.unitCost, exponentOf(invoice.currency))));
        expect(amount).toBeLessThanOrEqual(total);
      }
    }
    for (const payment of ivd.payments) for (const applied of payment.appliedTo) expect(minor(applied.amount, payment.currency)).toBeLessThanOrEqual(invoicedTotal(applied.invoiceKey));
  });

  it('uses unique keys and IVD numbers, lower-case currencies, UNIX-second dates and allowed methods', () => {
    const unique = (values: readonly string[]) => expect(new Set(values).size).toBe(values.length);
    unique(ivd.customers.map((customer) => customer.key));
    unique(ivd.invoices.map((invoice) => invoice.key));
    unique(ivd.payments.map((payment) => payment.key));
    unique(ivd.invoices.map((invoice) => invoice.number));
    for (const invoice of ivd.invoices) {
      expect(invoice.number).toMatch(/^IVD-\d{4,}$/);
      expect(customersByKey.get(invoice.customerKey)?.currency).toBe(invoice.currency);
      expect(Number.isInteger(invoice.date)).toBe(true);
      expect(invoice.date).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:00:00Z') / 1000);
      expect(invoice.date).toBeLessThan(Date.parse('2026-11-01T00:00:00Z') / 1000);
      for (const item of invoice.items) {
        expect(item.quantity).toMatch(/^\d+(\.\d+)?$/);
        expect(() => minor(item.unitCost, invoice.currency)).not.toThrow();
      }
    }
    for (const customer of ivd.customers) expect(customer.currency).toMatch(/^[a-z]{3}$/);
    for (const payment of ivd.payments) {
      expect(customersByKey.has(payment.customerKey)).toBe(true);
      expect(['ach', 'cash', 'check', 'credit_card', 'wire_transfer', 'other']).toContain(payment.method);
      expect(Number.isInteger(payment.date)).toBe(true);
      expect(() => minor(payment.amount, payment.currency)).not.toThrow();
    }
  });

  it('gives half the Invoiced customers a NetSuite name, with its type and currency, and keeps names unique', () => {
    const b = generateBooks({ seed: 6, invoiced: { customers: 40 } });
    const nsCustomers = b.netsuite.customers;
    const sources = (name: string) => nsCustomers.filter((customer) => displayName(customer).normalize('NFC') === name.normalize('NFC'));
    const matching = b.invoiced.customers.filter((customer) => sources(customer.name).length > 0);
    expect(matching).toHaveLength(20);
    for (const customer of matching) {
      expect(
        sources(customer.name).some(
          (source) => customer.type === (source.isPerson ? 'person' : 'company') && customer.currency === source.currency.toLowerCase(),
        ),
      ).toBe(true);
    }
    expect(new Set(b.invoiced.customers.map((customer) => customer.name)).size).toBe(40);
    // the ambiguous case: an Invoiced name that two NetSuite customers carry
    expect(b.invoiced.customers.some((customer) => sources(customer.name).length >= 2)).toBe(true);
  });
});
