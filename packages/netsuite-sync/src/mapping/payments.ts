/**
 * Payments both ways. A NetSuite customer payment becomes an Invoiced payment applied to the linked
 * invoices; an Invoiced payment becomes a NetSuite customer payment (upsert by `invd-pay-<id>`) applied to
 * the linked NetSuite invoices and deposited by the payment account rules. Applications to invoices that
 * are not linked yet are left out of the body and reported, so the engine can defer the payment.
 */
import { currencyCodeFromNetSuite, netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { externalIdFor, netsuiteIdOf } from './customers';
import { dateToUnixSeconds, unixSecondsToDate } from './dates';
import { MappingError, withRecord } from './errors';
import { field, flag, refId, text, type RecordLike } from './fields';
import { byDocument, checkApplied } from './applications';
import { fromMinor, minorToNumber, normalizeCurrencyCode, sumMinor, toMinor } from './money';
import { resolvePaymentAccount, type PaymentAccountRule } from './rules';

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

/** An application of an Invoiced payment body. */
export type InvoicedApplicationBody = { type: 'invoice'; invoice: number; amount: number };

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
}

/** The mapping of a NetSuite payment. */
export interface NetSuitePaymentMapping {
  body: InvoicedPaymentBody;
  /** Applications left out because their NetSuite invoice is not linked to an Invoiced invoice yet. */
  missingInvoices: { netsuiteInvoiceId: string; amount: string }[];
  /** Applications to invoices outside the sync (`outsideSync`), left out of the amount and named in `notes`. */
  leftOut: { netsuiteInvoiceId: string; amount: string }[];
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
    const source = applications ?? (Array.isArray(sublist?.items) ? (sublist.items as RecordLike[]) : []);
    const entries = source
      .filter((entry) => flag(field(entry, 'apply')) !== false)
      .map((entry) => {
        const doc = refId(field(entry, 'doc', 'previousDoc'));
        const value = field(entry, 'amount', 'foreignAmount');
        if (doc === undefined || value === undefined) throw new MappingError('INVALID_RECORD', `${label} has an application without an invoice or amount.`, 'Read applications with their doc and amount.');
        return { doc, amount: toMinor(value as number | string, currency) };
      });
    const totals = byDocument(entries, currency);
    checkApplied(sumMinor(totals.values()), amount, currency, label);

    const appliedTo: InvoicedApplicationBody[] = [];
    const missingInvoices: NetSuitePaymentMapping['missingInvoices'] = [];
    const leftOut: NetSuitePaymentMapping['leftOut'] = [];
    let appliedMinor = 0n;
    let leftOutMinor = 0n;
    for (const [doc, applied] of totals) {
      const invoicedId = options.invoicedInvoiceIdFor(doc);
      const invoice = invoicedId === undefined ? NaN : Number(invoicedId);
      if (invoicedId === undefined && options.outsideSync?.(doc) === true) {
        leftOut.push({ netsuiteInvoiceId: doc, amount: fromMinor(applied, currency) });
        leftOutMinor += applied;
      } else if (invoicedId === undefined) {
        missingInvoices.push({ netsuiteInvoiceId: doc, amount: fromMinor(applied, currency) });
      } else if (!Number.isSafeInteger(invoice) || invoice <= 0) {
        throw new MappingError('INVALID_RECORD', `"${invoicedId}" is not an Invoiced invoice ID.`, 'Invoiced IDs are positive integers.');
      } else {
        appliedTo.push({ type: 'invoice', invoice, amount: minorToNumber(applied, currency) });
        appliedMinor += applied;
      }
    }
    const methodId = refId(field(payment, 'paymentMethod'));
    const body: InvoicedPaymentBody = {
      customer,
      amount: minorToNumber(amount - leftOutMinor, currency),
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
    ];
    if (notes.length > 0) body.notes = notes.join(' ');
    return {
      body,
      missingInvoices,
      leftOut,
      unapplied: fromMinor(amount - leftOutMinor - appliedMinor, currency),
      voided: isNetSuitePaymentVoided(payment),
    };
  });
}

/** The fields of an Invoiced payment written to NetSuite; an `InvoicedPayment` fits. */
export interface InvoicedPaymentSource {
  readonly id: number;
  readonly currency: string;
  readonly amount: number;
  readonly date: number;
  readonly method?: string | null | undefined;
  readonly reference?: string | null | undefined;
  readonly voided?: boolean | undefined;
  readonly applied_to?: readonly { readonly type: string; readonly invoice?: number | null | undefined; readonly amount: number }[] | undefined;
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
};

/** The mapping of an Invoiced payment. */
export interface InvoicedPaymentMapping {
  body: NetSuitePaymentBody;
  /** Applications left out because their Invoiced invoice is not linked to a NetSuite invoice yet. */
  missingInvoices: { invoicedInvoiceId: string; amount: string }[];
  /** What stays unapplied on the NetSuite payment (decimal string), missing invoices included. */
  unapplied: string;
  /** The payment is voided on Invoiced. */
  voided: boolean;
}

/**
 * The NetSuite customer payment of an Invoiced payment, for an upsert by `externalId: 'invd-pay-<id>'`:
 * `payment` = the amount, `tranDate`, `currency`, the account from the rules (the radio `undepFunds`, an
 * object in the REST schema: `{ id: 'T' }` Undeposited Funds, or `{ id: 'F' }` and `account`), `memo` = the reference, and one `apply` line per linked invoice
 * (`type: 'invoice'` applications only: credits and credit notes are not money received).
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
    const entries = payment.applied_to
      .filter((entry) => entry.type === 'invoice' && typeof entry.invoice === 'number')
      .map((entry) => ({ doc: String(entry.invoice), amount: toMinor(entry.amount, currency) }));
    const totals = byDocument(entries, currency);
    checkApplied(sumMinor(totals.values()), amount, currency, label);

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
      applied += value;
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
    const ref = netsuiteCurrencyRef(currency, settings.currencies);
    if (ref !== undefined) body.currency = ref;
    if (reference !== undefined) body.memo = reference;
    return { body, missingInvoices, unapplied: fromMinor(amount - applied, currency), voided: payment.voided === true };
  });
}
