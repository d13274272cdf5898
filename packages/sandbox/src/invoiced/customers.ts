/**
 * Customers: `name` is required, `number` is unique and numbered `CUST-00001` when not given.
 */
import type { InvoicedDatabase } from './database';
import { invalidRequest, notFound } from './errors';
import type { InvoicedCustomerRecord, StoredCustomer } from './records';
import type { CustomerInput } from './schemas';
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
    throw invalidRequest(`The number ${customer.number} has already been taken by another customer.`, 'number');
  }
}

/** Looks a customer up, or throws Invoiced's 404. */
export function requireCustomerRecord(db: InvoicedDatabase, id: number): StoredCustomer {
  const customer = db.customers.get(id);
  if (customer === undefined) throw notFound('customer', id);
  return customer;
}

/** `POST /customers`. */
export function createCustomer(db: InvoicedDatabase, body: unknown): StoredCustomer {
  const input = parseBody(customerCreateSchema, body);
  const now = db.now();
  const customer: StoredCustomer = {
    id: 0,
    name: input.name,
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
  const input = parseBody(customerUpdateSchema, body);
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

/** `DELETE /customers/{id}`: refused while documents or payments still belong to the customer. */
export function deleteCustomer(db: InvoicedDatabase, id: number): void {
  const customer = requireCustomerRecord(db, id);
  const owns = (records: Iterable<{ customer: number | null }>) => {
    for (const record of records) if (record.customer === id) return true;
    return false;
  };
  if (owns(db.invoices.values()) || owns(db.credit_notes.values()) || owns(db.payments.values())) {
    throw invalidRequest('This customer has invoices, credit notes or payments and cannot be deleted.');
  }
  db.customers.delete(id);
  db.releaseNumber('customers', customer.number);
}

/** A customer as Invoiced answers it. */
export function renderCustomer(customer: StoredCustomer): InvoicedCustomerRecord {
  return { ...customer, object: 'customer', metadata: { ...customer.metadata } };
}
