import { ConfigurationError, LinkConflictError, NetSuiteSyncError, RunStateError, compareCodePoints, compareLinkIds, resolveListRunsOptions, toValidationIssues } from '@invoiced/netsuite-sync';
import type { ImportCheckpoint, RetryItem, SyncLink, SyncRun, SyncStore } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { openDatabase } from './database';
import type { Database, PostgresConnection } from './database';
import { PostgresStoreError, sqlStateOf, wrapDatabaseError } from './errors';
import { inboxMethods } from './inbox';
import { pruneRuns, pruneStatements } from './prune-runs';
import type { PruneRunsOptions, PruneRunsResult } from './prune-runs';
import { integer, jsonColumn, parseRows } from './rows';
import { assertMigrated, migrateDatabase, resolveLocation } from './schema';
import type { Location, PostgresLocationOptions } from './schema';
import { decodeDeep, decodeText, encodeDeep } from './text-encoding';
import { parseArguments, values } from './values';

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions extends PostgresLocationOptions {
  /**
   * Where to run statements: a `pg` `Pool`, PGlite, or one connection (a connected `pg` `Client`), or a
   * function that returns one (or a promise of one), called once, on first use. The store never ends or
   * closes it: the caller owns it.
   */
  pool: PostgresConnection | (() => PostgresConnection | Promise<PostgresConnection>);
  /**
   * Apply missing migrations on first use (once per store, with the advisory lock of `migrate()`). With
   * `false`, the first use only checks that every migration was applied (one query) and rejects with
   * `PostgresSchemaError` otherwise: for deployments that run `migrate()` from a deploy step with a
   * role allowed to change the schema.
   *
   * @default true
   */
  migrate?: boolean | undefined;
  /**
   * The time source of leases and of links' `updatedAt`. By default the database's clock
   * (`clock_timestamp()`), so that workers on hosts with skewed clocks agree on who holds a lease. Tests
   * pass a clock they move by hand; its times are then sent as parameters.
   *
   * @example
   * ```ts
   * let now = new Date('2026-11-24T10:00:00.000Z');
   * const store = postgresStore({ pool, clock: () => now });
   * await store.acquireLease('acme', 'worker-a', 60_000);
   * now = new Date(now.getTime() + 60_000); // worker-a's lease has expired
   * ```
   */
  clock?: (() => Date) | undefined;
}

/** A {@link SyncStore} on Postgres, with where its tables are and a way to connect ahead of first use. */
export interface PostgresStore extends SyncStore {
  /** The schema of the tables. */
  readonly schema: string;
  /** The prefix of the table names. */
  readonly tablePrefix: string;
  /**
   * Connects (calling the `pool` function, if one was given) and migrates or checks the schema, as the
   * first call of any method would; rejects with what that first call would. Call it at startup to fail
   * fast.
   */
  ready(): Promise<void>;
  /**
   * Deletes old runs with their record errors: every run (of every connection, or of `connectionId`)
   * started before `olderThan`, except each connection's latest `keepLatest` (default 20, in the order of
   * `listRuns`) and any run still `running`. Works in batches of at most `batchSize` runs (default 1000),
   * one statement each, oldest first, until a batch deletes fewer; checks `signal` before each batch
   * (rejecting with its reason once aborted; what was deleted stays deleted). Invalid options reject with
   * `ConfigurationError` (`INVALID_ARGUMENT`).
   *
   * @example
   * ```ts
   * const { runsDeleted, errorsDeleted } = await store.pruneRuns({
   *   olderThan: new Date(Date.now() - 90 * 24 * 60 * 60 * 1000), // 90 days ago
   *   keepLatest: 20,
   * });
   * ```
   */
  pruneRuns(options: PruneRunsOptions): Promise<PruneRunsResult>;
}

const optionsSchema = z.object({
  pool: z.custom<PostgresStoreOptions['pool']>(
    (value) => typeof value === 'function' || (typeof value === 'object' && value !== null && typeof (value as { query?: unknown }).query === 'function'),
    'must be a pg Pool or Client, PGlite, an object with query(text, params), or a function that returns one',
  ),
  migrate: z.boolean().default(true),
  clock: z.custom<() => Date>((value) => typeof value === 'function', 'must be a function that returns a Date').optional(),
});

