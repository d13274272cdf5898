/**
 * The options of `generateBooks()`, checked and resolved once into the {@link GenerationContext} every part
 * of the generator reads.
 */
import { createRandom } from '../random';
import type { Random } from '../random';
import { createDayText, parseDay } from './calendar';

/** Options of `generateBooks()`. Every count must be a non-negative integer. */
export interface GenerateBooksOptions {
  /** Seed of all randomness; a string is hashed. Default 1. */
  seed?: number | string;
  /** NetSuite customers. Default 50. */
  customers?: number;
  /** NetSuite invoices. Default 200. */
  invoices?: number;
  /** NetSuite customer payments. Default 100. */
  payments?: number;
  /** NetSuite credit memos. Default 10. */
  creditMemos?: number;
  /** ISO currency codes (upper-cased); the first is the parent subsidiary's. Default USD, EUR, GBP, JPY. */
  currencies?: string[];
  /** Earliest tranDate, `YYYY-MM-DD`. Default `2026-01-01`. */
  startDate?: string;
  /** tranDates fall within `days` days from `startDate`. Default 300. */
  days?: number;
  /** ISO datetime every `lastModifiedDate` is before. Default `2026-11-01T00:00:00Z`. */
  now?: string;
  /**
   * Records created on Invoiced: customers (default 10), invoices (default 20), payments (default 10), and
   * the share of invoices that are drafts (default 0.25; exactly `Math.round(invoices * draftRatio)`).
   */
  invoiced?: { customers?: number; invoices?: number; payments?: number; draftRatio?: number };
}

/** The resolved options shared by every step of a generation. */
export interface GenerationContext {
  /** Root of all randomness: each step forks its own generator by label, so steps do not shift each other. */
  root: Random;
  customerCount: number;
  invoiceCount: number;
  paymentCount: number;
  creditMemoCount: number;
  /** Length of the window, at least 1. */
  days: number;
  /** Midnight UTC of the first day of the window. */
  startMs: number;
  /** Upper-cased ISO codes, at least one, none repeated. */
  currencies: string[];
  /** `YYYY-MM-DD` of day `day` of the window. */
  dayText: (day: number) => string;
  /** A modification time kept at least one second before `now`. */
  beforeNow: (ms: number) => number;
}

/** The resolved `invoiced` option. */
export interface InvoicedCounts {
  customers: number;
  invoices: number;
  payments: number;
  draftRatio: number;
}

function count(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 0) throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  return result;
}

/** Checks the options (all but `invoiced`) and applies their defaults; a RangeError names the first bad one. */
export function createContext(options: GenerateBooksOptions): GenerationContext {
  const root = createRandom(options.seed ?? 1);
  const customerCount = count(options.customers, 50, 'customers');
  const invoiceCount = count(options.invoices, 200, 'invoices');
  const paymentCount = count(options.payments, 100, 'payments');
  const creditMemoCount = count(options.creditMemos, 10, 'creditMemos');
  const days = count(options.days, 300, 'days');
  if (days < 1) throw new RangeError('days must be at least 1');
  const startMs = parseDay(options.startDate ?? '2026-01-01');
  const nowText = options.now ?? '2026-11-01T00:00:00Z';
  const nowMs = Date.parse(nowText);
  if (Number.isNaN(nowMs)) throw new RangeError(`now must be an ISO datetime, got ${nowText}`);
  const currencies = (options.currencies ?? ['USD', 'EUR', 'GBP', 'JPY']).map((code) => code.toUpperCase());
  if (currencies.length === 0) throw new RangeError('currencies must not be empty');
  for (const code of currencies) if (!/^[A-Z]{3}$/.test(code)) throw new RangeError(`Not an ISO currency code: ${code}`);
  if (new Set(currencies).size !== currencies.length) throw new RangeError('currencies must not repeat');
  if (customerCount === 0 && invoiceCount + paymentCount + creditMemoCount > 0) {
    throw new RangeError('transactions need at least one customer');
  }
  const latestMs = nowMs - 1000;
  return {
    root,
    customerCount,
    invoiceCount,
    paymentCount,
    creditMemoCount,
    days,
    startMs,
    currencies,
    dayText: createDayText(startMs),
    beforeNow: (ms) => Math.min(ms, latestMs),
  };
}

/** Checks the `invoiced` option and applies its defaults. */
export function resolveInvoicedCounts(option: GenerateBooksOptions['invoiced']): InvoicedCounts {
  const sizes = option ?? {};
  const customers = count(sizes.customers, 10, 'invoiced.customers');
  const invoices = count(sizes.invoices, 20, 'invoiced.invoices');
  const payments = count(sizes.payments, 10, 'invoiced.payments');
  const draftRatio = sizes.draftRatio ?? 0.25;
  if (!(draftRatio >= 0 && draftRatio <= 1)) throw new RangeError(`invoiced.draftRatio must be within [0, 1], got ${draftRatio}`);
  if (customers === 0 && invoices + payments > 0) throw new RangeError('Invoiced records need at least one Invoiced customer');
  return { customers, invoices, payments, draftRatio };
}
