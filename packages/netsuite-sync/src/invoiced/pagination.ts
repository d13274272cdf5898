/**
 * Listing Invoiced records: the list query (`filter[...]`, `metadata[...]`, `updated_after`, `sort`,
 * `per_page`) and an async iterator that follows `Link: rel="next"` page by page, in order. A `next` link
 * back to the page just read (the official Go SDK guards against `next` equal to `self`) or to an earlier
 * page never makes it loop.
 */
import type { z } from 'zod';
import type { ApiErrorContext } from '../errors';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { TransportResponse } from '../internal/transport';
import type { Query } from '../options';
import { buildQueryString } from '../internal/http';
import { InvoicedPaginationError, invalidResponseError } from './errors';

/** Largest page Invoiced serves, and its default size (a larger `per_page` is lowered to it). */
export const INVOICED_MAX_PER_PAGE = 100;

/** Options of every `list()`. */
export interface InvoicedListOptions {
  /**
   * Exact-match filters, sent as `filter[key]=value`. Booleans are sent as `1` / `0`.
   * @example invoiced.invoices.list({ filter: { paid: false, closed: false, customer: 1234 } });
   */
  filter?: Readonly<Record<string, string | number | boolean>> | undefined;
  /**
   * Exact-match metadata filters, sent as `metadata[key]=value`. A record without the key is left out.
   * @example invoiced.customers.list({ metadata: { netsuite_id: '4711' } });
   */
  metadata?: Readonly<Record<string, string>> | undefined;
  /**
   * Only records updated **strictly after** this time (`updated_after`): a `Date` or UNIX seconds. A record
   * updated in the same second as the cursor is not returned, so overlap your cursor (e.g. pass the last
   * `updated_at` seen minus a few seconds) and de-duplicate by `id`.
   * @example invoiced.invoices.list({ updatedAfter: new Date('2026-01-01T00:00:00Z') });
   */
  updatedAfter?: Date | number | undefined;
  /**
   * Sort order, as Invoiced spells it.
   * @example invoiced.invoices.list({ sort: 'updated_at ASC' });
   */
  sort?: string | undefined;
  /**
   * Records per page, 1 to 100.
   * @default 100
   */
  perPage?: number | undefined;
  /** Cancels the listing: the pending request and every later page. */
  signal?: AbortSignal | undefined;
}

/** Seconds above this are almost certainly milliseconds (year 5138). */
const MAX_UNIX_SECONDS = 1e11;

/** Turns a `Date` or UNIX seconds into the whole UNIX seconds Invoiced expects. */
export function toUnixSeconds(value: Date | number, field = 'updatedAfter'): number {
  const seconds = value instanceof Date ? value.getTime() / 1000 : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigurationError(`${field} must be a valid Date or non-negative UNIX seconds.`, {
      issues: [{ path: field, message: 'must be a valid Date or non-negative UNIX seconds' }],
    });
  }
  if (seconds > MAX_UNIX_SECONDS) {
    throw new ConfigurationError(`${field} looks like milliseconds; Invoiced expects UNIX seconds.`, {
      issues: [{ path: field, message: 'looks like milliseconds; pass seconds or a Date' }],
    });
  }
  // Flooring keeps the strict `>` exact: Invoiced timestamps are whole seconds.
  return Math.floor(seconds);
}

function invalid(path: string, message: string): never {
  throw new ConfigurationError(`Invalid list option ${path}: ${message}.`, { issues: [{ path, message }] });
}

/** Builds the query of the first page; throws `ConfigurationError` for a bad option. */
export function buildListQuery(options: InvoicedListOptions): { query: Query; perPage: number } {
  const perPage = options.perPage ?? INVOICED_MAX_PER_PAGE;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > INVOICED_MAX_PER_PAGE) {
    invalid('perPage', `must be an integer from 1 to ${INVOICED_MAX_PER_PAGE}`);
  }
  const query: Record<string, string | number> = { page: 1, per_page: perPage };
  for (const [key, value] of Object.entries(options.filter ?? {})) {
    if (key === '') invalid('filter', 'keys must not be empty');
    if (typeof value === 'boolean') query[`filter[${key}]`] = value ? 1 : 0;
    else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) query[`filter[${key}]`] = value;
    else invalid(`filter.${key}`, 'must be a string, a finite number or a boolean');
  }
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (key === '') invalid('metadata', 'keys must not be empty');
    if (typeof value !== 'string') invalid(`metadata.${key}`, 'must be a string');
    query[`metadata[${key}]`] = value;
  }
  if (options.updatedAfter !== undefined) query.updated_after = toUnixSeconds(options.updatedAfter);
  if (options.sort !== undefined) {
    if (typeof options.sort !== 'string' || options.sort.trim() === '') invalid('sort', 'must be a non-empty string');
    query.sort = options.sort;
  }
  return { query, perPage };
}

