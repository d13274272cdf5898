/**
 * The errors of the Postgres store. Each one is a `NetSuiteSyncError` with a stable `code` and a
 * `resolution`; none carries a connection string, a password or the values of a statement.
 */
import { ERROR_CLASS, NetSuiteSyncError } from '@invoiced/netsuite-sync';
import type { ValidationIssue } from '@invoiced/netsuite-sync';

/** Options of {@link PostgresStoreError}. */
export interface PostgresStoreErrorOptions {
  /** Stable code; `POSTGRES_STORE_FAILED` by default. */
  code?: string;
  /** What to do about it. */
  resolution?: string;
  /** The underlying error, copied through {@link sanitizeCause} first. */
  cause?: unknown;
}

/**
 * The Postgres store could not do what was asked: the database refused or could not be reached, the pool
 * did not behave like a `pg` pool or PGlite, or a row did not have the expected shape (see the subclasses).
 * `LinkConflictError` and `RunStateError` of the core are never wrapped in it.
 *
 * @example
 * ```ts
 * try { await store.listRuns('acme'); }
 * catch (error) {
 *   if (error instanceof PostgresStoreError) console.error(error.code, error.operation, error.sqlState);
 * }
 * ```
 */
export class PostgresStoreError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'PostgresStoreError';
  override name = 'PostgresStoreError';
  /** The store method or step that failed, e.g. `saveLink` or `migrate`. */
  readonly operation: string;
  /** The SQLSTATE the server answered with (e.g. `42501` for a missing privilege), when it answered. */
  readonly sqlState: string | undefined;

  constructor(operation: string, message: string, options: PostgresStoreErrorOptions = {}) {
    const cause = options.cause === undefined ? undefined : sanitizeCause(options.cause);
    super(message, {
      code: options.code ?? 'POSTGRES_STORE_FAILED',
      resolution:
        options.resolution ??
        'Check that the database is reachable and that the store\'s role may read and write its schema; `sqlState` and `cause` say what the server answered.',
      cause,
    });
    this.operation = operation;
    this.sqlState = sqlStateOf(options.cause);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, ...(this.sqlState === undefined ? {} : { sqlState: this.sqlState }) };
  }
}

/**
 * A row read from the store's tables does not have the shape the store wrote (a column changed by hand, a
 * value of an unknown kind, a driver that parses types differently). Nothing is returned from such a row.
 */
export class PostgresRowError extends PostgresStoreError {
  static override readonly [ERROR_CLASS]: string = 'PostgresRowError';
  override name = 'PostgresRowError';
  /** The table the row came from, without schema or prefix (e.g. `runs`). */
  readonly table: string;
  /** Each mismatch, by column; never the offending value. */
  readonly issues: readonly ValidationIssue[];

  constructor(operation: string, table: string, issues: readonly ValidationIssue[]) {
    const first = issues[0];
    const detail = first === undefined ? '' : ` (${first.path === '' ? 'row' : first.path}: ${first.message})`;
    super(operation, `A row of the ${table} table does not have the expected shape${detail}.`, {
      code: 'POSTGRES_STORE_INVALID_ROW',
      resolution: `Rows of the store's tables must only be written by the store. Check the ${table} table for rows changed by hand, and that the database was migrated by this version of the package.`,
    });
    this.table = table;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), table: this.table, issues: this.issues };
  }
}

/**
 * The store's tables are missing or older than this version of the package needs, and the store was created
 * with `migrate: false`.
 */
export class PostgresSchemaError extends PostgresStoreError {
  static override readonly [ERROR_CLASS]: string = 'PostgresSchemaError';
  override name = 'PostgresSchemaError';
  /** The latest migration this package knows. */
  readonly expectedVersion: number;
  /** The latest migration applied to the schema (0 when none). */
  readonly foundVersion: number;

  constructor(schema: string, tablePrefix: string, expectedVersion: number, foundVersion: number) {
    super('migrate', `The store's tables in schema ${schema} (prefix "${tablePrefix}") are at migration ${foundVersion}; this version of the store needs ${expectedVersion}.`, {
      code: 'POSTGRES_STORE_NOT_MIGRATED',
      resolution: 'Run migrate(pool, { schema, tablePrefix }) from a deploy step (or create the store without `migrate: false`), then retry.',
    });
    this.expectedVersion = expectedVersion;
    this.foundVersion = foundVersion;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), expectedVersion: this.expectedVersion, foundVersion: this.foundVersion };
  }
}

/**
 * Wraps an error of the driver (or of the pool factory) in a {@link PostgresStoreError} whose message says
 * which operation failed and what the driver said, with credentials masked.
 */
export function wrapDatabaseError(operation: string, error: unknown, options: { resolution?: string } = {}): PostgresStoreError {
  const said = error instanceof Error ? error.message : String(error);
  return new PostgresStoreError(operation, `The Postgres store's ${operation} failed: ${redactCredentials(said)}`, { ...options, cause: error });
}

/** Turns zod issues into `ValidationIssue`s: the path of each field and what is wrong, never the value. */
export function validationIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: issue.path.map((part) => String(part)).join('.'), message: issue.message }));
}

const MASK = '[REDACTED]';

/**
 * Masks credentials in text: the password of `postgres://user:password@host` URLs (any scheme), and
 * `password=...` settings of libpq connection strings.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@\s]*@/gi, `$1:${MASK}@`)
    .replace(/\b(password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s;&]+)/gi, `$1$2${MASK}`);
}

/**
 * A copy of a driver error that is safe to attach as a `cause`: its name, redacted message and stack, and
 * its string `code` (a SQLSTATE or a Node.js code such as `ECONNREFUSED`). Everything else is left out on
 * purpose: PGlite attaches the statement's parameters to its errors, and a `detail` can quote row values.
 */
export function sanitizeCause(error: unknown, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redactCredentials(String(error)));
  const copy = new Error(redactCredentials(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redactCredentials(error.stack);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') (copy as Error & { code?: string }).code = code;
  if (error.cause !== undefined && depth < 4) copy.cause = sanitizeCause(error.cause, depth + 1);
  return copy;
}

/**
 * The SQLSTATE of an error the server answered with, if `error` is one: `pg` and PGlite both give such
 * errors a `severity` and a five-character `code` (Node.js codes such as `EPIPE` have no `severity`).
 */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
