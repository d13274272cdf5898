/**
 * The simulated Invoiced API: routes `/{resource}` (GET, POST), `/{resource}/{id}` (GET, PATCH, DELETE)
 * and `/{resource}/{id}/void` (POST; invoices and credit notes) for customers, invoices, payments and
 * credit notes, and the charge and refund routes of `refund-routes.ts`, behind Basic auth or an OAuth bearer token and Invoiced's idempotency keys. A payment's
 * `applied_to` is answered only when the query says `include=applied_to`. (The 20-in-flight limit,
 * latency and faults are the sandbox's governance, outside this service.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { empty, json, type SandboxOutcome, type SandboxRequest, type ServiceHandler } from '../http';
import { authenticate, unauthorizedOutcome } from './auth';
import { readBody } from './bodies';
import { InvoicedDatabase } from './database';
import { errorOutcome, internalErrorOutcome, InvoicedRequestError, methodNotAllowed, notFound, routeNotFound } from './errors';
import { pageOf, PaginationCursors } from './cursors';
import { checkIdempotencyKey, IdempotencyStore } from './idempotency';
import { listResponse, parseListQuery, type ListQuery, type ListSpec } from './listing';
import { answeredSource, ListingCache, type ListSource } from './list-sources';
import { withSentMetadata } from './metadata';
import type { InvoicedResourceName } from './records';
import { routeEvents } from './event-routes';
import { EventLog } from './events';
import { routeRefunds } from './refund-routes';
import { isResourceName, RESOURCES, type ResourceModel } from './resources';
import type { InvoicedState } from './state';
import { createInvoicedState } from './state';
import { createWebhooks, type InvoicedWebhookOptions, type InvoicedWebhooks } from './webhooks';

/** Options of {@link createInvoicedService}. */
export interface InvoicedServiceOptions {
  /** The only API key accepted (HTTP Basic user name, empty password). */
  apiKey: string;
  /**
   * OAuth access tokens accepted as `Authorization: Bearer <token>`, besides those
   * `state.issueAccessToken()` issues later.
   * @default []
   */
  accessTokens?: readonly string[];
  /**
   * Time of the account: `created_at` / `updated_at`, `past_due`, idempotency expiry.
   * @default () => new Date()
   */
  clock?: () => Date;
  /** The webhook engine's retry schedule, timeouts, concurrency and secret seed. */
  webhooks?: InvoicedWebhookOptions;
}

/** A simulated Invoiced account. */
export interface InvoicedService {
  /** Answers one HTTP request. */
  readonly handle: ServiceHandler;
  /** The records, for arranging and asserting without HTTP. */
  readonly state: InvoicedState;
  /** Webhook endpoints, which get every new event over HTTP. */
  readonly webhooks: InvoicedWebhooks;
}

const SINGULAR: Readonly<Record<InvoicedResourceName, string>> = {
  customers: 'customer',
  invoices: 'invoice',
  payments: 'payment',
  credit_notes: 'credit_note',
};

/** `[prefix]/{resource}[/{id}[/{action}]]`; the prefix allows a base URL with a path. */
const ROUTE = /^.*?\/(customers|invoices|payments|credit_notes)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/;

/** Headers Invoiced puts on every API answer. */
const API_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-cache, no-store', 'www-authenticate': 'Basic realm="Invoiced"' };

/** The properties named by `include` (`include=a,b` or `include[]=a`), as Invoiced reads them. */
function includes(url: URL): ReadonlySet<string> {
  const names = new Set<string>();
  for (const [key, value] of url.searchParams) {
    if (key !== 'include' && !/^include\[\d*\]$/.test(key)) continue;
    for (const name of value.split(',')) if (name !== '') names.add(name);
  }
  return names;
}

/** A record as answered to this request: a payment's `applied_to` only when the query includes it. */
function shape(name: InvoicedResourceName, included: ReadonlySet<string>): (record: unknown) => unknown {
  if (name !== 'payments' || included.has('applied_to')) return (record) => record;
  return (record) => {
    const { applied_to: _appliedTo, ...rest } = record as Record<string, unknown>;
    return rest;
  };
}

