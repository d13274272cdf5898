/**
 * The store's tables and their versioned migrations.
 *
 * Rules: a released migration is never edited; every change is a new version appended to
 * {@link MIGRATIONS}. Migrations only add (tables, columns with defaults, indexes), so a process still
 * running the previous release keeps working while a new one migrates; dropping or renaming anything needs
 * a new version of its own, in a later release than the code that stopped using it.
 */
import { createHash } from 'node:crypto';
import { ConfigurationError, toValidationIssues } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { openDatabase } from './database';
import type { Database, Executor, PostgresConnection } from './database';
import { PostgresSchemaError, PostgresStoreError, wrapDatabaseError } from './errors';
import { integer, parseRows } from './rows';

/** The schema the tables go in unless `schema` is given. */
export const DEFAULT_SCHEMA = 'public';
/** What every table name starts with unless `tablePrefix` is given. */
export const DEFAULT_TABLE_PREFIX = 'netsuite_sync_';

/**
 * Schema names: lower-case letters, digits and `_`, starting with a letter or `_`, at most 63 bytes (the
 * identifier limit of Postgres), and not `pg_...` (reserved for system schemas). They are still quoted in
 * every statement.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Table prefixes: the same characters, at most 30, so that every table and index name stays under 63. */
const TABLE_PREFIX = /^(?:[a-z_][a-z0-9_]{0,29})?$/;

/** Where the store's tables live: the options shared by `postgresStore()` and `migrate()`. */
export interface PostgresLocationOptions {
  /**
   * The schema of the tables; created by `migrate()` if missing. Lower-case letters, digits and `_` only.
   *
   * @default 'public'
   */
  schema?: string | undefined;
  /**
   * What every table and index name starts with, so that the tables sit next to an application's own.
   * Lower-case letters, digits and `_`, at most 30 characters; `''` for none.
   *
   * @default 'netsuite_sync_'
   */
  tablePrefix?: string | undefined;
}

/** Validates {@link PostgresLocationOptions} and fills in the defaults. */
export const locationSchema = z.object({
  schema: z
    .string()
    .regex(SCHEMA_NAME, 'must be 1 to 63 lower-case letters, digits or _, not starting with a digit')
    .refine((name) => !name.startsWith('pg_'), 'must not start with pg_ (reserved for system schemas)')
    .default(DEFAULT_SCHEMA),
  tablePrefix: z.string().regex(TABLE_PREFIX, 'must be at most 30 lower-case letters, digits or _, not starting with a digit').default(DEFAULT_TABLE_PREFIX),
});

/** Validated location: the schema and prefix, and every table's quoted, schema-qualified name. */
export interface Location {
  /** The schema, validated. */
  readonly schema: string;
  /** The table prefix, validated. */
  readonly tablePrefix: string;
  /** Every table's name, ready to put into SQL. */
  readonly tables: Tables;
}

/** Quoted, schema-qualified table names (`"schema"."prefix_links"`), plus bare names for catalog lookups. */
export interface Tables {
  /** `<prefix>migrations`: the versions applied. The others hold what their names say. */
  readonly migrations: string;
  readonly leases: string;
  readonly cursors: string;
  readonly links: string;
  readonly runs: string;
  readonly runErrors: string;
  readonly retries: string;
  readonly checkpoints: string;
  readonly inboxEvents: string;
  /** The unquoted name of the migrations table, as `pg_tables.tablename` holds it. */
  readonly migrationsName: string;
  /** The name of the unique constraint on a link's NetSuite side. */
  readonly linkNetSuiteConstraint: string;
}

