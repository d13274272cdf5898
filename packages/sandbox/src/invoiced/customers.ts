/**
 * Customers: `name` is required (1 to 255 bytes), `number` is unique whatever its case (up to 32 bytes)
 * and numbered `CUST-00001` when not given, `type` is one of Invoiced's four, an e-mail address is checked
 * and kept trimmed and in lower case; refusals worded as Invoiced's customer model words them.
 */
import type { InvoicedDatabase } from './database';
import { invalidRequest, notFound } from './errors';
import type { InvoicedCustomerRecord, InvoicedCustomerType, StoredCustomer } from './records';
import type { CustomerInput } from './schemas';
import { screenBody } from './body-fields';
import { nextMetadata } from './metadata';
import { customerCreateSchema, customerUpdateSchema, parseBody } from './schemas';

/** Fields copied as given (a `null` clears them). */
const PLAIN_FIELDS = [
  'name', 'email', 'type', 'payment_terms', 'currency', 'address1', 'address2', 'city', 'state', 'postal_code',
  'country', 'phone', 'attention_to', 'taxable', 'tax_id', 'credit_limit', 'autopay', 'notes',
] as const satisfies readonly (keyof CustomerInput & keyof StoredCustomer)[];

function assign(customer: StoredCustomer, input: CustomerInput): void {
  for (const field of PLAIN_FIELDS) {
    const value = input[field];
    // Each schema field has the type of the stored field (or a subset of it).
    if (value !== undefined) (customer as unknown as Record<string, unknown>)[field] = value;
  }
}

function checkNumber(db: InvoicedDatabase, customer: StoredCustomer): void {
  const owner = db.numberOwner('customers', customer.number);
  if (owner !== undefined && owner !== customer.id) {
    throw invalidRequest(`The given customer number has already been taken: ${customer.number}`, 'number');
  }
}

const CUSTOMER_TYPES: readonly string[] = ['company', 'government', 'non_profit', 'person'] satisfies InvoicedCustomerType[];

/**
 * An e-mail address as PHP's `FILTER_VALIDATE_EMAIL` takes it, approximately (assumed: dot-atom local
 * part, a domain of letters, digits and hyphens with at least one dot).
 */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A string of `min` to `max` bytes (PHP's strlen). */
const sized = (text: string, min: number, max: number) => Buffer.byteLength(text) >= min && Buffer.byteLength(text) <= max;

/**
 * The fields Invoiced's customer model validates, checked in its words, and the input as it keeps it:
 * an e-mail address trimmed and in lower case ('' as none), an empty number on create left to be generated.
 */
function validated(input: CustomerInput, creating: boolean): CustomerInput {
  const kept: CustomerInput = { ...input };
  if (input.name !== undefined && !sized(input.name, 1, 255)) throw invalidRequest('Name must be a string between 1 and 255 characters.', 'name');
  if (input.number === '' && creating) delete kept.number;
  else if (input.number !== undefined && !sized(input.number, 1, 32)) {
    throw invalidRequest('Number must be a string between 1 and 32 characters.', 'number');
  }
  if (input.email === '') kept.email = null;
  else if (typeof input.email === 'string') {
    kept.email = input.email.trim().toLowerCase();
    if (!EMAIL.test(kept.email)) throw invalidRequest('Email must be a valid email address', 'email');
  }
  if (input.type !== undefined && !CUSTOMER_TYPES.includes(input.type)) throw invalidRequest('Type must be one of the allowed values', 'type');
  return kept;
}

/** Looks a customer up, or throws Invoiced's 404. */
export function requireCustomerRecord(db: InvoicedDatabase, id: number): StoredCustomer {
  const customer = db.customers.get(id);
  if (customer === undefined) throw notFound('customer', id);
  return customer;
}

/** `POST /customers`. */
export function createCustomer(db: InvoicedDatabase, body: unknown): StoredCustomer {
  const parsed = parseBody(customerCreateSchema, screenBody('customers', body));
  const input = validated(parsed, true);
  const now = db.now();
  const customer: StoredCustomer = {
    id: 0,
    name: parsed.name,
    number: input.number ?? '',
    email: null,
    type: 'company',
    payment_terms: null,
    currency: null,
    address1: null,
    address2: null,
    city: null,
    state: null,
    postal_code: null,
    country: null,
    phone: null,
    attention_to: null,
    taxable: true,
    tax_id: null,
    credit_limit: null,
    autopay: false,
    notes: null,
    metadata: nextMetadata({}, input.metadata, 'legacy'),
    created_at: now,
    updated_at: now,
  };
  assign(customer, input);
  if (input.number !== undefined) checkNumber(db, customer);
  customer.id = db.nextId('customers');
  if (customer.number === '') customer.number = db.nextNumber('customers');
  db.customers.set(customer.id, customer);
  db.claimNumber('customers', customer.id, customer.number);
  return customer;
}

/** `PATCH /customers/{id}`: only the fields given change. */
export function updateCustomer(db: InvoicedDatabase, id: number, body: unknown): StoredCustomer {
  const current = requireCustomerRecord(db, id);
  const input = validated(parseBody(customerUpdateSchema, screenBody('customers', body)), false);
  const next: StoredCustomer = { ...current };
  assign(next, input);
  if (input.number !== undefined) next.number = input.number;
  next.metadata = nextMetadata(current.metadata, input.metadata, 'legacy');
  next.updated_at = db.now();
  checkNumber(db, next);
  db.customers.set(id, next);
  db.claimNumber('customers', id, next.number, current.number);
  return next;
}

/**
 * `DELETE /customers/{id}`: refused while invoices or credit notes belong to the customer (Invoiced's
 * "transactions"; payments do not count, and keep the ID of the customer they named).
 */
export function deleteCustomer(db: InvoicedDatabase, id: number): void {
  const customer = requireCustomerRecord(db, id);
  const owns = (records: Iterable<{ customer: number | null }>) => {
    for (const record of records) if (record.customer === id) return true;
    return false;
  };
  if (owns(db.invoices.values()) || owns(db.credit_notes.values())) throw invalidRequest('Customers with transactions cannot be deleted');
  db.customers.delete(id);
  db.releaseNumber('customers', customer.number);
}

/** A customer as Invoiced answers it. */
export function renderCustomer(customer: StoredCustomer): InvoicedCustomerRecord {
  return { ...customer, object: 'customer', metadata: { ...customer.metadata } };
}
