/**
 * What can be sent to Invoiced when creating or updating a record, and the checks made before sending
 * (Invoiced's metadata limits, integer IDs, lowercase currency codes).
 */
import { ConfigurationError } from '../errors';
import type { InvoicedListOptions } from './pagination';

/** Metadata to write. At most 10 keys, keys up to 40 and values up to 255 characters. */
export type InvoicedMetadataInput = Readonly<Record<string, string | null>>;

/** Fields of a customer to create or update; other Invoiced fields may be passed as well. */
export interface InvoicedCustomerInput {
  name?: string;
  number?: string;
  email?: string | null;
  type?: 'company' | 'person';
  payment_terms?: string | null;
  currency?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
  phone?: string | null;
  taxable?: boolean;
  tax_id?: string | null;
  credit_limit?: number | null;
  notes?: string | null;
  metadata?: InvoicedMetadataInput;
  [field: string]: unknown;
}
/** A customer to create: `name` is required. */
export type InvoicedCustomerCreate = InvoicedCustomerInput & { name: string };

/** A line item to write on an invoice or credit note. */
export interface InvoicedLineItemInput {
  catalog_item?: string | null;
  type?: string | null;
  name?: string | null;
  description?: string | null;
  quantity?: number;
  unit_cost?: number;
  discountable?: boolean;
  taxable?: boolean;
  discounts?: readonly unknown[];
  taxes?: readonly unknown[];
  metadata?: InvoicedMetadataInput;
  [field: string]: unknown;
}

/** Fields of an invoice or credit note to create or update. */
export interface InvoicedDocumentInput {
  customer?: number;
  name?: string | null;
  number?: string | null;
  currency?: string;
  draft?: boolean;
  date?: number;
  payment_terms?: string | null;
  items?: readonly InvoicedLineItemInput[];
  notes?: string | null;
  discounts?: readonly unknown[];
  taxes?: readonly unknown[];
  metadata?: InvoicedMetadataInput;
  [field: string]: unknown;
}
/** Fields of an invoice to create or update. */
export interface InvoicedInvoiceInput extends InvoicedDocumentInput {
  due_date?: number | null;
  purchase_order?: string | null;
}
/** An invoice to create: `customer` is required. */
export type InvoicedInvoiceCreate = InvoicedInvoiceInput & { customer: number };
/** Fields of a credit note to create or update. */
export type InvoicedCreditNoteInput = InvoicedDocumentInput;
/** A credit note to create: `customer` is required. */
export type InvoicedCreditNoteCreate = InvoicedCreditNoteInput & { customer: number };

/** Where a payment is applied. */
export interface InvoicedPaymentApplicationInput {
  type: 'invoice' | 'credit_note' | 'credit' | 'applied_credit' | (string & {});
  invoice?: number;
  credit_note?: number;
  amount: number;
  [field: string]: unknown;
}

/** Fields of a payment to create or update. Invoiced's API reference gives payments no metadata. */
export interface InvoicedPaymentInput {
  customer?: number | null;
  date?: number;
  currency?: string;
  amount?: number;
  method?: string | null;
  reference?: string | null;
  source?: string | null;
  notes?: string | null;
  applied_to?: readonly InvoicedPaymentApplicationInput[];
  [field: string]: unknown;
}
/** A payment to create: `amount` is required. */
export type InvoicedPaymentCreate = InvoicedPaymentInput & { amount: number };

/** List options of payments: like other lists, without `metadata` (payments have none). */
export type InvoicedPaymentListOptions = Omit<InvoicedListOptions, 'metadata'>;

/** Options of a read. */
export interface InvoicedReadOptions {
  /** Cancels the request, whether it is queued or in flight. */
  signal?: AbortSignal | undefined;
}

/** Options of a write (POST or PATCH). */
export interface InvoicedWriteOptions extends InvoicedReadOptions {
  /**
   * `Idempotency-Key` of the first attempt, 6 to 64 characters; Invoiced replays its answer to a repeat
   * of this key for 24 hours. A retry after a rate limit reuses it; a retry after a server error, timeout
   * or lost connection gets a fresh key, since Invoiced would replay the cached failure.
   * @default crypto.randomUUID()
   */
  idempotencyKey?: string | undefined;
  /**
   * Keep the key when a retry follows a timeout or a lost connection (a 5xx still gets a new key). The
   * first attempt may have been carried out with its answer lost; with the same key Invoiced replays that
   * answer instead of writing twice. Use it for creates whose duplicates would matter (the sync engine
   * does). Once an answer was lost, every later retry of the call keeps the key, after a 5xx too. The
   * catch: a 5xx whose answer was itself lost stays cached for the key, so the retries fail the same way;
   * look the record up before a later call with a new key.
   * @default false
   */
  keepKeyAfterLostResponse?: boolean | undefined;
}

const MAX_METADATA_KEYS = 10;
const MAX_METADATA_KEY_LENGTH = 40;
const MAX_METADATA_VALUE_LENGTH = 255;

function reject(path: string, message: string): never {
  throw new ConfigurationError(`Invalid ${path}: ${message}.`, { issues: [{ path, message }] });
}

/** Checks Invoiced's metadata limits so a bad write fails before it is sent. */
export function checkMetadata(metadata: unknown, path = 'metadata'): void {
  if (metadata === undefined || metadata === null) return;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) reject(path, 'must be an object of strings');
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_KEYS) reject(path, `has ${entries.length} keys; Invoiced allows ${MAX_METADATA_KEYS}`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH) {
      reject(`${path}.${key}`, `key must be 1 to ${MAX_METADATA_KEY_LENGTH} characters`);
    }
    if (value !== null && typeof value !== 'string') reject(`${path}.${key}`, 'must be a string or null');
    if (typeof value === 'string' && value.length > MAX_METADATA_VALUE_LENGTH) {
      reject(`${path}.${key}`, `must be at most ${MAX_METADATA_VALUE_LENGTH} characters`);
    }
  }
}

/** Checks a write body and returns it with a lowercase `currency`. */
export function prepareWriteBody(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) reject('params', 'must be an object');
  checkMetadata(params.metadata);
  if (Array.isArray(params.items)) {
    params.items.forEach((item: unknown, index) => {
      checkMetadata((item as { metadata?: unknown } | null)?.metadata, `items.${index}.metadata`);
    });
  }
  return typeof params.currency === 'string' ? { ...params, currency: params.currency.toLowerCase() } : { ...params };
}

/** Checks that an Invoiced ID is a positive integer (it goes into the URL path). */
export function checkId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) reject('id', 'must be a positive integer');
  return id;
}
