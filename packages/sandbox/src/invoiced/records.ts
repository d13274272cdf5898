/**
 * The records of the simulated Invoiced: how they are kept (money in minor units, quantities as exact
 * decimals) and how they are answered (Invoiced's JSON: integer IDs, UNIX seconds, lower-case currency,
 * amounts as JSON numbers).
 */
import type { Decimal } from './money';

/** The four collections the simulator serves with create, update and delete, named as in their paths. */
export type InvoicedResourceName = 'customers' | 'invoices' | 'payments' | 'credit_notes';

/** The collections that can be read: the four above, and refunds (created only by refunding a charge). */
export type InvoicedReadableResource = InvoicedResourceName | 'refunds';

/** Metadata of a record as kept and read: text values only (see `metadata.ts`). */
export type InvoicedMetadata = Record<string, string>;

/** The customer types Invoiced's customer model takes. */
export type InvoicedCustomerType = 'company' | 'government' | 'non_profit' | 'person';

/** A customer as kept. */
export interface StoredCustomer {
  id: number;
  name: string;
  number: string;
  email: string | null;
  type: InvoicedCustomerType;
  payment_terms: string | null;
  currency: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  phone: string | null;
  attention_to: string | null;
  taxable: boolean;
  tax_id: string | null;
  credit_limit: number | null;
  autopay: boolean;
  notes: string | null;
  metadata: InvoicedMetadata;
  created_at: number;
  updated_at: number;
}

/** A discount or tax of a fixed amount, as kept. */
export interface StoredAdjustment {
  id: number;
  /** Exact, as written; rounded to the document's currency (half away from zero) wherever it counts. */
  amount: Decimal;
}

/** A line item as kept. */
export interface StoredLineItem {
  id: number;
  catalog_item: string | null;
  type: string | null;
  name: string | null;
  description: string | null;
  quantity: Decimal;
  unit_cost: Decimal;
  discountable: boolean;
  taxable: boolean;
  discounts: StoredAdjustment[];
  taxes: StoredAdjustment[];
  metadata: InvoicedMetadata;
}

/** An invoice or a credit note as kept (they share their shape and their arithmetic). */
export interface StoredDocument {
  id: number;
  customer: number;
  name: string | null;
  number: string;
  currency: string;
  draft: boolean;
  /** Closed by hand, or by a save that left the document paid; reopened when a payment is taken back. */
  closed: boolean;
  voided: boolean;
  date: number;
  /** Invoices only. */
  due_date: number | null;
  payment_terms: string | null;
  purchase_order: string | null;
  items: StoredLineItem[];
  notes: string | null;
  discounts: StoredAdjustment[];
  taxes: StoredAdjustment[];
  metadata: InvoicedMetadata;
  created_at: number;
  updated_at: number;
}

/** Where a payment went, as kept. */
export interface StoredApplication {
  type: 'invoice' | 'credit_note' | 'credit';
  invoice: number | null;
  credit_note: number | null;
  /** Minor units. */
  amount: number;
}

/** A payment as kept. */
export interface StoredPayment {
  id: number;
  customer: number | null;
  date: number;
  currency: string;
  /** Minor units. */
  amount: number;
  voided: boolean;
  method: string;
  reference: string | null;
  source: string | null;
  notes: string | null;
  applied_to: StoredApplication[];
  metadata: InvoicedMetadata;
  /** The charge of a processed payment (see `charges.ts`); `null` for a payment recorded through `POST /payments`. */
  charge: number | null;
  created_at: number;
  updated_at: number;
}

/** Charge statuses the simulator produces (a failed charge makes no payment, so it is not modelled). */
export type InvoicedChargeStatus = 'succeeded' | 'pending';

/** A charge as kept: money taken through a payment gateway, behind one payment. */
export interface StoredCharge {
  id: number;
  payment: number;
  customer: number;
  currency: string;
  /** Minor units. */
  amount: number;
  gateway: string;
  gateway_id: string;
  status: InvoicedChargeStatus;
  created_at: number;
  updated_at: number;
}

/** Refund statuses the simulator produces. */
export type InvoicedRefundStatus = 'succeeded' | 'voided';

/** A refund as kept. */
export interface StoredRefund {
  id: number;
  charge: number;
  currency: string;
  /** Minor units. */
  amount: number;
  gateway: string;
  gateway_id: string;
  status: InvoicedRefundStatus;
  created_at: number;
  updated_at: number;
}

/** A customer as Invoiced answers it. */
export interface InvoicedCustomerRecord extends StoredCustomer {
  object: 'customer';
}