/** The time format of the contract, for `to_char` of `timestamptz` columns (milliseconds, truncated). */
const ISO_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
/** A `timestamptz` column as the contract's ISO text, whatever the session's time zone. */
const isoText = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', ${ISO_FORMAT})`;

/**
 * A {@link SyncStore} on PostgreSQL, shared by every process that syncs: leases coordinate workers across
 * hosts, and a crashed worker's lease expires after its ttl. Returns at once; it connects (and applies
 * migrations, unless `migrate: false`) on first use, once.
 *
 * Every statement is parameterized: values never become SQL. The schema and prefix are identifiers,
 * checked against a strict pattern (lower-case letters, digits, `_`) and quoted. Every query is scoped by
 * the connection ID. Any string is kept exactly: NUL characters and unpaired surrogates, which Postgres
 * `text` cannot hold, are stored escaped (see `text-encoding.ts`); other text is stored as it is.
 *
 * Needs PostgreSQL 13 or later (or PGlite 0.5). `pg` is an optional peer dependency: any object with
 * `query(text, params)` resolving `{ rows }` works.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createSyncEngine } from '@invoiced/netsuite-sync';
 * import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = postgresStore({ pool, schema: 'netsuite_sync' });
 * const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'acme', settings });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid postgresStore() options.', {
      issues: toValidationIssues(parsed.error.issues),
      resolution: 'Pass { pool } with a pg Pool, PGlite or a pg Client (or a function that returns one).',
    });
  }
  const location = resolveLocation(options, 'postgresStore()');
  const { pool, migrate, clock } = parsed.data;
  const sql = statements(location, clock !== undefined);
  const pruneSql = pruneStatements(location.tables);

  let opened: Promise<Database> | undefined;
  const open = async (): Promise<Database> => {
    let connection: unknown;
    try {
      connection = typeof pool === 'function' ? await pool() : pool;
    } catch (error) {
      throw wrapDatabaseError('connect', error, { resolution: 'The pool function given to postgresStore() failed; check the cause.' });
    }
    if (typeof connection !== 'object' || connection === null || typeof (connection as { query?: unknown }).query !== 'function') {
      throw new PostgresStoreError('connect', 'The pool function given to postgresStore() did not return an object with query().', {
        code: 'POSTGRES_STORE_INVALID_POOL',
        resolution: 'Return a pg Pool or Client, PGlite, or an object whose query(text, params) resolves { rows }.',
      });
    }
    const db = openDatabase(connection as PostgresConnection);
    try {
      if (migrate) await migrateDatabase(db, location);
      else await assertMigrated(db, location);
    } catch (error) {
      if (error instanceof NetSuiteSyncError) throw error;
      throw wrapDatabaseError('migrate', error);
    }
    return db;
  };
  /** The database, opened (and migrated) by the first call; a failed opening is tried again by the next. */
  const database = (): Promise<Database> => {
    opened ??= open().catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    return opened;
  };

  /** Runs `work` on the open database; driver errors become {@link PostgresStoreError}. */
  const run = async <T>(operation: string, work: (db: Database) => Promise<T>): Promise<T> => {
    const db = await database();
    try {
      return await work(db);
    } catch (error) {
      if (error instanceof NetSuiteSyncError) throw error;
      throw wrapDatabaseError(operation, error);
    }
  };

  /** The clock's time as a parameter, when there is a clock (the statements then take one more parameter). */
  const now = (): string[] => {
    if (clock === undefined) return [];
    const time: unknown = clock();
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new ConfigurationError('The clock given to postgresStore() did not return a valid Date.', { code: 'INVALID_CLOCK' });
    }
    return [time.toISOString()];
  };

  const getRuns = async (db: Database, operation: string, text: string, params: unknown[]): Promise<SyncRun[]> =>
    parseRows(runRow, await db.query(text, params), 'runs', operation);

  return {
    schema: location.schema,
    tablePrefix: location.tablePrefix,
    ready: async () => {
      await database();
    },

    acquireLease: async (connectionId, holder, ttlMs) => {
      const args = encodeDeep(parseArguments('acquireLease', argumentsOf.acquireLease, { connectionId, holder, ttlMs }));
      return run('acquireLease', async (db) => (await db.query(sql.acquireLease, [args.connectionId, args.holder, args.ttlMs, ...now()])).length === 1);
    },
    renewLease: async (connectionId, holder, ttlMs) => {
      const args = encodeDeep(parseArguments('renewLease', argumentsOf.renewLease, { connectionId, holder, ttlMs }));
      return run('renewLease', async (db) => (await db.query(sql.renewLease, [args.connectionId, args.holder, args.ttlMs, ...now()])).length === 1);
    },
    releaseLease: async (connectionId, holder) => {
      const args = encodeDeep(parseArguments('releaseLease', argumentsOf.releaseLease, { connectionId, holder }));
      await run('releaseLease', (db) => db.query(sql.releaseLease, [args.connectionId, args.holder]));
    },

    getCursor: async (connectionId, phase) => {
      const args = encodeDeep(parseArguments('getCursor', argumentsOf.getCursor, { connectionId, phase }));
      return run('getCursor', async (db) => {
        const [row] = parseRows(cursorRow, await db.query(sql.getCursor, [args.connectionId, args.phase]), 'cursors', 'getCursor');
        return row?.value ?? null;
      });
    },
    setCursor: async (connectionId, phase, value) => {
      const args = encodeDeep(parseArguments('setCursor', argumentsOf.setCursor, { connectionId, phase, value }));
      await run('setCursor', (db) => db.query(sql.setCursor, [args.connectionId, args.phase, args.value]));
    },

    findLinkByNetSuiteId: async (connectionId, kind, netsuiteId) => {
      const args = encodeDeep(parseArguments('findLinkByNetSuiteId', argumentsOf.findLinkByNetSuiteId, { connectionId, kind, netsuiteId }));
      return run('findLinkByNetSuiteId', async (db) => {
        const [link] = parseRows(linkRow, await db.query(sql.findLinkByNetSuiteId, [args.connectionId, args.kind, args.netsuiteId]), 'links', 'findLinkByNetSuiteId');
        return link ?? null;
      });
    },
    findLinkByInvoicedId: async (connectionId, kind, invoicedId) => {
      const args = encodeDeep(parseArguments('findLinkByInvoicedId', argumentsOf.findLinkByInvoicedId, { connectionId, kind, invoicedId }));
      return run('findLinkByInvoicedId', async (db) => {
        const [link] = parseRows(linkRow, await db.query(sql.findLinkByInvoicedId, [args.connectionId, args.kind, args.invoicedId]), 'links', 'findLinkByInvoicedId');
        return link ?? null;
      });
    },
    saveLink: async (connectionId, link) => {
      const args = parseArguments('saveLink', argumentsOf.saveLink, { connectionId, link });
      const { kind, invoicedId, netsuiteId } = args.link;
      const stored = encodeDeep(args);
      const { origin, fingerprint } = stored.link;
      return run('saveLink', async (db) => {
        // One statement: insert, or update the fingerprint of the same pair; a row whose Invoiced ID is
        // linked to another NetSuite ID is left alone (no row back), and a NetSuite ID linked to another
        // Invoiced ID fails the unique constraint (so nothing changes either way).
        for (let attempt = 1; ; attempt += 1) {
          let rows: unknown[];
          try {
            rows = await db.query(sql.saveLink, [stored.connectionId, kind, stored.link.invoicedId, stored.link.netsuiteId, origin, fingerprint, ...now()]);
          } catch (error) {
            if (sqlStateOf(error) !== '23505' || attempt >= 3) throw error;
            const [holder] = parseRows(linkRow, await db.query(sql.findLinkByNetSuiteId, [stored.connectionId, kind, stored.link.netsuiteId]), 'links', 'saveLink');
            if (holder !== undefined && holder.invoicedId !== invoicedId) throw new LinkConflictError(kind, 'netsuite', netsuiteId);
            // A concurrent save of this same pair committed first (Postgres checks the NetSuite-side
            // constraint before taking the ON CONFLICT path then): saving again updates that link.
            continue;
          }
          const [saved] = parseRows(linkRow, rows, 'links', 'saveLink');
          if (saved === undefined) throw new LinkConflictError(kind, 'invoiced', invoicedId);
          return saved;
        }
      });
    },
    listLinks: async (connectionId, kind) => {
      const args = encodeDeep(parseArguments('listLinks', argumentsOf.listLinks, { connectionId, kind }));
      return run('listLinks', async (db) =>
        // Encoded IDs do not collate as the IDs they stand for: the contract's order is applied to the decoded ones.
        parseRows(linkRow, await db.query(sql.listLinks, [args.connectionId, args.kind]), 'links', 'listLinks').sort((a, b) => compareLinkIds(a.invoicedId, b.invoicedId)),
      );
    },

    startRun: async (connectionId, start) => {
      const args = parseArguments('startRun', argumentsOf.startRun, { connectionId, run: start });
      const { id, trigger, startedAt } = args.run;
      const stored = encodeDeep(args);
      return run('startRun', async (db) => {
        const inserted = await db.query(sql.startRun, [stored.connectionId, stored.run.id, trigger, startedAt]);
        if (inserted.length === 0) throw new RunStateError('exists', id);
        const started: SyncRun = { id, trigger, status: 'running', startedAt, finishedAt: null, counts: {}, error: null, recordErrors: [], recordErrorCount: 0, recordErrorCodes: {} };
        return started;
      });
    },
    addRecordErrors: async (connectionId, runId, errors) => {
      const args = parseArguments('addRecordErrors', argumentsOf.addRecordErrors, { connectionId, runId, errors });
      const stored = encodeDeep(args);
      await run('addRecordErrors', async (db) => {
        // One statement: the run's counter is bumped (locking the run, so concurrent appends queue up) and
        // the errors are inserted after the ones already there, or nothing happens when there is no run.
        const rows =
          stored.errors.length === 0
            ? await db.query(sql.runExists, [stored.connectionId, stored.runId])
            : await db.query(sql.addRecordErrors, [stored.connectionId, stored.runId, stored.errors.length, JSON.stringify(stored.errors)]);
        if (rows.length === 0) throw new RunStateError('not_found', args.runId);
      });
    },
    finishRun: async (connectionId, runId, outcome) => {
      const args = parseArguments('finishRun', argumentsOf.finishRun, { connectionId, runId, outcome });
      const stored = encodeDeep(args);
      const { status, finishedAt, counts, error } = stored.outcome;
      return run('finishRun', async (db) => {
        // Only a running run is updated, so of two concurrent finishes exactly one updates it.
        const updated = await db.query(sql.finishRun, [stored.connectionId, stored.runId, status, finishedAt, JSON.stringify(counts), error === null ? null : JSON.stringify(error)]);
        if (updated.length === 0) {
          const exists = await db.query(sql.runExists, [stored.connectionId, stored.runId]);
          throw new RunStateError(exists.length === 0 ? 'not_found' : 'finished', args.runId);
        }
        const [finished] = await getRuns(db, 'finishRun', sql.getRun, [stored.connectionId, stored.runId]);
        if (finished === undefined) throw new RunStateError('not_found', args.runId);
        return finished;
      });
    },
    getRun: async (connectionId, runId) => {
      const args = encodeDeep(parseArguments('getRun', argumentsOf.getRun, { connectionId, runId }));
      return run('getRun', async (db) => (await getRuns(db, 'getRun', sql.getRun, [args.connectionId, args.runId]))[0] ?? null);
    },
    listRuns: async (connectionId, listOptions) => {
      const args = encodeDeep(parseArguments('listRuns', argumentsOf.listRuns, { connectionId, options: listOptions }));
      const { limit, errorsPerRun, status } = resolveListRunsOptions(args.options);
      return run('listRuns', (db) =>
        status === undefined
          ? getRuns(db, 'listRuns', sql.listRuns, [args.connectionId, limit, errorsPerRun])
          : getRuns(db, 'listRuns', sql.listRunsByStatus, [args.connectionId, limit, errorsPerRun, status]),
      );
    },

    saveRetry: async (connectionId, item) => {
      const args = encodeDeep(parseArguments('saveRetry', argumentsOf.saveRetry, { connectionId, item }));
      const { key, entity, direction, sourceId, number, attempts, lastError, status, fingerprint, updatedAt } = args.item;
      await run('saveRetry', (db) =>
        db.query(sql.saveRetry, [args.connectionId, key, entity, direction, sourceId, number, attempts, lastError.code, lastError.message, lastError.resolution, status, fingerprint, updatedAt]),
      );
    },
    getRetry: async (connectionId, key) => {
      const args = encodeDeep(parseArguments('getRetry', argumentsOf.getRetry, { connectionId, key }));
      return run('getRetry', async (db) => parseRows(retryRow, await db.query(sql.getRetry, [args.connectionId, args.key]), 'retries', 'getRetry')[0] ?? null);
    },
    listRetries: async (connectionId, listOptions) => {
      const args = encodeDeep(parseArguments('listRetries', argumentsOf.listRetries, { connectionId, options: listOptions }));
      const status = args.options?.status;
      return run('listRetries', async (db) =>
        // Encoded keys do not collate as the keys they stand for: the contract's order is applied to the decoded ones.
        parseRows(retryRow, await db.query(status === undefined ? sql.listRetries : sql.listRetriesByStatus, status === undefined ? [args.connectionId] : [args.connectionId, status]), 'retries', 'listRetries').sort(
          (a, b) => compareCodePoints(a.key, b.key),
        ),
      );
    },
    deleteRetry: async (connectionId, key) => {
      const args = encodeDeep(parseArguments('deleteRetry', argumentsOf.deleteRetry, { connectionId, key }));
      await run('deleteRetry', (db) => db.query(sql.deleteRetry, [args.connectionId, args.key]));
    },

    ...inboxMethods(run, location.tables),

    saveCheckpoint: async (connectionId, checkpoint) => {
      const args = encodeDeep(parseArguments('saveCheckpoint', argumentsOf.saveCheckpoint, { connectionId, checkpoint }));
      const { jobId, kind, status, cursor, processed, total, result, updatedAt } = args.checkpoint;
      await run('saveCheckpoint', (db) =>
        db.query(sql.saveCheckpoint, [args.connectionId, jobId, kind, status, cursor, processed, total, result === null ? null : JSON.stringify(result), updatedAt]),
      );
    },
    getCheckpoint: async (connectionId, jobId) => {
      const args = encodeDeep(parseArguments('getCheckpoint', argumentsOf.getCheckpoint, { connectionId, jobId }));
      return run('getCheckpoint', async (db) => parseRows(checkpointRow, await db.query(sql.getCheckpoint, [args.connectionId, args.jobId]), 'checkpoints', 'getCheckpoint')[0] ?? null);
    },

    pruneRuns: (pruneOptions) => pruneRuns(run, pruneSql, pruneOptions),
  };
}