function route(db: InvoicedDatabase, request: SandboxRequest, method: string, caches: Caches): SandboxOutcome {
  const { listings, cursors } = caches;
  const path = request.url.pathname;
  const match = ROUTE.exec(path);
  const [, name = '', rawId, action] = match ?? [];
  // Every record is answered as an object with an `id`; that is all routing and listing need to know.
  const list = (
    listName: string,
    spec: ListSpec,
    source: ListSource,
    answer?: (record: unknown) => unknown,
    adjust: (query: ListQuery) => ListQuery = (query) => query,
  ) => {
    const query = adjust(parseListQuery(request.url, spec));
    const records = listings.select(db, listName, source, query);
    const page = pageOf(cursors, listName, records, query, db.nowMs()).map((record) => source.render(record));
    return listResponse(records.length, page, query, request.url, answer);
  };
  // Events and refunds: answered records, listed as they are.
  const listAnswered = (listName: string, spec: ListSpec, renderAll: () => { id: number }[], answer?: (record: unknown) => unknown, adjust?: (query: ListQuery) => ListQuery) =>
    list(listName, spec, answeredSource(renderAll), answer, adjust);
  if (match === null || !isResourceName(name)) {
    const events = routeEvents(caches.events, request, method, listAnswered);
    if (events !== undefined) return events;
    const charges = routeRefunds({ db, request, method, list: listAnswered });
    if (charges !== undefined) return charges;
    throw routeNotFound(method, path);
  }
  const model: ResourceModel<{ id: number }> = RESOURCES[name];
  const answer = shape(name, includes(request.url));
  const body = () => readBody(request.headers.get('content-type'), request.body);

  if (rawId === undefined) {
    if (method === 'GET') return list(name, model.list, model.source(db), answer);
    if (method === 'POST') {
      const sent = body();
      return json(201, answer(withSentMetadata(model.render(db, model.create(db, sent)), sent)));
    }
    throw methodNotAllowed(method, path);
  }

  // Invoiced matches the route (path, then method) before it looks the record up.
  if (action !== undefined) {
    if (action !== 'void' || !model.voidRoute || model.void === undefined) throw routeNotFound(method, path);
    if (method !== 'POST') throw methodNotAllowed(method, path);
  } else if (method !== 'GET' && method !== 'PATCH' && method !== 'DELETE') {
    throw methodNotAllowed(method, path);
  }

  const id = /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(SINGULAR[name], rawId);

  if (action !== undefined) {
    model.void?.(db, id);
    return json(200, answer(model.render(db, id)));
  }
  if (method === 'GET') return json(200, answer(model.render(db, id)));
  if (method === 'PATCH') {
    const sent = body();
    model.update(db, id, sent);
    return json(200, answer(withSentMetadata(model.render(db, id), sent)));
  }
  model.remove(db, id);
  return model.deleteAnswers === 'record' ? json(200, answer(model.render(db, id))) : empty(204);
}

/** What the service keeps besides the records. */
interface Caches {
  readonly listings: ListingCache;
  readonly cursors: PaginationCursors;
  /** The account's events: committed after every write. */
  readonly events: EventLog;
}

function execute(db: InvoicedDatabase, request: SandboxRequest, method: string, caches: Caches): SandboxOutcome {
  if (method !== 'GET') db.touch();
  try {
    return route(db, request, method, caches);
  } catch (error) {
    if (error instanceof InvoicedRequestError) return errorOutcome(error);
    return internalErrorOutcome(error);
  } finally {
    // Events are written once the request's changes are saved (Invoiced's EventSpool flushes at the end).
    caches.events.commit();
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
  const events = new EventLog(db);
  const webhooks = createWebhooks(options.webhooks);
  events.subscribe((event) => webhooks.deliver(event));
  const caches: Caches = { listings: new ListingCache(), cursors: new PaginationCursors(), events };
  const accessTokens = new Set<string>(options.accessTokens ?? []);
  const issueAccessToken = () => {
    const token = randomBytes(24).toString('base64url');
    accessTokens.add(token);
    return token;
  };

  const answer = (request: SandboxRequest): SandboxOutcome => {
    const who = authenticate(request.headers, apiKey, accessTokens);
    if (who.kind === 'refused') return unauthorizedOutcome(who.message);
    const method = request.method.toUpperCase();
    const key = request.headers.get('idempotency-key');
    // Keys are read for API-key requests only; PHP treats '' and '0' as no key.
    if (who.kind !== 'api_key' || key === null || key === '' || key === '0') return execute(db, request, method, caches);
    try {
      checkIdempotencyKey(key, method);
    } catch (error) {
      if (error instanceof InvoicedRequestError) return errorOutcome(error);
      throw error;
    }
    const kept = idempotency.find(key, db.nowMs());
    idempotency.record({ key, method, path: request.url.pathname, replayed: kept !== undefined });
    // Invoiced keeps a status and a body, and replays them as a new JSON answer.
    if (kept !== undefined) return json(kept.status, structuredClone(kept.body));
    const outcome = execute(db, request, method, caches);
    if (outcome.kind === 'response') idempotency.keep(key, { status: outcome.status, body: outcome.body, storedAtMs: db.nowMs() });
    return outcome;
  };

  return {
    // Through a promise chain, so a bug in the model rejects instead of throwing synchronously.
    handle: (request) =>
      Promise.resolve(request).then((sent) => withHeaders(answer(sent), { ...API_HEADERS, 'x-request-id': randomUUID() })),
    state: createInvoicedState(db, idempotency, issueAccessToken, () => caches.cursors.reset(), events),
    webhooks,
  };
}
