/**
 * Invoiced's events (`client.events`): the record of every change on the account, the same objects
 * Invoiced's webhooks deliver. Sources: Invoiced/api `source/includes/_events.md` (the Event object,
 * `GET /events` newest first, `related_to`) and Invoiced's service (`start_date` / `end_date` in UNIX
 * seconds, inclusive; `filter[type]`), see docs/fidelity.md. Also the one place that says which record an
 * event names ({@link invoicedEventTarget}), for the webhook handler and the engine's change feed alike.
 */
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import { invalidResponseError } from './errors';
import { checkId, type InvoicedReadOptions } from './inputs';
import { InvoicedList, toUnixSeconds } from './pagination';
import type { ResourceTransport } from './resources';

const eventId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform((value) => String(value));

/**
 * An Invoiced event: `{ id, type, timestamp, data: { object, previous? } }`. The object is kept as Invoiced
 * sent it (only its `id` is read), so an object of a shape this package does not know never fails a list.
 */
export const InvoicedEventSchema = z.looseObject({
  id: eventId,
  /** `invoice.created`, `payment.deleted`... */
  type: z.string().min(1).max(100),
  /** UNIX seconds. */
  timestamp: z.number().int().nonnegative(),
  data: z.looseObject({
    object: z.looseObject({ id: z.union([z.number().int(), z.string()]).optional() }),
    previous: z.record(z.string(), z.unknown()).nullish(),
  }),
});
/** An Invoiced event, with its ID as a string. */
export type InvoicedEvent = z.infer<typeof InvoicedEventSchema>;

/** Options of `client.events.list`. */
export interface InvoicedEventListOptions {
  /** Only events at or after this time (`start_date`, inclusive): a `Date` or UNIX seconds. */
  since?: Date | number | undefined;
  /** Only events at or before this time (`end_date`, inclusive). */
  until?: Date | number | undefined;
  /** Only events of one type, e.g. `invoice.deleted` (`filter[type]`). */
  type?: string | undefined;
  /** Records per page, 1 to 100. @default 100 */
  perPage?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** `client.events`. */
export interface InvoicedEvents {
  /** `GET /events/{id}`. */
  retrieve(id: number, options?: InvoicedReadOptions): Promise<InvoicedEvent>;
  /**
   * `GET /events`, newest first (Invoiced's order), page by page as you iterate. Events that arrive while
   * you page push older ones to later pages, so a page may repeat events: de-duplicate by `id`.
   * @example
   * ```ts
   * for await (const event of invoiced.events.list({ since: new Date(Date.now() - 3_600_000) })) console.log(event.id, event.type);
   * ```
   */
  list(options?: InvoicedEventListOptions): InvoicedList<InvoicedEvent>;
}

/** Builds `client.events` on top of the client's `send`. */
export function createEvents(transport: ResourceTransport): { events: InvoicedEvents } {
  return {
    events: {
      retrieve: async (id, options = {}) => {
        const path = `/events/${checkId(id)}`;
        const response = await transport.send('GET', path, { signal: options.signal });
        const parsed = InvoicedEventSchema.safeParse(response.body);
        if (parsed.success) return parsed.data;
        throw invalidResponseError({ method: 'GET', path, status: response.status, requestId: response.requestId }, 'an event', toValidationIssues(parsed.error.issues));
      },
      list: (options = {}) => {
        const query: Record<string, string | number> = {};
        if (options.since !== undefined) query.start_date = toUnixSeconds(options.since, 'since');
        if (options.until !== undefined) query.end_date = toUnixSeconds(options.until, 'until');
        if (options.type !== undefined) {
          if (typeof options.type !== 'string' || !/^[a-z_]+(\.[a-z_]+)+$/.test(options.type)) {
            throw new ConfigurationError('type must be an Invoiced event type such as invoice.deleted.', { issues: [{ path: 'type', message: 'must look like invoice.deleted' }] });
          }
          query['filter[type]'] = options.type;
        }
        return new InvoicedList<InvoicedEvent>(
          { baseUrl: transport.baseUrl, get: (path, signal) => transport.send('GET', path, { signal }), schema: InvoicedEventSchema, path: '/events', what: 'events', query },
          { perPage: options.perPage, signal: options.signal },
        );
      },
    },
  };
}

/** The kinds of record an event can name, spelled as the sync store spells them (`EntityKind`). */
export type InvoicedEventEntity = 'customer' | 'invoice' | 'payment' | 'creditNote' | 'refund';

/** The record an event names: its kind and Invoiced ID. */
export interface InvoicedEventTarget {
  readonly entity: InvoicedEventEntity;
  readonly sourceId: string;
}

/** Event type prefixes and the kind of record their object is. */
const OBJECT_KINDS: Readonly<Record<string, InvoicedEventEntity>> = {
  customer: 'customer',
  invoice: 'invoice',
  credit_note: 'creditNote',
  payment: 'payment',
  refund: 'refund',
};

/**
 * The record an event is about, or `null` for an event the sync has no use for (a subscription's, an
 * estimate's...). `transaction.*` events (Invoiced's older model of money movements) name the payment they
 * belong to when their object carries one (`payment`), else nothing.
 * @example invoicedEventTarget({ type: 'payment.created', data: { object: { id: 42 } } }); // { entity: 'payment', sourceId: '42' }
 */
export function invoicedEventTarget(event: { readonly type: string; readonly data: { readonly object: Readonly<Record<string, unknown>> } }): InvoicedEventTarget | null {
  const prefix = event.type.slice(0, event.type.indexOf('.'));
  const object = event.data.object;
  if (prefix === 'transaction') {
    const payment = object.payment;
    return isId(payment) ? { entity: 'payment', sourceId: String(payment) } : null;
  }
  const entity = OBJECT_KINDS[prefix];
  return entity === undefined || !isId(object.id) ? null : { entity, sourceId: String(object.id) };
}

function isId(value: unknown): value is number | string {
  return (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value === 'string' && /^\d{1,18}$/.test(value) && !/^0+$/.test(value));
}
