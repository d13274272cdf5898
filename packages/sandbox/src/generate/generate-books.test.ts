import { describe, expect, it } from 'vitest';
import { generateBooks } from './index';
import { books, invoiceTotal, ns, settledByInvoice } from './test-support';

describe('generateBooks: determinism', () => {
  it('gives deep-equal books for the same seed', () => {
    expect(generateBooks({ seed: 42 })).toEqual(generateBooks({ seed: 42 }));
    expect(generateBooks({ seed: 'acme' })).toEqual(generateBooks({ seed: 'acme' }));
    expect(generateBooks()).toEqual(books);
  });

  it('defaults to seed 1 and reports the seed it used', () => {
    expect(books.seed).toBe(1);
    expect(generateBooks({ seed: 1 })).toEqual(books);
    expect(generateBooks({ seed: 7 }).seed).toBe(7);
  });

  it('gives different books for a different seed', () => {
    const other = generateBooks({ seed: 2 });
    expect(other).not.toEqual(books);
    expect(other.netsuite.invoices.map((invoice) => invoice.lines)).not.toEqual(ns.invoices.map((invoice) => invoice.lines));
    expect(other.invoiced.invoices).not.toEqual(books.invoiced.invoices);
  });

  it('keeps the NetSuite customers and reference records when only the Invoiced options change', () => {
    // The NetSuite records written from Invoiced are copies of Invoiced records (see copies.test.ts), so the
    // transactions change with the Invoiced books, and so does which customers carry an invd-cust external ID.
    const changed = generateBooks({ invoiced: { customers: 3, invoices: 50, payments: 40, draftRatio: 0.5 } });
    const withoutExternalId = (customers: typeof ns.customers) => customers.map(({ externalId: _externalId, ...customer }) => customer);
    expect(withoutExternalId(changed.netsuite.customers)).toEqual(withoutExternalId(ns.customers));
    const { customers: _c, invoices: _i, payments: _p, creditMemos: _m, ...reference } = changed.netsuite;
    const { customers: _dc, invoices: _di, payments: _dp, creditMemos: _dm, ...defaults } = ns;
    expect(reference).toEqual(defaults);
    expect([changed.netsuite.invoices.length, changed.netsuite.payments.length, changed.netsuite.creditMemos.length]).toEqual([200, 100, 10]);
  });
});

describe('generateBooks: sizes', () => {
  it('produces the default counts', () => {
    expect(ns.customers).toHaveLength(50);
    expect(ns.invoices).toHaveLength(200);
    expect(ns.payments).toHaveLength(100);
    expect(ns.creditMemos).toHaveLength(10);
    expect(books.invoiced.customers).toHaveLength(10);
    expect(books.invoiced.invoices).toHaveLength(20);
    expect(books.invoiced.payments).toHaveLength(10);
    expect(ns.currencies).toEqual(['USD', 'EUR', 'GBP', 'JPY']);
  });

  it('honours the requested counts', () => {
    const b = generateBooks({ seed: 5, customers: 31, invoices: 123, payments: 77, creditMemos: 9, invoiced: { customers: 7, invoices: 13, payments: 6 } });
    expect([b.netsuite.customers.length, b.netsuite.invoices.length, b.netsuite.payments.length, b.netsuite.creditMemos.length]).toEqual([31, 123, 77, 9]);
    expect([b.invoiced.customers.length, b.invoiced.invoices.length, b.invoiced.payments.length]).toEqual([7, 13, 6]);
  });

  it('can produce empty books', () => {
    const b = generateBooks({ customers: 0, invoices: 0, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } });
    expect(b.netsuite.customers).toEqual([]);
    expect(b.netsuite.invoices).toEqual([]);
    expect(b.invoiced.invoices).toEqual([]);
    expect(b.netsuite.items.length).toBeGreaterThan(0);
  });

  it('keeps every count even when payments outnumber what can be settled', () => {
    const b = generateBooks({ customers: 2, invoices: 3, payments: 40, creditMemos: 10, invoiced: { customers: 1, invoices: 2, payments: 9 } });
    expect([b.netsuite.payments.length, b.netsuite.creditMemos.length, b.invoiced.payments.length]).toEqual([40, 10, 9]);
    for (const invoice of b.netsuite.invoices) expect(settledByInvoice(b).get(invoice.id) ?? 0n).toBeLessThanOrEqual(invoiceTotal(invoice));
  });

  it('rejects invalid options', () => {
    expect(() => generateBooks({ invoices: -1 })).toThrow(RangeError);
    expect(() => generateBooks({ customers: 1.5 })).toThrow(RangeError);
    expect(() => generateBooks({ startDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateBooks({ now: 'yesterday' })).toThrow(RangeError);
    expect(() => generateBooks({ currencies: [] })).toThrow(RangeError);
    expect(() => generateBooks({ currencies: ['USD', 'usd'] })).toThrow(RangeError);
    expect(() => generateBooks({ days: 0 })).toThrow(RangeError);
    expect(() => generateBooks({ customers: 0 })).toThrow(RangeError);
    expect(() => generateBooks({ invoiced: { draftRatio: 1.5 } })).toThrow(RangeError);
  });
});

describe('generateBooks: scale', () => {
  it('generates 100,000 invoices, 20,000 customers and 50,000 payments in under 5 seconds', () => {
    const started = performance.now();
    const big = generateBooks({ seed: 9, customers: 20_000, invoices: 100_000, payments: 50_000 });
    const elapsed = performance.now() - started;
    expect(big.netsuite.customers).toHaveLength(20_000);
    expect(big.netsuite.invoices).toHaveLength(100_000);
    expect(big.netsuite.payments).toHaveLength(50_000);
    // NetSuite numbers its own invoices; the copies of Invoiced invoices keep their Invoiced number.
    const numbered = big.netsuite.invoices.filter((invoice) => invoice.externalId === undefined);
    expect(numbered.at(-1)!.tranId).toBe(`INV-${10000 + numbered.length}`);
    expect(numbered.length).toBeGreaterThan(100_000 - 20);
    expect(elapsed).toBeLessThan(5000);
  }, 20_000);
});
