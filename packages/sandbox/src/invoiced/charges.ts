/**
 * Processed payments: a payment with a charge behind it. On Invoiced a charge is money taken through a
 * payment gateway (`POST /charges`, or the customer portal), and the payment it makes carries the charge in
 * its `charge`. The sandbox has no gateway: `state.charge()` records a charge that succeeded (or is pending)
 * as if a gateway had taken it, and makes its payment as Invoiced's charge subscriber does (the charge's
 * customer, currency, amount, method, applications; `reference` = the gateway's transaction ID; `source`
 * `api`). The charge is a Stripe charge with no payment source kept, the case IB's refund checks let through
 * without one (see `refunds.ts`).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { InvoicedDatabase } from './database';
import { invalidRequest, notFound } from './errors';
import { createPayment } from './payments';
import type { InvoicedChargeStatus, StoredCharge, StoredPayment } from './records';

/** The gateway of the simulated charges. */
export const SIMULATED_GATEWAY = 'stripe';

/** What `state.charge()` takes. */
export interface InvoicedChargeInput {
  /** The customer charged (required, as for `POST /charges`). */
  readonly customer: number;
  /** Greater than 0, in the currency's decimals. */
  readonly amount: number;
  /** Defaults to the customer's currency, else `usd`. */
  readonly currency?: string;
  /** `credit_card` (default) or `ach`: the methods `POST /charges` takes. */
  readonly method?: 'credit_card' | 'ach';
  /** The payment's date (UNIX seconds); defaults to now. */
  readonly date?: number;
  /** The payment's applications, as `POST /payments` takes them. */
  readonly applied_to?: readonly Readonly<Record<string, unknown>>[];
  /** `succeeded` (default) or `pending` (an ACH debit not yet cleared: it makes a payment too). */
  readonly status?: InvoicedChargeStatus;
}

const chargeInputSchema = z.strictObject({
  customer: z.number().int().positive(),
  amount: z.number().refine((value) => Number.isFinite(value) && value > 0, 'must be greater than 0'),
  currency: z.string().optional(),
  method: z.enum(['credit_card', 'ach']).optional(),
  date: z.number().int().nonnegative().optional(),
  applied_to: z.array(z.record(z.string(), z.unknown())).optional(),
  status: z.enum(['succeeded', 'pending']).optional(),
});

/** A gateway transaction ID shaped as Stripe's (`ch_…`, `re_…`). */
export function gatewayId(prefix: 'ch' | 're'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** Looks a charge up, or throws Invoiced's 404 (`Charge was not found: 5`). */
export function requireCharge(db: InvoicedDatabase, id: number): StoredCharge {
  const charge = db.charges.get(id);
  if (charge === undefined) throw notFound('charge', id);
  return charge;
}

/** Records a charge and its payment; throws `InvoicedRequestError` for what `POST /payments` would refuse. */
export function createCharge(db: InvoicedDatabase, fields: InvoicedChargeInput): StoredPayment {
  const parsed = chargeInputSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join('.') ?? '';
    throw invalidRequest(`Invalid ${param}: ${issue?.message ?? 'invalid charge'}`, param);
  }
  const input = parsed.data;
  const reference = gatewayId('ch');
  const payment = createPayment(db, {
    customer: input.customer,
    amount: input.amount,
    method: input.method ?? 'credit_card',
    reference,
    source: 'api',
    ...(input.currency === undefined ? {} : { currency: input.currency }),
    ...(input.date === undefined ? {} : { date: input.date }),
    ...(input.applied_to === undefined ? {} : { applied_to: input.applied_to }),
  });
  const now = db.now();
  const charge: StoredCharge = {
    id: db.nextId('charges'),
    payment: payment.id,
    customer: input.customer,
    currency: payment.currency,
    amount: payment.amount,
    gateway: SIMULATED_GATEWAY,
    gateway_id: reference,
    status: input.status ?? 'succeeded',
    created_at: now,
    updated_at: now,
  };
  db.charges.set(charge.id, charge);
  payment.charge = charge.id;
  return payment;
}
