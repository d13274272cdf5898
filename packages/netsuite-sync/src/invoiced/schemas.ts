/**
 * zod schemas of the Invoiced records this SDK reads, with their TypeScript types.
 *
 * Every object schema is loose: fields Invoiced adds later (or that this SDK does not model) are kept on
 * the parsed value, so nothing is lost on a read-modify-write. Fields the SDK relies on are required, and a
 * response without them is a `ResponseValidationError` rather than a silent `undefined`.
 *
 * Invoiced conventions: IDs are integers, dates are UNIX timestamps in seconds, currency codes are lower
 * case (`"usd"`).
 */
import { z } from 'zod';

/** A string field with documented values that Invoiced may extend: known values autocomplete, others pass. */
function openEnum<T extends string>(_known: readonly T[]) {
  return z.string().transform((value) => value as T | (string & {}));
}

const id = z.number().int();
/** UNIX timestamp in seconds. */
const unixSeconds = z.number().int();
const money = z.number();
const optionalText = z.string().nullish();

/**
 * Metadata of a record: up to 10 keys, keys up to 40 characters, values up to 255 characters. Values are
 * strings in Invoiced; numbers and booleans are accepted and turned into strings. A record without
 * metadata parses as `{}`.
 */
export const InvoicedMetadataSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value)))
  .default({});
/** Metadata of an Invoiced record. */
export type InvoicedMetadata = Record<string, string>;

/** Customer types Invoiced documents. */
export const INVOICED_CUSTOMER_TYPES = ['company', 'person'] as const;

/** An Invoiced customer (`/customers`). */
export const InvoicedCustomerSchema = z.looseObject({
  id,
  object: z.string().optional(),
  name: z.string(),
  number: z.string(),
  email: optionalText,
  type: openEnum(INVOICED_CUSTOMER_TYPES).nullish(),
  payment_terms: optionalText,
  currency: optionalText,
  address1: optionalText,
  address2: optionalText,
  city: optionalText,
  state: optionalText,
  postal_code: optionalText,
  country: optionalText,
  phone: optionalText,
  taxable: z.boolean().nullish(),
  tax_id: optionalText,
  credit_limit: money.nullish(),
  notes: optionalText,
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
  metadata: InvoicedMetadataSchema,
});
/** An Invoiced customer; fields not listed are kept as `unknown`. */
export type InvoicedCustomer = z.infer<typeof InvoicedCustomerSchema>;

/** A line item of an invoice or credit note. */
export const InvoicedLineItemSchema = z.looseObject({
  id,
  object: z.string().optional(),
  catalog_item: optionalText,
  type: optionalText,
  name: optionalText,
  description: optionalText,
  quantity: z.number(),
  unit_cost: money,
  amount: money,
  discountable: z.boolean().nullish(),
  discounts: z.array(z.unknown()).nullish(),
  taxable: z.boolean().nullish(),
  taxes: z.array(z.unknown()).nullish(),
  metadata: InvoicedMetadataSchema,
});
/** A line item of an invoice or credit note. */
export type InvoicedLineItem = z.infer<typeof InvoicedLineItemSchema>;

/** Invoice statuses Invoiced documents. */
export const INVOICED_INVOICE_STATUSES = [
  'draft',
  'not_sent',
  'sent',
  'viewed',
  'past_due',
  'pending',
  'paid',
  'voided',
  'bad_debt',
  'disputed',
] as const;

/** An Invoiced invoice (`/invoices`). */
export const InvoicedInvoiceSchema = z.looseObject({
  id,
  object: z.string().optional(),
  customer: id,
  name: optionalText,
  number: optionalText,
  currency: z.string(),
  draft: z.boolean(),
  closed: z.boolean(),
  paid: z.boolean(),
  status: openEnum(INVOICED_INVOICE_STATUSES),
  date: unixSeconds,
  due_date: unixSeconds.nullish(),
  payment_terms: optionalText,
  purchase_order: optionalText,
  items: z.array(InvoicedLineItemSchema),
  notes: optionalText,
  subtotal: money.nullish(),
  discounts: z.array(z.unknown()).nullish(),
  taxes: z.array(z.unknown()).nullish(),
  total: money,
  balance: money,
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
  metadata: InvoicedMetadataSchema,
});
/** An Invoiced invoice; fields not listed are kept as `unknown`. */
export type InvoicedInvoice = z.infer<typeof InvoicedInvoiceSchema>;

/** What a payment can be applied to, as Invoiced documents it. */
export const INVOICED_PAYMENT_APPLICATION_TYPES = [
  'invoice',
  'credit_note',
  'credit',
  'applied_credit',
  'estimate',
  'convenience_fee',
] as const;

