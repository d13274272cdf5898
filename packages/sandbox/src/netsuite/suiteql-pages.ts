/**
 * The pages of one SuiteQL query, kept between requests: a client reads a query of many rows a page
 * (`offset`, `limit`) at a time, and every page would run the whole query again (every row sorted and
 * counted for `totalResults`), so the simulator's cost grew with the square of the rows.
 *
 * The second request for a query of more than one page runs it for all its rows; when a later request sends
 * the same query while the database is unchanged, its page is taken from those rows, and the tie-breaker
 * (`ns_shuffle()`) draws as many numbers as the query would have drawn, so that every later answer is the
 * one it would have been. Rows are kept only when running the query again could not give another answer:
 *
 * - nothing was written since (SQLite's count of changed rows and its schema version are the same);
 * - the query does not read the clock (`SYSDATE`);
 * - the order does not depend on the tie-breaker: the query is run again with tie-breakers in the reverse
 *   order (tied rows in reverse order; twice, each way, when two draws were equal) and gives the same rows,
 *   which are all different (so no two rows were tied).
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
  readonly draws?: number;
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

/** Pages over `draw`, the seeded tie-breaker; `enabled` false runs every request afresh. */
export function createSuiteQLPages(draw: () => number, enabled = true): SuiteQLPages {
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
      if (!enabled) return run(offset, limit);
      const at = version(db);
      kept = kept.filter((entry) => entry.version === at);
      const hit = kept.find((entry) => entry.sql === sql);
      if (hit?.rows !== undefined) {
        for (let count = 0; count < (hit.draws ?? 0); count += 1) draw();
        return { items: hit.rows.slice(offset, offset + limit), totalResults: hit.rows.length };
      }
      const keep = (entry: Kept) => {
        kept = [...kept.filter((other) => other.sql !== sql), entry].slice(-KEPT);
      };
      clockRead = false;
      if (hit?.unfit === true) return run(offset, limit);
      if (hit === undefined) {
        // Read once: kept from the next read on (a query of one page, read once, costs no more than before).
        const once = run(offset, limit);
        if (once.totalResults > limit && !clockRead) keep({ sql, version: at });
        return once;
      }
      recorded = [];
      const all = inMode('record', () => run(0, Number.POSITIVE_INFINITY));
      const page = { items: all.items.slice(offset, offset + limit), totalResults: all.totalResults };
      const draws = recorded;
      const unfit = () => {
        keep({ sql, version: at, unfit: true });
        return page;
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
      keep({ sql, version: at, rows: all.items, draws: draws.length });
      return page;
    },
  };
}
