/**
 * Charges and refunds as Invoiced answers them: the Refund Object, and the Charge Object that a processed
 * payment carries in its `charge`. A charge's `amount_refunded` and `refunded` are derived from its refunds
 * that are not voided, as IB keeps them (its refund reconciler adds a refund to them, voiding a refund
 * takes it off), so they can never drift from the refunds.
 */
import type { InvoicedDatabase } from './database';
import { currencyExponent, minorToNumber } from './money';
import type { InvoicedChargeRecord, InvoicedRefundRecord, StoredCharge, StoredRefund } from './records';

/** The refunds of a charge, by ascending ID. */
export function refundsOf(db: InvoicedDatabase, chargeId: number): StoredRefund[] {
  return [...db.refunds.values()].filter((refund) => refund.charge === chargeId);
}

/** Minor units refunded from a charge: its refunds that are not voided. */
export function amountRefunded(db: InvoicedDatabase, chargeId: number): number {
  return refundsOf(db, chargeId).reduce((sum, refund) => sum + (refund.status === 'voided' ? 0 : refund.amount), 0);
}

/** A refund as Invoiced answers it. */
export function renderRefund(refund: StoredRefund): InvoicedRefundRecord {
  return {
    id: refund.id,
    object: 'refund',
    charge: refund.charge,
    amount: minorToNumber(refund.amount, currencyExponent(refund.currency)),
    currency: refund.currency,
    gateway: refund.gateway,
    gateway_id: refund.gateway_id,
    status: refund.status,
    failure_message: null,
    created_at: refund.created_at,
    updated_at: refund.updated_at,
  };
}

/** A charge as Invoiced answers it, with every refund (voided ones included). */
export function renderCharge(db: InvoicedDatabase, charge: StoredCharge): InvoicedChargeRecord {
  const exponent = currencyExponent(charge.currency);
  const refunded = amountRefunded(db, charge.id);
  return {
    id: charge.id,
    object: 'charge',
    customer: charge.customer,
    // Not in the API reference's Charge Object: IB's Charge belongs to a Payment (`payment`), as it belongs
    // to a Customer, which the reference shows as an ID (assumed: the field's name).
    payment: charge.payment,
    currency: charge.currency,
    amount: minorToNumber(charge.amount, exponent),
    gateway: charge.gateway,
    gateway_id: charge.gateway_id,
    status: charge.status,
    receipt_email: null,
    failure_message: null,
    payment_source: null,
    amount_refunded: minorToNumber(refunded, exponent),
    refunded: refunded >= charge.amount,
    refunds: refundsOf(db, charge.id).map(renderRefund),
    disputed: false,
    created_at: charge.created_at,
    updated_at: charge.updated_at,
  };
}
