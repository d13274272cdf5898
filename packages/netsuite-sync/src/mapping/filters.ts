/**
 * Which records a sync writes. The spec's edge cases: only non-draft Invoiced invoices updated since the
 * last sync are written (on the first sync, all of them); an invoice imported from NetSuite is never
 * written back, while payments received on Invoiced for it still are. Links carry the side a record was
 * created on (`origin`); a record is never written to its origin, so nothing echoes.
 */
import { MappingError } from './errors';

/** The fields of an Invoiced invoice the filter reads; an `InvoicedInvoice` fits. */
export interface InvoicedInvoiceFilterSource {
  readonly draft: boolean;
  readonly status?: string | null | undefined;
  readonly voided?: boolean | null | undefined;
  readonly created_at?: number | null | undefined;
  readonly updated_at?: number | null | undefined;
}

/** Whether an Invoiced invoice is written to NetSuite in this run, and if not, why. */
export type InvoiceEligibility = { readonly eligible: true } | { readonly eligible: false; readonly reason: 'draft' | 'voided' | 'not_changed' };

/** Options of {@link isEligibleInvoicedInvoice}. */
export interface EligibilityOptions {
  /** UNIX seconds of the last sync's cursor; `null` on the first sync (everything is eligible). */
  since: number | null;
}

/**
 * Whether an Invoiced invoice is written to NetSuite, with the reason when it is not: drafts never,
 * voided invoices not (voiding a linked invoice is the engine's own step), and otherwise only when
 * updated **strictly after** `since` (`updated_at`, or `created_at` for a never-updated invoice).
 * @example invoicedInvoiceEligibility({ draft: true }, { since: null }); // { eligible: false, reason: 'draft' }
 */
export function invoicedInvoiceEligibility(invoice: InvoicedInvoiceFilterSource, options: EligibilityOptions): InvoiceEligibility {
  if (invoice.draft) return { eligible: false, reason: 'draft' };
  if (invoice.status === 'voided' || invoice.voided === true) return { eligible: false, reason: 'voided' };
  const changedAt = invoice.updated_at ?? invoice.created_at;
  if (options.since !== null && typeof changedAt === 'number' && !(changedAt > options.since)) return { eligible: false, reason: 'not_changed' };
  return { eligible: true };
}

/**
 * Whether an Invoiced invoice is written to NetSuite: non-draft, not voided, and changed strictly after
 * `since` (`null` = first sync = every non-draft invoice). See {@link invoicedInvoiceEligibility} for the reason.
 * @example isEligibleInvoicedInvoice({ draft: false, status: 'sent', updated_at: 1_700_000_001 }, { since: 1_700_000_000 }) === true;
 */
export function isEligibleInvoicedInvoice(invoice: InvoicedInvoiceFilterSource, options: EligibilityOptions): boolean {
  return invoicedInvoiceEligibility(invoice, options).eligible;
}

/** The part of a link the guards read: the side the record was first created on. */
export interface LinkOrigin {
  readonly origin: 'netsuite' | 'invoiced';
}

/**
 * Whether a linked (or unlinked) record may be written to `side`: never to the side it came from.
 * @example shouldWriteToSide({ origin: 'netsuite' }, 'netsuite') === false; shouldWriteToSide(null, 'netsuite') === true;
 */
export function shouldWriteToSide(link: LinkOrigin | null | undefined, side: 'netsuite' | 'invoiced'): boolean {
  return link === null || link === undefined || link.origin !== side;
}

/**
 * The imported-invoice guard: an invoice that came from NetSuite (its link's origin is `netsuite`) is never
 * written back to NetSuite, even when it was changed on Invoiced. An unlinked invoice may be written.
 * @example shouldWriteInvoiceToNetSuite({ origin: 'netsuite' }) === false;
 */
export function shouldWriteInvoiceToNetSuite(link: LinkOrigin | null | undefined): boolean {
  return shouldWriteToSide(link, 'netsuite');
}

/**
 * Whether a payment is written to NetSuite: always, unless the **payment itself** came from NetSuite.
 * Pass the payment's link, not its invoice's: payments received on Invoiced for an invoice imported from
 * NetSuite are still written.
 * @example shouldWritePaymentToNetSuite(null) === true; shouldWritePaymentToNetSuite({ origin: 'netsuite' }) === false;
 */
export function shouldWritePaymentToNetSuite(paymentLink: LinkOrigin | null | undefined): boolean {
  return shouldWriteToSide(paymentLink, 'netsuite');
}

/**
 * Whether an invoice is written to Invoiced: not when it came from Invoiced.
 * @example shouldWriteInvoiceToInvoiced({ origin: 'invoiced' }) === false;
 */
export function shouldWriteInvoiceToInvoiced(link: LinkOrigin | null | undefined): boolean {
  return shouldWriteToSide(link, 'invoiced');
}

/**
 * Whether a payment is written to Invoiced: not when it came from Invoiced.
 * @example shouldWritePaymentToInvoiced({ origin: 'invoiced' }) === false;
 */
export function shouldWritePaymentToInvoiced(paymentLink: LinkOrigin | null | undefined): boolean {
  return shouldWriteToSide(paymentLink, 'invoiced');
}

function parseCursor(iso: string): number {
  const time = typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(time)) throw new MappingError('INVALID_CURSOR', `"${String(iso).slice(0, 40)}" is not an ISO 8601 datetime.`, 'Cursors are ISO 8601 datetimes such as 2026-01-02T03:04:05.000Z.');
  return time;
}

/**
 * A cursor moved back by the overlap window, as ISO 8601 UTC: incremental reads start a little before
 * the last run's start (clock skew, NetSuite comparing in the account's time zone, Invoiced's strict
 * `updated_after`), and records seen twice are recognized by their fingerprint.
 * @throws {MappingError} `INVALID_CURSOR` for a malformed datetime or a negative or non-finite overlap.
 * @example overlapCursor('2026-01-02T03:04:05.000Z', 300_000) === '2026-01-02T02:59:05.000Z';
 */
export function overlapCursor(iso: string, ms: number): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new MappingError('INVALID_CURSOR', `${String(ms)} is not an overlap in milliseconds.`, 'Use a non-negative number of milliseconds.');
  }
  return new Date(parseCursor(iso) - ms).toISOString();
}

/**
 * A cursor as whole UNIX seconds (rounded down), for Invoiced's `updated_after`.
 * @throws {MappingError} `INVALID_CURSOR`.
 * @example cursorToUnixSeconds('2026-01-02T03:04:05.900Z') === 1767323045;
 */
export function cursorToUnixSeconds(iso: string): number {
  return Math.floor(parseCursor(iso) / 1000);
}
