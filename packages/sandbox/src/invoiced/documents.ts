/**
 * Invoices and credit notes: one model, since Invoiced gives them the same line items, totals and
 * balance arithmetic. Totals are derived from the lines on every read and balances from the payments
 * that settle the document, so an edit can never leave a stale total behind. `closed` is kept as
 * Invoiced's backend keeps it: set by hand, set when a save leaves the document paid (unless that save
 * says `closed` itself), cleared when a payment is taken back; a closed document cannot be edited
 * unless the same request reopens it, and a voided one not at all. Voiding zeroes the balance.
 */
import { screenBody } from './body-fields';
import type { InvoicedDatabase } from './database';
import { invalidRequest, notFound } from './errors';
import { buildAdjustments, buildItems, documentTotals, renderAdjustments, renderItems } from './line-items';
import { nextMetadata } from './metadata';
import { currencyExponent, minorToNumber } from './money';
import type { InvoicedCreditNoteRecord, InvoicedInvoiceRecord, StoredCustomer, StoredDocument } from './records';
import type { DocumentInput } from './schemas';
import {
  creditNoteCreateSchema,
  creditNoteUpdateSchema,
  invoiceCreateSchema,
  invoiceUpdateSchema,
  parseBody,
} from './schemas';

/** The collections of documents. */
export type DocumentResource = 'invoices' | 'credit_notes';

const SINGULAR = { invoices: 'invoice', credit_notes: 'credit_note' } as const;
/** The name a document gets when the request gives none (the API reference: "defaults to ..."). */
const DEFAULT_NAME = { invoices: 'Invoice', credit_notes: 'Credit Note' } as const;
const DAY = 86_400;

/** Whether the document is paid: issued, not voided, and nothing left to pay. */
export function isPaid(db: InvoicedDatabase, resource: DocumentResource, document: StoredDocument): boolean {
  if (document.draft || document.voided) return false;
  return documentTotals(document).total - db.applied(SINGULAR[resource], document.id) <= 0;
}

/** Whether any live payment applies a credit note to the invoice, or applies the credit note. */
function creditApplied(db: InvoicedDatabase, resource: DocumentResource, id: number): boolean {
  for (const payment of db.payments.values()) {
    for (const application of payment.applied_to) {
      if (application.type !== 'credit_note') continue;
      if (resource === 'invoices' ? application.invoice === id : application.credit_note === id) return true;
    }
  }
  return false;
}

/** Why Invoiced will not void (or delete) the document, if it will not: worded as its voidability check. */
function voidRefusal(db: InvoicedDatabase, resource: DocumentResource, id: number): string | undefined {
  if (!db.hasApplications(SINGULAR[resource], id)) return undefined;
  if (resource === 'credit_notes') return 'This credit note cannot be voided because it has been applied to an invoice.';
  return creditApplied(db, resource, id)
    ? 'This invoice cannot be voided because it has a credit note applied.'
    : 'This invoice cannot be voided because it has a payment applied.';
}

/**
 * Checks a document before it is kept. Discounts and taxes with more decimals than the currency are not
 * refused: Invoiced rounds them (half away from zero) when it computes the totals, as `line-items.ts` does.
 */
function checkDocument(db: InvoicedDatabase, resource: DocumentResource, document: StoredDocument): void {
  const { total } = documentTotals(document);
  if (total < 0) throw invalidRequest(`The ${SINGULAR[resource].replace('_', ' ')} total cannot be negative.`, 'items');
  if (total < db.applied(SINGULAR[resource], document.id)) {
    throw invalidRequest('The total cannot be less than the amount already applied.', 'items');
  }
  const owner = db.numberOwner(resource, document.number);
  if (document.number !== '' && owner !== undefined && owner !== document.id) {
    throw invalidRequest(`The given ${SINGULAR[resource].replace('_', ' ')} number has already been taken: ${document.number}`, 'number');
  }
  // An empty number on create is generated later; otherwise 1 to 32 bytes.
  if ((document.id !== 0 || document.number !== '') && (document.number === '' || Buffer.byteLength(document.number) > 32)) {
    throw invalidRequest('Number must be a string between 1 and 32 characters.', 'number');
  }
}

function requireCustomer(db: InvoicedDatabase, id: number): StoredCustomer {
  const customer = db.customers.get(id);
  if (customer === undefined) throw invalidRequest(`No such customer: ${id}`, 'customer');
  return customer;
}

