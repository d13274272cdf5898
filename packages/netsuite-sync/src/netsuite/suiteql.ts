import { ConfigurationError, ERROR_CLASS, NetSuiteSyncError } from '../errors';
import type { NetSuiteRequester } from './records';
import { parseNetSuiteResponse } from './records';
import { suiteqlPageSchema } from './schemas';
import { isSuiteQLQuery, sql, suiteqlLiteral, type SuiteQLQuery } from './sql';

const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
/** Rows NetSuite returns per SuiteQL request at most. */
export const SUITEQL_MAX_PAGE_SIZE = 1000;
/** Rows one SuiteQL query can reach by offset at most; beyond it the query must be re-anchored. */
export const SUITEQL_MAX_ROWS = 100_000;

/** One SuiteQL result row, keys in lower case. */
export type SuiteQLRow = Record<string, unknown>;

/** One page of SuiteQL results. */
export interface SuiteQLPage {
  readonly items: SuiteQLRow[];
  readonly hasMore: boolean;
  readonly offset: number;
  /** Rows of the whole query, when NetSuite says. */
  readonly totalResults: number | undefined;
}

/** Options of `suiteql`. */
export interface SuiteQLOptions {
  /** Rows per page, 1 to 1000. @default 1000 */
  limit?: number;
  /** Rows to skip. @default 0 */
  offset?: number;
  signal?: AbortSignal;
}

/** Progress of `suiteqlAll`. */
export interface SuiteQLProgress {
  /** Rows yielded so far. */
  readonly rows: number;
  /** Requests made so far. */
  readonly pages: number;
  /** Rows of the whole query, from the first page, when NetSuite says. */
  readonly totalResults: number | undefined;
}

/** Options of `suiteqlAll`. */
export interface SuiteQLAllOptions {
  /** Rows per request, 1 to 1000. @default 1000 */
  pageSize?: number;
  /**
   * A unique column of the query's rows used to page past NetSuite's 100,000-row limit: the query is
   * wrapped as `SELECT * FROM (query) WHERE anchor > last ORDER BY anchor`, so rows come in ascending
   * order of it. It must be unique (`transactionline.id` is not: use `uniquekey`): NetSuite promises no
   * order for tied rows, and pages can then repeat or skip them. `false` pages the query as written, by
   * offset only, so give it an `ORDER BY` that is unique; it fails with `SUITEQL_ROW_LIMIT` past 100,000 rows.
   * @default 'id'
   */
  anchor?: string | false;
  /** Called after each page. */
  onPage?: (progress: SuiteQLProgress) => void;
  signal?: AbortSignal;
}

/** A query had more rows than NetSuite lets one query return, and no anchor column to continue from. */
export class SuiteQLRowLimitError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'SuiteQLRowLimitError';
  override name = 'SuiteQLRowLimitError';
  constructor() {
    super(`The query has more than ${SUITEQL_MAX_ROWS} rows, the most NetSuite returns for one SuiteQL query.`, {
      code: 'SUITEQL_ROW_LIMIT',
      resolution: 'Select a unique ascending column (such as id) and pass it as `anchor`, or narrow the query.',
    });
  }
}

function checkPageSize(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > SUITEQL_MAX_PAGE_SIZE) {
    throw new ConfigurationError(`${field} must be an integer from 1 to ${SUITEQL_MAX_PAGE_SIZE}.`, {
      code: 'INVALID_ARGUMENT',
      issues: [{ path: field, message: `must be 1..${SUITEQL_MAX_PAGE_SIZE}` }],
    });
  }
  return value;
}

function queryText(query: string | SuiteQLQuery): string {
  if (isSuiteQLQuery(query)) return query.text;
  if (typeof query === 'string' && query.trim() !== '') return query;
  throw new ConfigurationError('A SuiteQL query must be a non-empty string or built with sql``.', {
    code: 'INVALID_ARGUMENT',
    issues: [{ path: 'query', message: 'must be a non-empty string' }],
  });
}

function lowerKeys(row: Record<string, unknown>): SuiteQLRow {
  const out: SuiteQLRow = {};
  // for...in makes no [key, value] pairs; only the row's own keys are columns.
  for (const key in row) {
    if (!Object.hasOwn(row, key)) continue;
    const value = row[key];
    // Every SuiteQL row carries an empty `links` array; it is not a column.
    if (key === 'links' && Array.isArray(value)) continue;
    out[key.toLowerCase()] = value;
  }
  return out;
}