/** The arguments of each method, as objects of named arguments (so that issues name the argument). */
const argumentsOf = {
  acquireLease: z.object({ connectionId: values.identifier, holder: values.identifier, ttlMs: values.ttlMs }),
  renewLease: z.object({ connectionId: values.identifier, holder: values.identifier, ttlMs: values.ttlMs }),
  releaseLease: z.object({ connectionId: values.identifier, holder: values.identifier }),
  getCursor: z.object({ connectionId: values.identifier, phase: values.identifier }),
  setCursor: z.object({ connectionId: values.identifier, phase: values.identifier, value: values.text }),
  findLinkByNetSuiteId: z.object({ connectionId: values.identifier, kind: values.entityKind, netsuiteId: values.identifier }),
  findLinkByInvoicedId: z.object({ connectionId: values.identifier, kind: values.entityKind, invoicedId: values.identifier }),
  saveLink: z.object({ connectionId: values.identifier, link: values.link }),
  listLinks: z.object({ connectionId: values.identifier, kind: values.entityKind }),
  startRun: z.object({ connectionId: values.identifier, run: values.runStart }),
  addRecordErrors: z.object({ connectionId: values.identifier, runId: values.identifier, errors: z.array(values.recordError) }),
  finishRun: z.object({ connectionId: values.identifier, runId: values.identifier, outcome: values.runOutcome }),
  getRun: z.object({ connectionId: values.identifier, runId: values.identifier }),
  listRuns: z.object({ connectionId: values.identifier, options: values.listRunsOptions }),
  saveRetry: z.object({ connectionId: values.identifier, item: values.retryItem }),
  getRetry: z.object({ connectionId: values.identifier, key: values.identifier }),
  listRetries: z.object({ connectionId: values.identifier, options: values.listRetriesOptions }),
  deleteRetry: z.object({ connectionId: values.identifier, key: values.identifier }),
  saveCheckpoint: z.object({ connectionId: values.identifier, checkpoint: values.checkpoint }),
  getCheckpoint: z.object({ connectionId: values.identifier, jobId: values.identifier }),
};

