/**
 * The REST record service, `/services/rest/record/v1/{type}[/{id}|/eid:{externalId}]`, over HTTP:
 * collections with `limit` / `offset` / `q`, GET with `expandSubResources` and `fields`, POST (204 +
 * `Location`), PATCH (204 + `Location`), PUT by external ID (create, or update as PATCH does; 204 + `Location`) and DELETE
 * (recorded in `DeletedRecord` with context `webservices`). POST, PATCH and PUT take `replace=` (the
 * sublists whose lines the body replaces) and `X-NetSuite-PropertyNameValidation` (what an unknown field
 * does: `Error`, or `Warning`, the default, and `Ignore`, which drop it).
 */
import type { SandboxOutcome, SandboxRequest } from '../http';
import type { NameValidation, WriteOrigin } from './body-check';
import { badRequest, errorOutcome, NetSuiteSimulatorError, notFound, responseHeaders } from './errors';
import { pickFields, RECORD_PATH, recordTypeOf, recordUrl, selfLinks, type NetSuiteRecordType, type WriteOptions } from './record-common';
import { compileFilter } from './record-filter';
import { SUBLIST_NAMES } from './record-schemas';
import type { RecordStore } from './record-store';

/** The most records a collection page holds. */
export const MAX_PAGE_SIZE = 1000;

function jsonBody(request: SandboxRequest): unknown {
  try {
    return JSON.parse(request.body);
  } catch {
    throw badRequest('INVALID_CONTENT', 'The request body is not valid JSON.');
  }
}

/** Reads an integer query parameter within bounds, or 400 `INVALID_PARAMETER` naming it. */
export function integerParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest('INVALID_PARAMETER', `Invalid '${name}' parameter value: ${JSON.stringify(raw)}. It must be an integer from ${min} to ${max}.`, { queryParam: name });
  }
  return value;
}

/** The most results a collection shows (Oracle's "Collection Paging", without SuiteAnalytics Connect). */
export const MAX_COLLECTION_RESULTS = 100_000;
/** The most pages a collection shows (same page), whatever the page size. */
export const MAX_COLLECTION_PAGES = 1000;

/** Whether the page at `offset` is one NetSuite shows: within 1000 pages and 100,000 results. */
function reachable(offset: number, limit: number): boolean {
  return offset / limit < MAX_COLLECTION_PAGES && offset + limit <= MAX_COLLECTION_RESULTS;
}

