/**
 * Run retention: `PostgresStore.pruneRuns` deletes old runs (their record errors go with them, by the
 * foreign key's `ON DELETE CASCADE`) in short batches, connection by connection, so that a worker can trim
 * years of history without holding locks on many rows for long.
 */
import { z } from 'zod';
import type { Database } from './database';
import { integer, parseRows } from './rows';
import type { Tables } from './schema';
import { encodeText } from './text-encoding';
import { parseArguments, values } from './values';

/** Options of `PostgresStore.pruneRuns`. */
export interface PruneRunsOptions {
  /** Runs whose `startedAt` is before this time may be deleted; a run started at it or later is kept. */
  olderThan: Date;
  /**
   * How many of each connection's latest runs to keep whatever their age, in the order of `listRuns`
   * (`startedAt`, newest first, then the later started first). `0` keeps none for their recency.
   *
   * @default 20
   */
  keepLatest?: number | undefined;
  /** Only this connection's runs; every connection's by default. */
  connectionId?: string | undefined;
  /**
   * How many runs one statement deletes at most, 1 to 10,000. Smaller batches hold their locks for less
   * time.
   *
   * @default 1000
   */
  batchSize?: number | undefined;
  /** Checked before each batch: once aborted, `pruneRuns` rejects with its reason; deleted runs stay deleted. */
  signal?: AbortSignal | undefined;
}

/** What `PostgresStore.pruneRuns` deleted. */
export interface PruneRunsResult {
  /** Runs deleted. */
  readonly runsDeleted: number;
  /** Record errors deleted with them. */
  readonly errorsDeleted: number;
}

/** The default of {@link PruneRunsOptions.keepLatest}: what Recent Syncs shows (the default `limit` of `listRuns`). */
export const DEFAULT_KEEP_LATEST = 20;
/** The default of {@link PruneRunsOptions.batchSize}. */
export const DEFAULT_PRUNE_BATCH_SIZE = 1000;
/** The largest {@link PruneRunsOptions.batchSize}. */
export const MAX_PRUNE_BATCH_SIZE = 10_000;

/** The contract's times have four-digit years: a later `olderThan` would not compare as text. */
const LATEST_CUTOFF = Date.parse('9999-12-31T23:59:59.999Z');
const EARLIEST_CUTOFF = Date.parse('0000-01-01T00:00:00.000Z');

const optionsSchema = z.object({
  olderThan: z
    .date({ error: 'must be a valid Date' })
    .refine((date) => date.getTime() >= EARLIEST_CUTOFF && date.getTime() <= LATEST_CUTOFF, 'must be a Date between the years 0000 and 9999'),
  keepLatest: z.number().int('must be a whole number').nonnegative('must be 0 or more').default(DEFAULT_KEEP_LATEST),
  connectionId: values.identifier.optional(),
  batchSize: z
    .number()
    .int('must be a whole number')
    .min(1, `must be 1 to ${MAX_PRUNE_BATCH_SIZE}`)
    .max(MAX_PRUNE_BATCH_SIZE, `must be 1 to ${MAX_PRUNE_BATCH_SIZE}`)
    .default(DEFAULT_PRUNE_BATCH_SIZE),
  signal: z.instanceof(AbortSignal, { error: 'must be an AbortSignal' }).optional(),
});

/** Runs `work` on the store's open database, wrapping driver errors (the store's `run`). */
export type RunOnDatabase = <T>(operation: string, work: (db: Database) => Promise<T>) => Promise<T>;

/** The statements of {@link pruneRuns}, built from the store's (validated, quoted) table names. */
export function pruneStatements(t: Tables) {
  return {
    // The next connection with runs after $1, read from the primary key: one index probe per connection,
    // however many runs each has.
    nextConnection: `SELECT connection_id FROM ${t.runs} WHERE connection_id > $1 ORDER BY connection_id LIMIT 1`,
    // One batch of one connection, in one statement: `boundary` is the run just after the latest $2 (read
    // from runs_recent_idx, in the order of listRuns); the batch is the oldest $4 runs from it on that
    // started before $3 and are not running, locked (SKIP LOCKED: two workers pruning at once take
    // different runs), then deleted with their record errors. No boundary (at most $2 runs): nothing.
    // Plan (EXPLAIN, generic plan): the batch is a backward scan of runs_recent_idx on (connection_id,
    // started_at < $3), oldest first, stopped by the LIMIT; the DELETE finds the rows by the primary key
    // (`id = ANY (ARRAY(...))`; a join with the CTE was planned as a scan of the whole table); the cascade
    // deletes record errors by the primary key of run_errors. No index was added for it.
    pruneBatch: `
      WITH boundary AS (
        SELECT started_at, sequence FROM ${t.runs}
        WHERE connection_id = $1
        ORDER BY started_at DESC, sequence DESC
        OFFSET $2 LIMIT 1
      ), batch AS (
        SELECT r.id
        FROM ${t.runs} r CROSS JOIN boundary b
        WHERE r.connection_id = $1 AND r.started_at < $3 AND r.status <> 'running'
          AND (r.started_at, r.sequence) <= (b.started_at, b.sequence)
        ORDER BY r.started_at, r.sequence
        LIMIT $4
        FOR UPDATE OF r SKIP LOCKED
      ), deleted AS (
        DELETE FROM ${t.runs} r
        WHERE r.connection_id = $1 AND r.id = ANY (ARRAY(SELECT id FROM batch))
        RETURNING r.record_error_count
      )
      SELECT count(*) AS runs, COALESCE(sum(record_error_count), 0) AS errors FROM deleted`,
  } as const;
}

const connectionRow = z.object({ connection_id: z.string() });
const batchRow = z.object({ runs: integer, errors: integer });

/**
 * Deletes the runs `options` select, a batch at a time, each batch one statement (committed on its own);
 * see {@link PruneRunsOptions}. A run's record errors are counted by its `record_error_count`, which
 * `addRecordErrors` keeps equal to its rows.
 */
export async function pruneRuns(run: RunOnDatabase, sql: ReturnType<typeof pruneStatements>, options: PruneRunsOptions): Promise<PruneRunsResult> {
  const args = parseArguments('pruneRuns', optionsSchema, options);
  const { keepLatest, batchSize, signal } = args;
  const cutoff = args.olderThan.toISOString();
  let runsDeleted = 0;
  let errorsDeleted = 0;

  /** Prunes one connection (its stored, encoded ID) until a batch deletes fewer than `batchSize`. */
  const pruneConnection = async (storedId: string): Promise<void> => {
    for (;;) {
      signal?.throwIfAborted();
      const [batch] = await run('pruneRuns', async (db) => parseRows(batchRow, await db.query(sql.pruneBatch, [storedId, keepLatest, cutoff, batchSize]), 'runs', 'pruneRuns'));
      const deleted = batch?.runs ?? 0;
      runsDeleted += deleted;
      errorsDeleted += batch?.errors ?? 0;
      if (deleted < batchSize) return;
    }
  };

  if (args.connectionId !== undefined) {
    await pruneConnection(encodeText(args.connectionId));
  } else {
    // Connection IDs are non-empty, so every one sorts after ''.
    let after = '';
    for (;;) {
      signal?.throwIfAborted();
      const [next] = await run('pruneRuns', async (db) => parseRows(connectionRow, await db.query(sql.nextConnection, [after]), 'runs', 'pruneRuns'));
      if (next === undefined) break;
      await pruneConnection(next.connection_id);
      after = next.connection_id;
    }
  }
  return { runsDeleted, errorsDeleted };
}
