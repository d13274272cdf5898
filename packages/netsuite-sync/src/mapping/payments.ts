/**
 * NetSuite payments into Invoiced: a NetSuite customer payment becomes an Invoiced payment applied to the
 * linked invoices, the credit memos it applies as `credit_note` entries (the other way round is in
 * `payments-to-netsuite.ts`). Applications to invoices or credits that are not linked yet are left out of
 * the body and reported, so the engine can defer the payment.
 */
import { currencyCodeFromNetSuite, type NetSuiteCurrencyMap } from './currencies';
import { netsuiteIdOf } from './customers';
import { dateToUnixSeconds } from './dates';
import { MappingError, withRecord } from './errors';
import { field, flag, refId, text, type RecordLike } from './fields';
import { byDocument, checkApplied } from './applications';
import { splitCredits } from './payment-credits';
import { fromMinor, minorToNumber, sumMinor, toMinor } from './money';

/**
 * A NetSuite customer payment: a REST `customerPayment` record or a SuiteQL `transaction` row. Fields
 * read: `id`, `tranId`, `tranDate`, `currency`, `payment` (or `foreignTotal`), `paymentMethod`, `voided`,
 * and `apply.items` when no applications are passed separately.
 */
export type NetSuitePaymentSource = RecordLike;
/**
 * One application of a NetSuite payment: an `apply.items` entry (`doc`, `apply`, `amount`; entries with
 * `apply: false` are skipped) or a SuiteQL `NextTransactionLineLink` row (`previousDoc`, `foreignAmount`).
 */
export type NetSuiteApplicationSource = RecordLike;

/** An application of an Invoiced payment body: money to an invoice, or a credit note applied to one. */
export type InvoicedApplicationBody =
  | { type: 'invoice'; invoice: number; amount: number }
  | { type: 'credit_note'; credit_note: number; invoice: number; document_type: 'invoice'; amount: number };

/** The Invoiced payment body built from a NetSuite payment; fits the client's `payments.create`. */
export type InvoicedPaymentBody = {
  customer: number;
  amount: number;
  /** Lower case, as Invoiced writes it. */
  currency: string;
  date: number;
  method: string;
  /** `NS-PAY-<internal id>`: stable, and how the payment is found again (the API reference gives payments no metadata). */
  reference: string;
  notes?: string;
  applied_to: InvoicedApplicationBody[];
};

/** Options of {@link netsuitePaymentToInvoiced}. */
export interface NetSuitePaymentToInvoicedOptions {
  /** The Invoiced ID of the invoice linked to a NetSuite invoice, if it is linked. */
  invoicedInvoiceIdFor(netsuiteInvoiceId: string): string | undefined;
  /** Resolves NetSuite currency IDs to ISO codes; not needed when the record carries the code. */
  currencies?: NetSuiteCurrencyMap | undefined;
  /** Invoiced method by NetSuite payment method internal ID; anything else is `other`. */
  methods?: Readonly<Record<string, string>> | undefined;
  /** IANA time zone in which NetSuite dates are days. @default 'UTC' */
  timeZone?: string | undefined;
  /**
   * Whether a NetSuite invoice is outside the sync for good (closed before the first sync, say): what the
   * payment applies to it is left out of the Invoiced payment's amount, so that neither an invoice nor the
   * customer's credit on Invoiced is changed by money that settled an invoice Invoiced does not have.
   */
  outsideSync?: ((netsuiteInvoiceId: string) => boolean) | undefined;
  /**
   * The Invoiced ID of the credit note linked to a NetSuite credit memo the payment applies (its `credit`
   * sublist, or its links from `CustCred` transactions), if it is linked.
   */
  invoicedCreditNoteIdFor?: ((netsuiteCreditMemoId: string) => string | undefined) | undefined;
  /**
   * NetSuite customer refunds of the payment's unapplied amount (SuiteQL links from the payment to a
   * `CustRfnd`: `nextdoc`, `tranid`, `foreignamount`). What they refunded is left out of the Invoiced
   * payment's amount, so that the customer's credit on Invoiced is what NetSuite still holds.
   */
  refunds?: readonly RecordLike[] | undefined;
}

/** The mapping of a NetSuite payment. */
export interface NetSuitePaymentMapping {
  body: InvoicedPaymentBody;
  /** Applications left out because their NetSuite invoice is not linked to an Invoiced invoice yet. */
  missingInvoices: { netsuiteInvoiceId: string; amount: string }[];
  /** Applications to invoices outside the sync (`outsideSync`), left out of the amount and named in `notes`. */
  leftOut: { netsuiteInvoiceId: string; amount: string }[];
  /** Credit memos the payment applies whose credit note is not on Invoiced (the payment must wait for them). */
  missingCredits: { netsuiteCreditMemoId: string; amount: string }[];
  /** What stays as the payment's unapplied balance on Invoiced (decimal string), missing invoices included. */
  unapplied: string;
  /** The payment is voided in NetSuite. */
  voided: boolean;
}

