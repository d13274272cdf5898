/**
 * What the state checks share: the records, links and retry queue they read, grouped once, the record
 * error codes the books explain, and small comparisons.
 */
import type { RetryItem, SyncLink } from '../../src/index';
import type { Expectations } from './expectations';
import type { WorldLedger } from './ledger';
import { minor, nameKey, type Application, type InvoicedCreditNoteState, type InvoicedInvoiceState, type InvoicedPaymentState, type NetSuiteCreditMemoState, type NetSuiteCustomerState, type NetSuiteInvoiceState, type NetSuitePaymentState, type WorldState } from './state';

/** Codes of a record refused because its customer's name is shared (books-level duplicates and clashing customers). */
export const NAME_CODES: ReadonlySet<string> = new Set(['AMBIGUOUS_CUSTOMER', 'CUSTOMER_ALREADY_LINKED']);
/**
 * Codes of a record waiting on another: a payment on its customer, its invoices, or the credits it applies
 * (NetSuite credit memos not on Invoiced, Invoiced credit notes not in NetSuite); a credit memo's
 * applications on the invoices they go to; an Invoiced refund on its payment's NetSuite copy.
 */
export const WAIT_CODES: ReadonlySet<string> = new Set(['CUSTOMER_NOT_SYNCED', 'PAYMENT_INVOICES_NOT_SYNCED', 'PAYMENT_CREDITS_NOT_SYNCED', 'PAYMENT_CREDIT_NOTES_NOT_SYNCED', 'CREDIT_MEMO_INVOICES_NOT_SYNCED', 'REFUND_PAYMENT_NOT_SYNCED']);
/**
 * The codes of {@link WAIT_CODES} a record may wait with though it is linked: its counterpart is written,
 * and what it applies waits (a credit memo is linked before its applications are written; a payment
 * written before it applied a credit that is not on the other side yet).
 */
export const LINKED_WAIT_CODES: ReadonlySet<string> = new Set(['PAYMENT_CREDITS_NOT_SYNCED', 'PAYMENT_CREDIT_NOTES_NOT_SYNCED', 'CREDIT_MEMO_INVOICES_NOT_SYNCED']);
/**
 * An Invoiced invoice NetSuite refuses to write: its NetSuite copy has payments applied, and NetSuite does
 * not change such an invoice's customer or currency, nor cut its total below what is paid.
 */
export const REFUSED_CODE = 'INVOICE_REFUSED_BY_NETSUITE';
/**
 * An Invoiced payment NetSuite refuses to apply: an invoice it pays was paid in NetSuite meanwhile, so
 * its amount due there is less than the payment applies to it, or a credit memo it applies was applied in
 * NetSuite meanwhile, so less of it remains there than the payment applies (a double payment or a credit
 * used twice, which a person must sort out).
 */
export const PAYMENT_REFUSED_CODE = 'PAYMENT_REFUSED_BY_NETSUITE';
/** An Invoiced credit note NetSuite refuses to write: its credit memo is applied, and NetSuite does not change it so. */
export const CREDIT_NOTE_REFUSED_CODE = 'CREDIT_NOTE_REFUSED_BY_NETSUITE';
/**
 * A NetSuite credit memo (imported, or one the sync wrote that a person applied in NetSuite) whose NetSuite
 * applications Invoiced refuses to apply by the payment of 0 (`NS-CM-<id>`): the credit was used on Invoiced
 * too (an Invoiced payment applies the credit note), so its balance there is less than NetSuite applied.
 */
export const CREDIT_APPLICATION_REFUSED_CODE = 'CREDIT_APPLICATION_REFUSED';
/** A credit memo voided in NetSuite whose credit note Invoiced refuses to void: a payment on Invoiced still applies it. */
export const CREDIT_NOTE_VOID_REFUSED_CODE = 'CREDIT_NOTE_VOID_REFUSED';
/** The codes of a credit used twice, in NetSuite and on Invoiced, that the credit memo's record reports. */
export const DOUBLE_CREDIT_CODES: ReadonlySet<string> = new Set([CREDIT_APPLICATION_REFUSED_CODE, CREDIT_NOTE_VOID_REFUSED_CODE]);
/** An Invoiced payment that applies the customer's credit balance (`applied_credit`), which names no NetSuite document. */
export const APPLIED_CREDIT_CODE = 'APPLIED_CREDIT_NOT_SUPPORTED';
/**
 * A NetSuite credit memo with the sync's external ID (`invd-cn-<n>`) that no Invoiced credit note is linked
 * to, applied to invoices on Invoiced: its applications cannot be followed, a person must act.
 */
