/**
 * `InvoicedState`: the simulated account read and written directly by tests (no HTTP, no auth, no
 * idempotency), through the same rules as the API, plus `load()` of hand-written or generated books.
 */
import type { InvoicedBooks } from '../books';
import { loadInvoicedBooks, type InvoicedLoadResult } from './books-loading';
import { renderRefund } from './charge-render';
import { createCharge, type InvoicedChargeInput } from './charges';
import type { InvoicedDatabase } from './database';
import type { EventLog, InvoicedEvent } from './events';
import type { IdempotencyLogEntry, IdempotencyStore } from './idempotency';
import { renderPayment } from './payments';
import type {
  InvoicedPaymentRecord,
  InvoicedReadableRecordMap,
  InvoicedReadableResource,
  InvoicedRecordMap,
  InvoicedRefundRecord,
  InvoicedResourceName,
} from './records';
import { refundCharge, requireRefund, voidRefund } from './refunds';
import { RESOURCES } from './resources';

export type { InvoicedLoadResult } from './books-loading';

/** Collections Invoiced can void. */
export type InvoicedVoidableResource = Exclude<InvoicedReadableResource, 'customers'>;

/** A processed payment: its `charge` is always there. */
export type InvoicedProcessedPaymentRecord = InvoicedPaymentRecord & { charge: NonNullable<InvoicedPaymentRecord['charge']> };

/**
 * The records of the simulated Invoiced, for arranging and asserting. Writes take the same fields as the
 * API's request bodies and follow the same rules: what the API would refuse throws `InvoicedRequestError`.
 * Reads return copies as the API would answer them.
 */
export interface InvoicedState {
  /**
   * Adds the books' customers, invoices, credit notes and payments (in that order, through the same rules
   * as the API; a processed payment through `charge()`), then the refunds of processed payments' charges,
   * and returns their IDs by key. Adds to what is there: call `reset()` first for a clean account.
   * @example const { invoices } = state.load(books); state.get('invoices', invoices.get('inv-1')!);
   */
  load(books: InvoicedBooks): InvoicedLoadResult;
  /**
   * Creates a record as `POST /{resource}` would.
   * @example state.insert('customers', { name: 'Acme', currency: 'usd', metadata: { netsuite_id: '42' } })
   */
  insert<R extends InvoicedResourceName>(resource: R, fields: Readonly<Record<string, unknown>>): InvoicedRecordMap[R];
  /** The record as `GET /{resource}/{id}` would answer it (a payment with `include=applied_to`), or `undefined`. */
  get<R extends InvoicedReadableResource>(resource: R, id: number): InvoicedReadableRecordMap[R] | undefined;
  /** Changes a record as `PATCH /{resource}/{id}` would (bumping `updated_at`). */
  update<R extends InvoicedResourceName>(resource: R, id: number, fields: Readonly<Record<string, unknown>>): InvoicedRecordMap[R];
  /**
   * Voids an invoice, credit note or refund as `POST /{resource}/{id}/void` would, a payment as
   * `DELETE /payments/{id}` does (Invoiced has no other way to void a payment).
   */
  void<R extends InvoicedVoidableResource>(resource: R, id: number): InvoicedReadableRecordMap[R];
  /**
   * Does what `DELETE /{resource}/{id}` does: deletes a customer, invoice or credit note, voids a payment;
   * `false` when there was no such record.
   */
  delete(resource: InvoicedResourceName, id: number): boolean;
  /** Every record of a collection, by ascending ID. */
  list<R extends InvoicedReadableResource>(resource: R): InvoicedReadableRecordMap[R][];
  count(resource: InvoicedReadableResource): number;
  /**
   * Records a processed payment: a charge taken through a payment gateway (a sandbox convention: Invoiced
   * takes charges through a gateway, which the sandbox does not have) and the payment it makes, applied as
   * `applied_to` says. Returns the payment as `GET /payments/{id}?include=applied_to` answers it.
   * @example const payment = state.charge({ customer: 1, amount: 100, applied_to: [{ type: 'invoice', invoice: 3, amount: 100 }] });
   */
  charge(fields: InvoicedChargeInput): InvoicedProcessedPaymentRecord;
  /**
   * Refunds `amount` of a charge as `POST /charges/{chargeId}/refunds` does (the same checks, the same
   * errors); the payment is left as it is. Void it with `state.void('refunds', id)`.
   * @example const refund = state.refund(payment.charge.id, 25);
   */
  refund(chargeId: number, amount: number): InvoicedRefundRecord;
  /** Forgets every record, every event, every kept idempotent answer, the idempotency log and the pagination cursors; IDs start again at 1. */
  reset(): void;
  /**
   * Every event of the account, oldest first, as `GET /events/{id}` answers them (`GET /events` lists them
   * newest first). Writes through this state record events as the API's do, and go to the webhooks.
   */
  events(): InvoicedEvent[];
  /** Every POST or PATCH that carried an `Idempotency-Key`, in order, and whether it was replayed. */
  idempotencyLog(): IdempotencyLogEntry[];
  /**
   * Issues an OAuth access token for this account, accepted from then on as `Authorization: Bearer
   * <token>` (as a third-party application would get one through Invoiced's OAuth flow). Requests with it
   * are not rate-limited by key and carry no idempotency: Invoiced ignores their `Idempotency-Key`.
   */
  issueAccessToken(): string;
}