/** Whether NetSuite voided a customer payment: `voided` is `'T'` (no status says it: they are A, R, B and C). */
export function isNetSuitePaymentVoided(payment: NetSuitePaymentSource): boolean {
  return flag(field(payment, 'voided')) === true;
}

/**
 * The Invoiced payment of a NetSuite customer payment: `amount`, `currency`, `date`, `method` (`other`
 * unless mapped), `reference: 'NS-PAY-<id>'`, and `applied_to` for each application whose invoice is
 * linked. What is not applied stays on the payment as its balance on Invoiced.
 * @throws {MappingError} `APPLIED_EXCEEDS_PAYMENT`, `UNKNOWN_CURRENCY`, `INVALID_DATE`, `AMOUNT_PRECISION`, `INVALID_RECORD`.
 * @example
 * const { body, missingInvoices } = netsuitePaymentToInvoiced(
 *   { id: '5001', tranId: 'PYMT-12', tranDate: '2026-04-02', currency: 'USD', payment: 250,
 *     apply: { items: [{ doc: { id: '901' }, apply: true, amount: 150 }, { doc: { id: '902' }, apply: true, amount: 100 }] } },
 *   undefined, 15444, { invoicedInvoiceIdFor: (id) => (id === '901' ? '46225' : undefined) });
 * // body.applied_to: [{ type: 'invoice', invoice: 46225, amount: 150 }]; missingInvoices: [{ netsuiteInvoiceId: '902', amount: '100.00' }]
 */
