/**
 * The simulated Invoiced API: routes `/{resource}`, `/{resource}/{id}` and `/{resource}/{id}/void` for
 * customers, invoices, payments and credit notes, behind Basic auth and Invoiced's idempotency keys.
 * (The 20-in-flight limit, latency and faults are the sandbox's governance, outside this service.)
 */
import { randomUUID } from 'node:crypto';
import { empty, json, type SandboxOutcome, type SandboxRequest, type ServiceHandler } from '../http';
import { isAuthorized, unauthorizedOutcome } from './auth';
import { InvoicedDatabase } from './database';
import { errorOutcome, internalErrorOutcome, invalidRequest, InvoicedRequestError, notFound } from './errors';
import { checkIdempotencyKey, IdempotencyStore } from './idempotency';
import { listResponse, parseListQuery, selectRecords, type ListQuery } from './listing';
import type { InvoicedResourceName } from './records';
import { isResourceName, RESOURCES, type ResourceModel } from './resources';
import type { InvoicedState } from './state';
import { createInvoicedState } from './state';

/** Options of {@link createInvoicedService}. */
export interface InvoicedServiceOptions {
  /** The only API key accepted (HTTP Basic user name, empty password). */
  apiKey: string;
  /**
   * Time of the account: `created_at` / `updated_at`, `past_due`, idempotency expiry.
   * @default () => new Date()
   */
  clock?: () => Date;
}

/** A simulated Invoiced account. */
export interface InvoicedService {
  /** Answers one HTTP request. */
  readonly handle: ServiceHandler;
  /** The records, for arranging and asserting without HTTP. */
  readonly state: InvoicedState;
}

const SINGULAR: Readonly<Record<InvoicedResourceName, string>> = {
  customers: 'customer',
  invoices: 'invoice',
  payments: 'payment',
  credit_notes: 'credit_note',
};

/** `[prefix]/{resource}[/{id}[/{action}]]`; the prefix allows a base URL with a path. */
const ROUTE = /^.*?\/(customers|invoices|payments|credit_notes)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/;

function methodNotAllowed(allowed: string): SandboxOutcome {
  return json(405, { type: 'invalid_request', message: 'Method not allowed.' }, { allow: allowed });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
}

/**
 * Rendered and sorted listings, by resource and query (the page aside), kept while the data and the clock's
 * second stay the same: paging through a long list renders it once, not once per page, as a database
 * with indexes would spare Invoiced. Only the latest listing per query is kept.
 */
type ListingCache = Map<string, { version: number; second: number; records: readonly { id: number }[] }>;

function listed(cache: ListingCache, db: InvoicedDatabase, name: string, query: ListQuery, select: () => { id: number }[]): readonly { id: number }[] {
  const { page: _page, perPage: _perPage, ...rest } = query;
  const key = `${name}?${JSON.stringify(rest)}`;
  const kept = cache.get(key);
  if (kept !== undefined && kept.version === db.version && kept.second === db.now()) return kept.records;
  const records = select();
  if (cache.size > 50) cache.clear();
  cache.set(key, { version: db.version, second: db.now(), records });
  return records;
}