function collection(store: RecordStore, request: SandboxRequest, type: NetSuiteRecordType): SandboxOutcome {
  const { url } = request;
  const limit = integerParam(url, 'limit', MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const offset = integerParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  if (offset % limit !== 0) {
    throw badRequest('INVALID_PARAMETER', `Invalid 'offset' parameter value: ${offset}. The offset must be a multiple of the limit (${limit}).`, { queryParam: 'offset' });
  }
  if (!reachable(offset, limit)) {
    throw badRequest(
      'INVALID_PARAMETER',
      `Invalid 'offset' parameter value: ${offset}. A collection shows at most ${MAX_COLLECTION_PAGES} pages and ${MAX_COLLECTION_RESULTS} results; narrow the query with q.`,
      { queryParam: 'offset' },
    );
  }
  const ids = store.list(type, compileFilter(type, url.searchParams.get('q')));
  const page = ids.slice(offset, offset + limit);
  const hasMore = offset + page.length < ids.length;
  // Oracle's customer paging use case carries `q` in the `self` link only: the other links would page the
  // whole collection, so a client must build its own page URLs (the stricter reading of that example).
  const href = (at: number, withQuery = false) => {
    const link = new URL(`${url.origin}${RECORD_PATH}/${type}`);
    link.searchParams.set('limit', String(limit));
    link.searchParams.set('offset', String(at));
    const q = url.searchParams.get('q');
    if (withQuery && q !== null) link.searchParams.set('q', q);
    return link.href;
  };
  // The last page shown: the one holding the last record, or the last one NetSuite would still show.
  const lastShown = Math.min((MAX_COLLECTION_PAGES - 1) * limit, Math.floor((MAX_COLLECTION_RESULTS - limit) / limit) * limit);
  const last = Math.min(ids.length === 0 ? 0 : Math.floor((ids.length - 1) / limit) * limit, lastShown);
  // Oracle's examples: a single page has only `self`; the first of several `next`, `last`, `self`; a middle
  // page `previous`, `first`, `next`, `last`, `self`. The last page (no example) mirrors the first.
  const more = hasMore && offset < last;
  const links = [
    ...(offset > 0 ? [{ rel: 'previous', href: href(Math.max(0, offset - limit)) }, { rel: 'first', href: href(0) }] : []),
    ...(more ? [{ rel: 'next', href: href(offset + limit) }, { rel: 'last', href: href(last) }] : []),
    { rel: 'self', href: href(offset, true) },
  ];
  return {
    kind: 'response',
    status: 200,
    headers: responseHeaders('application/vnd.oracle.resource+json; type=collection'),
    body: {
      links,
      count: page.length,
      hasMore,
      items: page.map((id) => ({ links: selfLinks(recordUrl(url.origin, type, id)), id: String(id) })),
      offset,
      totalResults: ids.length,
    },
  };
}

const NAME_HEADER = 'X-NetSuite-PropertyNameValidation';
const NAME_VALIDATIONS: readonly NameValidation[] = ['Error', 'Warning', 'Ignore'];

/** How a REST write of `type` runs: its `replace` sublists and its name validation. */
function writeOptions(request: SandboxRequest, type: NetSuiteRecordType): WriteOptions {
  const header = request.headers.get(NAME_HEADER);
  const names = header === null ? 'Warning' : NAME_VALIDATIONS.find((mode) => mode.toLowerCase() === header.trim().toLowerCase());
  if (names === undefined) {
    throw badRequest('INVALID_HEADER', `Invalid ${NAME_HEADER} header value ${JSON.stringify(header)}: use Error, Warning or Ignore.`, { header: NAME_HEADER });
  }
  const replace = (request.url.searchParams.get('replace') ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = replace.find((name) => !SUBLIST_NAMES[type].includes(name));
  if (unknown !== undefined) {
    throw badRequest('INVALID_PARAMETER', `Invalid 'replace' parameter value: ${type} has no sublist ${JSON.stringify(unknown)}.`, { queryParam: 'replace' });
  }
  const origin: WriteOrigin = { rest: true, names };
  return { replace: new Set(replace), origin };
}

function located(url: URL, segment: string, id: number): SandboxOutcome {
  return { kind: 'response', status: 204, headers: { ...responseHeaders(), location: recordUrl(url.origin, segment, id) } };
}

function methodNotAllowed(method: string, path: string): NetSuiteSimulatorError {
  return new NetSuiteSimulatorError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported on ${path}.`);
}

function route(store: RecordStore, request: SandboxRequest, subpath: string): SandboxOutcome {
  const segments = subpath.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  const [segment = '', key, ...rest] = segments;
  const type = recordTypeOf(segment);
  if (type === undefined) throw new NetSuiteSimulatorError(404, 'INVALID_RCRD_TYPE', `Record type '${segment}' does not exist or is not supported by the simulator.`);
  if (rest.length > 0) throw new NetSuiteSimulatorError(404, 'NONEXISTENT_ID', `Sub-resource paths are not simulated: ${request.url.pathname}.`);
  const method = request.method.toUpperCase();
  const { url } = request;

  if (key === undefined) {
    if (method === 'GET') return collection(store, request, type);
    if (method === 'POST') return located(url, segment, store.create(type, jsonBody(request), writeOptions(request, type)));
    throw methodNotAllowed(method, url.pathname);
  }
  if (method === 'PUT') {
    if (!key.startsWith('eid:')) throw methodNotAllowed('PUT', `${url.pathname} (PUT needs eid:<externalId>)`);
    const { id } = store.upsert(type, key.slice(4), jsonBody(request), writeOptions(request, type));
    return located(url, segment, id);
  }
  const id = store.resolve(type, key);
  if (id === undefined) throw notFound(type, key);
  if (method === 'GET') {
    const expand = url.searchParams.get('expandSubResources') === 'true';
    const fields = url.searchParams.get('fields')?.split(',').map((field) => field.trim()).filter((field) => field !== '');
    const record = store.render(type, id, { base: url.origin, expand });
    if (record === undefined) throw notFound(type, key);
    return { kind: 'response', status: 200, headers: responseHeaders('application/vnd.oracle.resource+json; type=singular'), body: pickFields(record, fields) };
  }
  if (method === 'PATCH') {
    store.update(type, id, jsonBody(request), writeOptions(request, type));
    // Oracle's "Updating a Record Instance": 204, no body, the record's URL in Location (by internal ID,
    // also when the request named it by eid:, as an upsert's answer does).
    return located(url, segment, id);
  }
  if (method === 'DELETE') {
    store.remove(type, id, 'webservices');
    return { kind: 'response', status: 204, headers: responseHeaders() };
  }
  throw methodNotAllowed(method, url.pathname);
}

/** Answers one request below `/services/rest/record/v1`; `subpath` is the rest of the path. */
export function handleRecordRequest(store: RecordStore, request: SandboxRequest, subpath: string): SandboxOutcome {
  try {
    return route(store, request, subpath);
  } catch (error) {
    if (error instanceof NetSuiteSimulatorError) return errorOutcome(error);
    throw error;
  }
}