/** `NET 30` → 30 days after the date; other terms leave the due date empty. */
function dueDateFromTerms(date: number, terms: string | null): number | null {
  const days = terms === null ? null : /^net\s*(\d+)$/i.exec(terms.trim())?.[1];
  return days === undefined || days === null ? null : date + Number(days) * DAY;
}

/** Looks a document up, or throws Invoiced's 404. */
export function requireDocument(db: InvoicedDatabase, resource: DocumentResource, id: number): StoredDocument {
  const document = db[resource].get(id);
  if (document === undefined) throw notFound(SINGULAR[resource], id);
  return document;
}

/** `POST /invoices` and `POST /credit_notes`. */
export function createDocument(db: InvoicedDatabase, resource: DocumentResource, body: unknown): StoredDocument {
  const input: DocumentInput = parseBody(resource === 'invoices' ? invoiceCreateSchema : creditNoteCreateSchema, screenBody(resource, body));
  const customer = requireCustomer(db, input.customer ?? 0);
  const now = db.now();
  const date = input.date ?? now;
  const terms = resource === 'invoices' ? (input.payment_terms === undefined ? customer.payment_terms : input.payment_terms) : null;
  const document: StoredDocument = {
    id: 0,
    customer: customer.id,
    name: input.name === undefined ? DEFAULT_NAME[resource] : input.name,
    number: input.number ?? '',
    currency: input.currency ?? customer.currency ?? 'usd',
    draft: input.draft ?? false,
    closed: input.closed ?? false,
    voided: false,
    date,
    due_date: input.due_date === undefined ? (resource === 'invoices' ? dueDateFromTerms(date, terms) : null) : input.due_date,
    payment_terms: terms,
    purchase_order: input.purchase_order ?? null,
    items: buildItems(db, input.items ?? [], []),
    notes: input.notes ?? null,
    discounts: buildAdjustments(db, input.discounts ?? []),
    taxes: buildAdjustments(db, input.taxes ?? []),
    metadata: nextMetadata({}, input.metadata, 'legacy'),
    created_at: now,
    updated_at: now,
  };
  checkDocument(db, resource, document);
  // A new document that is paid already (nothing to pay) is closed: an invoice whatever the request says
  // about `closed`, a credit note unless the request says it.
  if (isPaid(db, resource, document) && (resource === 'invoices' || input.closed === undefined)) document.closed = true;
  document.id = db.nextId(resource);
  if (document.number === '') document.number = db.nextNumber(resource);
  db[resource].set(document.id, document);
  db.claimNumber(resource, document.id, document.number);
  return document;
}

/** `PATCH /invoices/{id}` and `PATCH /credit_notes/{id}`: only the fields given change; `items` replaces the lines. */
export function updateDocument(db: InvoicedDatabase, resource: DocumentResource, id: number, body: unknown): StoredDocument {
  const current = requireDocument(db, resource, id);
  const input: DocumentInput = parseBody(resource === 'invoices' ? invoiceUpdateSchema : creditNoteUpdateSchema, screenBody(resource, body));
  const label = SINGULAR[resource].replace('_', ' ');
  if (current.voided) throw invalidRequest('Your changes cannot be saved because this document is voided.', 'voided');
  if (current.closed && input.closed !== false) {
    throw invalidRequest('Your changes cannot be saved because this document is closed. Please re-open the document to make any changes.', 'closed');
  }
  const settled = db.hasApplications(SINGULAR[resource], id);
  const next: StoredDocument = { ...current };
  if (input.customer !== undefined && input.customer !== current.customer) {
    if (settled) throw invalidRequest(`The customer of a ${label} with payments applied cannot change.`, 'customer');
    next.customer = requireCustomer(db, input.customer).id;
  }
  if (input.currency !== undefined && input.currency !== current.currency) {
    if (settled) throw invalidRequest(`The currency of a ${label} with payments applied cannot change.`, 'currency');
    next.currency = input.currency;
  }
  if (input.draft === true && !current.draft && settled) {
    throw invalidRequest(`A ${label} with payments applied cannot go back to draft.`, 'draft');
  }
  if (input.draft !== undefined) next.draft = input.draft;
  if (input.closed !== undefined) next.closed = input.closed;
  if (input.name !== undefined) next.name = input.name;
  if (input.number !== undefined) next.number = input.number;
  if (input.date !== undefined) next.date = input.date;
  if (input.due_date !== undefined) next.due_date = input.due_date;
  if (input.payment_terms !== undefined) next.payment_terms = input.payment_terms;
  if (input.purchase_order !== undefined) next.purchase_order = input.purchase_order;
  if (input.notes !== undefined) next.notes = input.notes;
  if (input.items !== undefined) next.items = buildItems(db, input.items, current.items);
  if (input.discounts !== undefined) next.discounts = buildAdjustments(db, input.discounts);
  if (input.taxes !== undefined) next.taxes = buildAdjustments(db, input.taxes);
  next.metadata = nextMetadata(current.metadata, input.metadata, 'legacy');
  next.updated_at = db.now();
  checkDocument(db, resource, next);
  if (input.closed === undefined && isPaid(db, resource, next)) next.closed = true;
  db[resource].set(id, next);
  db.claimNumber(resource, id, next.number, current.number);
  return next;
}