/** Runs one page of a SuiteQL query. */
export async function runSuiteQLPage(request: NetSuiteRequester, query: string | SuiteQLQuery, options: SuiteQLOptions = {}): Promise<SuiteQLPage> {
  const limit = checkPageSize(options.limit ?? SUITEQL_MAX_PAGE_SIZE, 'limit');
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ConfigurationError('offset must be a non-negative integer.', { code: 'INVALID_ARGUMENT', issues: [{ path: 'offset', message: 'must be >= 0' }] });
  }
  // SuiteQL is a read: repeating it after a failure is harmless, although it is a POST.
  const response = await request('POST', SUITEQL_PATH, {
    query: { limit, offset },
    body: { q: queryText(query) },
    headers: { Prefer: 'transient' },
    signal: options.signal,
    idempotent: true,
  });
  const page = parseNetSuiteResponse(suiteqlPageSchema, response.data, { method: 'POST', path: SUITEQL_PATH, status: response.status, requestId: response.requestId }, 'SuiteQL result');
  return { items: page.items.map(lowerKeys), hasMore: page.hasMore, offset: page.offset ?? offset, totalResults: page.totalResults };
}

function anchorLiteral(value: unknown): SuiteQLQuery {
  if (typeof value === 'number' || typeof value === 'bigint') return sql.raw(suiteqlLiteral(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return sql.raw(suiteqlLiteral(BigInt(value)));
  if (typeof value === 'string') return sql.raw(suiteqlLiteral(value));
  throw new ConfigurationError('The anchor column of a SuiteQL query must be present in every row and be a number or text.', {
    code: 'INVALID_SUITEQL_ANCHOR',
    issues: [{ path: 'anchor', message: 'missing or not a number/text in a result row' }],
    resolution: 'Select the anchor column (by default `id`) in the query, or pass `anchor: false` for queries under 100,000 rows.',
  });
}

function stuckAnchor(column: string): ConfigurationError {
  return new ConfigurationError(`The anchor column \`${column}\` of a SuiteQL query did not move on between two pages: it must be unique and ascending.`, {
    code: 'INVALID_SUITEQL_ANCHOR',
    issues: [{ path: 'anchor', message: 'the last rows of two pages in a row had the same value' }],
    resolution: 'Anchor on a unique column (such as id, or uniquekey for transaction lines).',
  });
}

/**
 * Streams every row of a SuiteQL query. With an anchor, every page after the first is the rows past the
 * previous page's last anchor (offset 0): NetSuite runs the query again for each page, so a row that leaves
 * the results between two pages (an invoice paid or deleted meanwhile) would shift the rows after it by
 * one and an offset would skip one. Without an anchor, pages go by offset, at most 100,000 rows.
 */
export async function* streamSuiteQL(request: NetSuiteRequester, query: string | SuiteQLQuery, options: SuiteQLAllOptions = {}): AsyncIterableIterator<SuiteQLRow> {
  const pageSize = checkPageSize(options.pageSize ?? SUITEQL_MAX_PAGE_SIZE, 'pageSize');
  const base = queryText(query);
  const anchor = options.anchor === undefined ? 'id' : options.anchor;
  const anchorColumn = anchor === false ? undefined : sql.identifier(anchor).text.toLowerCase();
  let rows = 0;
  let pages = 0;
  let totalResults: number | undefined;

  /** The page at `offset` (unanchored), or the first page past `after` (anchored; the first page without it). */
  const read = (offset: number, after: SuiteQLQuery | undefined): Promise<SuiteQLPage> => {
    const text =
      anchorColumn === undefined
        ? base
        : after === undefined
          ? `SELECT * FROM (${base}) ORDER BY ${anchorColumn}`
          : `SELECT * FROM (${base}) WHERE ${anchorColumn} > ${after.text} ORDER BY ${anchorColumn}`;
    const page = runSuiteQLPage(request, text, { limit: pageSize, offset, signal: options.signal });
    // Read ahead, maybe never awaited (the caller stops iterating): its failure is seen only when awaited.
    page.catch(() => undefined);
    return page;
  };

  let after: SuiteQLQuery | undefined;
  let limited = false;
  let next: Promise<SuiteQLPage> | undefined = read(0, undefined);
  for (let offset = 0; next !== undefined; offset += pageSize) {
    const page: SuiteQLPage = await next;
    pages += 1;
    if (pages === 1) totalResults = page.totalResults;
    const more: boolean = page.hasMore && page.items.length > 0;
    // The next page is asked for before this one's rows are handed out: it is read while they are handled.
    if (anchorColumn === undefined) {
      limited = more && offset + 2 * pageSize > SUITEQL_MAX_ROWS;
      next = more && !limited ? read(offset + pageSize, undefined) : undefined;
    } else if (more) {
      const last = anchorLiteral(page.items[page.items.length - 1]?.[anchorColumn]);
      // An anchor that does not move on would ask for the same page forever (it is not unique, or not ascending).
      if (after !== undefined && last.text === after.text) throw stuckAnchor(anchorColumn);
      after = last;
      next = read(0, after);
    } else {
      next = undefined;
    }
    for (const row of page.items) {
      rows += 1;
      yield row;
    }
    options.onPage?.({ rows, pages, totalResults });
  }
  if (limited) throw new SuiteQLRowLimitError();
}