/** One entry of a payment's `applied_to`: which document got how much of the payment. */
export const InvoicedPaymentApplicationSchema = z.looseObject({
  type: openEnum(INVOICED_PAYMENT_APPLICATION_TYPES),
  invoice: id.nullish(),
  credit_note: id.nullish(),
  amount: money,
});
/** One entry of a payment's `applied_to`. */
export type InvoicedPaymentApplication = z.infer<typeof InvoicedPaymentApplicationSchema>;

/** Payment methods Invoiced documents. */
export const INVOICED_PAYMENT_METHODS = [
  'ach',
  'cash',
  'check',
  'credit_card',
  'eft',
  'direct_debit',
  'other',
  'paypal',
  'wire_transfer',
] as const;

/** An Invoiced payment (`/payments`). Invoiced's API reference gives payments no metadata. */
export const InvoicedPaymentSchema = z.looseObject({
  id,
  object: z.string().optional(),
  /** `null` for a payment not yet matched to a customer. */
  customer: id.nullable(),
  date: unixSeconds,
  currency: z.string(),
  amount: money,
  balance: money.nullish(),
  voided: z.boolean(),
  method: openEnum(INVOICED_PAYMENT_METHODS).nullish(),
  reference: optionalText,
  source: optionalText,
  notes: optionalText,
  /**
   * How the payment is split across documents. Invoiced sends it only when the request asks for it
   * (`include=applied_to`), which every call of `client.payments` does; `undefined` means Invoiced did not
   * say, never "applied to nothing" (that is `[]`).
   */
  applied_to: z.array(InvoicedPaymentApplicationSchema).optional(),
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
});
/** An Invoiced payment; fields not listed are kept as `unknown`. */
export type InvoicedPayment = z.infer<typeof InvoicedPaymentSchema>;

/** Refund statuses: the API reference's Refund object has `status`; Invoiced's service answers these (`voided` after `POST /refunds/{id}/void`). */
export const INVOICED_REFUND_STATUSES = ['succeeded', 'pending', 'failed', 'voided'] as const;

/**
 * A refund of a charge processed through Invoiced (API reference "Refund Object"; listed by `GET /refunds`,
 * a route of Invoiced's service that the reference does not list).
 */
export const InvoicedRefundSchema = z.looseObject({
  id,
  object: z.string().optional(),
  /** The charge refunded. */
  charge: id,
  currency: z.string(),
  amount: money,
  status: openEnum(INVOICED_REFUND_STATUSES),
  failure_message: optionalText,
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
});
/** An Invoiced refund; fields not listed are kept as `unknown`. */
export type InvoicedRefund = z.infer<typeof InvoicedRefundSchema>;

/**
 * A charge processed through Invoiced (API reference "Charge Object", read with `GET /charges/{id}`).
 * `payment`, the payment the charge made, is not in the reference's list: Invoiced's service keeps it
 * (a charge belongs to a payment as it belongs to a customer); `undefined` when the answer lacks it.
 */
export const InvoicedChargeSchema = z.looseObject({
  id,
  object: z.string().optional(),
  customer: id.nullish(),
  payment: id.nullish(),
  currency: z.string(),
  amount: money,
  amount_refunded: money.nullish(),
  refunded: z.boolean().nullish(),
  status: optionalText,
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
});
/** An Invoiced charge; fields not listed are kept as `unknown`. */
export type InvoicedCharge = z.infer<typeof InvoicedChargeSchema>;

/** Credit note statuses Invoiced documents. */
export const INVOICED_CREDIT_NOTE_STATUSES = ['draft', 'open', 'paid', 'closed', 'voided'] as const;

/** An Invoiced credit note (`/credit_notes`). */
export const InvoicedCreditNoteSchema = z.looseObject({
  id,
  object: z.string().optional(),
  customer: id,
  name: optionalText,
  number: optionalText,
  currency: z.string(),
  draft: z.boolean(),
  closed: z.boolean(),
  paid: z.boolean(),
  status: openEnum(INVOICED_CREDIT_NOTE_STATUSES),
  date: unixSeconds,
  items: z.array(InvoicedLineItemSchema),
  notes: optionalText,
  subtotal: money.nullish(),
  discounts: z.array(z.unknown()).nullish(),
  taxes: z.array(z.unknown()).nullish(),
  total: money,
  balance: money,
  created_at: unixSeconds,
  updated_at: unixSeconds.nullish(),
  metadata: InvoicedMetadataSchema,
});
/** An Invoiced credit note; fields not listed are kept as `unknown`. */
export type InvoicedCreditNote = z.infer<typeof InvoicedCreditNoteSchema>;

/**
 * The body of an Invoiced error response. `type` is `invalid_request` (4xx), `rate_limit_error` (429) or
 * `api_error` (5xx); `param` names the request parameter at fault, when there is one.
 */
export const InvoicedErrorBodySchema = z.looseObject({
  type: z.string(),
  message: z.string(),
  param: z.string().nullish(),
});
/** The body of an Invoiced error response. */
export type InvoicedErrorBody = z.infer<typeof InvoicedErrorBodySchema>;
