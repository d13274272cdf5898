import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateBooks } from './index';
import type { GenerateBooksOptions } from './index';

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/** SHA-256 of `JSON.stringify(generateBooks(options))`, taken before credits, refunds and credit notes were generated. */
const BEFORE: [GenerateBooksOptions, string][] = [
  [{}, 'b81baaabdeccd64448e25bf368587b33f373b4decce770bdde9b744070b9b7fe'],
  [{ seed: 7, invoices: 1000 }, '99489f3ab3f4e453943cc2987aab63da081e95402a4a08caf6138d43755c385f'],
  [
    { seed: 'acme', customers: 31, invoices: 123, payments: 77, creditMemos: 9, invoiced: { customers: 7, invoices: 13, payments: 6 } },
    '65fc55ec14db19823a77c0a2f3cf3c655e5a7b44ced7e790833cb7ea78e0e7fa',
  ],
  [
    { seed: 3, customers: 2, invoices: 3, payments: 40, creditMemos: 10, invoiced: { customers: 1, invoices: 2, payments: 9 } },
    '82d38a566bdea1b35151165642228d3efcc2a25aafe74c537b7b80b0d42e67d2',
  ],
];

const NONE = { paymentCredits: 0, customerRefunds: 0 } as const;
const NONE_INVOICED = { creditNotes: 0, processedShare: 0, refunds: 0 } as const;

describe('generateBooks: books without the new records are unchanged', () => {
  it.each(BEFORE)('gives byte-identical books for %j', (options, hash) => {
    expect(hashOf(generateBooks(options))).toBe(hash);
    expect(hashOf(generateBooks({ ...options, ...NONE, invoiced: { ...options.invoiced, ...NONE_INVOICED } }))).toBe(hash);
  });

  it('adds no customerRefunds or creditNotes keys when there are none', () => {
    const books = generateBooks();
    expect('customerRefunds' in books.netsuite).toBe(false);
    expect('creditNotes' in books.invoiced).toBe(false);
    expect(books.netsuite.payments.some((payment) => 'credits' in payment)).toBe(false);
    expect(books.invoiced.payments.some((payment) => 'processed' in payment || 'refunds' in payment)).toBe(false);
  });
});