export const NOT_LINKED_CODE = 'CREDIT_MEMO_NOT_LINKED';
/**
 * An Invoiced refund NetSuite refuses: the NetSuite copy of its payment has less unapplied than the refund
 * (Invoiced keeps a refunded payment applied), the expected outcome for a refund of a payment applied in full.
 */
export const REFUND_REFUSED_CODE = 'REFUND_REFUSED_BY_NETSUITE';
/**
 * Codes of a record error a person must act on, which the changing world can cause (docs/sync-engine.md):
 * a void or deletion one service refuses because of what is applied on the other side, an invoice
 * NetSuite will not change for the same reason, or a payment NetSuite will not apply to an invoice paid there.
 */
export const PERSON_CODES: ReadonlySet<string> = new Set([
  'INVOICE_VOIDED_ON_INVOICED',
  'PAYMENT_VOIDED_ON_INVOICED',
  'CREDIT_NOTE_VOIDED_ON_INVOICED',
  'VOID_AFTER_DELETE_FAILED',
  'DELETED_IN_NETSUITE',
  REFUSED_CODE,
  CREDIT_NOTE_REFUSED_CODE,
  PAYMENT_REFUSED_CODE,
  APPLIED_CREDIT_CODE,
  NOT_LINKED_CODE,
  REFUND_REFUSED_CODE,
  'REFUND_VOIDED_ON_INVOICED',
  CREDIT_APPLICATION_REFUSED_CODE,
  CREDIT_NOTE_VOID_REFUSED_CODE,
]);
/** The codes of {@link PERSON_CODES} that explain a void or deletion not followed (a refused payment, refund or credit application, one applying a credit balance, or an unlinked credit memo does not). */
export const VOID_CODES: ReadonlySet<string> = new Set([...PERSON_CODES].filter((code) => code !== PAYMENT_REFUSED_CODE && code !== APPLIED_CREDIT_CODE && code !== NOT_LINKED_CODE && code !== REFUND_REFUSED_CODE && code !== CREDIT_APPLICATION_REFUSED_CODE));

export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === undefined) continue;
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [item]);
    else group.push(item);
  }
  return groups;
}

