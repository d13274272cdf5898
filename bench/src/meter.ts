/**
 * The child's request counter (the clients' `onResponse`; a counting `fetch` for the baseline): every
 * request the clients send is counted against the phase whose async work sent it, by API: requests, 429s, failures, reads by kind of data with the rows
 * they returned (and, for Invoiced lists, the highest page read), writes, records written, and writes the
 * service refused. It keeps totals only, never the requests themselves.
 *
 * Phases may run at the same time (independent phases of the engine overlap), so there is no "current
 * phase": the engine emits `phase_started` and `phase_finished` synchronously from inside the phase's own
 * async task, and the listener calls {@link Meter.enter} / {@link Meter.leave}, which set that task's
 * store of an `AsyncLocalStorage` (`enterWith`) to the phase's totals. Everything the task does from then
 * on (its awaits, the requests it sends) carries that store; the counter reads it. Requests sent from no
 * phase's task count under {@link OUTSIDE_PHASES}.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ResponseInfo } from '@invoiced/netsuite-sync';
import { APIS, PAGE_SIZES, type Api, type ApiTraffic, type PhaseTraffic, type ReadKind } from '#bench/protocol';

/** Requests counted outside any phase (between phases, before the first). */
export const OUTSIDE_PHASES = '(outside phases)';

interface ReadTotals {
  requests: number;
  rows: number;
  /** Invoiced lists: the highest `page` read. */
  pages: number;
}

interface ApiTotals {
  requests: number;
  tooManyRequests: number;
  failed: number;
  reads: Map<string, ReadTotals>;
  writes: number;
  /** Successful updates, upserts, voids and deletes, each record once (by {@link writeKey}). */
  writtenPaths: Set<number>;
  /** Successful creates (POST to a collection), not replayed. */
  created: number;
  /** Writes answered with a 4xx other than 429. */
  refused: number;
}

interface PhaseTotals {
  readonly phase: string;
  /** `performance.now()` when the phase first started and last finished (undefined: not yet). */
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** Since the phase was last entered and not left yet. */
  openSince: number | undefined;
  wallMs: number;
  readonly apis: Record<Api, ApiTotals>;
}

const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
const NETSUITE_RECORD = /^\/services\/rest\/record\/v1\/([^/]+)(?:\/([^/]+))?/;

/**
 * A name for the data a SuiteQL query reads: its table (a transaction's type too), and whether it selects
 * by a list of IDs or by external ID. The `suiteqlAll` wrapper (`SELECT * FROM (...) WHERE id > n ORDER
 * BY id`) is looked through, so every page of one query has the same kind.
 */
