/**
 * The pages of one SuiteQL query, kept between requests, and the tie-breaker of each request.
 *
 * A client reading a query by offset, a page at a time, makes the simulator run it once per page (SQLite
 * sorts the rows up to the page's end, and counts them all for `totalResults`). The second request for a
 * query of more than one page runs it for all its rows; when a later request sends the same query while
 * the database is unchanged, its page is taken from those rows. Rows are kept only when running the query
 * again could not give another answer:
 *
 * - nothing was written since (SQLite's count of changed rows and its schema version are the same);
 * - the query does not read the clock (`SYSDATE`);
 * - the order does not depend on the tie-breaker: the query is run again with tie-breakers in the reverse
 *   order (tied rows in reverse order; twice, each way, when two draws were equal) and gives the same rows,
 *   which are all different (so no two rows were tied).
 *
 * Every request draws its tie-breakers (`ns_shuffle()`) from a stream of its own (`streamOf(n)` for the
 * n-th request), so how many a request draws (all the rows, the rows up to its page, none when its page
 * was kept) changes no other answer.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SuiteQLRow } from './suiteql';

/** All the rows of a query, as the service renders them. */
export interface SuiteQLRows {
  readonly items: SuiteQLRow[];
  readonly totalResults: number;
}

/** Queries kept at once (a client reads a few side by side: an invoice page, its lines and customers). */
const KEPT = 4;

/** A query read once (`rows` undefined: it is kept from its next read on), kept, or found unfit to keep (`unfit`). */
interface Kept {
  readonly sql: string;
  readonly version: string;
  readonly rows?: SuiteQLRow[];
  readonly unfit?: true;
}

/** The tie-breaker and clock the SQL functions read, and the pages kept. */
export interface SuiteQLPages {
  /** What `ns_shuffle()` returns. */
  readonly shuffle: () => number;
  /** Wraps the clock `ns_sysdate()` reads, to know when a query reads it. */
  clock<T>(now: () => T): () => T;
  /** The page of `sql` from `offset` (at most `limit` rows) and its row count; `run` runs it for rows from `offset`, at most `limit`. */
  page(db: DatabaseSync, sql: string, offset: number, limit: number, run: (offset: number, limit: number) => SuiteQLRows): SuiteQLRows;
}

function sameRow(a: SuiteQLRow, b: SuiteQLRow | undefined): boolean {
  if (b === undefined) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function sameRows(a: readonly SuiteQLRow[], b: readonly SuiteQLRow[]): boolean {
  return a.length === b.length && a.every((row, index) => sameRow(row, b[index]));
}

function allDifferent<T>(values: readonly T[], key: (value: T) => unknown): boolean {
  return new Set(values.map(key)).size === values.length;
}

/** Whether no two rows are the same (by their first column when that tells them apart). */
function differentRows(rows: readonly SuiteQLRow[]): boolean {
  const first = (row: SuiteQLRow) => {
    const [key] = Object.keys(row);
    return key === undefined ? undefined : `${key}\u0000${row[key] ?? ''}`;
  };
  return allDifferent(rows, first) || allDifferent(rows, (row) => JSON.stringify(row));
}

/**
 * Tie-breakers that put rows in the reverse order of `draws`: the rank of each draw, highest first; equal
 * draws ranked by when they were drawn, the later first when `laterFirst`, else the earlier.
 */
function reversedRanks(draws: readonly number[], laterFirst: boolean): number[] {
  const order = draws.map((_, index) => index);
  order.sort((a, b) => (draws[b] ?? 0) - (draws[a] ?? 0) || (laterFirst ? b - a : a - b));
  const ranks = new Array<number>(draws.length);
  order.forEach((index, rank) => {
    ranks[index] = rank;
  });
  return ranks;
}

/** Pages over `streamOf(n)`, the seeded tie-breakers of the n-th request; `enabled` false runs every request afresh. */
export function createSuiteQLPages(streamOf: (request: number) => () => number, enabled = true): SuiteQLPages {
  let requests = 0;
  let draw = streamOf(requests);
  let mode: 'live' | 'record' | 'replay' = 'live';
  let recorded: number[] = [];
  let replay: number[] = [];
  let replayed = 0;
  let clockRead = false;
  let kept: Kept[] = [];
  let versionStatement: { db: DatabaseSync; statement: StatementSync } | undefined;

  const version = (db: DatabaseSync): string => {
    if (versionStatement?.db !== db) versionStatement = { db, statement: db.prepare('SELECT total_changes() AS changes, (SELECT schema_version FROM pragma_schema_version) AS schema') };
    const row = versionStatement.statement.get() ?? {};
    return `${String(row.changes)}:${String(row.schema)}`;
  };

  const shuffle = (): number => {
    if (mode === 'replay') {
      const value = replay[replayed];
      replayed += 1;
      return value ?? 0;
    }
    const value = draw();
    if (mode === 'record') recorded.push(value);
    return value;
  };

  /** Runs `work` with the tie-breaker in `next` mode, back to live after. */
  const inMode = <T>(next: 'record' | 'replay', work: () => T): T => {
    mode = next;
    try {
      return work();
    } finally {
      mode = 'live';
    }
  };

  return {
    shuffle,
    clock: (now) => () => {
      clockRead = true;
      return now();
    },
    page(db, sql, offset, limit, run) {
      requests += 1;
      const request = requests;
      /** Runs the page afresh, with the request's own tie-breakers from their first. */
      const fresh = () => {
        draw = streamOf(request);
        return run(offset, limit);
      };
      if (!enabled) return fresh();
      const at = version(db);
      kept = kept.filter((entry) => entry.version === at);
      const hit = kept.find((entry) => entry.sql === sql);
      if (hit?.rows !== undefined) return { items: hit.rows.slice(offset, offset + limit), totalResults: hit.rows.length };
      const keep = (entry: Kept) => {
        kept = [...kept.filter((other) => other.sql !== sql), entry].slice(-KEPT);
      };
      clockRead = false;
      if (hit?.unfit === true) return fresh();
      if (hit === undefined) {
        // Read once: kept from the next read on (a query of one page, read once, costs no more than before).
        const once = fresh();
        if (once.totalResults > limit && !clockRead) keep({ sql, version: at });
        return once;
      }
      recorded = [];
      draw = streamOf(request);
      const all = inMode('record', () => run(0, Number.POSITIVE_INFINITY));
      const draws = recorded;
      const unfit = () => {
        keep({ sql, version: at, unfit: true });
        return fresh();
      };
      if (clockRead || !differentRows(all.items)) return unfit();
      // Equal draws (the generator repeats one now and then) leave their rows in SQLite's order: run a second
      // time with them the other way round.
      const orders = allDifferent(draws, (value) => value) ? [false] : [false, true];
      for (const laterFirst of orders) {
        replay = reversedRanks(draws, laterFirst);
        replayed = 0;
        let again: SuiteQLRows;
        try {
          again = inMode('replay', () => run(0, Number.POSITIVE_INFINITY));
        } catch {
          return unfit();
        }
        if (replayed !== draws.length || clockRead || !sameRows(all.items, again.items) || version(db) !== at) return unfit();
      }
      keep({ sql, version: at, rows: all.items });
      // No two rows tie: the page of all the rows is the page a request of its own would have given.
      return { items: all.items.slice(offset, offset + limit), totalResults: all.totalResults };
    },
  };
}
