/**
 * Payments and what they settle. `applied_to` entries are checked against the documents they name (same
 * customer, same currency, not voided or draft, not more than the balance left) and against the payment
 * (applied in total no more than its amount); a write either applies all of them or none. Payments have
 * metadata, kept in Invoiced's attribute storage (see `metadata.ts`), although the API reference's payment
 * object does not list it: Invoiced's payment routes take it and its payment list filters on it.
 */
import { screenBody } from './body-fields';
import { renderCharge } from './charge-render';
import type { InvoicedDatabase, SettledKind } from './database';
import { isPaid, type DocumentResource } from './documents';
import { documentTotals } from './line-items';
import { invalidRequest, notFound } from './errors';
import { nextMetadata } from './metadata';
import { currencyExponent, minorToNumber, toMinorUnits } from './money';
import type { InvoicedPaymentApplicationRecord, InvoicedPaymentRecord, StoredApplication, StoredDocument, StoredPayment } from './records';
import type { ApplicationInput, PaymentInput } from './schemas';
import { parseBody, paymentCreateSchema, paymentUpdateSchema } from './schemas';

const RESOURCE_OF: Readonly<Record<SettledKind, DocumentResource>> = { invoice: 'invoices', credit_note: 'credit_notes' };

interface PaymentTerms {
  readonly id: number | undefined;
  readonly customer: number | null;
  readonly currency: string;
  readonly amount: number;
}

function amountOf(value: number, currency: string, param: string): number {
  const minor = toMinorUnits(value, currencyExponent(currency));
  if (minor === undefined) throw invalidRequest(`The amount has more decimal places than ${currency} allows.`, param);
  return minor;
}

/** Checks and resolves the applications of a payment; throws before anything is applied. */
function buildApplications(db: InvoicedDatabase, inputs: readonly ApplicationInput[], payment: PaymentTerms): StoredApplication[] {
  const exponent = currencyExponent(payment.currency);
  const claimed = new Map<string, number>();
  let consumed = 0;

  const settleable = (kind: SettledKind, id: number | null | undefined, param: string): StoredDocument => {
    const label = kind.replace('_', ' ');
    if (id === undefined || id === null) throw invalidRequest(`Missing required parameter: ${param}`, param);
    const document = db[RESOURCE_OF[kind]].get(id);
    if (document === undefined) throw invalidRequest(`No such ${label}: ${id}`, param);
    const name = `${label.charAt(0).toUpperCase()}${label.slice(1)} ${document.number}`;
    if (document.customer !== payment.customer) throw invalidRequest(`${name} belongs to another customer.`, param);
    if (document.currency !== payment.currency) {
      throw invalidRequest(`${name} is in ${document.currency}; the payment is in ${payment.currency}.`, 'currency');
    }
    if (document.voided) throw invalidRequest(`${name} has been voided.`, param);
    if (document.draft) throw invalidRequest(`${name} is a draft; issue it before applying a payment.`, param);
    return document;
  };
  const claim = (kind: SettledKind, document: StoredDocument, amount: number, param: string) => {
    const key = `${kind}:${document.id}`;
    const available = documentTotals(document).total - db.applied(kind, document.id, payment.id) - (claimed.get(key) ?? 0);
    if (amount > available) {
      throw invalidRequest(
        `The amount applied (${minorToNumber(amount, exponent)}) exceeds the balance of ${kind.replace('_', ' ')} ${document.number} (${minorToNumber(available, exponent)}).`,
        param,
      );
    }
    claimed.set(key, (claimed.get(key) ?? 0) + amount);
  };

  const applications = inputs.map((input, index): StoredApplication => {
    const param = `applied_to.${index}`;
    const amount = amountOf(input.amount, payment.currency, `${param}.amount`);
    if (payment.customer === null) throw invalidRequest('A payment needs a customer before it can be applied.', 'customer');
    if (input.type === 'invoice') {
      const invoice = settleable('invoice', input.invoice, `${param}.invoice`);
      claim('invoice', invoice, amount, `${param}.amount`);
      consumed += amount;
      return { type: 'invoice', invoice: invoice.id, credit_note: null, amount };
    }
    if (input.type === 'credit_note') {
      const creditNote = settleable('credit_note', input.credit_note, `${param}.credit_note`);
      const invoice = settleable('invoice', input.invoice, `${param}.invoice`);
      claim('credit_note', creditNote, amount, `${param}.amount`);
      claim('invoice', invoice, amount, `${param}.amount`);
      return { type: 'credit_note', invoice: invoice.id, credit_note: creditNote.id, amount };
    }
    if (input.invoice != null || input.credit_note != null) {
      throw invalidRequest('A credit application goes to the customer\'s credit balance, not to a document.', param);
    }
    consumed += amount;
    return { type: 'credit', invoice: null, credit_note: null, amount };
  });

  if (consumed > payment.amount) {
    throw invalidRequest(
      `The amount applied (${minorToNumber(consumed, exponent)}) exceeds the payment amount (${minorToNumber(payment.amount, exponent)}).`,
      'applied_to',
    );
  }
  return applications;
}

