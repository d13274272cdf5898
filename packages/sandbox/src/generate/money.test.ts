import { describe, expect, it } from 'vitest';
import { currencyExponent, generateBooks } from './index';
import { books, decimal, exponentOf, invoiceTotal, itemKind, lineTotal, minor, ns, product, settledByInvoice, sum } from './test-support';

describe('generateBooks: money', () => {
  const allLines = [
    ...ns.invoices.flatMap((invoice) => invoice.lines.map((line) => ({ line, currency: invoice.currency }))),
    ...ns.creditMemos.flatMap((memo) => memo.lines.map((line) => ({ line, currency: memo.currency }))),
  ];

  it('computes every line amount as quantity x rate rounded half-up to the currency', () => {
    for (const { line, currency } of allLines) {
      expect(minor(line.amount, currency), JSON.stringify(line)).toBe(product(line.quantity, line.rate, exponentOf(currency)));
    }
  });

  it('rounds half-up, not half-even or by truncation', () => {
    const halves = allLines.filter(({ line, currency }) => {
      const [q, qScale] = decimal(line.quantity);
      const [r, rScale] = decimal(line.rate);
      const scale = qScale + rScale - exponentOf(currency);
      return scale > 0 && (q * r) % 10n ** BigInt(scale) !== 0n;
    });
    expect(halves.length).toBeGreaterThan(0);
    expect(product('1', '0.005', 2)).toBe(1n);
    expect(product('1', '-0.005', 2)).toBe(-1n);
  });

  it('writes amounts with exactly the currency decimals, quantities and rates as plain decimals', () => {
    const check = (amount: string, currency: string) => {
      expect(amount).toMatch(/^-?\d+(\.\d+)?$/);
      expect(() => minor(amount, currency)).not.toThrow();
    };
    for (const { line, currency } of allLines) {
      check(line.amount, currency);
      expect(line.quantity).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(Number(line.quantity)).toBeGreaterThan(0);
      const rateDecimals = decimal(line.rate)[1];
      expect([exponentOf(currency), exponentOf(currency) + 2]).toContain(rateDecimals);
    }
    for (const payment of ns.payments) {
      check(payment.amount, payment.currency);
      for (const application of payment.applications) check(application.amount, payment.currency);
    }
    for (const memo of ns.creditMemos) for (const application of memo.applications) check(application.amount, memo.currency);
  });

  it('writes JPY without decimals everywhere', () => {
    const jpy = ns.invoices.filter((invoice) => invoice.currency === 'JPY');
    expect(jpy.length).toBeGreaterThan(0);
    for (const invoice of jpy) for (const line of invoice.lines) expect(line.amount).toMatch(/^-?\d+$/);
    const jpyPayments = ns.payments.filter((payment) => payment.currency === 'JPY');
    expect(jpyPayments.length).toBeGreaterThan(0);
    for (const payment of jpyPayments) {
      expect(payment.amount).toMatch(/^\d+$/);
      for (const application of payment.applications) expect(application.amount).toMatch(/^\d+$/);
    }
  });

  it('uses three decimals for a three-decimal currency', () => {
    const b = generateBooks({ currencies: ['KWD', 'USD'], customers: 10, invoices: 30, payments: 10, creditMemos: 2 });
    const kwd = b.netsuite.invoices.filter((invoice) => invoice.currency === 'KWD');
    expect(kwd.length).toBeGreaterThan(0);
    for (const invoice of kwd) for (const line of invoice.lines) expect(line.amount).toMatch(/^-?\d+\.\d{3}$/);
    expect(currencyExponent('kwd')).toBe(3);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('EUR')).toBe(2);
  });

  it('gives header tax as the rate of the sum of the lines, rounded half away from zero, as NetSuite computes it', () => {
    const taxed = ns.invoices.filter((invoice) => invoice.tax !== undefined);
    expect(taxed.length).toBeGreaterThan(0);
    for (const invoice of taxed) {
      const tax = invoice.tax!;
      const subtotal = lineTotal(invoice.lines, invoice.currency);
      // subtotal (minor units, scale 0 relative to the exponent) × rate / 100
      const [rate, rateScale] = decimal(tax.rate);
      const exact = subtotal * rate;
      const divisor = 100n * 10n ** BigInt(rateScale);
      expect(minor(tax.amount, invoice.currency), invoice.tranId).toBe((exact + divisor / 2n) / divisor);
      expect(itemKind(tax.itemId)).toBe('tax');
    }
  });

  it('gives every invoice a positive total, discounts negative and taxes positive', () => {
    for (const invoice of ns.invoices) {
      expect(invoiceTotal(invoice)).toBeGreaterThan(0n);
      for (const line of invoice.lines) {
        const amount = minor(line.amount, invoice.currency);
        if (itemKind(line.itemId) === 'discount') expect(amount).toBeLessThan(0n);
        else expect(amount).toBeGreaterThan(0n);
      }
    }
  });

  it('never settles more of an invoice than its total, and never a voided invoice', () => {
    for (const b of [books, generateBooks({ seed: 8, customers: 20, invoices: 60, payments: 120, creditMemos: 30 })]) {
      const settled = settledByInvoice(b);
      for (const invoice of b.netsuite.invoices) {
        const paid = settled.get(invoice.id) ?? 0n;
        expect(paid, invoice.tranId).toBeLessThanOrEqual(invoiceTotal(invoice));
      }
      const voided = new Set(b.netsuite.invoices.filter((invoice) => invoice.voided).map((invoice) => invoice.id));
      const targets = [...b.netsuite.payments, ...b.netsuite.creditMemos].flatMap((record) => record.applications.map((a) => a.invoiceId));
      expect(targets.filter((id) => voided.has(id))).toEqual([]);
    }
  });

  it('applies at most a payment amount and at most a credit memo total, each application positive', () => {
    for (const payment of ns.payments) {
      const amounts = payment.applications.map((application) => minor(application.amount, payment.currency));
      for (const amount of amounts) expect(amount).toBeGreaterThan(0n);
      expect(sum(amounts)).toBeLessThanOrEqual(minor(payment.amount, payment.currency));
      expect(minor(payment.amount, payment.currency)).toBeGreaterThan(0n);
    }
    for (const memo of ns.creditMemos) {
      const amounts = memo.applications.map((application) => minor(application.amount, memo.currency));
      for (const amount of amounts) expect(amount).toBeGreaterThan(0n);
      expect(sum(amounts)).toBeLessThanOrEqual(lineTotal(memo.lines, memo.currency));
    }
  });

  it('never has a customer pay or be credited more in total than it was invoiced', () => {
    // payments beyond what is open become voided ones, so this holds even when payments outnumber invoices
    for (const b of [books, generateBooks({ seed: 21, customers: 15, invoices: 80, payments: 300, creditMemos: 20 })]) {
      const invoiced = new Map<string, bigint>();
      const received = new Map<string, bigint>();
      const add = (map: Map<string, bigint>, key: string, value: bigint) => map.set(key, (map.get(key) ?? 0n) + value);
      for (const invoice of b.netsuite.invoices) if (!invoice.voided) add(invoiced, invoice.customerId, invoiceTotal(invoice));
      for (const payment of b.netsuite.payments) if (!payment.voided) add(received, payment.customerId, minor(payment.amount, payment.currency));
      for (const memo of b.netsuite.creditMemos) add(received, memo.customerId, lineTotal(memo.lines, memo.currency));
      for (const [customerId, amount] of received) expect(amount, customerId).toBeLessThanOrEqual(invoiced.get(customerId) ?? 0n);
    }
  });
});