export function sameLines(a: readonly number[], b: readonly number[], currency: string): boolean {
  const sorted = (lines: readonly number[]) => lines.map((line) => minor(line, currency)).sort((x, y) => x - y);
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

export function applicationKey(applications: readonly Application[], currency: string): string {
  return JSON.stringify(applications.map((application) => `${application.invoice}:${minor(application.amount, currency)}`).sort());
}

/** Links of one kind by each side's ID (the first of each, duplicates reported separately). */
export class LinkIndex {
  readonly byNetSuite = new Map<string, SyncLink>();
  readonly byInvoiced = new Map<string, SyncLink>();
  readonly duplicates: string[] = [];
  constructor(
    readonly kind: string,
    readonly links: readonly SyncLink[],
  ) {
    for (const link of links) {
      if (this.byNetSuite.has(link.netsuiteId)) this.duplicates.push(`NetSuite ${kind} ${link.netsuiteId} has two links`);
      if (this.byInvoiced.has(link.invoicedId)) this.duplicates.push(`Invoiced ${kind} ${link.invoicedId} has two links`);
      this.byNetSuite.set(link.netsuiteId, link);
      this.byInvoiced.set(link.invoicedId, link);
    }
  }
}

/** Everything one state check reads. */
export interface CheckInput {
  readonly now: WorldState;
  readonly ledger: WorldLedger;
  readonly expected: Expectations;
  readonly customerLinks: LinkIndex;
  readonly invoiceLinks: LinkIndex;
  readonly paymentLinks: LinkIndex;
  readonly creditNoteLinks: LinkIndex;
  /** Pending retry items by key. */
  readonly pending: ReadonlyMap<string, RetryItem>;
  /** `strict` after the runs converged: a payment may only still wait on something missing. */
  readonly strict: boolean;
  readonly ivdInvoicesByNetSuiteId: ReadonlyMap<string, InvoicedInvoiceState[]>;
  readonly ivdPaymentsByReference: ReadonlyMap<string, InvoicedPaymentState[]>;
  readonly nsInvoicesByExternalId: ReadonlyMap<string, NetSuiteInvoiceState[]>;
  readonly nsPaymentsByExternalId: ReadonlyMap<string, NetSuitePaymentState[]>;
  readonly nsCustomersByExternalId: ReadonlyMap<string, NetSuiteCustomerState[]>;
  readonly ivdCreditNotesByNetSuiteId: ReadonlyMap<string, InvoicedCreditNoteState[]>;
  readonly nsCreditMemosByExternalId: ReadonlyMap<string, NetSuiteCreditMemoState[]>;
  /** Lower-case currency of a NetSuite transaction. */
  readonly nsCurrency: (id: string) => string;
  readonly fail: (message: string) => void;
  /**
   * A record missing on the other side is allowed only with a pending record error whose code the books
   * explain and, when `reason` says what would make the wait wrong, only if it does not. `true` when it is.
   */
  readonly justify: (key: string, what: string, codes: ReadonlySet<string>, reason: () => string | undefined) => boolean;
  /** Whether a customer name is shared by two customers on one side. */
  readonly collides: (name: string | undefined) => boolean;
  /** Keys (`direction:entity:sourceId`) of records missing for a reason the books explain. */
  readonly justified: Set<string>;
}

/** The check input of a state, with `fail` collecting into `violations`. */
export function checkInput(parts: Omit<CheckInput, 'fail' | 'justify' | 'collides' | 'justified' | 'ivdInvoicesByNetSuiteId' | 'ivdPaymentsByReference' | 'nsInvoicesByExternalId' | 'nsPaymentsByExternalId' | 'nsCustomersByExternalId' | 'ivdCreditNotesByNetSuiteId' | 'nsCreditMemosByExternalId' | 'nsCurrency'>, violations: string[], currencies: ReadonlyMap<string, string>): CheckInput {
  const { now, pending, expected } = parts;
  const fail = (message: string) => void violations.push(message);
  const justified = new Set<string>();
  const justify = (key: string, what: string, codes: ReadonlySet<string>, reason: () => string | undefined): boolean => {
    const item = pending.get(key);
    if (item === undefined) {
      fail(`${what} is missing on the other side, and no record error says why`);
      return false;
    }
    if (!codes.has(item.lastError.code)) {
      fail(`${what} is missing on the other side with ${item.lastError.code}, which the books do not explain: ${item.lastError.message}`);
      return false;
    }
    const unexplained = reason();
    if (unexplained !== undefined) {
      fail(`${what} is missing with ${item.lastError.code} (${item.lastError.message}), but ${unexplained}`);
      return false;
    }
    justified.add(key);
    return true;
  };
  return {
    ...parts,
    fail,
    justify,
    justified,
    collides: (name) => name !== undefined && expected.collidingNames.has(nameKey(name)),
    ivdInvoicesByNetSuiteId: groupBy(now.invoiced.invoices.values(), (invoice) => invoice.netsuiteId),
    ivdPaymentsByReference: groupBy(now.invoiced.payments.values(), (payment) => payment.reference),
    nsInvoicesByExternalId: groupBy(now.netsuite.invoices.values(), (invoice) => invoice.externalId),
    nsPaymentsByExternalId: groupBy(now.netsuite.payments.values(), (payment) => payment.externalId),
    nsCustomersByExternalId: groupBy(now.netsuite.customers.values(), (customer) => customer.externalId),
    ivdCreditNotesByNetSuiteId: groupBy(now.invoiced.creditNotes.values(), (note) => note.netsuiteId),
    nsCreditMemosByExternalId: groupBy(now.netsuite.creditMemos.values(), (memo) => memo.externalId),
    nsCurrency: (id) => currencies.get(id) ?? 'usd',
  };
}
