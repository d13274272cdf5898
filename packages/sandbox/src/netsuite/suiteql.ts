/**
 * SuiteQL, `POST /services/rest/query/v1/suiteql?limit=&offset=` with `Prefer: transient` and
 * `{"q": "..."}`, run on the simulator's SQLite database after `translateSuiteQL`.
 *
 * Rows are shaped like NetSuite's: lower-case keys, an empty `links` array, every value as a string
 * (ids, amounts and 'T'/'F' alike), dates and datetimes as `M/D/YYYY` unless formatted with `TO_CHAR`
 * (a datetime column shows its day in the account's time zone), and columns whose value is NULL left
 * out of the row. Unnamed expressions are `expr1`, `expr2`, ...
 * A page holds at most 1000 rows, and no page may reach past row 100,000 (`offset + limit`). Over HTTP,
 * rows an `ORDER BY` leaves tied (all rows, without one) come in a new seeded order on every request.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SandboxOutcome, SandboxRequest } from '../http';
import { isStamp, suiteqlDate } from './dates';
import { badRequest, errorOutcome, NetSuiteSimulatorError, responseHeaders } from './errors';
import { integerParam, MAX_PAGE_SIZE } from './record-routes';
import { DATETIME_COLUMNS, invalidQuery, translateSuiteQL, type SuiteQLTranslation } from './suiteql-translate';
import type { SuiteQLPages } from './suiteql-pages';
import type { AccountTimeZone } from './time-zone';

/** Rows one SuiteQL query can reach by offset. */
export const SUITEQL_MAX_ROWS = 100_000;

/** The path of the SuiteQL service. */
export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';

/** One SuiteQL row as NetSuite sends it (without `links`). */
export type SuiteQLRow = Record<string, string>;

/** A page of results. */
export interface SuiteQLPage {
  readonly items: SuiteQLRow[];
  readonly totalResults: number;
}

/** How a query runs. */
export interface SuiteQLRunOptions {
  /** The account's time zone, in which datetime columns are shown. */
  readonly zone: AccountTimeZone;
  /** Order tied rows by the seeded tie-breaker (see `translateSuiteQL`). @default false */
  readonly shuffleTies?: boolean;
  /** Pages kept between requests (see `suiteql-pages.ts`); without them every request runs its query. */
  readonly pages?: SuiteQLPages;
}