/** `POST /{invoices|credit_notes}/{id}/void`. A document with payments applied must be freed first. */
export function voidDocument(db: InvoicedDatabase, resource: DocumentResource, id: number): StoredDocument {
  const document = requireDocument(db, resource, id);
  if (document.voided) throw invalidRequest('This document has already been voided.');
  const refusal = voidRefusal(db, resource, id);
  if (refusal !== undefined) throw invalidRequest(refusal);
  // Voiding sets `voided` only: the document keeps its `closed` flag.
  const voided = { ...document, voided: true, updated_at: db.now() };
  db[resource].set(id, voided);
  return voided;
}

/** `DELETE /{invoices|credit_notes}/{id}`. */
export function deleteDocument(db: InvoicedDatabase, resource: DocumentResource, id: number): void {
  const document = requireDocument(db, resource, id);
  // Invoiced refuses to delete what it would refuse to void, naming `voided`.
  const refusal = voidRefusal(db, resource, id);
  if (refusal !== undefined) throw invalidRequest(refusal, 'voided');
  db[resource].delete(id);
  db.releaseNumber(resource, document.number);
}

function renderCommon(db: InvoicedDatabase, resource: DocumentResource, document: StoredDocument) {
  const exponent = currencyExponent(document.currency);
  const { subtotal, total } = documentTotals(document);
  // A voided document owes nothing.
  const balance = document.voided ? 0 : total - db.applied(SINGULAR[resource], document.id);
  const items = renderItems(document.items, exponent);
  const paid = isPaid(db, resource, document);
  return {
    paid,
    fields: {
      id: document.id,
      customer: document.customer,
      name: document.name,
      number: document.number,
      currency: document.currency,
      draft: document.draft,
      closed: document.closed,
      paid,
      date: document.date,
      items,
      notes: document.notes,
      subtotal: minorToNumber(subtotal, exponent),
      discounts: renderAdjustments(document.discounts, 'discount', exponent),
      taxes: renderAdjustments(document.taxes, 'tax', exponent),
      total: minorToNumber(total, exponent),
      balance: minorToNumber(balance, exponent),
      created_at: document.created_at,
      updated_at: document.updated_at,
      metadata: { ...document.metadata },
    },
  };
}

/** An invoice as Invoiced answers it; `status` is derived from its state and the clock. */
export function renderInvoice(db: InvoicedDatabase, document: StoredDocument): InvoicedInvoiceRecord {
  const { fields, paid } = renderCommon(db, 'invoices', document);
  const status: InvoicedInvoiceRecord['status'] = document.voided
    ? 'voided'
    : document.draft
      ? 'draft'
      : paid
        ? 'paid'
        : // Closing is not bad debt (that takes Invoiced's bad-debt operation, not modelled).
          document.due_date !== null && document.due_date < db.now()
          ? 'past_due'
          : 'not_sent';
  return {
    ...fields,
    object: 'invoice',
    status,
    due_date: document.due_date,
    payment_terms: document.payment_terms,
    purchase_order: document.purchase_order,
  };
}

/** A credit note as Invoiced answers it. */
export function renderCreditNote(db: InvoicedDatabase, document: StoredDocument): InvoicedCreditNoteRecord {
  const { fields, paid } = renderCommon(db, 'credit_notes', document);
  const status: InvoicedCreditNoteRecord['status'] = document.voided
    ? 'voided'
    : document.draft
      ? 'draft'
      : paid
        ? 'paid'
        : document.closed
          ? 'closed'
          : 'open';
  return { ...fields, object: 'credit_note', status };
}