export function suiteqlKind(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim();
  const inner = /^SELECT \* FROM \((.*)\)(?: WHERE \S+ > \S+)? ORDER BY \S+$/i.exec(text)?.[1] ?? text;
  if (/COUNT\s*\(\s*\*\s*\)/i.test(inner)) return 'suiteql count';
  const table = /\bFROM\s+([A-Za-z_]+)/i.exec(inner)?.[1]?.toLowerCase() ?? 'unknown';
  const type = table === 'transaction' ? /\btype\s*=\s*'([A-Za-z]+)'/i.exec(inner)?.[1] : undefined;
  const by = /\bexternalid\s*=/i.test(inner) ? ' by external id' : /\bIN\s*\(\s*\d/i.test(inner) ? ' by id' : '';
  return `suiteql ${table}${type === undefined ? '' : ` ${type}`}${by}`;
}

/** A name for an Invoiced read: the collection, list or get, and the filters of a list. */
function invoicedKind(url: URL): string {
  const [collection = '', id] = url.pathname.split('/').filter((part) => part !== '');
  if (id !== undefined) return `GET ${collection}/:id`;
  const filters = [...new Set([...url.searchParams.keys()].filter((key) => key !== 'page' && key !== 'per_page' && key !== 'sort'))].sort();
  return `GET ${collection}${filters.length === 0 ? '' : ` ?${filters.join('&')}`}`;
}

/** A name for a NetSuite REST record read. */
function netsuiteRecordKind(url: URL): string {
  const match = NETSUITE_RECORD.exec(url.pathname);
  return match === null ? `GET ${url.pathname}` : `GET record ${match[1] ?? ''}${match[2] === undefined ? '' : '/:id'}`;
}

/** Whether a successful write created a record (rather than changing the one its path names). */
function isCreate(api: Api, method: string, url: URL): boolean {
  if (method !== 'POST') return false;
  const parts = url.pathname.split('/').filter((part) => part !== '');
  return api === 'invoiced' ? parts.length === 1 : parts.length === 5 && parts[2] === 'record';
}

/**
 * Rows in a read's answer, parsing as little as it can (a second parse of every page would slow the run
 * it measures): an Invoiced get is one row, an Invoiced list page holds what `X-Total-Count` leaves for
 * it, a SuiteQL page says its `count` before its items, a NetSuite record is one row. Anything else is
 * parsed: an array's length, or `items`.
 */
async function rowsIn(api: Api, url: URL, suiteql: boolean, response: Response): Promise<number> {
  const parts = url.pathname.split('/').filter((part) => part !== '');
  if (api === 'invoiced') {
    if (parts.length > 1) return 1;
    const total = response.headers.get('x-total-count');
    if (total !== null && /^\d+$/.test(total)) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const perPage = Number(url.searchParams.get('per_page') ?? String(PAGE_SIZES.invoiced));
      return Math.max(0, Math.min(perPage, Number(total) - (page - 1) * perPage));
    }
  } else if (!suiteql && parts.length === 6) {
    return 1;
  }
  const text = await response.clone().text();
  if (suiteql) {
    const items = text.indexOf('"items"');
    const count = /"count"\s*:\s*(\d+)/.exec(items === -1 ? text : text.slice(0, items))?.[1];
    if (count !== undefined) return Number(count);
  }
  return rowsOf(parsed(text));
}

/** Rows in an answer the client parsed: a SuiteQL page says its `count`; otherwise {@link rowsOf}. */
function rowsOfBody(suiteql: boolean, body: unknown): number {
  if (suiteql && typeof body === 'object' && body !== null) {
    const count = (body as { count?: unknown }).count;
    if (typeof count === 'number') return count;
  }
  return rowsOf(body);
}

/** Whether a request is a SuiteQL query. */
function isSuiteql(api: Api, method: string, url: URL): boolean {
  return api === 'netsuite' && method === 'POST' && url.pathname === SUITEQL_PATH;
}

/** Rows in a parsed answer: an Invoiced list is an array, a SuiteQL page or REST list has `items`, a record is one row. */
function rowsOf(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (typeof body === 'object' && body !== null) {
    const items = (body as { items?: unknown }).items;
    return Array.isArray(items) ? items.length : 1;
  }
  return 0;
}

/** A JSON body, or undefined when there is none or it does not parse. */
function parsed(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The SuiteQL text of a request body (`{ "q": "..." }`). */
function queryOf(body: string): string {
  const value = parsed(body);
  const query = typeof value === 'object' && value !== null ? (value as { q?: unknown }).q : undefined;
  return typeof query === 'string' ? query : '';
}

async function bodyText(input: RequestInfo | URL, init: RequestInit | undefined): Promise<string> {
  if (typeof init?.body === 'string') return init.body;
  if (input instanceof Request) return input.clone().text();
  return '';
}

/**
 * A write's method and path as a 53-bit number (two FNV-1a hashes of the text): the meter runs in the
 * engine's process, and a set of 60,000 paths as text would add megabytes to the RSS it reports (two
 * different paths share a key about once in 10^7 runs of 100,000 writes).
 */
export function writeKey(method: string, path: string): number {
  const text = `${method} ${path}`;
  let high = 0x811c9dc5;
  let low = 0x2f6b2a51;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x0100019d);
  }
  return (high >>> 0) * 0x200000 + ((low >>> 0) & 0x1fffff);
}

