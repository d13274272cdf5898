/**
 * The errors of the Postgres store. Each one is a `NetSuiteSyncError` with a stable `code` and a
 * `resolution`; none carries a connection string, a password or the values of a statement.
 */
import { ERROR_CLASS, invalidStoreRowMessage, NetSuiteSyncError } from '@invoiced/netsuite-sync';
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
 * Why the store could not connect to its server, as the network or the server answered: `refused`
 * (nothing listens at the host and port), `host_not_found`, `unreachable` (no route), `timeout`, `closed`
 * (the connection was cut), `tls`, `authentication_failed` (user or password refused, or no pg_hba.conf
 * entry), `database_not_found`, `server_unavailable` (starting, shutting down, too many connections).
 */
export type PostgresConnectionFailureReason =
  | 'refused'
  | 'host_not_found'
  | 'unreachable'
  | 'timeout'
  | 'closed'
  | 'tls'
  | 'authentication_failed'
  | 'database_not_found'
  | 'server_unavailable';

/** A failure to connect: why, and what the network or the server said (credentials masked). */
export interface PostgresConnectionFailure {
  readonly reason: PostgresConnectionFailureReason;
  /** The driver's message, e.g. `connect ECONNREFUSED 127.0.0.1:5432` or `database "books" does not exist`. */
  readonly answer: string;
}

/** What to do about each kind of connection failure. */
const CONNECTION_RESOLUTIONS: Readonly<Record<PostgresConnectionFailureReason, string>> = {
  refused:
    'Nothing accepts connections at that host and port: check the host and port of the connection string, and that the Postgres server is running and listening there (its listen_addresses and port settings).',
  host_not_found: 'The host name does not resolve: check the host of the connection string (and the DNS of this machine).',
  unreachable: 'There is no route to the host: check the host of the connection string, and the network, firewall or VPN between this machine and the server.',
  timeout: 'The server did not answer in time: check the host and port of the connection string, and that no firewall drops the connection.',
  closed: 'The connection was closed before the server answered: check that the host and port are a Postgres server, its log, and the sslmode of the connection string.',
  tls: "The SSL/TLS handshake failed: check the sslmode of the connection string and the server's certificate and SSL settings.",
  authentication_failed:
    "The server refused the user or the password: check the user and password of the connection string, and that the server's pg_hba.conf lets this user connect from this machine.",
  database_not_found: 'The database does not exist on that server: create it (CREATE DATABASE, or createdb), or correct the database name at the end of the connection string.',
  server_unavailable: 'The server cannot take a connection now (starting up, shutting down, or at max_connections): try again later, or check the server.',
};

/** Node.js codes of network failures, by reason. */
const NETWORK_CODES: Readonly<Record<string, PostgresConnectionFailureReason>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'host_not_found',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
};

/** The reason of a SQLSTATE the server answers a connection with. */
function reasonOfSqlState(state: string): PostgresConnectionFailureReason | undefined {
  if (state === '28P01' || state === '28000') return 'authentication_failed';
  if (state === '3D000') return 'database_not_found';
  if (state === '57P03' || state === '53300' || state.startsWith('08')) return 'server_unavailable';
  return undefined;
}

/** The reason of a driver message without a code (pg's own errors). */
function reasonOfMessage(message: string): PostgresConnectionFailureReason | undefined {
  if (/timeout expired|connection timeout|timed out/i.test(message)) return 'timeout';
  if (/connection terminated/i.test(message)) return 'closed';
  if (/\bSSL\b|\bTLS\b|certificate/i.test(message)) return 'tls';
  if (/password must be a string|SASL|password authentication/i.test(message)) return 'authentication_failed';
  return undefined;
}

/** What an error said: its message, or for an `AggregateError` (one per address tried) theirs. */
function messageOf(error: Error): string {
  if (error.message !== '') return error.message;
  const inner = (error as { errors?: unknown }).errors;
  if (!Array.isArray(inner)) return error.name;
  return [...new Set(inner.map((item) => (item instanceof Error ? item.message : String(item))))].join('; ');
}

/**
 * The connection failure an error of the driver is, or `undefined` for any other error (a statement
 * refused, a missing privilege...).
 * @example connectionFailureOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))
 * // { reason: 'refused', answer: 'connect ECONNREFUSED 127.0.0.1:5432' }
 */
export function connectionFailureOf(error: unknown): PostgresConnectionFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const state = sqlStateOf(error);
  const code = (error as { code?: unknown }).code;
  const reason =
    state === undefined
      ? ((typeof code === 'string' ? NETWORK_CODES[code] : undefined) ?? reasonOfMessage(messageOf(error)))
      : reasonOfSqlState(state);
  if (reason === undefined) {
    return error.cause === undefined ? undefined : connectionFailureOf(error.cause);
  }
  return { reason, answer: redactCredentials(messageOf(error)) };
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
  /**
   * When the store could not connect to its server: why, and what the network or the server said. Its
   * resolution is then about the connection, whatever the operation.
   */
  readonly connectionFailure: PostgresConnectionFailure | undefined;

  constructor(operation: string, message: string, options: PostgresStoreErrorOptions = {}) {
    const cause = options.cause === undefined ? undefined : sanitizeCause(options.cause);
    const connectionFailure = connectionFailureOf(options.cause);
    super(message, {
      code: options.code ?? 'POSTGRES_STORE_FAILED',
      resolution:
        (connectionFailure === undefined ? undefined : CONNECTION_RESOLUTIONS[connectionFailure.reason]) ??
        options.resolution ??
        'Check that the database is reachable and that the store\'s role may read and write its schema; `sqlState` and `cause` say what the server answered.',
      cause,
    });
    this.operation = operation;
    this.sqlState = sqlStateOf(options.cause);
    this.connectionFailure = connectionFailure;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      operation: this.operation,
      ...(this.sqlState === undefined ? {} : { sqlState: this.sqlState }),
      ...(this.connectionFailure === undefined ? {} : { connectionFailure: this.connectionFailure }),
    };
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
    super(operation, invalidStoreRowMessage(table, issues), {
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
  const said = error instanceof Error ? messageOf(error) : String(error);
  const failure = connectionFailureOf(error);
  const message =
    failure === undefined
      ? `The Postgres store's ${operation} failed: ${redactCredentials(said)}`
      : `The Postgres store's ${operation} failed: no connection to its server (${failure.reason.replace(/_/g, ' ')}): ${failure.answer}`;
  return new PostgresStoreError(operation, message, { ...options, cause: error });
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
