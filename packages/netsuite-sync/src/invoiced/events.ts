/**
 * Invoiced's events (`client.events`): the record of every change on the account, the same objects
 * Invoiced's webhooks deliver. Sources: Invoiced/api `source/includes/_events.md` (the Event object,
 * `GET /events` newest first, `related_to`) and Invoiced's service (`start_date` / `end_date` in UNIX
 * seconds, inclusive; `filter[type]`), see docs/fidelity.md. The event's schema and the record it names
 * are in `event-schema.ts`.
 */
import { ConfigurationError, toValidationIssues } from '../errors';
import { invalidResponseError } from './errors';
import { checkId, type InvoicedReadOptions } from './inputs';
import { InvoicedList, toUnixSeconds } from './pagination';
import type { ResourceTransport } from './resources';
import { InvoicedEventSchema, type InvoicedEvent } from './event-schema';

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
