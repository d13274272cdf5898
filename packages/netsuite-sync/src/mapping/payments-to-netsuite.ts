/**
 * Invoiced payments into NetSuite: the body of an upsert of a customer payment by external ID
 * `invd-pay-<id>`, applied to the linked NetSuite invoices and deposited by the payment account rules.
 * Credit notes the payment applies become its `credit` lines (the linked credit memos), and what they give
 * each invoice is added to that invoice's `apply` line, as NetSuite applies credits and cash together.
 */
import { netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { externalIdFor } from './customers';
import { unixSecondsToDate } from './dates';
import { MappingError, withRecord } from './errors';
import { text } from './fields';
import { byDocument, checkApplied } from './applications';
import { fromMinor, minorToNumber, normalizeCurrencyCode, sumMinor, toMinor } from './money';
import { resolvePaymentAccount, type PaymentAccountRule } from './rules';

/** The fields of an Invoiced payment written to NetSuite; an `InvoicedPayment` fits. */
export interface InvoicedPaymentSource {
  readonly id: number;
  readonly currency: string;
  readonly amount: number;
  readonly date: number;
  readonly method?: string | null | undefined;
  readonly reference?: string | null | undefined;
  readonly voided?: boolean | undefined;
  readonly applied_to?:
    | readonly { readonly type: string; readonly invoice?: number | null | undefined; readonly credit_note?: number | null | undefined; readonly amount: number }[]
    | undefined;
}

/** A NetSuite invoice linked to an Invoiced invoice. */
export interface LinkedNetSuiteInvoice {
  /** NetSuite internal ID. */
  readonly id: string;
  /** ISO code of the invoice's currency, when known: a payment in another currency is refused. */
  readonly currency?: string | undefined;
}

/** Settings of {@link invoicedPaymentToNetSuite}. */
export interface InvoicedPaymentToNetSuiteSettings {
  /** The NetSuite invoice linked to an Invoiced invoice, if it is linked. */
  netsuiteInvoiceFor(invoicedInvoiceId: string): LinkedNetSuiteInvoice | undefined;
  /** The NetSuite credit memo linked to an Invoiced credit note the payment applies, if it is linked. */
  netsuiteCreditMemoFor?: ((invoicedCreditNoteId: string) => { readonly id: string } | undefined) | undefined;
  /** Where payments are deposited. */
  accountRules: readonly PaymentAccountRule[];
  /** ISO code -> NetSuite currency ID. Without it the currency is left to NetSuite (the customer's). */
  currencies?: NetSuiteCurrencyMap | undefined;
  /** IANA time zone in which dates are days. @default 'UTC' */
  timeZone?: string | undefined;
}

/** The NetSuite customer payment body built from an Invoiced payment; fits `records.upsert('customerPayment', ...)`. */
export type NetSuitePaymentBody = {
  externalId: string;
  customer: { id: string };
  payment: number;
  tranDate: string;
  currency?: { id: string };
  undepFunds: { id: 'T' | 'F' };
  account?: { id: string };
  memo?: string;
  apply: { items: { doc: { id: string }; apply: true; amount: number }[] };
  /** The credit memos the payment applies (Invoiced credit notes applied in it), when there are any. */
  credit?: { items: { doc: { id: string }; apply: true; amount: number }[] };
};

/** The mapping of an Invoiced payment. */
export interface InvoicedPaymentMapping {
  body: NetSuitePaymentBody;
  /** Applications left out because their Invoiced invoice is not linked to a NetSuite invoice yet. */
  missingInvoices: { invoicedInvoiceId: string; amount: string }[];
  /** Credit notes applied in the payment that are not linked to a NetSuite credit memo yet. */
  missingCreditNotes: { invoicedCreditNoteId: string; amount: string }[];
  /**
   * Applications NetSuite has no counterpart for: `applied_credit` (the customer's credit balance on
   * Invoiced, which names no document). The engine reports the payment.
   */
  unsupported: { type: string; amount: string }[];
  /** What stays unapplied on the NetSuite payment (decimal string), missing invoices included. */
  unapplied: string;
  /** The payment is voided on Invoiced. */
  voided: boolean;
}

/**
 * The NetSuite customer payment of an Invoiced payment, for an upsert by `externalId: 'invd-pay-<id>'`:
 * `payment` = the amount, `tranDate`, `currency`, the account from the rules (the radio `undepFunds`, an
 * object in the REST schema: `{ id: 'T' }` Undeposited Funds, or `{ id: 'F' }` and `account`), `memo` = the reference, and one `apply` line per linked invoice
 * (`type: 'invoice'` money, plus what credit notes applied in it give the invoice), and one `credit` line
 * per credit memo linked to a credit note it applies. `applied_credit` entries are returned in
 * `unsupported`: NetSuite has no document for an Invoiced credit balance.
 * @throws {MappingError} `CURRENCY_MISMATCH` when a linked invoice is in another currency;
 * `NO_PAYMENT_ACCOUNT`, `APPLIED_EXCEEDS_PAYMENT`, `UNKNOWN_CURRENCY`, `AMOUNT_PRECISION`...
 * @example
 * invoicedPaymentToNetSuite(payment, '7', {
 *   netsuiteInvoiceFor: (id) => (id === '46225' ? { id: '901', currency: 'USD' } : undefined),
 *   accountRules: [{ currency: '*', method: '*', account: 'undeposited' }],
 * }); // { body: { externalId: 'invd-pay-20', customer: { id: '7' }, undepFunds: { id: 'T' }, apply: { items: [...] }, ... }, missingInvoices: [], ... }
 */
export function invoicedPaymentToNetSuite(payment: InvoicedPaymentSource, customer: string, settings: InvoicedPaymentToNetSuiteSettings): InvoicedPaymentMapping {
  const reference = text(payment.reference);
  return withRecord('payment', reference ?? String(payment.id), () => {
    const externalId = externalIdFor('pay', payment.id);
    const currency = normalizeCurrencyCode(payment.currency);
    const label = `Payment ${reference ?? payment.id}`;
    const amount = toMinor(payment.amount, currency);
    // A missing applied_to means Invoiced was not asked for it, not that the payment is applied to nothing.
    if (payment.applied_to === undefined) {
      throw new MappingError(
        'PAYMENT_APPLICATIONS_UNKNOWN',
        `${label}: it was read without its applications (no applied_to).`,
        'Read the payment with include=applied_to (client.payments always asks for it), then map it again.',
      );
    }
    const applications = payment.applied_to;
    const entries = applications
      .filter((entry) => entry.type === 'invoice' && typeof entry.invoice === 'number')
      .map((entry) => ({ doc: String(entry.invoice), amount: toMinor(entry.amount, currency) }));
    const cashTotals = byDocument(entries, currency);
    checkApplied(sumMinor(cashTotals.values()), amount, currency, label);
    // A credit note applied to an invoice: NetSuite's payment applies the credit memo (`credit`) and gives
    // the invoice that much more in its `apply` line.
    const creditEntries = applications
      .filter((entry) => entry.type === 'credit_note' && typeof entry.credit_note === 'number' && typeof entry.invoice === 'number')
      .map((entry) => ({ creditNote: String(entry.credit_note), invoice: String(entry.invoice), amount: toMinor(entry.amount, currency) }));
    const unsupported = applications
      .filter((entry) => entry.type === 'applied_credit' && entry.amount !== 0)
      .map((entry) => ({ type: entry.type, amount: fromMinor(toMinor(entry.amount, currency), currency) }));
    const totals = byDocument([...entries, ...creditEntries.map((entry) => ({ doc: entry.invoice, amount: entry.amount }))], currency);
    const creditTotals = byDocument(creditEntries.map((entry) => ({ doc: entry.creditNote, amount: entry.amount })), currency);

    const items: NetSuitePaymentBody['apply']['items'] = [];
    const missingInvoices: InvoicedPaymentMapping['missingInvoices'] = [];
    let applied = 0n;
    for (const [invoicedId, value] of totals) {
      const linked = settings.netsuiteInvoiceFor(invoicedId);
      if (linked === undefined) {
        missingInvoices.push({ invoicedInvoiceId: invoicedId, amount: fromMinor(value, currency) });
        continue;
      }
      if (linked.currency !== undefined && normalizeCurrencyCode(linked.currency) !== currency) {
        const invoiceCurrency = normalizeCurrencyCode(linked.currency);
        throw new MappingError(
          'CURRENCY_MISMATCH',
          `${label} is in ${currency} but invoice ${invoicedId} (NetSuite ${linked.id}) is in ${invoiceCurrency}.`,
          'NetSuite applies a payment only to invoices in its currency. Record the payment in the invoice currency on Invoiced, then retry it.',
          undefined,
          { details: { paymentCurrency: currency, invoiceCurrency, invoice: invoicedId } },
        );
      }
      items.push({ doc: { id: linked.id }, apply: true, amount: minorToNumber(value, currency) });
      applied += cashTotals.get(invoicedId) ?? 0n;
    }
    const credits: NonNullable<NetSuitePaymentBody['credit']>['items'] = [];
    const missingCreditNotes: InvoicedPaymentMapping['missingCreditNotes'] = [];
    for (const [creditNoteId, value] of creditTotals) {
      const memo = settings.netsuiteCreditMemoFor?.(creditNoteId);
      if (memo === undefined) missingCreditNotes.push({ invoicedCreditNoteId: creditNoteId, amount: fromMinor(value, currency) });
      else credits.push({ doc: { id: memo.id }, apply: true, amount: minorToNumber(value, currency) });
    }

    const account = resolvePaymentAccount(settings.accountRules, { currency, method: payment.method });
    const body: NetSuitePaymentBody = {
      externalId,
      customer: { id: customer },
      payment: minorToNumber(amount, currency),
      tranDate: unixSecondsToDate(payment.date, settings.timeZone),
      ...(account.kind === 'undeposited' ? { undepFunds: { id: 'T' } } : { undepFunds: { id: 'F' }, account: { id: account.id } }),
      apply: { items },
    };
    if (credits.length > 0) body.credit = { items: credits };
    const ref = netsuiteCurrencyRef(currency, settings.currencies);
    if (ref !== undefined) body.currency = ref;
    if (reference !== undefined) body.memo = reference;
    return { body, missingInvoices, missingCreditNotes, unsupported, unapplied: fromMinor(amount - applied, currency), voided: payment.voided === true };
  });
}