/** A discount or tax as Invoiced answers it. */
export interface InvoicedAdjustmentRecord {
  id: number;
  object: 'discount' | 'tax';
  amount: number;
}

/** A line item as Invoiced answers it. */
export interface InvoicedLineItemRecord {
  id: number;
  object: 'line_item';
  catalog_item: string | null;
  type: string | null;
  name: string | null;
  description: string | null;
  quantity: number;
  unit_cost: number;
  amount: number;
  discountable: boolean;
  discounts: InvoicedAdjustmentRecord[];
  taxable: boolean;
  taxes: InvoicedAdjustmentRecord[];
  metadata: InvoicedMetadata;
}

interface DocumentRecordBase {
  id: number;
  customer: number;
  name: string | null;
  number: string;
  currency: string;
  draft: boolean;
  closed: boolean;
  paid: boolean;
  date: number;
  items: InvoicedLineItemRecord[];
  notes: string | null;
  subtotal: number;
  discounts: InvoicedAdjustmentRecord[];
  taxes: InvoicedAdjustmentRecord[];
  total: number;
  balance: number;
  created_at: number;
  updated_at: number;
  metadata: InvoicedMetadata;
}

/** Invoice statuses the simulator derives. */
export type InvoicedInvoiceStatus = 'draft' | 'not_sent' | 'past_due' | 'paid' | 'voided';

/** An invoice as Invoiced answers it. */
export interface InvoicedInvoiceRecord extends DocumentRecordBase {
  object: 'invoice';
  status: InvoicedInvoiceStatus;
  due_date: number | null;
  payment_terms: string | null;
  purchase_order: string | null;
}

/** Credit note statuses the simulator derives. */
export type InvoicedCreditNoteStatus = 'draft' | 'open' | 'paid' | 'closed' | 'voided';

/** A credit note as Invoiced answers it. */
export interface InvoicedCreditNoteRecord extends DocumentRecordBase {
  object: 'credit_note';
  status: InvoicedCreditNoteStatus;
}

/** One entry of a payment's `applied_to` as Invoiced answers it. */
export interface InvoicedPaymentApplicationRecord {
  type: 'invoice' | 'credit_note' | 'credit';
  invoice?: number;
  credit_note?: number;
  amount: number;
}

/** A refund as Invoiced answers it (IA's Refund Object). */
export interface InvoicedRefundRecord {
  id: number;
  object: 'refund';
  /** The ID of the charge refunded. */
  charge: number;
  amount: number;
  currency: string;
  gateway: string;
  gateway_id: string;
  status: InvoicedRefundStatus;
  failure_message: string | null;
  created_at: number;
  updated_at: number;
}

/** A charge as Invoiced answers it inside a processed payment (IA's Charge Object). */
export interface InvoicedChargeRecord {
  id: number;
  object: 'charge';
  customer: number;
  /** The payment the charge made (see charge-render.ts). */
  payment: number;
  currency: string;
  amount: number;
  gateway: string;
  gateway_id: string;
  status: InvoicedChargeStatus;
  receipt_email: string | null;
  failure_message: string | null;
  /** Always `null` here: the simulated charges keep no payment source. */
  payment_source: null;
  /** The sum of the refunds not voided. */
  amount_refunded: number;
  /** Whether `amount_refunded` has reached `amount`. */
  refunded: boolean;
  /** Every refund of the charge, voided ones included, by ascending ID. */
  refunds: InvoicedRefundRecord[];
  disputed: boolean;
  created_at: number;
  updated_at: number;
}

/** A payment as Invoiced answers it (`applied_to` only when the request includes it). */
export interface InvoicedPaymentRecord {
  id: number;
  object: 'payment';
  customer: number | null;
  date: number;
  currency: string;
  amount: number;
  /** The part of `amount` not applied to an invoice or to credit. */
  balance: number;
  voided: boolean;
  method: string;
  reference: string | null;
  source: string | null;
  notes: string | null;
  applied_to: InvoicedPaymentApplicationRecord[];
  metadata: InvoicedMetadata;
  /** The charge of a processed payment; `null` for one recorded through `POST /payments`. */
  charge: InvoicedChargeRecord | null;
  created_at: number;
  updated_at: number;
}

/** The record type each collection answers. */
export interface InvoicedRecordMap {
  customers: InvoicedCustomerRecord;
  invoices: InvoicedInvoiceRecord;
  payments: InvoicedPaymentRecord;
  credit_notes: InvoicedCreditNoteRecord;
}

/** The record type each readable collection answers. */
export interface InvoicedReadableRecordMap extends InvoicedRecordMap {
  refunds: InvoicedRefundRecord;
}