const cursorRow = z.object({ value: z.string().transform(decodeText) });

const linkRow = z
  .object({
    kind: values.entityKind,
    invoiced_id: z.string(),
    netsuite_id: z.string(),
    origin: values.side,
    fingerprint: z.string().nullable(),
    updated_at: z.string(),
  })
  .transform((row) =>
    decodeDeep<SyncLink>({
      kind: row.kind,
      invoicedId: row.invoiced_id,
      netsuiteId: row.netsuite_id,
      origin: row.origin,
      fingerprint: row.fingerprint,
      updatedAt: row.updated_at,
    }),
  );

const storedRecordError = z.object({
  entity: values.entityKind,
  direction: values.direction,
  sourceId: z.string(),
  number: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  resolution: z.string(),
  occurredAt: z.string(),
});

const runRow = z
  .object({
    id: z.string(),
    trigger: values.runTrigger,
    status: values.runStatus,
    started_at: z.string(),
    finished_at: z.string().nullable(),
    counts: jsonColumn(z.record(z.string(), z.number())),
    error: jsonColumn(z.object({ code: z.string(), message: z.string(), resolution: z.string().nullable() }).nullable()),
    record_errors: jsonColumn(z.array(storedRecordError)),
    record_error_count: integer,
    // [code, count] pairs rather than an object: a zod record would drop a `__proto__` code.
    record_error_codes: jsonColumn(z.array(z.tuple([z.string(), integer]))),
  })
  .transform((row) =>
    decodeDeep<SyncRun>({
      id: row.id,
      trigger: row.trigger,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: row.counts,
      error: row.error,
      recordErrors: row.record_errors,
      recordErrorCount: row.record_error_count,
      recordErrorCodes: Object.fromEntries(row.record_error_codes),
    }),
  );

