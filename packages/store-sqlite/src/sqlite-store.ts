import { ConfigurationError, NetSuiteSyncError, RunStateError, compareCodePoints, compareLinkIds, linkToSave, resolveListRunsOptions, toValidationIssues } from '@invoiced/netsuite-sync';
import type { SyncRun, SyncStore } from '@invoiced/netsuite-sync';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { SqliteStoreError, wrapSqliteError } from './errors';
import { inboxMethods } from './inbox';
import { checkpointRow, cursorRow, leaseRow, linkRow, recordErrorCodeRow, recordErrorRow, retryRow, runRow } from './rows';
import { inTransaction, migrateDatabase } from './schema';
import { SQL } from './statements';
import type { Statements } from './statements';
import { loadSqlite } from './sqlite-module';
import { encodeNullable, encodeText } from './text';
import { argumentsOf, parseArguments, parseRows } from './values';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file, created if missing (its directory must exist), or `':memory:'` for a database that
   * lives as long as the store. Keep it on a local disk: SQLite's locking is not reliable on network file
   * systems.
   */
  path: string;
  /**
   * How long a call waits for another process that is writing the same file before it fails with
   * `SQLITE_STORE_BUSY`. The wait blocks this process's event loop (`node:sqlite` is synchronous).
   * @default 5000
   */
  busyTimeoutMs?: number | undefined;
  /**
   * When a commit reaches the disk. `normal` (WAL's usual setting): a commit is safe once written to the
   * WAL, whatever happens to the process, and the disk is synced at checkpoints; a power loss or an
   * operating system crash can undo the last commits, never corrupt the file. That is the same as the
   * process dying just before those writes, which the engine already recovers from (a record written to a
   * service whose link was not saved is found again by its external ID). `full` syncs the disk at every
   * commit: no commit is ever undone, and every store write costs a disk sync (often 1-10 ms).
   * @default 'normal'
   */
  synchronous?: 'normal' | 'full' | undefined;
  /**
   * The time source: decides when leases expire and stamps `updatedAt` of saved links. Tests pass a clock
   * they move by hand.
   * @default () => new Date()
   */
  clock?: (() => Date) | undefined;
}

/** A {@link SyncStore} in one SQLite file, with a way to open it ahead of first use and to close it. */
export interface SqliteStore extends SyncStore {
  /** The database file, as given. */
  readonly path: string;
  /** Opens the file and applies missing migrations now (the first call does it otherwise), to fail fast. */
  ready(): Promise<void>;
  /** Closes the file; later calls reject with `SQLITE_STORE_CLOSED`. Closing twice is not an error. */
  close(): Promise<void>;
}

const optionsSchema = z.object({
  path: z.string().min(1, 'must be a file path or :memory:'),
  busyTimeoutMs: z.number().int().nonnegative().max(2_147_483_647).default(5000),
  synchronous: z.enum(['normal', 'full']).default('normal'),
  clock: z.custom<() => Date>((value) => typeof value === 'function', 'must be a function that returns a Date').optional(),
});

/** The open database and its prepared statements. */
interface Open {
  readonly db: DatabaseSync;
  readonly sql: Statements;
}

