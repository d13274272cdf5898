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
  /**
   * Share of the NetSuite payments, within [0, 1], that also apply an open credit memo of their customer (the
   * `credit` sublist): `Math.round(payments * paymentCredits)` of them, as far as credit memos with credit left,
   * dated on or before the payment, allow. Default 0.
   */
  paymentCredits?: number;
  /**
   * NetSuite customer refunds of credit memos' remaining credit or payments' unapplied cash (in full or in
   * part; one in twenty voided), as long as any is left to refund. Default 0.
   */
  customerRefunds?: number;
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
   * the share of invoices that are drafts (default 0.25; exactly `Math.round(invoices * draftRatio)`); see
   * {@link InvoicedBooksOptions} for credit notes, processed payments and refunds.
   */
  invoiced?: InvoicedBooksOptions;
}

/** The `invoiced` option of `generateBooks()`. */
export interface InvoicedBooksOptions {
  customers?: number;
  invoices?: number;
  /** Cash payments (the zero-amount payments that apply credit notes come on top). */
  payments?: number;
  draftRatio?: number;
  /**
   * Credit notes: one in five a draft; the others in turn applied to an invoice by a payment of 0 (added
   * after the cash payments), applied inside a cash payment, and left open, as far as open invoices allow.
   * Default 0.
   */
  creditNotes?: number;
  /**
   * Share of the cash payments, within [0, 1], that are processed (a card or ACH charge taken through
   * Invoiced): exactly `Math.round(payments * processedShare)`. Default 0.
   */
  processedShare?: number;
  /** Refunds of processed payments' charges, in part or in full, as long as any charge has something left. Default 0. */
  refunds?: number;
}

/** The resolved options shared by every step of a generation. */
export interface GenerationContext {
  /** Root of all randomness: each step forks its own generator by label, so steps do not shift each other. */
  root: Random;
  customerCount: number;
  invoiceCount: number;
  paymentCount: number;
  creditMemoCount: number;
  /** Share of payments that also apply credit memos, within [0, 1]. */
  paymentCreditShare: number;
  customerRefundCount: number;
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
  creditNotes: number;
  processedShare: number;
  refunds: number;
}

function share(value: number | undefined, name: string): number {
  const result = value ?? 0;
  if (!(result >= 0 && result <= 1)) throw new RangeError(`${name} must be within [0, 1], got ${String(value)}`);
  return result;
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
  const paymentCreditShare = share(options.paymentCredits, 'paymentCredits');
  const customerRefundCount = count(options.customerRefunds, 0, 'customerRefunds');
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
    paymentCreditShare,
    customerRefundCount,
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
  const creditNotes = count(sizes.creditNotes, 0, 'invoiced.creditNotes');
  const processedShare = share(sizes.processedShare, 'invoiced.processedShare');
  const refunds = count(sizes.refunds, 0, 'invoiced.refunds');
  if (customers === 0 && invoices + payments + creditNotes > 0) throw new RangeError('Invoiced records need at least one Invoiced customer');
  return { customers, invoices, payments, draftRatio, creditNotes, processedShare, refunds };
}