export function netsuitePaymentToInvoiced(
  payment: NetSuitePaymentSource,
  applications: readonly NetSuiteApplicationSource[] | undefined,
  customer: number,
  options: NetSuitePaymentToInvoicedOptions,
): NetSuitePaymentMapping {
  const id = netsuiteIdOf(payment, 'payment');
  const tranId = text(field(payment, 'tranId'));
  return withRecord('payment', tranId ?? id, () => {
    const label = `NetSuite payment ${tranId ?? id}`;
    const rawCurrency = field(payment, 'currency');
    if (rawCurrency === undefined) throw new MappingError('UNKNOWN_CURRENCY', `${label} has no currency.`, 'Read the payment with its currency field.');
    const currency = currencyCodeFromNetSuite(rawCurrency, options.currencies);
    const rawAmount = field(payment, 'payment', 'foreignTotal');
    if (rawAmount === undefined) throw new MappingError('INVALID_RECORD', `${label} has no amount.`, 'Read the payment with its payment (or foreigntotal) field.');
    const amount = toMinor(typeof rawAmount === 'string' ? rawAmount.replace(/^\s*-/, '') : Math.abs(rawAmount as number), currency); // SuiteQL may sign it
    const tranDate = text(field(payment, 'tranDate'));
    if (tranDate === undefined) throw new MappingError('INVALID_DATE', `${label} has no date.`, 'Read the payment with its tranDate field.');

    const sublist = field(payment, 'apply') as { items?: unknown } | undefined;
    const creditSublist = field(payment, 'credit') as { items?: unknown } | undefined;
    const source = applications ?? (Array.isArray(sublist?.items) ? (sublist.items as RecordLike[]) : []);
    const read = (entries: readonly RecordLike[], what: string) =>
      entries
        .filter((entry) => flag(field(entry, 'apply')) !== false)
        .map((entry) => {
          const doc = refId(field(entry, 'doc', 'previousDoc'));
          const value = field(entry, 'amount', 'foreignAmount');
          if (doc === undefined || value === undefined) throw new MappingError('INVALID_RECORD', `${label} has an application without ${what} or amount.`, 'Read applications with their doc and amount.');
          return { doc, amount: toMinor(value as number | string, currency) };
        });
    // A SuiteQL link from a credit memo (`previoustype` CustCred) is a credit the payment applies, not an invoice it pays.
    const isCredit = (entry: RecordLike) => text(field(entry, 'previousType')) === 'CustCred';
    const totals = byDocument(read(source.filter((entry) => !isCredit(entry)), 'an invoice'), currency);
    const creditEntries = applications === undefined ? (Array.isArray(creditSublist?.items) ? (creditSublist.items as RecordLike[]) : []) : source.filter(isCredit);
    const credits = byDocument(read(creditEntries, 'a credit memo'), currency);
    const creditTotal = sumMinor(credits.values());
    checkApplied(sumMinor(totals.values()), amount + creditTotal, currency, label);

    const invoicedIdOf = (doc: string): number | undefined => {
      const invoicedId = options.invoicedInvoiceIdFor(doc);
      if (invoicedId === undefined) return undefined;
      const invoice = Number(invoicedId);
      if (!Number.isSafeInteger(invoice) || invoice <= 0) throw new MappingError('INVALID_RECORD', `"${invoicedId}" is not an Invoiced invoice ID.`, 'Invoiced IDs are positive integers.');
      return invoice;
    };
    const split = splitCredits(totals, credits, (doc) => invoicedIdOf(doc) !== undefined, { label, currency });
    const appliedTo: InvoicedApplicationBody[] = [];
    const missingInvoices: NetSuitePaymentMapping['missingInvoices'] = [];
    const leftOut: NetSuitePaymentMapping['leftOut'] = [];
    const missingCredits: NetSuitePaymentMapping['missingCredits'] = [];
    let appliedMinor = 0n;
    let leftOutMinor = 0n;
    for (const [doc, applied] of totals) {
      const invoice = invoicedIdOf(doc);
      const cash = split.cash.get(doc) ?? 0n;
      if (invoice === undefined && options.outsideSync?.(doc) === true) {
        leftOut.push({ netsuiteInvoiceId: doc, amount: fromMinor(applied, currency) });
        leftOutMinor += cash;
      } else if (invoice === undefined) {
        missingInvoices.push({ netsuiteInvoiceId: doc, amount: fromMinor(applied, currency) });
      } else if (cash > 0n) {
        appliedTo.push({ type: 'invoice', invoice, amount: minorToNumber(cash, currency) });
        appliedMinor += cash;
      }
    }
    const missingCreditTotals = new Map<string, bigint>();
    for (const share of split.shares) {
      const invoice = invoicedIdOf(share.invoice);
      if (invoice === undefined) continue; // its invoice is waiting (reported) or outside the sync (left out)
      const creditNote = options.invoicedCreditNoteIdFor?.(share.credit);
      if (creditNote === undefined) {
        missingCreditTotals.set(share.credit, (missingCreditTotals.get(share.credit) ?? 0n) + share.amount);
        continue;
      }
      appliedTo.push({ type: 'credit_note', credit_note: Number(creditNote), invoice, document_type: 'invoice', amount: minorToNumber(share.amount, currency) });
    }
    for (const [doc, value] of missingCreditTotals) missingCredits.push({ netsuiteCreditMemoId: doc, amount: fromMinor(value, currency) });
    const refunds = (options.refunds ?? []).map((row) => ({ id: text(field(row, 'tranId')) ?? text(field(row, 'nextDoc')) ?? '?', amount: toMinor(field(row, 'foreignAmount') as number | string, currency) }));
    const refunded = sumMinor(refunds.map((refund) => refund.amount));
    if (amount - sumMinor(split.cash.values()) < refunded) {
      throw new MappingError('APPLIED_EXCEEDS_PAYMENT', `${label} refunds ${fromMinor(refunded, currency)} ${currency}, more than it has unapplied.`, 'Check the payment and its refunds in NetSuite, then retry it.');
    }
    const methodId = refId(field(payment, 'paymentMethod'));
    const body: InvoicedPaymentBody = {
      customer,
      amount: minorToNumber(amount - leftOutMinor - refunded, currency),
      currency: currency.toLowerCase(),
      date: dateToUnixSeconds(tranDate, options.timeZone),
      method: (methodId === undefined ? undefined : options.methods?.[methodId]) ?? 'other',
      reference: `NS-PAY-${id}`,
      applied_to: appliedTo,
    };
    const notes = [
      ...(tranId === undefined ? [] : [`NetSuite payment ${tranId}`]),
      ...(leftOut.length === 0
        ? []
        : [`of ${fromMinor(amount, currency)} ${currency}; ${leftOut.map((entry) => `${entry.amount} applied to NetSuite invoice ${entry.netsuiteInvoiceId}`).join(', ')}, not on Invoiced, left out`]),
      ...refunds.map((refund) => `(${fromMinor(refund.amount, currency)} refunded by NetSuite customer refund ${refund.id})`),
    ];
    if (notes.length > 0) body.notes = notes.join(' ');
    return {
      body,
      missingInvoices,
      leftOut,
      missingCredits,
      unapplied: fromMinor(amount - leftOutMinor - appliedMinor - refunded, currency),
      voided: isNetSuitePaymentVoided(payment),
    };
  });
}