function route(db: InvoicedDatabase, request: SandboxRequest, method: string, cache: ListingCache): SandboxOutcome {
  const match = ROUTE.exec(request.url.pathname);
  const [, name = '', rawId, action] = match ?? [];
  if (match === null || !isResourceName(name)) {
    throw new InvoicedRequestError(404, `Unknown endpoint: ${method} ${request.url.pathname}`);
  }
  // Every record is answered as an object with an `id`; that is all routing and listing need to know.
  const model: ResourceModel<{ id: number }> = RESOURCES[name];

  if (rawId === undefined) {
    if (method === 'GET') {
      const query = parseListQuery(request.url, model.list);
      return listResponse(listed(cache, db, name, query, () => selectRecords(model.renderAll(db), query)), query, request.url);
    }
    if (method === 'POST') return json(201, model.render(db, model.create(db, parseJson(request.body))));
    return methodNotAllowed('GET, POST');
  }

  const id = /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(SINGULAR[name], rawId);

  if (action !== undefined) {
    if (action !== 'void' || model.void === undefined) {
      throw new InvoicedRequestError(404, `Unknown endpoint: ${method} ${request.url.pathname}`);
    }
    if (method !== 'POST') return methodNotAllowed('POST');
    model.void(db, id);
    return json(200, model.render(db, id));
  }

  switch (method) {
    case 'GET':
      return json(200, model.render(db, id));
    case 'PATCH':
      model.update(db, id, parseJson(request.body));
      return json(200, model.render(db, id));
    case 'DELETE':
      model.remove(db, id);
      return empty(204);
    default:
      return methodNotAllowed('GET, PATCH, DELETE');
  }
}

function execute(db: InvoicedDatabase, request: SandboxRequest, method: string, cache: ListingCache): SandboxOutcome {
  if (method !== 'GET') db.touch();
  try {
    return route(db, request, method, cache);
  } catch (error) {
    if (error instanceof InvoicedRequestError) return errorOutcome(error);
    return internalErrorOutcome(error);
  }
}

function withHeaders(outcome: SandboxOutcome, headers: Readonly<Record<string, string>>): SandboxOutcome {
  return outcome.kind === 'response' ? { ...outcome, headers: { ...outcome.headers, ...headers } } : outcome;
}

/**
 * Creates a simulated Invoiced account that answers the API over the sandbox's transports.
 *
 * @example
 * ```ts
 * const invoiced = createInvoicedService({ apiKey: 'sk_test_123', clock: () => now });
 * invoiced.state.insert('customers', { name: 'Acme' });
 * const outcome = await invoiced.handle({
 *   method: 'GET',
 *   url: new URL('https://api.sandbox.invoiced.com/customers?per_page=10'),
 *   headers: new Headers({ authorization: `Basic ${btoa('sk_test_123:')}` }),
 *   body: '',
 * });
 * ```
 */
export function createInvoicedService(options: InvoicedServiceOptions): InvoicedService {
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey === '' || apiKey.includes(':')) {
    throw new TypeError('createInvoicedService: apiKey must be a non-empty string without ":".');
  }
  const db = new InvoicedDatabase(options.clock ?? (() => new Date()));
  const idempotency = new IdempotencyStore();
  const cache: ListingCache = new Map();

  const answer = (request: SandboxRequest): SandboxOutcome => {
    if (!isAuthorized(request.headers, apiKey)) return unauthorizedOutcome();
    const method = request.method.toUpperCase();
    const key = request.headers.get('idempotency-key');
    // Invoiced only honours keys on POST and PATCH; other methods ignore the header.
    if (key === null || (method !== 'POST' && method !== 'PATCH')) return execute(db, request, method, cache);
    try {
      checkIdempotencyKey(key);
    } catch (error) {
      if (error instanceof InvoicedRequestError) return errorOutcome(error);
      throw error;
    }
    const kept = idempotency.find(key, db.nowMs());
    idempotency.record({ key, method, path: request.url.pathname, replayed: kept !== undefined });
    if (kept !== undefined) {
      return {
        kind: 'response',
        status: kept.status,
        headers: { ...kept.headers, 'idempotent-replayed': 'true' },
        body: structuredClone(kept.body),
      };
    }
    const outcome = execute(db, request, method, cache);
    if (outcome.kind === 'response') {
      idempotency.keep(key, { status: outcome.status, headers: outcome.headers ?? {}, body: outcome.body, storedAtMs: db.nowMs() });
    }
    return outcome;
  };

  return {
    // Through a promise chain, so a bug in the model rejects instead of throwing synchronously.
    handle: (request) => Promise.resolve(request).then((sent) => withHeaders(answer(sent), { 'x-request-id': randomUUID() })),
    state: createInvoicedState(db, idempotency),
  };
}
