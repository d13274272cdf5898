/**
 * The errors of the SQLite store. Each one is a `NetSuiteSyncError` with a stable `code` and a
 * `resolution`; none carries the values of a statement.
 */
import { ERROR_CLASS, invalidStoreRowMessage, NetSuiteSyncError } from '@invoiced/netsuite-sync';
import type { ValidationIssue } from '@invoiced/netsuite-sync';

/** Options of {@link SqliteStoreError}. */
export interface SqliteStoreErrorOptions {
  /** Stable code; `SQLITE_STORE_FAILED` by default. */
  code?: string;
  /** What to do about it. */
  resolution?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The SQLite store could not do what was asked: the file could not be opened or written, another process
 * held the database longer than the busy timeout, or a row did not have the shape the store wrote.
 * `LinkConflictError` and `RunStateError` of the core are never wrapped in it.
 *
 * @example
 * ```ts
 * try { await store.listRuns('acme'); }
 * catch (error) {
 *   if (error instanceof SqliteStoreError) console.error(error.code, error.operation, error.sqliteCode);
 * }
 * ```
 */
export class SqliteStoreError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'SqliteStoreError';
  override name = 'SqliteStoreError';
  /** The store method or step that failed, e.g. `saveLink` or `open`. */
  readonly operation: string;
  /** SQLite's extended result code (e.g. 5 for `SQLITE_BUSY`), when SQLite answered. */
  readonly sqliteCode: number | undefined;

  constructor(operation: string, message: string, options: SqliteStoreErrorOptions = {}) {
    super(message, {
      code: options.code ?? 'SQLITE_STORE_FAILED',
      resolution: options.resolution ?? 'Check that the database file and its directory exist and that this user may read and write them; `cause` says what SQLite answered.',
      cause: options.cause,
    });
    this.operation = operation;
    this.sqliteCode = sqliteCodeOf(options.cause);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, ...(this.sqliteCode === undefined ? {} : { sqliteCode: this.sqliteCode }) };
  }
}

/** `node:sqlite` is not available in this Node.js: older than 22.13 (or 22.5-22.12 without `--experimental-sqlite`). */
export class SqliteUnavailableError extends SqliteStoreError {
  static override readonly [ERROR_CLASS]: string = 'SqliteUnavailableError';
  override name = 'SqliteUnavailableError';
  /** The Node.js version that runs, e.g. `20.20.2`. */
  readonly nodeVersion: string;

  constructor(nodeVersion: string, cause?: unknown) {
    super('open', `The SQLite store needs Node.js's built-in node:sqlite module, which Node.js ${nodeVersion} does not provide.`, {
      code: 'SQLITE_UNAVAILABLE',
      resolution: 'Run on Node.js 22.13 or later (node:sqlite is available without flags from 22.13; Node.js 24 LTS recommended), or choose another store (memory, or Postgres).',
      cause,
    });
    this.nodeVersion = nodeVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), nodeVersion: this.nodeVersion };
  }
}

/** A row of the store's tables does not have the shape the store wrote (changed by hand, or a newer layout). */
export class SqliteRowError extends SqliteStoreError {
  static override readonly [ERROR_CLASS]: string = 'SqliteRowError';
  override name = 'SqliteRowError';
  /** The table the row came from, e.g. `runs`. */
  readonly table: string;
  /** Each mismatch, by column; never the offending value. */
  readonly issues: readonly ValidationIssue[];

  constructor(operation: string, table: string, issues: readonly ValidationIssue[]) {
    super(operation, invalidStoreRowMessage(table, issues), {
      code: 'SQLITE_STORE_INVALID_ROW',
      resolution: `Rows of the store's tables must only be written by the store. Check the ${table} table for rows changed by hand.`,
    });
    this.table = table;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), table: this.table, issues: this.issues };
  }
}

/** The database file was migrated by a newer version of this package than the one running. */
export class SqliteSchemaError extends SqliteStoreError {
  static override readonly [ERROR_CLASS]: string = 'SqliteSchemaError';
  override name = 'SqliteSchemaError';
  /** The latest migration this package knows. */
  readonly expectedVersion: number;
  /** The latest migration applied to the file. */
  readonly foundVersion: number;

  constructor(expectedVersion: number, foundVersion: number) {
    super('migrate', `The database file is at migration ${foundVersion}; this version of the SQLite store knows migrations up to ${expectedVersion}.`, {
      code: 'SQLITE_STORE_TOO_NEW',
      resolution: 'A newer version of @invoiced/netsuite-sync-store-sqlite wrote this file: upgrade the package (or the CLI) to use it.',
    });
    this.expectedVersion = expectedVersion;
    this.foundVersion = foundVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), expectedVersion: this.expectedVersion, foundVersion: this.foundVersion };
  }
}

/** SQLite's primary result codes the store tells apart. */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** SQLite's extended result code of an error `node:sqlite` threw, if `error` is one. */
export function sqliteCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errcode } = error as { code?: unknown; errcode?: unknown };
  return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' ? errcode : undefined;
}

/** Wraps an error of `node:sqlite` in a {@link SqliteStoreError} that says which operation failed. */
export function wrapSqliteError(operation: string, error: unknown): SqliteStoreError {
  const said = error instanceof Error ? error.message : String(error);
  const primary = (sqliteCodeOf(error) ?? 0) & 0xff;
  if (primary === SQLITE_BUSY || primary === SQLITE_LOCKED) {
    return new SqliteStoreError(operation, `The SQLite store's ${operation} waited for another process to finish writing, and gave up: ${said}`, {
      code: 'SQLITE_STORE_BUSY',
      resolution: 'Another process kept the database locked for longer than the busy timeout. Retry; if it keeps happening, raise busyTimeoutMs or use a Postgres store for many concurrent writers.',
      cause: error,
    });
  }
  return new SqliteStoreError(operation, `The SQLite store's ${operation} failed: ${said}`, { cause: error });
}