/** Quotes an identifier that already passed {@link SCHEMA_NAME} or {@link TABLE_PREFIX}. */
function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Validates `schema` and `tablePrefix` (throwing `ConfigurationError`) and names every table. */
export function resolveLocation(options: PostgresLocationOptions, caller: string): Location {
  const parsed = locationSchema.safeParse({ schema: options.schema, tablePrefix: options.tablePrefix });
  if (!parsed.success) {
    throw new ConfigurationError(`Invalid ${caller} options: schema and tablePrefix are SQL identifiers.`, {
      issues: toValidationIssues(parsed.error.issues),
      resolution: 'Use lower-case letters, digits and _ only (e.g. schema: "netsuite_sync", tablePrefix: "nss_").',
    });
  }
  const { schema, tablePrefix } = parsed.data;
  const table = (name: string): string => `${quote(schema)}.${quote(`${tablePrefix}${name}`)}`;
  return {
    schema,
    tablePrefix,
    tables: {
      migrations: table('migrations'),
      leases: table('leases'),
      cursors: table('cursors'),
      links: table('links'),
      runs: table('runs'),
      runErrors: table('run_errors'),
      retries: table('retries'),
      checkpoints: table('checkpoints'),
      inboxEvents: table('inbox_events'),
      migrationsName: `${tablePrefix}migrations`,
      linkNetSuiteConstraint: `${tablePrefix}links_netsuite_id_key`,
    },
  };
}

/** One version of the schema. */
export interface Migration {
  /** 1, 2, 3...: applied in this order, each once. */
  readonly version: number;
  /** What it does, recorded in the migrations table. */
  readonly name: string;
  /** The statements, one per `query()` (PGlite and prepared statements take one at a time). */
  readonly statements: (location: Location) => readonly string[];
}

