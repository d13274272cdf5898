/**
 * Refunds of charges, as IB's refund operation, reconciler and void keep them. A refund is checked against
 * its charge (succeeded, amount above 0, refunded in total at most the charge's amount), then recorded as
 * succeeded: the simulated gateway never fails. It changes the charge (its `amount_refunded`, `refunded`
 * and `updated_at`), never the payment: not its amount, balance, applications or `updated_at`, so no
 * document owes again. Voiding a refund marks it voided and gives its amount back to the charge.
 */
import { amountRefunded } from './charge-render';
import { gatewayId, requireCharge } from './charges';
import type { InvoicedDatabase } from './database';
import { invalidRequest, notFound } from './errors';
import { currencyExponent, minorToNumber, toMinorUnits } from './money';
import type { StoredRefund } from './records';

/** Looks a refund up, or throws Invoiced's 404 (`Refund was not found: 5`). */
export function requireRefund(db: InvoicedDatabase, id: number): StoredRefund {
  const refund = db.refunds.get(id);
  if (refund === undefined) throw notFound('refund', id);
  return refund;
}

/**
 * The `amount` of a refund request as IB reads it: PHP's `(float)` of the field, so a missing one is 0
 * (refused below as an invalid amount). A number, or a numeric string as a form sends it; anything else is
 * refused (assumed: PHP would read it as 0 and refuse it too, in other words).
 */
function requestedAmount(body: unknown): number {
  const value = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)['amount'] : undefined;
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  throw invalidRequest('Invalid amount: must be a number.', 'amount');
}

/** Money as PHP prints IB's `Money` in its messages: the decimal amount and the upper-case currency. */
function moneyText(minor: number, currency: string): string {
  return `${minorToNumber(minor, currencyExponent(currency))} ${currency.toUpperCase()}`;
}

/**
 * `POST /charges/{id}/refunds` (and `state.refund`): refunds `amount` of the charge. Refused with IB's
 * messages: a charge that has not succeeded, an amount not above 0, a total refunded above the charge.
 */
export function refundCharge(db: InvoicedDatabase, chargeId: number, body: unknown): StoredRefund {
  const charge = requireCharge(db, chargeId);
  const requested = requestedAmount(body);
  if (charge.status !== 'succeeded') throw invalidRequest('Refunds are not available for this charge because it has not cleared.');
  const minor = toMinorUnits(requested, currencyExponent(charge.currency));
  // IB rounds the amount to the currency (Money::fromDecimal); the sandbox refuses extra decimals instead.
  if (minor === undefined) throw invalidRequest(`The amount has more decimal places than ${charge.currency} allows.`, 'amount');
  if (minor <= 0) throw invalidRequest(`Invalid refund amount: ${moneyText(minor, charge.currency)}`);
  if (amountRefunded(db, charge.id) + minor > charge.amount) {
    throw invalidRequest('The refund amount cannot exceed the original charge amount.');
  }
  const now = db.now();
  const refund: StoredRefund = {
    id: db.nextId('refunds'),
    charge: charge.id,
    currency: charge.currency,
    amount: minor,
    gateway: charge.gateway,
    gateway_id: gatewayId('re'),
    status: 'succeeded',
    created_at: now,
    updated_at: now,
  };
  db.refunds.set(refund.id, refund);
  // The reconciler saves the charge (its refunded amount), not the payment.
  db.charges.set(charge.id, { ...charge, updated_at: now });
  return refund;
}

/** `POST /refunds/{id}/void`: the refund is voided and its amount no longer counts as refunded. */
export function voidRefund(db: InvoicedDatabase, id: number): StoredRefund {
  const refund = requireRefund(db, id);
  if (refund.status === 'voided') throw invalidRequest('This refund has already been voided.');
  const now = db.now();
  const voided: StoredRefund = { ...refund, status: 'voided', updated_at: now };
  db.refunds.set(id, voided);
  const charge = db.charges.get(refund.charge);
  if (charge !== undefined) db.charges.set(charge.id, { ...charge, updated_at: now });
  return voided;
}
