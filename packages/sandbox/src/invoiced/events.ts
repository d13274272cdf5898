/**
 * Invoiced's events: every change the account makes to a customer, invoice, credit note or payment, and
 * every refund, recorded as `{ id, type, timestamp, data: { object, previous? } }`. Sources (Invoiced's
 * backend, chriscouch/invoiced-mcp under `packages/invoiced-support/docs/backend-dev/src/`):
 * - `ActivityLog/Libs/EventModelListener.php`, `EventSpool.php`: created / updated / deleted events per
 *   model, merged per request (a record created and changed in one request makes one `*.created`; created
 *   and deleted, none; an update that changes nothing but `updated_at`, none). The sandbox compares each
 *   record written by a request with its rendering at the previous event, which comes to the same merges.
 * - `ActivityLog/Models/Event.php` (`toArray`): `data.previous` only when not empty; events sort `id DESC`.
 * - `AccountsReceivable/Models/Invoice.php` (`paidEvent`): an update that leaves an issued invoice with a
 *   positive total paid is `invoice.paid` instead of `invoice.updated`.
 * - `CashApplication/Models/Payment.php` (`void`): voiding (DELETE /payments/{id}) records `payment.deleted`
 *   with the voided payment, not `payment.updated`.
 * - `PaymentProcessing/Reconciliation/RefundReconciler.php`: `refund.created`; refunds have no other event.
 * - `getEventObject()` of Invoice, CreditNote, Payment: the object with `customer` expanded (a payment with
 *   `applied_to`); `getEventAssociations()`: the customer, and a payment's invoices and credit notes
 *   (what `related_to` matches, besides the object itself).
 * Assumed: within one request, events follow the order the sandbox first writes the records, deletions
 * last (as a payment's void records its documents' updates before `payment.deleted`); changes that come
 * from time alone (an invoice turning `past_due`) make no event of their own.
 */
import { renderRefund } from './charge-render';
import type { EventedCollection, InvoicedDatabase, RecordChange } from './database';
import { diffPrevious } from './event-diff';
import { RESOURCES } from './resources';

/** An event as Invoiced answers it (`GET /events/{id}`) and posts it to webhooks. */
export interface InvoicedEvent {
  /** Increasing from 1 in the account. */
  readonly id: number;
  /** `customer.created`, `invoice.paid`, `payment.deleted`, `refund.created`... */
  readonly type: InvoicedEventType;
  /** UNIX seconds of the change (the sandbox's clock). */
  readonly timestamp: number;
  readonly data: {
    /** The object as it is after the change (before it, for `*.deleted` of a deleted record). */
    readonly object: Readonly<Record<string, unknown>>;
    /** Old values of the fields that changed (`*.updated`, `invoice.paid`), when any. */
    readonly previous?: Readonly<Record<string, unknown>>;
  };
}

/** The event types the sandbox records. */
export type InvoicedEventType =
  | 'customer.created'
  | 'customer.updated'
  | 'customer.deleted'
  | 'invoice.created'
  | 'invoice.updated'
  | 'invoice.paid'
  | 'invoice.deleted'
  | 'credit_note.created'
  | 'credit_note.updated'
  | 'credit_note.deleted'
  | 'payment.created'
  | 'payment.updated'
  | 'payment.deleted'
  | 'refund.created';

/** An event with what the list filters read. */
export interface StoredEvent {
  readonly event: InvoicedEvent;
  /** Invoiced's object type of the subject: `customer`, `invoice`, `credit_note`, `payment`, `refund`. */
  readonly objectType: string;
  /** `type:id` of the subject and of its associations. */
  readonly associations: ReadonlySet<string>;
}

type Plain = Record<string, unknown>;

const SINGULAR: Readonly<Record<EventedCollection, string>> = {
  customers: 'customer',
  invoices: 'invoice',
  credit_notes: 'credit_note',
  payments: 'payment',
  refunds: 'refund',
};

/** The record as compared for `previous`: the API's rendering, a payment without `applied_to` and `charge`. */
function plainOf(db: InvoicedDatabase, collection: EventedCollection, id: number): Plain {
  if (collection === 'refunds') {
    const refund = db.refunds.get(id);
    return refund === undefined ? {} : (renderRefund(refund) as unknown as Plain);
  }
  const rendered = RESOURCES[collection].render(db, id) as unknown as Plain;
  if (collection !== 'payments') return rendered;
  const { applied_to: _appliedTo, charge: _charge, ...rest } = rendered;
  return rest;
}

/** The object as an event carries it: `customer` expanded on documents and payments; a payment's `applied_to`. */
function eventObject(db: InvoicedDatabase, collection: EventedCollection, plain: Plain, id: number): Plain {
  const object: Plain = collection === 'payments' && db.payments.has(id) ? { ...(RESOURCES.payments.render(db, id) as unknown as Plain) } : { ...plain };
  if (collection === 'invoices' || collection === 'credit_notes' || collection === 'payments') {
    const customer = typeof object.customer === 'number' ? db.customers.get(object.customer) : undefined;
    if (customer !== undefined) object.customer = RESOURCES.customers.render(db, customer.id);
  }
  return object;
}