/**
 * A {@link SyncStore} in one SQLite file, on Node.js's built-in `node:sqlite` (Node.js 22.13 or later): no
 * server and no driver to install. The file is opened, set to WAL mode, and migrated on the first call
 * (or by `ready()`). Every method runs synchronously inside one SQLite transaction, so it is atomic within
 * the process and across processes sharing the file; writers of other processes wait up to
 * `busyTimeoutMs` for each other.
 *
 * @example
 * ```ts
 * import { createSyncEngine } from '@invoiced/netsuite-sync';
 * import { sqliteStore } from '@invoiced/netsuite-sync-store-sqlite';
 *
 * const store = sqliteStore({ path: './state.db' });
 * const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'acme', settings });
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid sqliteStore() options.', {
      issues: toValidationIssues(parsed.error.issues),
      resolution: "Pass { path } with the database file (or ':memory:'), and optionally busyTimeoutMs (a non-negative integer), synchronous ('normal' or 'full') and clock.",
    });
  }
  const { path, busyTimeoutMs, synchronous, clock = () => new Date() } = parsed.data;
  let opened: Open | undefined;
  let closed = false;

  const open = (): Open => {
    if (closed) {
      throw new SqliteStoreError('open', 'The SQLite store was closed.', { code: 'SQLITE_STORE_CLOSED', resolution: 'Create a new store with sqliteStore() to use the file again.' });
    }
    if (opened !== undefined) return opened;
    const { DatabaseSync } = loadSqlite();
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      db.exec(`PRAGMA busy_timeout = ${String(busyTimeoutMs)}`);
      // WAL: readers never block the writer nor the writer them (see `synchronous` for when commits are synced).
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
      db.exec('PRAGMA foreign_keys = ON');
      migrateDatabase(db);
      const database = db;
      const sql = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, database.prepare(text)])) as Statements;
      opened = { db, sql };
      return opened;
    } catch (error) {
      try {
        db?.close();
      } catch {
        // Closing a database that failed to open: the first error is the one to report.
      }
      if (error instanceof NetSuiteSyncError) throw error;
      throw wrapSqliteError('open', error);
    }
  };

  /**
   * Runs `work` on the open database, in a transaction, at once: the promise settles with its result or
   * rejects with what it threw, SQLite's errors wrapped in {@link SqliteStoreError}.
   */
  const run = <T>(operation: string, mode: 'IMMEDIATE' | 'DEFERRED' | 'NONE', work: (sql: Statements) => T): Promise<T> =>
    new Promise<T>((resolve) => {
      const { db, sql } = open();
      try {
        resolve(mode === 'NONE' ? work(sql) : inTransaction(db, mode, () => work(sql)));
      } catch (error) {
        if (error instanceof NetSuiteSyncError) throw error;
        throw wrapSqliteError(operation, error);
      }
    });

  /** `work()`, or a promise rejected with what it threw (invalid arguments reject, as in the other stores). */
  const guard = <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return work();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  /** The clock's time, checked. */
  const now = (): Date => {
    const time: unknown = clock();
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new ConfigurationError('The clock given to sqliteStore() did not return a valid Date.', { code: 'INVALID_CLOCK' });
    }
    return time;
  };

  /**
   * Runs with their first `errorLimit` record errors each (all with `-1`), the count of all of them, and
   * the count of all of them by code: one GROUP BY query for all the runs, whatever their number.
   */
  const readRuns = (sql: Statements, operation: string, rows: readonly unknown[], errorLimit: number): SyncRun[] => {
    const stored = parseRows(runRow, rows, 'runs', operation);
    const codes = new Map<number, [string, number][]>();
    if (stored.some((run) => run.recordErrorCount > 0)) {
      const seqs = stored.filter((run) => run.recordErrorCount > 0).map((run) => run.seq);
      for (const row of parseRows(recordErrorCodeRow, sql.recordErrorCodes.all(JSON.stringify(seqs)), 'record_errors', operation)) {
        const entries = codes.get(row.run_seq) ?? [];
        entries.push([row.code, row.count]);
        codes.set(row.run_seq, entries);
      }
    }
    return stored.map((run) => {
      const recordErrors = errorLimit === 0 || run.recordErrorCount === 0 ? [] : parseRows(recordErrorRow, sql.recordErrors.all(run.seq, errorLimit), 'record_errors', operation);
      return { ...run.run, recordErrors, recordErrorCount: run.recordErrorCount, recordErrorCodes: Object.fromEntries(codes.get(run.seq) ?? []) };
    });
  };
  const readRun = (sql: Statements, operation: string, row: unknown, errorLimit: number): SyncRun => {
    const [run] = readRuns(sql, operation, [row], errorLimit);
    if (run === undefined) throw new SqliteStoreError(operation, 'A run row could not be read.');
    return run;
  };

  /** The row of a run, or `RunStateError('not_found')`. */
  const runOf = (sql: Statements, operation: string, connectionId: string, runId: string): { seq: number; status: string; count: number } => {
    const row = sql.getRun.get(encodeText(connectionId), encodeText(runId));
    if (row === undefined) throw new RunStateError('not_found', runId);
    const [stored] = parseRows(runRow, [row], 'runs', operation);
    if (stored === undefined) throw new RunStateError('not_found', runId);
    return { seq: stored.seq, status: stored.run.status, count: stored.recordErrorCount };
  };

  return {
    path,
    ready: () => run('open', 'NONE', () => undefined),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        const db = opened?.db;
        opened = undefined;
        if (db?.isOpen === true) db.close();
        resolve();
      }),

    acquireLease: (connectionId, holder, ttlMs) => guard(() => {
      const args = parseArguments('acquireLease', argumentsOf.lease, { connectionId, holder, ttlMs });
      return run('acquireLease', 'IMMEDIATE', (sql) => {
        const at = now().getTime();
        const [lease] = parseRows(leaseRow, sql.getLease.all(encodeText(args.connectionId)), 'leases', 'acquireLease');
        if (lease !== undefined && lease.holder !== args.holder && at < lease.expires_at) return false;
        sql.putLease.run(encodeText(args.connectionId), encodeText(args.holder), at + args.ttlMs);
        return true;
      });
    }),
    renewLease: (connectionId, holder, ttlMs) => guard(() => {
      const args = parseArguments('renewLease', argumentsOf.lease, { connectionId, holder, ttlMs });
      return run('renewLease', 'IMMEDIATE', (sql) => {
        const at = now().getTime();
        return Number(sql.renewLease.run(at + args.ttlMs, encodeText(args.connectionId), encodeText(args.holder), at).changes) === 1;
      });
    }),
    releaseLease: (connectionId, holder) => guard(() => {
      const args = parseArguments('releaseLease', argumentsOf.releaseLease, { connectionId, holder });
      return run('releaseLease', 'NONE', (sql) => {
        sql.releaseLease.run(encodeText(args.connectionId), encodeText(args.holder));
      });
    }),

    getCursor: (connectionId, phase) => guard(() => {
      const args = parseArguments('getCursor', argumentsOf.getCursor, { connectionId, phase });
      return run('getCursor', 'NONE', (sql) => parseRows(cursorRow, sql.getCursor.all(encodeText(args.connectionId), encodeText(args.phase)), 'cursors', 'getCursor')[0]?.value ?? null);
    }),
    setCursor: (connectionId, phase, value) => guard(() => {
      const args = parseArguments('setCursor', argumentsOf.setCursor, { connectionId, phase, value });
      return run('setCursor', 'NONE', (sql) => {
        sql.setCursor.run(encodeText(args.connectionId), encodeText(args.phase), encodeText(args.value));
      });
    }),

    findLinkByNetSuiteId: (connectionId, kind, netsuiteId) => guard(() => {
      const args = parseArguments('findLinkByNetSuiteId', argumentsOf.findLink, { connectionId, kind, id: netsuiteId });
      return run('findLinkByNetSuiteId', 'NONE', (sql) => parseRows(linkRow, sql.linkByNetSuiteId.all(encodeText(args.connectionId), args.kind, encodeText(args.id)), 'links', 'findLinkByNetSuiteId')[0] ?? null);
    }),
    findLinkByInvoicedId: (connectionId, kind, invoicedId) => guard(() => {
      const args = parseArguments('findLinkByInvoicedId', argumentsOf.findLink, { connectionId, kind, id: invoicedId });
      return run('findLinkByInvoicedId', 'NONE', (sql) => parseRows(linkRow, sql.linkByInvoicedId.all(encodeText(args.connectionId), args.kind, encodeText(args.id)), 'links', 'findLinkByInvoicedId')[0] ?? null);
    }),
    saveLink: (connectionId, link) => guard(() => {
      const args = parseArguments('saveLink', argumentsOf.saveLink, { connectionId, link });
      const { kind, invoicedId, netsuiteId } = args.link;
      const connection = encodeText(args.connectionId);
      return run('saveLink', 'IMMEDIATE', (sql) => {
        const [byInvoicedId] = parseRows(linkRow, sql.linkByInvoicedId.all(connection, kind, encodeText(invoicedId)), 'links', 'saveLink');
        const [byNetSuiteId] = parseRows(linkRow, sql.linkByNetSuiteId.all(connection, kind, encodeText(netsuiteId)), 'links', 'saveLink');
        const saved = linkToSave(args.link, { byInvoicedId, byNetSuiteId }, now);
        sql.saveLink.run(connection, kind, encodeText(invoicedId), encodeText(netsuiteId), saved.origin, encodeNullable(saved.fingerprint), saved.updatedAt);
        return saved;
      });
    }),
    listLinks: (connectionId, kind) => guard(() => {
      const args = parseArguments('listLinks', argumentsOf.listLinks, { connectionId, kind });
      return run('listLinks', 'NONE', (sql) =>
        parseRows(linkRow, sql.listLinks.all(encodeText(args.connectionId), args.kind), 'links', 'listLinks').sort((a, b) => compareLinkIds(a.invoicedId, b.invoicedId)),
      );
    }),

    startRun: (connectionId, start) => guard(() => {
      const args = parseArguments('startRun', argumentsOf.startRun, { connectionId, run: start });
      const { id, trigger, startedAt } = args.run;
      return run('startRun', 'NONE', (sql): SyncRun => {
        const inserted = sql.startRun.run(encodeText(args.connectionId), encodeText(id), trigger, startedAt);
        if (Number(inserted.changes) === 0) throw new RunStateError('exists', id);
        return { id, trigger, status: 'running', startedAt, finishedAt: null, counts: {}, error: null, recordErrors: [], recordErrorCount: 0, recordErrorCodes: {} };
      });
    }),
    addRecordErrors: (connectionId, runId, errors) => guard(() => {
      const args = parseArguments('addRecordErrors', argumentsOf.addRecordErrors, { connectionId, runId, errors });
      return run('addRecordErrors', 'IMMEDIATE', (sql) => {
        const stored = runOf(sql, 'addRecordErrors', args.connectionId, args.runId);
        for (const [index, error] of args.errors.entries()) sql.addRecordError.run(stored.seq, stored.count + index, JSON.stringify(error));
        if (args.errors.length > 0) sql.countRecordErrors.run(stored.count + args.errors.length, stored.seq);
      });
    }),
    finishRun: (connectionId, runId, outcome) => guard(() => {
      const args = parseArguments('finishRun', argumentsOf.finishRun, { connectionId, runId, outcome });
      const { status, finishedAt, counts, error } = args.outcome;
      return run('finishRun', 'IMMEDIATE', (sql) => {
        const stored = runOf(sql, 'finishRun', args.connectionId, args.runId);
        const updated = sql.finishRun.run(status, finishedAt, JSON.stringify(counts), error === null ? null : JSON.stringify(error), stored.seq);
        if (Number(updated.changes) === 0) throw new RunStateError('finished', args.runId);
        return readRun(sql, 'finishRun', sql.getRun.get(encodeText(args.connectionId), encodeText(args.runId)), -1);
      });
    }),
    getRun: (connectionId, runId) => guard(() => {
      const args = parseArguments('getRun', argumentsOf.getRun, { connectionId, runId });
      return run('getRun', 'DEFERRED', (sql) => {
        const row = sql.getRun.get(encodeText(args.connectionId), encodeText(args.runId));
        return row === undefined ? null : readRun(sql, 'getRun', row, -1);
      });
    }),
    listRuns: (connectionId, listOptions) => guard(() => {
      const args = parseArguments('listRuns', argumentsOf.listRuns, { connectionId, options: listOptions });
      const { limit, errorsPerRun, status } = resolveListRunsOptions(args.options);
      const connection = encodeText(args.connectionId);
      return run('listRuns', 'DEFERRED', (sql) => {
        const rows = status === undefined ? sql.listRuns.all(connection, limit) : sql.listRunsByStatus.all(connection, status, limit);
        return readRuns(sql, 'listRuns', rows, errorsPerRun);
      });
    }),

    saveRetry: (connectionId, item) => guard(() => {
      const args = parseArguments('saveRetry', argumentsOf.saveRetry, { connectionId, item });
      const { key, entity, direction, sourceId, number, attempts, lastError, status, fingerprint, updatedAt } = args.item;
      return run('saveRetry', 'NONE', (sql) => {
        sql.saveRetry.run(encodeText(args.connectionId), encodeText(key), entity, direction, encodeText(sourceId), encodeNullable(number), attempts, JSON.stringify(lastError), status, encodeNullable(fingerprint), updatedAt);
      });
    }),
    getRetry: (connectionId, key) => guard(() => {
      const args = parseArguments('getRetry', argumentsOf.retryKey, { connectionId, key });
      return run('getRetry', 'NONE', (sql) => parseRows(retryRow, sql.getRetry.all(encodeText(args.connectionId), encodeText(args.key)), 'retries', 'getRetry')[0] ?? null);
    }),
    listRetries: (connectionId, listOptions) => guard(() => {
      const args = parseArguments('listRetries', argumentsOf.listRetries, { connectionId, options: listOptions });
      const status = args.options?.status;
      const connection = encodeText(args.connectionId);
      return run('listRetries', 'NONE', (sql) =>
        parseRows(retryRow, status === undefined ? sql.listRetries.all(connection) : sql.listRetriesByStatus.all(connection, status), 'retries', 'listRetries').sort((a, b) =>
          compareCodePoints(a.key, b.key),
        ),
      );
    }),
    deleteRetry: (connectionId, key) => guard(() => {
      const args = parseArguments('deleteRetry', argumentsOf.retryKey, { connectionId, key });
      return run('deleteRetry', 'NONE', (sql) => {
        sql.deleteRetry.run(encodeText(args.connectionId), encodeText(args.key));
      });
    }),

    ...inboxMethods(run, guard),

    saveCheckpoint: (connectionId, checkpoint) => guard(() => {
      const args = parseArguments('saveCheckpoint', argumentsOf.saveCheckpoint, { connectionId, checkpoint });
      const { jobId, kind, status, cursor, processed, total, result, updatedAt } = args.checkpoint;
      return run('saveCheckpoint', 'NONE', (sql) => {
        sql.saveCheckpoint.run(encodeText(args.connectionId), encodeText(jobId), kind, status, encodeNullable(cursor), processed, total, result === null ? null : JSON.stringify(result), updatedAt);
      });
    }),
    getCheckpoint: (connectionId, jobId) => guard(() => {
      const args = parseArguments('getCheckpoint', argumentsOf.getCheckpoint, { connectionId, jobId });
      return run('getCheckpoint', 'NONE', (sql) => parseRows(checkpointRow, sql.getCheckpoint.all(encodeText(args.connectionId), encodeText(args.jobId)), 'checkpoints', 'getCheckpoint')[0] ?? null);
    }),
  };
}