/** Parses an RFC 8288 `Link` header into a map of relation to URL (first URL wins per relation). */
export function parseLinkHeader(value: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (value === null) return links;
  for (const match of value.matchAll(/<([^>]*)>([^<]*)/g)) {
    const [, url = '', params = ''] = match;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(params);
    const names = rel?.[1] ?? rel?.[2];
    if (names === undefined) continue;
    for (const name of names.trim().toLowerCase().split(/\s+/)) {
      if (!links.has(name)) links.set(name, url.trim());
    }
  }
  return links;
}

/**
 * The path and query of a `next` link, relative to the base URL, for the transport to request. Refuses a
 * link to another origin or outside the base path: the API key would be sent there.
 */
export function nextLinkToPath(link: string, baseUrl: string, context: ApiErrorContext): string {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const url = URL.canParse(link, baseUrl) ? new URL(link, baseUrl) : undefined;
  if (url === undefined || url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) {
    const where = url === undefined ? 'an unparseable URL' : url.origin === base.origin ? `${url.pathname}` : url.origin;
    throw new InvoicedPaginationError(
      `Invoiced ${context.method} ${context.path} gave a next-page link to ${where}, outside ${base.origin}${basePath}; not following it.`,
      { ...context, code: 'INVOICED_FOREIGN_NEXT_LINK' },
    );
  }
  return `${url.pathname.slice(basePath.length)}${url.search}`;
}

/** What a list needs from the client. */
export interface ListSource<T> {
  readonly baseUrl: string;
  /** Sends one GET through the shared transport. */
  get(path: string, signal: AbortSignal | undefined): Promise<TransportResponse>;
  /** Schema of one record. */
  readonly schema: z.ZodType<T>;
  /** Collection path, e.g. `/invoices`. */
  readonly path: string;
  /** What the records are, for messages, e.g. `invoices`. */
  readonly what: string;
  /** Parameters every page of this list carries, e.g. `include=applied_to` for payments. */
  readonly query?: Query | undefined;
}

/**
 * A page's identity: its path and its parameters in a stable order, without the defaults Invoiced leaves
 * out of its links (`page=1`, `per_page=100`), so a link and the path requested compare equal.
 */
