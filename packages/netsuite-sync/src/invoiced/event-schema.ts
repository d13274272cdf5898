/**
 * An Invoiced event, as `GET /events` lists it and a webhook delivers it (`{ id, type, timestamp, data: {
 * object, previous? } }`; Invoiced/api `source/includes/_events.md`), and the record an event names: the
 * one place the webhook handler and the engine's change feed both read. Imports nothing but zod, so the
 * webhook entry stays small.
 */
import { z } from 'zod';

const eventId = z.union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)]).transform((value) => String(value));

/**
 * An Invoiced event: `{ id, type, timestamp, data: { object, previous? } }`. The object is kept as Invoiced
 * sent it (only its `id` is read), so an object of a shape this package does not know never fails a list.
 */
export const InvoicedEventSchema = z.looseObject({
  id: eventId,
  /** `invoice.created`, `payment.deleted`... */
  type: z.string().min(1).max(100),
  /** When it happened, UNIX seconds. */
  timestamp: z.number().nonnegative().max(8_640_000_000_000),
  data: z.looseObject({
    /** What the event is about; only its `id` is read (optional: an event the sync ignores may have none). */
    object: z.looseObject({ id: z.union([z.number(), z.string()]).optional() }),
    /** The old values of an update. */
    previous: z.unknown().optional(),
  }),
});
/** An Invoiced event, with its ID as a string. */
export type InvoicedEvent = z.infer<typeof InvoicedEventSchema>;

/** The kinds of record an event can name, spelled as the sync store spells them (`EntityKind`). */
export type InvoicedEventEntity = 'customer' | 'invoice' | 'payment' | 'creditNote' | 'refund';

/** The record an event names: its kind and Invoiced ID. */
export interface InvoicedEventTarget {
  readonly entity: InvoicedEventEntity;
  readonly sourceId: string;
}

/** Event type prefixes the sync maps, with the `object` name Invoiced gives such a record. */
const KINDS: Readonly<Record<string, { entity: InvoicedEventEntity; object: string }>> = {
  customer: { entity: 'customer', object: 'customer' },
  invoice: { entity: 'invoice', object: 'invoice' },
  credit_note: { entity: 'creditNote', object: 'credit_note' },
  payment: { entity: 'payment', object: 'payment' },
  refund: { entity: 'refund', object: 'refund' },
};

/** The actions whose object is the record itself (Invoiced/api `_events.md`: `object.action`). */
const RECORD_ACTIONS = new Set(['created', 'updated', 'deleted']);

function split(type: string): [prefix: string, action: string] {
  const dot = type.indexOf('.');
  return dot < 0 ? [type, ''] : [type.slice(0, dot), type.slice(dot + 1)];
}

/** The kind an event type's prefix names, if the sync maps it (own keys only: `toString.created` names nothing). */
export function invoicedEventKind(type: string): { entity: InvoicedEventEntity; object: string } | undefined {
  const [prefix] = split(type);
  return Object.hasOwn(KINDS, prefix) ? KINDS[prefix] : undefined;
}

/**
 * Whether the event's object is the record its type names. Not every action's is: `invoice.viewed` and
 * `credit_note.viewed` carry the document view, not the document (chriscouch/invoiced-mcp
 * `.../backend-dev/src/ActivityLog/Models/Event.php`, `getHrefValue`, takes the invoice from the event's
 * associations for them), and a comment or a promise to pay is not the invoice either. So: the object's own
 * `object` name when it has one, else only `created`, `updated` and `deleted` (assumed: the stricter
 * reading, which never takes another record's ID for the document's).
 */
export function isEventOfRecordItself(event: { readonly type: string; readonly data: { readonly object: Readonly<Record<string, unknown>> } }): boolean {
  const kind = invoicedEventKind(event.type);
  if (kind === undefined) return false;
  const objectName = event.data.object.object;
  if (typeof objectName === 'string') return objectName === kind.object;
  return RECORD_ACTIONS.has(split(event.type)[1]);
}

function isId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d{1,18}$/.test(value) && !/^0+$/.test(value));
}

/**
 * The record an event names, or `null` for an event the sync has no use for. `customer.*`, `invoice.*`,
 * `credit_note.*`, `payment.*` and `refund.*` name the object's `id` when the object is that record
 * (`invoice.viewed` carries a view, and names nothing). `transaction.*` (Invoiced's older model of money
 * movements, still sent: chriscouch/invoiced-mcp `.../backend-dev/src/CashApplication/Models/Transaction.php`
 * declares `payment`, the payment a transaction belongs to) names that payment when it has one. Pure.
 * @example invoicedEventTarget({ type: 'payment.created', data: { object: { id: 42 } } }); // { entity: 'payment', sourceId: '42' }
 */
export function invoicedEventTarget(event: { readonly type: string; readonly data: { readonly object: Readonly<Record<string, unknown>> } }): InvoicedEventTarget | null {
  const object = event.data.object;
  if (split(event.type)[0] === 'transaction') {
    // Assumed: the payment is its ID, or an object with one when expanded.
    const payment = object.payment;
    const id = typeof payment === 'object' && payment !== null ? (payment as Record<string, unknown>).id : payment;
    return isId(id) ? { entity: 'payment', sourceId: String(id) } : null;
  }
  const kind = invoicedEventKind(event.type);
  if (kind === undefined || !isEventOfRecordItself(event) || !isId(object.id)) return null;
  return { entity: kind.entity, sourceId: String(object.id) };
}