function settle(db: InvoicedDatabase, payment: StoredPayment, applications: readonly StoredApplication[]): void {
  const now = db.now();
  // Invoiced saves a document whose balance a payment changes: updated_at moves, an application taken
  // back reopens it, and one that leaves it paid closes it.
  for (const { kind, id, delta } of db.setApplications(payment.id, applications)) {
    const document = db[RESOURCE_OF[kind]].get(id);
    if (document === undefined) continue;
    document.updated_at = now;
    if (delta < 0) document.closed = false;
    else if (isPaid(db, RESOURCE_OF[kind], document)) document.closed = true;
  }
}

function requireCustomerId(db: InvoicedDatabase, id: number | null): number | null {
  if (id !== null && !db.customers.has(id)) throw invalidRequest(`No such customer: ${id}`, 'customer');
  return id;
}

/** Looks a payment up, or throws Invoiced's 404. */
export function requirePayment(db: InvoicedDatabase, id: number): StoredPayment {
  const payment = db.payments.get(id);
  if (payment === undefined) throw notFound('payment', id);
  return payment;
}

/** `POST /payments`. */
export function createPayment(db: InvoicedDatabase, body: unknown): StoredPayment {
  const input: PaymentInput = parseBody(paymentCreateSchema, screenBody('payments', body));
  const customer = requireCustomerId(db, input.customer ?? null);
  const currency = input.currency ?? (customer === null ? undefined : db.customers.get(customer)?.currency) ?? 'usd';
  const amount = amountOf(input.amount ?? 0, currency, 'amount');
  const applications = buildApplications(db, input.applied_to ?? [], { id: undefined, customer, currency, amount });
  const now = db.now();
  const payment: StoredPayment = {
    id: db.nextId('payments'),
    customer,
    date: input.date ?? now,
    currency,
    amount,
    voided: false,
    method: input.method ?? 'other',
    reference: input.reference ?? null,
    // The API reference: "Source of the payment, defaults to keyed".
    source: input.source ?? 'keyed',
    notes: input.notes ?? null,
    applied_to: applications,
    metadata: nextMetadata({}, input.metadata, 'attribute'),
    charge: null,
    created_at: now,
    updated_at: now,
  };
  db.payments.set(payment.id, payment);
  settle(db, payment, applications);
  return payment;
}

/**
 * A processed payment keeps the customer, currency and amount of its charge: money taken through a gateway
 * does not change by an edit (assumed: IB's payment model does not say; the stricter choice).
 */
function keepChargeTerms(current: StoredPayment, next: { customer: number | null; currency: string; amount: number }): void {
  for (const field of ['customer', 'currency', 'amount'] as const) {
    if (next[field] !== current[field]) throw invalidRequest(`The ${field} of a processed payment cannot change.`, field);
  }
}