/** `type:id` of the subject and its associations (`getEventAssociations()`). */
function associationsOf(collection: EventedCollection, id: number, object: Plain): Set<string> {
  const keys = new Set([`${SINGULAR[collection]}:${id}`]);
  if (collection === 'refunds') return keys;
  const customer = object.customer;
  const customerId = typeof customer === 'number' ? customer : (customer as { id?: unknown } | null)?.id;
  if (collection !== 'customers' && typeof customerId === 'number') keys.add(`customer:${customerId}`);
  if (collection === 'payments' && Array.isArray(object.applied_to)) {
    for (const split of object.applied_to as { invoice?: unknown; credit_note?: unknown }[]) {
      if (typeof split.invoice === 'number' && split.invoice > 0) keys.add(`invoice:${split.invoice}`);
      if (typeof split.credit_note === 'number' && split.credit_note > 0) keys.add(`credit_note:${split.credit_note}`);
    }
  }
  return keys;
}

/** What the log keeps of a record between its events. */
interface Shadow {
  readonly plain: Plain;
  readonly associations: ReadonlySet<string>;
}

/** The account's events, and who hears of new ones. */
export class EventLog {
  readonly #db: InvoicedDatabase;
  readonly #events: StoredEvent[] = [];
  readonly #byId = new Map<number, StoredEvent>();
  readonly #shadows = new Map<string, Shadow>();
  readonly #listeners = new Set<(event: InvoicedEvent) => void>();
  #nextId = 1;

  constructor(db: InvoicedDatabase) {
    this.#db = db;
  }

  /** Calls `listener` with each new event, after the change that made it. Returns the unsubscribe. */
  subscribe(listener: (event: InvoicedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every event, oldest first. */
  all(): readonly StoredEvent[] {
    return this.#events;
  }

  get(id: number): StoredEvent | undefined {
    return this.#byId.get(id);
  }

  /** Forgets every event and every record's last rendering; IDs start again at 1 (listeners stay). */
  reset(): void {
    this.#events.length = 0;
    this.#byId.clear();
    this.#shadows.clear();
    this.#nextId = 1;
  }

  /** Records the events of what was written since the last commit (end of a request or a state call). */
  commit(): void {
    const changes = this.#db.takeChanges();
    if (changes.length === 0) return;
    const made: StoredEvent[] = [];
    const deleted: StoredEvent[] = [];
    for (const change of changes) {
      const stored = this.#eventOf(change);
      if (stored !== undefined) (stored.event.type.endsWith('.deleted') ? deleted : made).push(stored);
    }
    const fresh = [...made, ...deleted].map((stored) => this.#append(stored));
    for (const event of fresh) for (const listener of this.#listeners) listener(event);
  }

  #append(stored: StoredEvent): InvoicedEvent {
    const event: InvoicedEvent = { ...stored.event, id: this.#nextId };
    this.#nextId += 1;
    const kept = { ...stored, event };
    this.#events.push(kept);
    this.#byId.set(event.id, kept);
    return event;
  }

  #eventOf({ collection, id }: RecordChange): StoredEvent | undefined {
    const db = this.#db;
    const key = `${collection}:${id}`;
    const shadow = this.#shadows.get(key);
    const exists = db[collection].has(id);
    const singular = SINGULAR[collection];
    const make = (type: InvoicedEventType, object: Plain, associations: ReadonlySet<string>, previous?: Plain): StoredEvent => ({
      event: { id: 0, type, timestamp: db.now(), data: previous === undefined ? { object } : { object, previous } },
      objectType: singular,
      associations,
    });
    if (!exists) {
      this.#shadows.delete(key);
      if (shadow === undefined) return undefined;
      const object = eventObject(db, collection, shadow.plain, id);
      return make(`${singular}.deleted` as InvoicedEventType, object, shadow.associations);
    }
    const plain = plainOf(db, collection, id);
    const object = eventObject(db, collection, plain, id);
    const associations = associationsOf(collection, id, object);
    this.#shadows.set(key, { plain, associations });
    if (shadow === undefined) return make(`${singular}.created` as InvoicedEventType, object, associations);
    if (collection === 'refunds') return undefined;
    const previous = diffPrevious(shadow.plain, plain);
    if (Object.keys(previous).length === 0) return undefined;
    if (collection === 'payments' && shadow.plain.voided !== true && plain.voided === true) {
      return make('payment.deleted', object, new Set([...shadow.associations, ...associations]));
    }
    const paid = collection === 'invoices' && shadow.plain.paid !== true && plain.paid === true && plain.draft !== true && Number(plain.total) > 0;
    return make(paid ? 'invoice.paid' : (`${singular}.updated` as InvoicedEventType), object, associations, previous);
  }
}
