/**
 * The four collections behind one interface, shared by the HTTP service and `InvoicedState`: how each is
 * created, updated, voided, deleted, answered and listed.
 */
import { createCustomer, deleteCustomer, renderCustomer, requireCustomerRecord, updateCustomer } from './customers';
import type { InvoicedDatabase } from './database';
import {
  createDocument,
  deleteDocument,
  renderCreditNote,
  renderInvoice,
  requireDocument,
  updateDocument,
  voidDocument,
} from './documents';
import type { ListSpec } from './listing';
import { keptSource, type ListSource } from './list-sources';
import { LIST_SPECS } from './list-specs';
import { createPayment, renderPayment, requirePayment, updatePayment, voidPayment } from './payments';
import type { InvoicedRecordMap, InvoicedResourceName } from './records';

/** What the service can do with one collection. */
export interface ResourceModel<T> {
  /** Creates a record from a request body; throws `InvoicedRequestError` when Invoiced would refuse it. */
  create(db: InvoicedDatabase, body: unknown): number;
  update(db: InvoicedDatabase, id: number, body: unknown): void;
  /** `DELETE /{resource}/{id}`. */
  remove(db: InvoicedDatabase, id: number): void;
  /**
   * What `DELETE` answers: `204 No Content` (the record is gone), or `200` with the record (payments:
   * Invoiced voids a payment on DELETE and answers with it).
   */
  readonly deleteAnswers: 'no_content' | 'record';
  /** Voiding, when the collection can be voided. */
  void?: (db: InvoicedDatabase, id: number) => void;
  /** Whether Invoiced has `POST /{resource}/{id}/void` (invoices and credit notes; not payments). */
  readonly voidRoute: boolean;
  /** The record as answered; throws the 404 when there is none. */
  render(db: InvoicedDatabase, id: number): T;
  /** Every record as answered, by ascending ID. */
  renderAll(db: InvoicedDatabase): T[];
  readonly list: ListSpec;
  /** What `GET /{resource}` selects from: the kept records, and the fields they keep as answered. */
  source(db: InvoicedDatabase): ListSource;
}

/** The fields a customer keeps as answered (all of them: only `object` is added). */
const CUSTOMER_FIELDS = [
  'id', 'name', 'number', 'email', 'type', 'payment_terms', 'currency', 'address1', 'address2', 'city', 'state', 'postal_code', 'country',
  'phone', 'attention_to', 'taxable', 'tax_id', 'credit_limit', 'autopay', 'notes', 'metadata', 'created_at', 'updated_at',
] as const;

/** The fields a document keeps as invoices and credit notes answer them (the others are derived). */
const DOCUMENT_FIELDS = ['id', 'customer', 'name', 'number', 'currency', 'draft', 'closed', 'date', 'notes', 'created_at', 'updated_at', 'metadata'] as const;

const customers: ResourceModel<InvoicedRecordMap['customers']> = {
  create: (db, body) => createCustomer(db, body).id,
  update: (db, id, body) => void updateCustomer(db, id, body),
  remove: deleteCustomer,
  deleteAnswers: 'no_content',
  voidRoute: false,
  render: (db, id) => renderCustomer(requireCustomerRecord(db, id)),
  renderAll: (db) => [...db.customers.values()].map(renderCustomer),
  list: LIST_SPECS.customers,
  source: (db) =>
    keptSource(db.customers, CUSTOMER_FIELDS, renderCustomer, (after, before, order) => db.updatedWithin('customers', after, before, order)),
};

const invoices: ResourceModel<InvoicedRecordMap['invoices']> = {
  create: (db, body) => createDocument(db, 'invoices', body).id,
  update: (db, id, body) => void updateDocument(db, 'invoices', id, body),
  remove: (db, id) => deleteDocument(db, 'invoices', id),
  deleteAnswers: 'no_content',
  void: (db, id) => void voidDocument(db, 'invoices', id),
  voidRoute: true,
  render: (db, id) => renderInvoice(db, requireDocument(db, 'invoices', id)),
  renderAll: (db) => [...db.invoices.values()].map((document) => renderInvoice(db, document)),
  list: LIST_SPECS.invoices,
  source: (db) =>
    keptSource(
      db.invoices,
      [...DOCUMENT_FIELDS, 'due_date', 'payment_terms', 'purchase_order'],
      (document) => renderInvoice(db, document),
      (after, before, order) => db.updatedWithin('invoices', after, before, order),
    ),
};

const creditNotes: ResourceModel<InvoicedRecordMap['credit_notes']> = {
  create: (db, body) => createDocument(db, 'credit_notes', body).id,
  update: (db, id, body) => void updateDocument(db, 'credit_notes', id, body),
  remove: (db, id) => deleteDocument(db, 'credit_notes', id),
  deleteAnswers: 'no_content',
  void: (db, id) => void voidDocument(db, 'credit_notes', id),
  voidRoute: true,
  render: (db, id) => renderCreditNote(db, requireDocument(db, 'credit_notes', id)),
  renderAll: (db) => [...db.credit_notes.values()].map((document) => renderCreditNote(db, document)),
  list: LIST_SPECS.credit_notes,
  source: (db) =>
    keptSource(
      db.credit_notes,
      DOCUMENT_FIELDS,
      (document) => renderCreditNote(db, document),
      (after, before, order) => db.updatedWithin('credit_notes', after, before, order),
    ),
};

const payments: ResourceModel<InvoicedRecordMap['payments']> = {
  create: (db, body) => createPayment(db, body).id,
  update: (db, id, body) => void updatePayment(db, id, body),
  // Invoiced has no payment deletion: DELETE /payments/{id} voids the payment.
  remove: (db, id) => void voidPayment(db, id),
  deleteAnswers: 'record',
  void: (db, id) => void voidPayment(db, id),
  voidRoute: false,
  render: (db, id) => renderPayment(db, requirePayment(db, id)),
  renderAll: (db) => [...db.payments.values()].map((payment) => renderPayment(db, payment)),
  list: LIST_SPECS.payments,
  source: (db) =>
    keptSource(
      db.payments,
      ['id', 'customer', 'date', 'currency', 'voided', 'method', 'reference', 'source', 'notes', 'metadata', 'created_at', 'updated_at'],
      (payment) => renderPayment(db, payment),
      (after, before, order) => db.updatedWithin('payments', after, before, order),
    ),
};

/** The model of each collection. */
export const RESOURCES: { readonly [R in InvoicedResourceName]: ResourceModel<InvoicedRecordMap[R]> } = {
  customers,
  invoices,
  payments,
  credit_notes: creditNotes,
};

/** Whether a path segment names a collection. */
export function isResourceName(value: string): value is InvoicedResourceName {
  return Object.hasOwn(RESOURCES, value);
}