const retryRow = z
  .object({
    key: z.string(),
    entity: values.entityKind,
    direction: values.direction,
    source_id: z.string(),
    number: z.string().nullable(),
    attempts: integer,
    last_error_code: z.string(),
    last_error_message: z.string(),
    last_error_resolution: z.string(),
    status: values.retryStatus,
    fingerprint: z.string().nullable(),
    updated_at: z.string(),
  })
  .transform((row) =>
    decodeDeep<RetryItem>({
      key: row.key,
      entity: row.entity,
      direction: row.direction,
      sourceId: row.source_id,
      number: row.number,
      attempts: row.attempts,
      lastError: { code: row.last_error_code, message: row.last_error_message, resolution: row.last_error_resolution },
      status: row.status,
      fingerprint: row.fingerprint,
      updatedAt: row.updated_at,
    }),
  );

const checkpointRow = z
  .object({
    job_id: z.string(),
    kind: values.checkpointKind,
    status: values.checkpointStatus,
    cursor: z.string().nullable(),
    processed: integer,
    total: integer.nullable(),
    result: jsonColumn(z.record(z.string(), z.unknown()).nullable()),
    updated_at: z.string(),
  })
  .transform((row) =>
    decodeDeep<ImportCheckpoint>({
      jobId: row.job_id,
      kind: row.kind,
      status: row.status,
      cursor: row.cursor,
      processed: row.processed,
      total: row.total,
      result: row.result,
      updatedAt: row.updated_at,
    }),
  );

