/**
 * `state.load()` of Invoiced books: customers, invoices, credit notes, then payments (in the books' order:
 * a processed payment through the charge path, the others as `POST /payments` takes them, credit-note
 * applications included), then the refunds of processed payments' charges. Each record goes through the
 * same rules as the API, so books that break them are refused, naming the record.
 */
import type { InvoicedBookApplication, InvoicedBooks } from '../books';
import type { InvoicedChargeInput } from './charges';
import type { InvoicedResourceName } from './records';

/** Invoiced IDs of loaded records, by the books' keys. */
export interface InvoicedLoadResult {
  customers: Map<string, number>;
  invoices: Map<string, number>;
  payments: Map<string, number>;
  creditNotes: Map<string, number>;
}

/** What loading needs of the state: its writes. */
export interface InvoicedLoadTarget {
  insert(resource: InvoicedResourceName, fields: Readonly<Record<string, unknown>>): { id: number };
  charge(fields: InvoicedChargeInput): { id: number; charge: { id: number } };
  refund(chargeId: number, amount: number): unknown;
}

function loading<T>(what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot load ${what} into the Invoiced sandbox: ${reason}`, { cause: error });
  }
}

function keyed(map: Map<string, number>, key: string, what: string): number {
  const id = map.get(key);
  if (id === undefined) throw new Error(`Cannot load into the Invoiced sandbox: no ${what} with key "${key}".`);
  return id;
}

type Items = InvoicedBooks['invoices'][number]['items'];

const itemsOf = (items: Items) =>
  items.map((item) => ({
    name: item.name,
    ...(item.description === undefined ? {} : { description: item.description }),
    quantity: Number(item.quantity),
    unit_cost: Number(item.unitCost),
  }));

/** Adds `books` to the account through `state`; returns the new records' IDs by key. */
export function loadInvoicedBooks(state: InvoicedLoadTarget, books: InvoicedBooks): InvoicedLoadResult {
  const result: InvoicedLoadResult = { customers: new Map(), invoices: new Map(), payments: new Map(), creditNotes: new Map() };
  const remember = (map: Map<string, number>, key: string, id: number, what: string) => {
    if (map.has(key)) throw new Error(`Cannot load into the Invoiced sandbox: two ${what}s with key "${key}".`);
    map.set(key, id);
  };
  for (const customer of books.customers) {
    const record = loading(`customer "${customer.key}"`, () =>
      state.insert('customers', {
        name: customer.name,
        type: customer.type,
        currency: customer.currency,
        ...(customer.email === undefined ? {} : { email: customer.email }),
        ...(customer.metadata === undefined ? {} : { metadata: customer.metadata }),
      }),
    );
    remember(result.customers, customer.key, record.id, 'customer');
  }
  for (const invoice of books.invoices) {
    const customer = keyed(result.customers, invoice.customerKey, 'customer');
    const record = loading(`invoice "${invoice.key}"`, () =>
      state.insert('invoices', {
        customer,
        number: invoice.number,
        currency: invoice.currency,
        date: invoice.date,
        draft: invoice.draft,
        ...(invoice.dueDate === undefined ? {} : { due_date: invoice.dueDate }),
        items: itemsOf(invoice.items),
        ...(invoice.metadata === undefined ? {} : { metadata: invoice.metadata }),
      }),
    );
    remember(result.invoices, invoice.key, record.id, 'invoice');
  }
  for (const note of books.creditNotes ?? []) {
    const customer = keyed(result.customers, note.customerKey, 'customer');
    const record = loading(`credit note "${note.key}"`, () =>
      state.insert('credit_notes', {
        customer,
        number: note.number,
        currency: note.currency,
        date: note.date,
        draft: note.draft,
        items: itemsOf(note.items),
        ...(note.metadata === undefined ? {} : { metadata: note.metadata }),
      }),
    );
    remember(result.creditNotes, note.key, record.id, 'credit note');
  }
  const application = (applied: InvoicedBookApplication) => {
    const invoice = keyed(result.invoices, applied.invoiceKey, 'invoice');
    if (!('creditNoteKey' in applied)) return { type: 'invoice', invoice, amount: Number(applied.amount) };
    const creditNote = keyed(result.creditNotes, applied.creditNoteKey, 'credit note');
    return { type: 'credit_note', credit_note: creditNote, invoice, document_type: 'invoice', amount: Number(applied.amount) };
  };
  const charges: { key: string; charge: number; refunds: readonly string[] }[] = [];
  for (const payment of books.payments) {
    const customer = keyed(result.customers, payment.customerKey, 'customer');
    const appliedTo = payment.appliedTo.map(application);
    const what = `payment "${payment.key}"`;
    if (payment.processed === true) {
      const { method } = payment;
      if (method !== 'credit_card' && method !== 'ach') throw new Error(`Cannot load ${what} into the Invoiced sandbox: a processed payment is paid by credit_card or ach, not ${method}.`);
      const record = loading(what, () => state.charge({ customer, currency: payment.currency, date: payment.date, amount: Number(payment.amount), method, applied_to: appliedTo }));
      remember(result.payments, payment.key, record.id, 'payment');
      charges.push({ key: payment.key, charge: record.charge.id, refunds: payment.refunds ?? [] });
      continue;
    }
    if (payment.refunds !== undefined && payment.refunds.length > 0) {
      throw new Error(`Cannot load ${what} into the Invoiced sandbox: only a processed payment has a charge to refund.`);
    }
    const record = loading(what, () =>
      state.insert('payments', {
        customer,
        currency: payment.currency,
        date: payment.date,
        amount: Number(payment.amount),
        method: payment.method,
        ...(payment.reference === undefined ? {} : { reference: payment.reference }),
        applied_to: appliedTo,
      }),
    );
    remember(result.payments, payment.key, record.id, 'payment');
  }
  for (const { key, charge, refunds } of charges) {
    refunds.forEach((amount, index) => loading(`refund ${index + 1} of payment "${key}"`, () => state.refund(charge, Number(amount))));
  }
  return result;
}
