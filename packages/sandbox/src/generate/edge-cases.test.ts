import { describe, expect, it } from 'vitest';
import { generateBooks } from './index';
import { books, displayName, edgeCases, ns } from './test-support';

describe('generateBooks: edge cases', () => {
  const cases = Object.entries(edgeCases(books));

  it.each(cases)('has %s with the default options', (_name, present) => {
    expect(present).toBe(true);
  });

  it.each([2, 3, 99, 'another seed'])('has every edge case for seed %s too', (seed) => {
    const missing = Object.entries(edgeCases(generateBooks({ seed })))
      .filter(([, present]) => !present)
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('names the NFC / NFD pair and the case pair exactly as the spec does', () => {
    const names = ns.customers.map(displayName);
    const cafe = 'Caf\u00e9 N\u00f6el';
    expect(names).toContain(cafe);
    expect(names).toContain(cafe.normalize('NFD'));
    expect(cafe.normalize('NFD')).not.toBe(cafe);
    expect(names.filter((name) => name.toLowerCase() === 'acme corp').sort()).toEqual(['ACME Corp', 'Acme Corp']);
  });

  it('gives person customers a first and last name and no company name', () => {
    const persons = ns.customers.filter((customer) => customer.isPerson);
    expect(persons.length).toBeGreaterThan(0);
    for (const person of persons) {
      expect(person.companyName).toBeUndefined();
      expect(person.firstName).toMatch(/\S/);
      expect(person.lastName).toMatch(/\S/);
    }
    for (const company of ns.customers.filter((customer) => !customer.isPerson)) {
      expect(company.companyName).toMatch(/\S/);
      expect(company.firstName).toBeUndefined();
    }
  });

  it('collides names only where intended', () => {
    const b = generateBooks({ seed: 11, customers: 2000, invoices: 2000, payments: 0, creditMemos: 0 });
    const groups = new Map<string, string[]>();
    for (const customer of b.netsuite.customers) {
      const key = displayName(customer).normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
      groups.set(key, [...(groups.get(key) ?? []), displayName(customer)]);
    }
    const collisions = [...groups.values()].filter((names) => names.length > 1);
    // per block of 25: one NFC/NFD pair, one case pair, one exact duplicate pair
    expect(collisions).toHaveLength((2000 / 25) * 3);
    for (const names of collisions) expect(names).toHaveLength(2);
    expect(collisions.filter(([a, b2]) => a === b2)).toHaveLength(2000 / 25);
  });

  it('keeps the edge cases at a stable proportion for larger books', () => {
    const b = generateBooks({ seed: 3, customers: 1000, invoices: 8000, payments: 4000, creditMemos: 400 });
    const near = (actual: number, expected: number, tolerance: number) => {
      expect(actual).toBeGreaterThanOrEqual(expected * (1 - tolerance));
      expect(actual).toBeLessThanOrEqual(expected * (1 + tolerance));
    };
    const { customers, invoices, payments, creditMemos } = b.netsuite;
    near(customers.filter((c) => c.isInactive).length, 1000 / 25, 0.01);
    near(customers.filter((c) => c.companyName?.includes("'")).length, 1000 / 25, 0.01);
    near(customers.filter((c) => c.isPerson).length, 1000 * 0.14, 0.35);
    near(invoices.filter((i) => i.voided).length, 8000 / 40, 0.01);
    // copies of Invoiced invoices: one in ten at most, as many as the Invoiced books have to copy
    expect(invoices.filter((i) => i.externalId).length).toBeGreaterThan(0);
    expect(invoices.filter((i) => i.externalId).length).toBeLessThanOrEqual(b.invoiced.invoices.length);
    near(invoices.filter((i) => i.lines.some((line) => line.rate.startsWith('-'))).length, 8000 / 5, 0.02);
    near(payments.filter((p) => p.voided).length, 4000 / 40, 0.01);
    near(payments.filter((p) => p.undepFunds).length, 4000 / 3, 0.01);
    near(payments.filter((p) => p.applications.length >= 2).length, 4000 * 0.2, 0.25);
    near(creditMemos.filter((m) => m.applications.length >= 2).length, 400 / 4, 0.25);
  });
});