function render(value: unknown, zone: AccountTimeZone | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return isStamp(value) ? suiteqlDate(zone === undefined ? value : zone.toWall(value)) : value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

function outputNames(names: readonly string[]): string[] {
  let expressions = 0;
  return names.map((name) => (/^[A-Za-z_][A-Za-z0-9_$#]*$/.test(name) ? name.toLowerCase() : `expr${(expressions += 1)}`));
}

/**
 * Runs a query and returns the rows from `offset` (at most `limit` of them) and the total row count.
 * Throws `NetSuiteSimulatorError` (400 `INVALID_PARAMETER`) for anything NetSuite would refuse to run.
 */
export function runSuiteQL(db: DatabaseSync, query: string, options: SuiteQLRunOptions, offset = 0, limit = Number.POSITIVE_INFINITY): SuiteQLPage {
  const translation = translateSuiteQL(query, { shuffleTies: options.shuffleTies });
  // The translation refuses writes; query_only makes sure nothing the translation missed can write.
  db.exec('PRAGMA query_only = ON');
  try {
    const run = (from: number, count: number) => execute(db, translation, options.zone, from, count);
    return options.pages === undefined ? run(offset, limit) : options.pages.page(db, translation.sql, offset, limit, run);
  } catch (error) {
    if (error instanceof NetSuiteSimulatorError) throw error;
    throw invalidQuery(error instanceof Error ? error.message : String(error));
  } finally {
    db.exec('PRAGMA query_only = OFF');
  }
}

/** Renders the rows of `statement` from the `offset`-th on (at most `limit`); returns them and how many rows it gave in all. */
function rowsOf(statement: StatementSync, zone: AccountTimeZone, offset: number, limit: number): SuiteQLPage {
  statement.setReturnArrays(true);
  const columns = statement.columns();
  const names = outputNames(columns.map((column) => column.name));
  // A datetime column selected as it is shows its day in the account's time zone.
  const zones = columns.map((column) => (column.column !== null && DATETIME_COLUMNS.has(column.column.toLowerCase()) ? zone : undefined));
  const items: SuiteQLRow[] = [];
  let total = 0;
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    if (total >= offset && items.length < limit) {
      const item: SuiteQLRow = {};
      row.forEach((value, index) => {
        const text = render(value, zones[index]);
        if (text !== undefined) item[names[index] ?? `expr${index + 1}`] = text;
      });
      items.push(item);
    }
    total += 1;
  }
  return { items, totalResults: total };
}

/**
 * One page of a translated query. A page of a query without a `LIMIT` of its own is asked of SQLite with
 * `LIMIT` and `OFFSET` and its rows counted apart (unless the page shows the count: it is the last, and
 * not past the end), so SQLite need not hand over, nor sort past the page, every row of a query read a
 * page at a time; any other query is read whole.
 */
function execute(db: DatabaseSync, translation: SuiteQLTranslation, zone: AccountTimeZone, offset: number, limit: number): SuiteQLPage {
  if (translation.limited || !Number.isFinite(limit)) return rowsOf(db.prepare(translation.sql), zone, offset, limit);
  const { items } = rowsOf(db.prepare(`${translation.sql} LIMIT ${limit} OFFSET ${offset}`), zone, 0, limit);
  if (items.length < limit && (items.length > 0 || offset === 0)) return { items, totalResults: offset + items.length };
  // Counted without the order (nor the tie-breaker, which draws only for the rows up to the page's end).
  const count = db.prepare(`SELECT COUNT(*) AS total FROM (${translation.unordered})`).get();
  return { items, totalResults: Number(count?.total ?? 0) };
}

function handle(db: DatabaseSync, request: SandboxRequest, options: SuiteQLRunOptions): SandboxOutcome {
  const { url } = request;
  if (request.method.toUpperCase() !== 'POST') throw new NetSuiteSimulatorError(405, 'METHOD_NOT_ALLOWED', 'SuiteQL queries are sent with POST.');
  const prefer = request.headers.get('prefer') ?? '';
  if (!/(^|[\s,;])transient($|[\s,;])/i.test(prefer)) {
    throw badRequest('INVALID_HEADER', "SuiteQL requests must include the header 'Prefer: transient'.");
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw badRequest('INVALID_CONTENT', 'The request body is not valid JSON.');
  }
  const q = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).q : undefined;
  if (typeof q !== 'string' || q.trim() === '') throw badRequest('INVALID_CONTENT', 'The request body must be {"q": "<SuiteQL query>"}.', { path: 'q' });
  const limit = integerParam(url, 'limit', MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const offset = integerParam(url, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  if (offset + limit > SUITEQL_MAX_ROWS) {
    throw badRequest(
      'INVALID_PARAMETER',
      `Invalid 'offset' parameter value: ${offset}. A query returns at most ${SUITEQL_MAX_ROWS} results (offset + limit <= 100000); narrow the query or page it by a key (WHERE id > last id).`,
      { queryParam: 'offset' },
    );
  }
  const page = runSuiteQL(db, q, { ...options, shuffleTies: true }, offset, limit);
  const hasMore = offset + page.items.length < page.totalResults;
  const href = (at: number) => `${url.origin}${url.pathname}?limit=${limit}&offset=${at}`;
  const links = [
    ...(offset > 0 ? [{ rel: 'previous', href: href(Math.max(0, offset - limit)) }] : []),
    ...(hasMore && offset + 2 * limit <= SUITEQL_MAX_ROWS ? [{ rel: 'next', href: href(offset + limit) }] : []),
    { rel: 'self', href: href(offset) },
  ];
  return {
    kind: 'response',
    status: 200,
    headers: responseHeaders('application/vnd.oracle.resource+json; type=collection'),
    body: { links, count: page.items.length, hasMore, items: page.items.map((item) => ({ links: [], ...item })), offset, totalResults: page.totalResults },
  };
}

/** Answers a request to the SuiteQL service. */
export function handleSuiteQLRequest(db: DatabaseSync, request: SandboxRequest, options: SuiteQLRunOptions): SandboxOutcome {
  try {
    return handle(db, request, options);
  } catch (error) {
    if (error instanceof NetSuiteSimulatorError) return errorOutcome(error);
    throw error;
  }
}
