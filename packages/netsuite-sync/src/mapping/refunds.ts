/**
 * Refunds. An Invoiced refund of a charge becomes a NetSuite customer refund (upsert by external ID
 * `invd-ref-<id>`) of the NetSuite copy of the payment the charge made: NetSuite refunds a payment's
 * unapplied amount. The other way, NetSuite customer refunds are not records on Invoiced (its API records a
 * refund only by making one through the payment gateway): what they took is left out of the Invoiced copy
 * of the payment they refund (see the payment mapping's `refunds`).
 */
import { netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { externalIdFor } from './customers';
import { unixSecondsToDate } from './dates';
import { MappingError, withRecord } from './errors';
import { minorToNumber, normalizeCurrencyCode, toMinor } from './money';

/** The fields of an Invoiced refund written to NetSuite; an `InvoicedRefund` fits. */
export interface InvoicedRefundSource {
  readonly id: number;
  readonly amount: number;
  readonly currency: string;
  readonly created_at: number;
}

/** The NetSuite customer refund body built from an Invoiced refund; fits `records.upsert('customerRefund', ...)`. */
export type NetSuiteRefundBody = {
  externalId: string;
  customer: { id: string };
  tranDate: string;
  currency?: { id: string };
  account: { id: string };
  memo: string;
  apply: { items: { doc: { id: string }; apply: true; amount: number }[] };
};

/** Settings of {@link invoicedRefundToNetSuite}. */
export interface InvoicedRefundToNetSuiteSettings {
  /** The NetSuite customer the refund is paid to (the payment's). */
  customer: string;
  /** The NetSuite customer payment refunded (the copy of the Invoiced payment the charge made). */
  payment: string;
  /** The bank account the refund is paid from. */
  account: string | undefined;
  /** What the payment is called in the memo (its reference or Invoiced ID). */
  paymentLabel: string;
  currencies?: NetSuiteCurrencyMap | undefined;
  /** IANA time zone in which dates are days. @default 'UTC' */
  timeZone?: string | undefined;
}

/**
 * The NetSuite customer refund of an Invoiced refund, for an upsert by `externalId: 'invd-ref-<id>'`: the
 * customer, the day it was made, `account` the bank account it is paid from, one `apply` line refunding
 * `amount` of the payment, and a memo naming both.
 * @throws {MappingError} `REFUND_ACCOUNT_REQUIRED` without an account; `AMOUNT_PRECISION`, `INVALID_AMOUNT`...
 * @example
 * invoicedRefundToNetSuite({ id: 5309, amount: 400, currency: 'usd', created_at: 1606943682 },
 *   { customer: '7', payment: '5120', account: '1', paymentLabel: 'ch_1Hx', currencies: { USD: '1' } });
 * // { externalId: 'invd-ref-5309', customer: { id: '7' }, account: { id: '1' }, apply: { items: [{ doc: { id: '5120' }, apply: true, amount: 400 }] }, ... }
 */
export function invoicedRefundToNetSuite(refund: InvoicedRefundSource, settings: InvoicedRefundToNetSuiteSettings): NetSuiteRefundBody {
  return withRecord('refund', String(refund.id), () => {
    if (settings.account === undefined) {
      throw new MappingError(
        'REFUND_ACCOUNT_REQUIRED',
        `Refund #${refund.id}: NetSuite needs the bank account a customer refund is paid from, and settings.refundAccount is not set.`,
        'Set refundAccount to the internal ID of the NetSuite bank account refunds are paid from, then retry the refund.',
      );
    }
    const currency = normalizeCurrencyCode(refund.currency);
    const amount = toMinor(refund.amount, currency);
    if (amount <= 0n) throw new MappingError('INVALID_AMOUNT', `Refund #${refund.id} is of ${refund.amount} ${currency}.`, 'Only refunds of a positive amount are written.');
    const body: NetSuiteRefundBody = {
      externalId: externalIdFor('ref', refund.id),
      customer: { id: settings.customer },
      tranDate: unixSecondsToDate(refund.created_at, settings.timeZone),
      account: { id: settings.account },
      memo: `Invoiced refund ${refund.id} of payment ${settings.paymentLabel}`.slice(0, 999),
      apply: { items: [{ doc: { id: settings.payment }, apply: true, amount: minorToNumber(amount, currency) }] },
    };
    const ref = netsuiteCurrencyRef(currency, settings.currencies);
    if (ref !== undefined) body.currency = ref;
    return body;
  });
}