/** `PATCH /payments/{id}`: `applied_to` replaces the applications; the others are checked again. */
export function updatePayment(db: InvoicedDatabase, id: number, body: unknown): StoredPayment {
  const current = requirePayment(db, id);
  const input: PaymentInput = parseBody(paymentUpdateSchema, screenBody('payments', body));
  if (current.voided) throw invalidRequest('The payment is voided and cannot be edited.', 'voided');
  const customer = input.customer === undefined ? current.customer : requireCustomerId(db, input.customer);
  const currency = input.currency ?? current.currency;
  const previousExponent = currencyExponent(current.currency);
  const amount = input.amount === undefined
    ? amountOf(minorToNumber(current.amount, previousExponent), currency, 'amount')
    : amountOf(input.amount, currency, 'amount');
  if (current.charge !== null) keepChargeTerms(current, { customer, currency, amount });
  const inputs: readonly ApplicationInput[] = input.applied_to ?? current.applied_to.map((application) => ({
    type: application.type,
    invoice: application.invoice,
    credit_note: application.credit_note,
    amount: minorToNumber(application.amount, previousExponent),
  }));
  const applications = buildApplications(db, inputs, { id, customer, currency, amount });
  const next: StoredPayment = {
    ...current,
    customer,
    currency,
    amount,
    date: input.date ?? current.date,
    method: input.method ?? current.method,
    reference: input.reference === undefined ? current.reference : input.reference,
    source: input.source === undefined ? current.source : input.source,
    notes: input.notes === undefined ? current.notes : input.notes,
    applied_to: applications,
    metadata: nextMetadata(current.metadata, input.metadata, 'attribute'),
    updated_at: db.now(),
  };
  db.payments.set(id, next);
  settle(db, next, applications);
  return next;
}

/**
 * `DELETE /payments/{id}`, Invoiced's only way to void a payment: the payment stays, marked voided, its
 * applications are removed (its balance is its amount again) and the documents it settled owe again. A
 * payment already voided is refused.
 */
export function voidPayment(db: InvoicedDatabase, id: number): StoredPayment {
  const current = requirePayment(db, id);
  if (current.voided) throw invalidRequest('This payment has already been voided.');
  const next: StoredPayment = { ...current, voided: true, applied_to: [], updated_at: db.now() };
  db.payments.set(id, next);
  settle(db, next, []);
  return next;
}

/**
 * A payment as Invoiced answers it with `include=applied_to` (the service leaves `applied_to` out when the
 * request does not ask for it). `balance` is what is not applied to documents or credit; `charge` is the
 * charge of a processed payment as it is now (its refunds included), or `null`.
 */
export function renderPayment(db: InvoicedDatabase, payment: StoredPayment): InvoicedPaymentRecord {
  const exponent = currencyExponent(payment.currency);
  const applied = payment.applied_to.reduce((sum, application) => sum + (application.type === 'credit_note' ? 0 : application.amount), 0);
  const appliedTo = payment.applied_to.map((application): InvoicedPaymentApplicationRecord => {
    const amount = minorToNumber(application.amount, exponent);
    if (application.type === 'invoice') return { type: 'invoice', invoice: application.invoice ?? 0, amount };
    if (application.type === 'credit_note') {
      return { type: 'credit_note', credit_note: application.credit_note ?? 0, invoice: application.invoice ?? 0, amount };
    }
    return { type: 'credit', amount };
  });
  return {
    id: payment.id,
    object: 'payment',
    customer: payment.customer,
    date: payment.date,
    currency: payment.currency,
    amount: minorToNumber(payment.amount, exponent),
    balance: minorToNumber(payment.amount - applied, exponent),
    voided: payment.voided,
    method: payment.method,
    reference: payment.reference,
    source: payment.source,
    notes: payment.notes,
    applied_to: appliedTo,
    metadata: { ...payment.metadata },
    charge: chargeOf(db, payment),
    created_at: payment.created_at,
    updated_at: payment.updated_at,
  };
}

function chargeOf(db: InvoicedDatabase, payment: StoredPayment): InvoicedPaymentRecord['charge'] {
  const charge = payment.charge === null ? undefined : db.charges.get(payment.charge);
  return charge === undefined ? null : renderCharge(db, charge);
}
