/**
 * The event Invoiced POSTs to a webhook, and the record it names.
 *
 * Sources: Invoiced/api `source/includes/_events.md` and `_webhooks.md` (the Event object: `id` integer,
 * `type` as `object.action`, `timestamp` UNIX seconds, `data.object` the subject of the event and
 * `data.previous` the old values of an update); chriscouch/invoiced-mcp
 * `packages/invoiced-support/docs/backend-dev/src/ActivityLog/Models/Event.php` (`toArray`: the body is the
 * event with `data.object`, plus `data.previous` only when it has values) and
 * `src/Webhooks/EventSubscriber/WebhookSubscriber.php` (the body is that array, JSON-encoded).
 */
import { z } from 'zod';
import { ERROR_CLASS, NetSuiteSyncError, toValidationIssues, type ValidationIssue } from '../errors';
import type { EntityKind } from '../store/sync-store';

const eventId = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,20}$/)])
  .transform((value) => String(value));

/**
 * The envelope of an Invoiced event: `{ id, type, timestamp, data: { object, previous? } }`. Everything else
 * (the object's own fields, fields Invoiced may add) is kept as sent. The object's `id` is optional here:
 * an event of a type the sync ignores is answered 200 whatever its object holds (see
 * {@link invoicedEventTarget} for the types that need one).
 */
export const InvoicedWebhookEventSchema = z.looseObject({
  /** Invoiced's event ID (an integer; kept as a string of digits). */
  id: eventId,
  /** `object.action`, e.g. `invoice.updated`. */
  type: z.string().min(1).max(100),
  /** When the event happened, UNIX seconds. */
  timestamp: z.number().nonnegative().max(8_640_000_000_000),
  data: z.looseObject({
    object: z.looseObject({ id: z.union([z.number(), z.string()]).optional() }),
    previous: z.unknown().optional(),
  }),
});
/** An Invoiced event as the webhook handler reads it (its `id` a string of digits). */
export type InvoicedWebhookEvent = z.infer<typeof InvoicedWebhookEventSchema>;

/** Why a delivery's body was refused: not JSON, or JSON that is not an Invoiced event. */
export type InvoicedWebhookEventProblem = 'invalid_json' | 'invalid_event';

/** The body of a (correctly signed) delivery is not an Invoiced event. Its message never holds the body. */
export class InvoicedWebhookEventError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedWebhookEventError';
  override name = 'InvoicedWebhookEventError';
  readonly problem: InvoicedWebhookEventProblem;
  /** What is wrong, by field (never the values). */
  readonly issues: readonly ValidationIssue[];

  constructor(problem: InvoicedWebhookEventProblem, issues: readonly ValidationIssue[] = []) {
    super(problem === 'invalid_json' ? 'The webhook body is not JSON.' : 'The webhook body is not an Invoiced event.', {
      code: problem === 'invalid_json' ? 'WEBHOOK_INVALID_JSON' : 'WEBHOOK_INVALID_EVENT',
      resolution: 'Point only Invoiced webhooks at this URL; if Invoiced sent it, report the event ID shown in Invoiced.',
    });
    this.problem = problem;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problem: this.problem, issues: this.issues };
  }
}

/**
 * Parses a delivery's raw body as an Invoiced event. Throws {@link InvoicedWebhookEventError} when it is not
 * JSON or not an event envelope, or when it names a record of the sync without a usable ID.
 *
 * @example
 * ```ts
 * const event = parseInvoicedWebhookEvent('{"id":1228003,"type":"invoice.updated","timestamp":1451500772,"data":{"object":{"id":196539}}}');
 * event.id; // '1228003'
 * ```
 */
export function parseInvoicedWebhookEvent(rawBody: Uint8Array | string): InvoicedWebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw new InvoicedWebhookEventError('invalid_json');
  }
  const parsed = InvoicedWebhookEventSchema.safeParse(json);
  if (!parsed.success) throw new InvoicedWebhookEventError('invalid_event', toValidationIssues(parsed.error.issues));
  const event = parsed.data;
  if (namedKind(event.type) !== undefined && invoicedEventTarget(event) === null && isRecordItself(event)) {
    throw new InvoicedWebhookEventError('invalid_event', [{ path: 'data.object.id', message: 'must be the ID of the record' }]);
  }
  return event;
}

/** The record an event names: its kind and its Invoiced ID. */
export interface InvoicedEventTarget {
  readonly entity: EntityKind;
  readonly sourceId: string;
}

/** Event type prefixes the sync maps, with the `object` name Invoiced gives such a record. */
const KINDS: Readonly<Record<string, { entity: EntityKind; object: string }>> = {
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

function namedKind(type: string): { entity: EntityKind; object: string } | undefined {
  const [prefix] = split(type);
  return Object.hasOwn(KINDS, prefix) ? KINDS[prefix] : undefined;
}

/**
 * Whether the event's object is the record its type names. Not every action's is: `invoice.viewed` and
 * `credit_note.viewed` carry the document view, not the document (chriscouch/invoiced-mcp
 * `.../backend-dev/src/ActivityLog/Models/Event.php`, `getHrefValue`, takes the invoice from the event's
 * associations for them; the view is created in the code that records a document view), and a comment or a
 * promise to pay is not the invoice either. So: the object's own `object` name when it has one, else only
 * `created`, `updated` and `deleted` (assumed: the stricter reading, which never takes another record's
 * ID for the document's).
 */
function isRecordItself(event: { readonly type: string; readonly data: { readonly object: Readonly<Record<string, unknown>> } }): boolean {
  const kind = namedKind(event.type);
  if (kind === undefined) return false;
  const objectName = event.data.object.object;
  if (typeof objectName === 'string') return objectName === kind.object;
  return RECORD_ACTIONS.has(split(event.type)[1]);
}

function isId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d{1,18}$/.test(value) && !/^0+$/.test(value));
}

/**
 * The record an event names, or `null` for an event the sync has no use for (accepted and ignored).
 * `customer.*`, `invoice.*`, `credit_note.*`, `payment.*` and `refund.*` name the object's `id` when the
 * object is that record (see the rule above: `invoice.viewed` carries a view, and is ignored). `transaction.*`
 * (Invoiced's older model of money movements, still emitted: chriscouch/invoiced-mcp
 * `.../backend-dev/src/CashApplication/Models/Transaction.php` declares `payment`, the Payment a
 * transaction belongs to) names that payment when the transaction has one, else nothing. Pure.
 *
 * @example invoicedEventTarget({ type: 'payment.created', data: { object: { id: 42 } } }); // { entity: 'payment', sourceId: '42' }
 */
export function invoicedEventTarget(event: { readonly type: string; readonly data: { readonly object: Readonly<Record<string, unknown>> } }): InvoicedEventTarget | null {
  const object = event.data.object;
  const [prefix] = split(event.type);
  if (prefix === 'transaction') {
    // Assumed: the payment is its ID, or an object with one when expanded.
    const payment = object.payment;
    const id = typeof payment === 'object' && payment !== null ? (payment as Record<string, unknown>).id : payment;
    return isId(id) ? { entity: 'payment', sourceId: String(id) } : null;
  }
  const kind = namedKind(event.type);
  if (kind === undefined || !isRecordItself(event) || !isId(object.id)) return null;
  return { entity: kind.entity, sourceId: String(object.id) };
}
