import { describe, expect, it } from 'vitest';
import { generateBooks } from './index';
import { DAY_MS, dayOf, invoiceById, ns } from './test-support';

describe('generateBooks: dates', () => {
  const transactions = [...ns.invoices, ...ns.payments, ...ns.creditMemos];

  it('dates transactions within the window and invoices due 15, 30, 45 or 60 days later', () => {
    const start = dayOf('2026-01-01');
    for (const record of transactions) {
      expect(record.tranDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const offset = (dayOf(record.tranDate) - start) / DAY_MS;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(300);
    }
    for (const invoice of ns.invoices) expect([15, 30, 45, 60]).toContain((dayOf(invoice.dueDate) - dayOf(invoice.tranDate)) / DAY_MS);
  });

  it('honours startDate and days', () => {
    const b = generateBooks({ startDate: '2025-03-10', days: 5 });
    const dates = new Set(b.netsuite.invoices.map((invoice) => invoice.tranDate));
    expect([...dates].sort()).toEqual(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
  });

  it('keeps every lastModifiedDate an ISO UTC time before now and not before the tranDate', () => {
    const now = Date.parse('2026-11-01T00:00:00Z');
    for (const record of [...ns.customers, ...transactions]) {
      expect(record.lastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(record.lastModifiedDate)).toBeLessThan(now);
    }
    for (const record of transactions) expect(Date.parse(record.lastModifiedDate)).toBeGreaterThanOrEqual(dayOf(record.tranDate));
  });

  it('modifies an invoice no earlier than the payments and credit memos applied to it', () => {
    for (const record of [...ns.payments, ...ns.creditMemos]) {
      for (const application of record.applications) {
        expect(invoiceById.get(application.invoiceId)!.lastModifiedDate >= record.lastModifiedDate).toBe(true);
      }
    }
  });

  it('never puts lastModifiedDate in the future of an earlier now', () => {
    const now = '2026-06-01T00:00:00Z';
    const b = generateBooks({ now });
    const records = [...b.netsuite.customers, ...b.netsuite.invoices, ...b.netsuite.payments, ...b.netsuite.creditMemos];
    for (const record of records) expect(Date.parse(record.lastModifiedDate)).toBeLessThan(Date.parse(now));
  });

  it('moves lastModifiedDate forward with tranDate', () => {
    const byMonth = new Map<string, number[]>();
    for (const invoice of ns.invoices) {
      const month = invoice.tranDate.slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), Date.parse(invoice.lastModifiedDate)]);
    }
    const medians = [...byMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, values]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
    for (let index = 1; index < medians.length; index += 1) expect(medians[index]!).toBeGreaterThan(medians[index - 1]!);
  });
});