/**
 * Every statement of the store, built once from the (validated, quoted) table names. Values are always
 * `$n` parameters. With a clock, the time is the last parameter; without, the database's clock.
 */
function statements({ tables: t }: Location, withClock: boolean) {
  const linkColumns = `kind, invoiced_id, netsuite_id, origin, fingerprint, ${isoText('updated_at')} AS updated_at`;
  const retryColumns =
    'key, entity, direction, source_id, number, attempts, last_error_code, last_error_message, last_error_resolution, status, fingerprint, updated_at';
  const isDigits = `invoiced_id ~ '^[0-9]+$'`;
  // The runs, each with its first record errors and its record errors counted by code. The counts are
  // one GROUP BY over the record errors of all the listed runs (read through the primary key
  // (connection_id, run_id, ordinal)), not a query per run; `listed` is referenced twice, so Postgres
  // materializes it and the LIMIT is applied once.
  const runs = (where: string, errorFilter: string, limit: string): string => `
    WITH listed AS (
      SELECT r.connection_id, r.id, r.sequence, r.trigger, r.status, r.started_at, r.finished_at, r.counts, r.error, r.record_error_count
      FROM ${t.runs} r
      WHERE ${where}
      ORDER BY r.started_at DESC, r.sequence DESC${limit}
    ), codes AS (
      SELECT counted.run_id, json_agg(json_build_array(counted.code, counted.count)) AS record_error_codes
      FROM (
        SELECT e.run_id, e.code, count(*) AS count
        FROM ${t.runErrors} e JOIN listed l ON e.connection_id = l.connection_id AND e.run_id = l.id
        WHERE l.record_error_count > 0
        GROUP BY e.run_id, e.code
      ) counted
      GROUP BY counted.run_id
    )
    SELECT r.id, r.trigger, r.status, r.started_at, r.finished_at, r.counts, r.error, r.record_error_count,
      COALESCE(codes.record_error_codes, '[]'::json) AS record_error_codes,
      COALESCE((
        SELECT json_agg(json_build_object(
          'entity', e.entity, 'direction', e.direction, 'sourceId', e.source_id, 'number', e.number, 'code', e.code,
          'message', e.message, 'resolution', e.resolution, 'occurredAt', e.occurred_at) ORDER BY e.ordinal)
        FROM ${t.runErrors} e
        WHERE e.connection_id = r.connection_id AND e.run_id = r.id${errorFilter}
      ), '[]'::json) AS record_errors
    FROM listed r LEFT JOIN codes ON codes.run_id = r.id
    ORDER BY r.started_at DESC, r.sequence DESC`;

  const leaseNow = withClock ? '$4::timestamptz' : 'clock_timestamp()';
  const linkNow = withClock ? '$7::timestamptz' : 'clock_timestamp()';
  return {
    // One statement that two workers cannot both win: the insert of a new lease row and the update of an
    // existing one are serialized on the row (ON CONFLICT locks it), and the update only happens when the
    // lease has expired or is already this holder's. A row back means `holder` holds the lease.
    acquireLease: `
      INSERT INTO ${t.leases} AS lease (connection_id, holder, expires_at)
      VALUES ($1, $2, ${leaseNow} + $3::double precision * interval '1 millisecond')
      ON CONFLICT (connection_id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE lease.expires_at <= ${leaseNow} OR lease.holder = EXCLUDED.holder
      RETURNING lease.holder`,
    renewLease: `
      UPDATE ${t.leases} SET expires_at = ${leaseNow} + $3::double precision * interval '1 millisecond'
      WHERE connection_id = $1 AND holder = $2 AND expires_at > ${leaseNow}
      RETURNING holder`,
    releaseLease: `DELETE FROM ${t.leases} WHERE connection_id = $1 AND holder = $2`,

    getCursor: `SELECT value FROM ${t.cursors} WHERE connection_id = $1 AND phase = $2`,
    setCursor: `
      INSERT INTO ${t.cursors} (connection_id, phase, value) VALUES ($1, $2, $3)
      ON CONFLICT (connection_id, phase) DO UPDATE SET value = EXCLUDED.value`,

    findLinkByInvoicedId: `SELECT ${linkColumns} FROM ${t.links} WHERE connection_id = $1 AND kind = $2 AND invoiced_id = $3`,
    findLinkByNetSuiteId: `SELECT ${linkColumns} FROM ${t.links} WHERE connection_id = $1 AND kind = $2 AND netsuite_id = $3`,
    saveLink: `
      INSERT INTO ${t.links} AS link (connection_id, kind, invoiced_id, netsuite_id, origin, fingerprint, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, ${linkNow})
      ON CONFLICT (connection_id, kind, invoiced_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, updated_at = EXCLUDED.updated_at
      WHERE link.netsuite_id = EXCLUDED.netsuite_id
      RETURNING ${linkColumns}`,
    // Digit-only IDs first, by value (a longer ID without its leading zeros is larger; at equal length the
    // digits compare as bytes), then the others; ties and the others in code point order.
    listLinks: `
      SELECT ${linkColumns} FROM ${t.links} WHERE connection_id = $1 AND kind = $2
      ORDER BY CASE WHEN ${isDigits} THEN 0 ELSE 1 END,
        CASE WHEN ${isDigits} THEN length(ltrim(invoiced_id, '0')) END,
        CASE WHEN ${isDigits} THEN ltrim(invoiced_id, '0') END COLLATE "C",
        invoiced_id COLLATE "C"`,

    startRun: `
      INSERT INTO ${t.runs} (connection_id, id, trigger, status, started_at) VALUES ($1, $2, $3, 'running', $4)
      ON CONFLICT (connection_id, id) DO NOTHING
      RETURNING id`,
    runExists: `SELECT id FROM ${t.runs} WHERE connection_id = $1 AND id = $2`,
    addRecordErrors: `
      WITH run AS (
        UPDATE ${t.runs} SET record_error_count = record_error_count + $3::integer
        WHERE connection_id = $1::text AND id = $2::text
        RETURNING record_error_count - $3::integer AS first_ordinal
      ), added AS (
        INSERT INTO ${t.runErrors} (connection_id, run_id, ordinal, entity, direction, source_id, number, code, message, resolution, occurred_at)
        SELECT $1::text, $2::text, run.first_ordinal + item.ordinal::integer - 1,
          item.value->>'entity', item.value->>'direction', item.value->>'sourceId', item.value->>'number', item.value->>'code',
          item.value->>'message', item.value->>'resolution', item.value->>'occurredAt'
        FROM run CROSS JOIN json_array_elements($4::json) WITH ORDINALITY AS item(value, ordinal)
        RETURNING 1
      )
      SELECT first_ordinal FROM run`,
    finishRun: `
      UPDATE ${t.runs} SET status = $3, finished_at = $4, counts = $5::json, error = $6::json
      WHERE connection_id = $1 AND id = $2 AND status = 'running'
      RETURNING id`,
    getRun: runs('r.connection_id = $1 AND r.id = $2', '', ''),
    listRuns: runs('r.connection_id = $1', ' AND e.ordinal < $3', ' LIMIT $2'),
    listRunsByStatus: runs('r.connection_id = $1 AND r.status = $4', ' AND e.ordinal < $3', ' LIMIT $2'),

    saveRetry: `
      INSERT INTO ${t.retries} (${retryColumns}, connection_id) VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $1)
      ON CONFLICT (connection_id, key) DO UPDATE SET entity = EXCLUDED.entity, direction = EXCLUDED.direction,
        source_id = EXCLUDED.source_id, number = EXCLUDED.number, attempts = EXCLUDED.attempts,
        last_error_code = EXCLUDED.last_error_code, last_error_message = EXCLUDED.last_error_message,
        last_error_resolution = EXCLUDED.last_error_resolution, status = EXCLUDED.status,
        fingerprint = EXCLUDED.fingerprint, updated_at = EXCLUDED.updated_at`,
    getRetry: `SELECT ${retryColumns} FROM ${t.retries} WHERE connection_id = $1 AND key = $2`,
    listRetries: `SELECT ${retryColumns} FROM ${t.retries} WHERE connection_id = $1 ORDER BY key COLLATE "C"`,
    listRetriesByStatus: `SELECT ${retryColumns} FROM ${t.retries} WHERE connection_id = $1 AND status = $2 ORDER BY key COLLATE "C"`,
    deleteRetry: `DELETE FROM ${t.retries} WHERE connection_id = $1 AND key = $2`,

    saveCheckpoint: `
      INSERT INTO ${t.checkpoints} (connection_id, job_id, kind, status, cursor, processed, total, result, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9)
      ON CONFLICT (connection_id, job_id) DO UPDATE SET kind = EXCLUDED.kind, status = EXCLUDED.status, cursor = EXCLUDED.cursor,
        processed = EXCLUDED.processed, total = EXCLUDED.total, result = EXCLUDED.result, updated_at = EXCLUDED.updated_at`,
    getCheckpoint: `
      SELECT job_id, kind, status, cursor, processed, total, result, updated_at
      FROM ${t.checkpoints} WHERE connection_id = $1 AND job_id = $2`,
  } as const;
}