/** Every migration of the store, oldest first. Append only (see the rules at the top of this file). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'leases, cursors, links, runs, run errors, retries, checkpoints',
    statements: ({ tablePrefix: p, tables: t }) => [
      `CREATE TABLE ${t.leases} (
        connection_id text COLLATE "C" NOT NULL,
        holder text NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT ${quote(`${p}leases_pkey`)} PRIMARY KEY (connection_id)
      )`,
      `CREATE TABLE ${t.cursors} (
        connection_id text COLLATE "C" NOT NULL,
        phase text COLLATE "C" NOT NULL,
        value text NOT NULL,
        CONSTRAINT ${quote(`${p}cursors_pkey`)} PRIMARY KEY (connection_id, phase)
      )`,
      `CREATE TABLE ${t.links} (
        connection_id text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        invoiced_id text COLLATE "C" NOT NULL,
        netsuite_id text COLLATE "C" NOT NULL,
        origin text NOT NULL,
        fingerprint text,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ${quote(`${p}links_pkey`)} PRIMARY KEY (connection_id, kind, invoiced_id),
        CONSTRAINT ${quote(`${p}links_netsuite_id_key`)} UNIQUE (connection_id, kind, netsuite_id)
      )`,
      `CREATE TABLE ${t.runs} (
        connection_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        sequence bigint GENERATED ALWAYS AS IDENTITY,
        trigger text NOT NULL,
        status text NOT NULL,
        started_at text COLLATE "C" NOT NULL,
        finished_at text,
        counts json NOT NULL DEFAULT '{}',
        error json,
        record_error_count integer NOT NULL DEFAULT 0,
        CONSTRAINT ${quote(`${p}runs_pkey`)} PRIMARY KEY (connection_id, id)
      )`,
      `CREATE INDEX ${quote(`${p}runs_recent_idx`)} ON ${t.runs} (connection_id, started_at DESC, sequence DESC)`,
      `CREATE TABLE ${t.runErrors} (
        connection_id text COLLATE "C" NOT NULL,
        run_id text COLLATE "C" NOT NULL,
        ordinal integer NOT NULL,
        entity text NOT NULL,
        direction text NOT NULL,
        source_id text NOT NULL,
        number text,
        code text NOT NULL,
        message text NOT NULL,
        resolution text NOT NULL,
        occurred_at text NOT NULL,
        CONSTRAINT ${quote(`${p}run_errors_pkey`)} PRIMARY KEY (connection_id, run_id, ordinal),
        CONSTRAINT ${quote(`${p}run_errors_run_fkey`)} FOREIGN KEY (connection_id, run_id) REFERENCES ${t.runs} (connection_id, id) ON DELETE CASCADE
      )`,
      `CREATE TABLE ${t.retries} (
        connection_id text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        entity text NOT NULL,
        direction text NOT NULL,
        source_id text NOT NULL,
        number text,
        attempts integer NOT NULL,
        last_error_code text NOT NULL,
        last_error_message text NOT NULL,
        last_error_resolution text NOT NULL,
        status text COLLATE "C" NOT NULL,
        fingerprint text,
        updated_at text NOT NULL,
        CONSTRAINT ${quote(`${p}retries_pkey`)} PRIMARY KEY (connection_id, key)
      )`,
      `CREATE INDEX ${quote(`${p}retries_status_idx`)} ON ${t.retries} (connection_id, status, key)`,
      `CREATE TABLE ${t.checkpoints} (
        connection_id text COLLATE "C" NOT NULL,
        job_id text COLLATE "C" NOT NULL,
        kind text NOT NULL,
        status text NOT NULL,
        cursor text,
        processed bigint NOT NULL,
        total bigint,
        result json,
        updated_at text NOT NULL,
        CONSTRAINT ${quote(`${p}checkpoints_pkey`)} PRIMARY KEY (connection_id, job_id)
      )`,
    ],
  },
  {
    version: 2,
    name: 'runs by status',
    // `listRuns` with a status (`running`: the runs of dead processes, looked for whenever a run takes the
    // lease) reads this index alone; without it, every run of the connection would be read to find them.
    statements: ({ tablePrefix: p, tables: t }) => [`CREATE INDEX ${quote(`${p}runs_status_idx`)} ON ${t.runs} (connection_id, status, started_at DESC, sequence DESC)`],
  },
  {
    version: 3,
    name: 'event inbox',
    // `listPendingEvents` reads a connection's pending events in receipt order from the index, and
    // `pruneEvents` its done ones received before a time. Run triggers are text without a CHECK, so the
    // `webhook` trigger needs no change.
    statements: ({ tablePrefix: p, tables: t }) => [
      `CREATE TABLE ${t.inboxEvents} (
        connection_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        type text NOT NULL,
        entity text NOT NULL,
        source_id text NOT NULL,
        occurred_at text NOT NULL,
        received_at text COLLATE "C" NOT NULL,
        status text COLLATE "C" NOT NULL,
        CONSTRAINT ${quote(`${p}inbox_events_pkey`)} PRIMARY KEY (connection_id, id)
      )`,
      `CREATE INDEX ${quote(`${p}inbox_events_status_idx`)} ON ${t.inboxEvents} (connection_id, status, received_at)`,
    ],
  },
];

/** The latest migration of this version of the package. */
export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

/** Options of {@link migrate}. */
export type MigrateOptions = PostgresLocationOptions;

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The schema migrated. */
  readonly schema: string;
  /** The table prefix migrated. */
  readonly tablePrefix: string;
  /** The versions this call applied, in order; empty when the schema was already current. */
  readonly applied: readonly number[];
  /** The latest version applied to the schema now. */
  readonly version: number;
}

/**
 * Creates or upgrades the store's tables in `schema` (created if missing): every migration not yet
 * recorded in the `<prefix>migrations` table is applied, in version order, in ONE transaction with the
 * rows that record them, so a failure leaves the schema as it was.
 *
 * Safe to run from several processes at once: the transaction first takes a transaction-level advisory
 * lock (`pg_advisory_xact_lock`) whose key is derived from the schema and prefix, so concurrent callers
 * wait for each other, and each then sees what the previous one recorded; every migration is applied once.
 * The lock is released by the commit or rollback, even if the process dies.
 *
 * `postgresStore()` calls it on first use unless created with `migrate: false`; run it from a deploy step
 * to keep schema changes out of the request path.
 *
 * @example
 * ```ts
 * // scripts/migrate.ts, run once per deploy
 * import pg from 'pg';
 * import { migrate } from '@invoiced/netsuite-sync-store-postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const { applied, version } = await migrate(pool, { schema: 'netsuite_sync' });
 * console.log(`schema at version ${version}; applied ${applied.join(', ') || 'nothing'}`);
 * await pool.end();
 * ```
 */