function newApiTotals(): ApiTotals {
  return { requests: 0, tooManyRequests: 0, failed: 0, reads: new Map(), writes: 0, writtenPaths: new Set(), created: 0, refused: 0 };
}

/** The page an Invoiced list request asks for (1 for anything else). */
function pageOf(api: Api, url: URL): number {
  if (api !== 'invoiced' || url.pathname.split('/').filter((part) => part !== '').length !== 1) return 1;
  const page = Number(url.searchParams.get('page') ?? '1');
  return Number.isInteger(page) && page > 1 ? page : 1;
}

/** Counts the requests of one child, by phase and API. */
export class Meter {
  readonly #phases = new Map<string, PhaseTotals>();
  readonly #outside: PhaseTotals;
  readonly #storage = new AsyncLocalStorage<PhaseTotals>();

  constructor() {
    this.#outside = this.#phase(OUTSIDE_PHASES);
  }

  #phase(name: string): PhaseTotals {
    let phase = this.#phases.get(name);
    if (phase === undefined) {
      phase = { phase: name, startedAt: undefined, endedAt: undefined, openSince: undefined, wallMs: 0, apis: { netsuite: newApiTotals(), invoiced: newApiTotals() } };
      this.#phases.set(name, phase);
    }
    return phase;
  }

  /**
   * A phase started: requests the calling async task sends from now on count against it. Call it
   * synchronously from inside the phase's own task (the engine's `phase_started` listener is).
   */
  enter(name: string): void {
    const phase = this.#phase(name);
    const now = performance.now();
    phase.startedAt ??= now;
    phase.openSince ??= now;
    this.#storage.enterWith(phase);
  }

  /** The phase finished: its time stops, and the calling task's requests count outside phases again. */
  leave(name: string): void {
    const phase = this.#phase(name);
    this.#close(phase, performance.now());
    this.#storage.enterWith(this.#outside);
  }

  #close(phase: PhaseTotals, now: number): void {
    if (phase.openSince === undefined) return;
    phase.wallMs += now - phase.openSince;
    phase.openSince = undefined;
    phase.endedAt = now;
  }

  /**
   * An `onResponse` for one API's client that counts each answered request against the phase of the task
   * sending it (the clients call it in the request's own async context). The clients then use their
   * default HTTP exchange, the one measured.
   */
  observerFor(api: Api): (info: ResponseInfo) => void {
    return (info) => {
      const suiteql = isSuiteql(api, info.method, info.url);
      this.#count(api, info.method, info.url, suiteql, suiteql ? queryOf(info.requestBody ?? '') : '', info.status, info.headers, () => rowsOfBody(suiteql, info.body));
    };
  }

  /** A `fetch` that counts each request like {@link observerFor} (for code that calls `fetch` itself: the baseline). */
  fetchFor(api: Api): typeof fetch {
    return async (input, init) => {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
      const suiteql = isSuiteql(api, method, url);
      const query = suiteql ? queryOf(await bodyText(input, init)) : '';
      const response = await fetch(input, init);
      const rows = response.ok && (method === 'GET' || suiteql) ? await rowsIn(api, url, suiteql, response) : 0;
      this.#count(api, method, url, suiteql, query, response.status, response.headers, () => rows);
      return response;
    };
  }

  #count(api: Api, method: string, url: URL, suiteql: boolean, query: string, status: number, headers: Headers, rows: () => number): void {
    const totals = (this.#storage.getStore() ?? this.#outside).apis[api];
    const read = method === 'GET' || suiteql;
    const kind = suiteql ? suiteqlKind(query) : read ? (api === 'invoiced' ? invoicedKind(url) : netsuiteRecordKind(url)) : '';
    totals.requests += 1;
    if (!read) totals.writes += 1;
    if (status === 429) {
      totals.tooManyRequests += 1;
    } else if (status < 200 || status > 299) {
      totals.failed += 1;
      if (!read && status >= 400 && status < 500) totals.refused += 1;
      // A 404 on a get by ID is a read of no row; anything else is not a read the bound needs.
      if (read && status === 404) this.#read(totals, kind, 0, 1);
    } else if (read) {
      this.#read(totals, kind, rows(), pageOf(api, url));
    } else if (headers.get('idempotent-replayed') !== 'true') {
      if (isCreate(api, method, url)) totals.created += 1;
      else totals.writtenPaths.add(writeKey(method, url.pathname));
    }
  }

  #read(totals: ApiTotals, kind: string, rows: number, page: number): void {
    const entry = totals.reads.get(kind);
    if (entry === undefined) totals.reads.set(kind, { requests: 1, rows, pages: page });
    else {
      entry.requests += 1;
      entry.rows += rows;
      entry.pages = Math.max(entry.pages, page);
    }
  }

  /**
   * The phases that saw requests or time, in the order they started; `startMs` and `endMs` are offsets
   * from `origin` (a `performance.now()`: the scenario's start). A phase not finished yet is measured up
   * to now. The time outside phases is the time from `origin` to now that no phase covered.
   */
  result(origin: number): PhaseTraffic[] {
    const now = performance.now();
    const offset = (at: number) => Math.round(at - origin);
    const phases: PhaseTraffic[] = [];
    const intervals: [number, number][] = [];
    for (const phase of this.#phases.values()) {
      if (phase.phase === OUTSIDE_PHASES) continue;
      const open = phase.openSince === undefined ? 0 : now - phase.openSince;
      const start = phase.startedAt ?? now;
      const end = phase.openSince === undefined ? (phase.endedAt ?? now) : now;
      intervals.push([start, end]);
      phases.push({ phase: phase.phase, wallMs: Math.round(phase.wallMs + open), startMs: offset(start), endMs: offset(end), apis: this.#traffic(phase) });
    }
    const outside = this.#traffic(this.#outside);
    if (APIS.some((api) => outside[api].requests > 0)) {
      const covered = coveredMs(intervals, origin, now);
      phases.unshift({ phase: OUTSIDE_PHASES, wallMs: Math.round(now - origin - covered), startMs: 0, endMs: offset(now), apis: outside });
    }
    return phases;
  }

  #traffic(phase: PhaseTotals): Record<Api, ApiTraffic> {
    const apis = {} as Record<Api, ApiTraffic>;
    for (const api of APIS) {
      const totals = phase.apis[api];
      const reads: ReadKind[] = [...totals.reads].map(([kind, entry]) => ({ kind, requests: entry.requests, rows: entry.rows, ...(api === 'invoiced' && isListKind(kind) ? { pages: entry.pages } : {}) }));
      apis[api] = {
        requests: totals.requests,
        tooManyRequests: totals.tooManyRequests,
        failed: totals.failed,
        reads,
        writes: totals.writes,
        recordsWritten: totals.created + totals.writtenPaths.size,
        refusedWrites: totals.refused,
      };
    }
    return apis;
  }
}

/** Whether a kind of read (as {@link Meter} names Invoiced reads) is a list: `GET <collection>...` without `/:id`. */
export function isListKind(kind: string): boolean {
  return kind.startsWith('GET ') && !kind.includes('/:id');
}

/** The time within [from, to] that the intervals cover (overlaps counted once). */
function coveredMs(intervals: readonly (readonly [number, number])[], from: number, to: number): number {
  let covered = 0;
  let reached = from;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const clippedStart = Math.max(start, reached);
    const clippedEnd = Math.min(end, to);
    if (clippedEnd > clippedStart) covered += clippedEnd - clippedStart;
    reached = Math.max(reached, clippedEnd);
  }
  return covered;
}