interface Reader<T> {
  render(db: InvoicedDatabase, id: number): T;
  renderAll(db: InvoicedDatabase): T[];
}

const REFUNDS: Reader<InvoicedRefundRecord> = {
  render: (db, id) => renderRefund(requireRefund(db, id)),
  renderAll: (db) => [...db.refunds.values()].map(renderRefund),
};

/** How each readable collection is answered: the resource models, and refunds. */
const READERS: { readonly [R in InvoicedReadableResource]: Reader<InvoicedReadableRecordMap[R]> } = { ...RESOURCES, refunds: REFUNDS };

/** How each voidable collection is voided (a collection without a void answers 404). */
const VOIDERS: { readonly [R in InvoicedVoidableResource]: (db: InvoicedDatabase, id: number) => void } = {
  invoices: (db, id) => RESOURCES.invoices.void?.(db, id),
  credit_notes: (db, id) => RESOURCES.credit_notes.void?.(db, id),
  payments: (db, id) => RESOURCES.payments.void?.(db, id),
  refunds: (db, id) => void voidRefund(db, id),
};

/** Builds the state view over the service's data. */
export function createInvoicedState(
  db: InvoicedDatabase,
  idempotency: IdempotencyStore,
  issueAccessToken: () => string,
  forgetCursors: () => void,
  events: EventLog,
): InvoicedState {
  // A write records its events once it is done, failed or not (what it changed stays changed).
  const write = <T>(change: () => T): T => {
    db.touch();
    try {
      return change();
    } finally {
      events.commit();
    }
  };
  const state: InvoicedState = {
    load: (books) => loadInvoicedBooks(state, books),
    insert: (resource, fields) => write(() => RESOURCES[resource].render(db, RESOURCES[resource].create(db, fields))),
    get: (resource, id) => (db[resource].has(id) ? READERS[resource].render(db, id) : undefined),
    update: (resource, id, fields) =>
      write(() => {
        RESOURCES[resource].update(db, id, fields);
        return RESOURCES[resource].render(db, id);
      }),
    void: (resource, id) =>
      write(() => {
        VOIDERS[resource](db, id);
        return READERS[resource].render(db, id);
      }),
    delete: (resource, id) => {
      if (!db[resource].has(id)) return false;
      write(() => RESOURCES[resource].remove(db, id));
      return true;
    },
    list: (resource) => READERS[resource].renderAll(db),
    count: (resource) => db[resource].size,
    charge: (fields) => write(() => renderPayment(db, createCharge(db, fields)) as InvoicedProcessedPaymentRecord),
    refund: (chargeId, amount) => write(() => renderRefund(refundCharge(db, chargeId, { amount }))),
    reset: () => {
      db.touch();
      db.reset();
      events.reset();
      idempotency.reset();
      forgetCursors();
    },
    events: () => events.all().map((stored) => structuredClone(stored.event)),
    idempotencyLog: () => idempotency.log(),
    issueAccessToken,
  };
  return state;
}