export function pageKey(path: string): string {
  const url = new URL(path, 'https://page.invalid');
  const params = [...url.searchParams]
    .filter(([name, value]) => !(name === 'page' && value === '1') && !(name === 'per_page' && value === String(INVOICED_MAX_PER_PAGE)))
    .sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

/**
 * The records of a list, fetched one page at a time as you iterate. Pages are requested in order, one at
 * a time, never ahead of the link the previous page gave: Invoiced pages by cursor internally and wants
 * them in order. The next page is asked for as soon as the previous one has arrived, while its records are
 * handed out.
 *
 * @example
 * ```ts
 * for await (const invoice of invoiced.invoices.list({ filter: { paid: false } })) {
 *   console.log(invoice.number, invoice.balance);
 * }
 * ```
 */
export class InvoicedList<T> implements AsyncIterableIterator<T> {
  readonly #generator: AsyncGenerator<T, void, undefined>;
  #totalCount: number | undefined;
  #pagesFetched = 0;

  constructor(source: ListSource<T>, options: InvoicedListOptions) {
    const { query, perPage } = buildListQuery(options);
    this.#generator = this.#records(source, query, perPage, options.signal);
  }

  /** `X-Total-Count` of the last page fetched, when Invoiced sent it (it may not). */
  get totalCount(): number | undefined {
    return this.#totalCount;
  }

  /** Pages requested so far. */
  get pagesFetched(): number {
    return this.#pagesFetched;
  }

  next(): Promise<IteratorResult<T>> {
    return this.#generator.next() as Promise<IteratorResult<T>>;
  }

  return(): Promise<IteratorResult<T>> {
    return this.#generator.return() as Promise<IteratorResult<T>>;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Every remaining record, in order. Mind memory on large lists. */
  async toArray(): Promise<T[]> {
    const records: T[] = [];
    for await (const record of this) records.push(record);
    return records;
  }

  async *#records(source: ListSource<T>, listQuery: Query, perPage: number, signal: AbortSignal | undefined): AsyncGenerator<T, void, undefined> {
    const query: Query = { ...listQuery, ...source.query };
    const state = { page: 1, read: 0, previousFirstId: undefined as unknown, requested: new Set<string>() };
    let path = `${source.path}${buildQueryString(query)}`;
    state.requested.add(pageKey(path));
    const fetchPage = (pagePath: string) => {
      const pending = source.get(pagePath, signal);
      // Asked for before the previous page's records are handed out, maybe never awaited (the caller stops
      // iterating): its failure is seen only when it is awaited.
      pending.catch(() => undefined);
      return pending;
    };
    let pending = fetchPage(path);
    for (;;) {
      const response = await pending;
      this.#pagesFetched += 1;
      const context: ApiErrorContext = { method: 'GET', path, status: response.status, requestId: response.requestId };
      const total = Number(response.headers.get('x-total-count') ?? Number.NaN);
      if (Number.isSafeInteger(total) && total >= 0) this.#totalCount = total;
      const body: unknown = response.body;
      // A page that is not a list of records is refused before anything else.
      const count = Array.isArray(body) ? body.length : this.#parsePage(source, body, context).length;
      state.read += count;
      // The next page (its link is known now) is asked for while this one's records are checked and handed
      // out: still one page after the other, each by the cursor the previous one gave.
      const next = this.#nextPage(source, query, perPage, { path, response, count, context }, state);
      if (typeof next === 'string') pending = fetchPage(next);
      const records = this.#parsePage(source, body, context);
      yield* records;
      if (next === undefined) return;
      if (typeof next !== 'string') throw next;
      path = next;
    }
  }

  /** The records of one page, each checked against the list's schema. */
  #parsePage(source: ListSource<T>, body: unknown, context: ApiErrorContext): T[] {
    if (!Array.isArray(body)) {
      throw invalidResponseError(context, `a page of ${source.what}`, [{ path: '', message: 'Expected an array of records.' }]);
    }
    const records: T[] = [];
    for (const [index, item] of body.entries()) {
      const parsed = source.schema.safeParse(item);
      if (!parsed.success) {
        const issues = toValidationIssues(parsed.error.issues).map((issue) => ({
          ...issue,
          path: issue.path === '' ? String(index) : `${index}.${issue.path}`,
        }));
        throw invalidResponseError(context, `a page of ${source.what}`, issues);
      }
      records.push(parsed.data);
    }
    return records;
  }

  /**
   * Where the list goes after a page: the path of the next page, `undefined` at the end, or the error a
   * looping list is (thrown once the page's records are handed out).
   */
  #nextPage(
    source: ListSource<T>,
    query: Query,
    perPage: number,
    current: { path: string; response: TransportResponse; count: number; context: ApiErrorContext },
    state: { page: number; read: number; previousFirstId: unknown; requested: Set<string> },
  ): string | undefined | InvoicedPaginationError {
    const { path, response, count, context } = current;
    const linkHeader = response.headers.get('link');
    if (linkHeader !== null && linkHeader.trim() !== '') {
      const links = parseLinkHeader(linkHeader);
      const next = links.get('next');
      if (next === undefined) return undefined;
      const nextPath = nextLinkToPath(next, source.baseUrl, context);
      const self = links.get('self');
      const here = new Set([pageKey(path), ...(self === undefined ? [] : [pageKey(nextLinkToPath(self, source.baseUrl, context))])]);
      if (here.has(pageKey(nextPath))) {
        // `next` is this very page: the end of the list when the page shows it is the last one.
        const total = this.#totalCount;
        if (count < perPage || (total !== undefined && state.read >= total)) return undefined;
        return new InvoicedPaginationError(`Invoiced ${context.method} ${context.path} gave a next-page link to the page itself, before the end of the list.`, {
          ...context,
          code: 'INVOICED_PAGINATION_LOOP',
        });
      }
      if (state.requested.has(pageKey(nextPath))) {
        return new InvoicedPaginationError(`Invoiced ${context.method} ${context.path} links back to a page already read.`, {
          ...context,
          code: 'INVOICED_PAGINATION_LOOP',
        });
      }
      state.requested.add(pageKey(nextPath));
      return nextPath;
    }
    // No Link header: a short page is the last one.
    if (count < perPage) return undefined;
    const firstId = (response.body as { id?: unknown }[])[0]?.id;
    if (state.page > 1 && firstId !== undefined && firstId === state.previousFirstId) {
      return new InvoicedPaginationError(`Invoiced ${context.method} ${context.path} returned the same page twice.`, {
        ...context,
        code: 'INVOICED_PAGINATION_LOOP',
      });
    }
    state.previousFirstId = firstId;
    state.page += 1;
    return `${source.path}${buildQueryString({ ...query, page: state.page })}`;
  }
}