export async function migrate(pool: PostgresConnection, options: MigrateOptions = {}): Promise<MigrationResult> {
  const location = resolveLocation(options, 'migrate()');
  return migrateDatabase(openDatabase(pool), location);
}

/** {@link migrate} on an open database. */
export async function migrateDatabase(db: Database, location: Location): Promise<MigrationResult> {
  const result = (applied: readonly number[], versions: ReadonlySet<number>): MigrationResult => ({
    schema: location.schema,
    tablePrefix: location.tablePrefix,
    applied,
    version: Math.max(0, ...versions),
  });
  try {
    // Nearly always the schema is current: say so without a transaction or a lock.
    const current = await appliedVersions(db, location);
    if (MIGRATIONS.every((migration) => current.has(migration.version))) return result([], current);

    return await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(location)]);
      const [namespace] = parseRows(presentSchema, await tx.query('SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1) AS present', [location.schema]), 'pg_namespace', 'migrate');
      if (namespace?.present !== true) await tx.query(`CREATE SCHEMA ${quote(location.schema)}`);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${location.tables.migrations} (
          version integer NOT NULL PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
        )`,
      );
      const versions = await readVersions(tx, location);
      const applied: number[] = [];
      for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
        if (versions.has(migration.version)) continue;
        for (const statement of migration.statements(location)) await tx.query(statement);
        await tx.query(`INSERT INTO ${location.tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
        versions.add(migration.version);
        applied.push(migration.version);
      }
      return result(applied, versions);
    });
  } catch (error) {
    if (error instanceof PostgresStoreError) throw error;
    throw wrapDatabaseError('migrate', error, {
      resolution: 'Check that the role may create the schema (or that it exists) and create tables in it; the cause says what the server answered.',
    });
  }
}

/** Throws {@link PostgresSchemaError} unless every migration of this package was applied. */
export async function assertMigrated(db: Database, location: Location): Promise<void> {
  const versions = await appliedVersions(db, location);
  if (!MIGRATIONS.every((migration) => versions.has(migration.version))) {
    throw new PostgresSchemaError(location.schema, location.tablePrefix, LATEST_VERSION, Math.max(0, ...versions));
  }
}

const presentSchema = z.object({ present: z.boolean() });
const versionSchema = z.object({ version: integer });

/** The versions recorded in the migrations table; none when the table does not exist. */
async function appliedVersions(db: Executor, location: Location): Promise<Set<number>> {
  const [table] = parseRows(
    presentSchema,
    await db.query('SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = $2) AS present', [location.schema, location.tables.migrationsName]),
    'pg_tables',
    'migrate',
  );
  return table?.present === true ? readVersions(db, location) : new Set();
}

async function readVersions(db: Executor, location: Location): Promise<Set<number>> {
  const rows = parseRows(versionSchema, await db.query(`SELECT version FROM ${location.tables.migrations}`), 'migrations', 'migrate');
  return new Set(rows.map((row) => row.version));
}

/**
 * The advisory lock key of the migrations of one schema and prefix: the first 8 bytes of the SHA-256 of
 * `@invoiced/netsuite-sync-store-postgres:migrate:<schema>.<prefix>`, as a signed 64-bit integer (in text,
 * for the `bigint` parameter).
 */
export function migrationLockKey(location: Pick<Location, 'schema' | 'tablePrefix'>): string {
  const digest = createHash('sha256').update(`@invoiced/netsuite-sync-store-postgres:migrate:${location.schema}.${location.tablePrefix}`).digest();
  return digest.readBigInt64BE(0).toString();
}
