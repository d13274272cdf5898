/**
 * The store's tables and their versioned migrations. Applied migrations are recorded in `migrations`;
 * missing ones are applied in order, each in the same `BEGIN IMMEDIATE` transaction as its record, so
 * processes that open one file at once apply each migration once (the others wait, then find it applied).
 *
 * Strings that may hold anything (IDs, names, messages) are `ANY` columns of STRICT tables: TEXT, or the
 * BLOB of a string with unpaired surrogates (see `text.ts`). JSON columns are TEXT (JSON escapes both).
 */
import type { DatabaseSync } from 'node:sqlite';
import { SqliteSchemaError } from './errors';

/** One migration: its version and the statements that apply it. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'leases, cursors, links, runs, record errors, retries, import checkpoints',
    sql: `
      CREATE TABLE leases (
        connection_id ANY NOT NULL PRIMARY KEY,
        holder ANY NOT NULL,
        expires_at REAL NOT NULL
      ) STRICT;
      CREATE TABLE cursors (
        connection_id ANY NOT NULL,
        phase ANY NOT NULL,
        value ANY NOT NULL,
        PRIMARY KEY (connection_id, phase)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE links (
        connection_id ANY NOT NULL,
        kind TEXT NOT NULL,
        invoiced_id ANY NOT NULL,
        netsuite_id ANY NOT NULL,
        origin TEXT NOT NULL,
        fingerprint ANY,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection_id, kind, invoiced_id),
        UNIQUE (connection_id, kind, netsuite_id)
      ) STRICT;
      CREATE TABLE runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        connection_id ANY NOT NULL,
        id ANY NOT NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        counts TEXT NOT NULL,
        error TEXT,
        record_error_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (connection_id, id)
      ) STRICT;
      CREATE INDEX runs_newest ON runs (connection_id, started_at DESC, seq DESC);
      CREATE INDEX runs_by_status ON runs (connection_id, status, started_at DESC, seq DESC);
      CREATE TABLE record_errors (
        run_seq INTEGER NOT NULL REFERENCES runs (seq),
        position INTEGER NOT NULL,
        error TEXT NOT NULL,
        PRIMARY KEY (run_seq, position)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE retries (
        connection_id ANY NOT NULL,
        key ANY NOT NULL,
        entity TEXT NOT NULL,
        direction TEXT NOT NULL,
        source_id ANY NOT NULL,
        number ANY,
        attempts INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        status TEXT NOT NULL,
        fingerprint ANY,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection_id, key)
      ) STRICT;
      CREATE TABLE checkpoints (
        connection_id ANY NOT NULL,
        job_id ANY NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        cursor ANY,
        processed INTEGER NOT NULL,
        total INTEGER,
        result TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connection_id, job_id)
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'event inbox',
    // `listPendingEvents` reads the pending events of a connection in receipt order from the index, and
    // `pruneEvents` the done ones received before a time. Run triggers are TEXT without a CHECK, so the
    // `webhook` trigger needs no change.
    sql: `
      CREATE TABLE inbox_events (
        connection_id ANY NOT NULL,
        id ANY NOT NULL,
        type ANY NOT NULL,
        entity TEXT NOT NULL,
        source_id ANY NOT NULL,
        occurred_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (connection_id, id)
      ) STRICT;
      CREATE INDEX inbox_events_by_status ON inbox_events (connection_id, status, received_at);
    `,
  },
];

/** The latest migration this version of the package knows. */
export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

/** What {@link migrateDatabase} did. */
export interface MigrationResult {
  /** The versions applied now, in order (empty when the file was current). */
  readonly applied: readonly number[];
  /** The file's version afterwards. */
  readonly version: number;
}

/**
 * Applies the missing migrations, in order, in one `BEGIN IMMEDIATE` transaction.
 *
 * @throws {SqliteSchemaError} when a newer version of the package migrated the file further.
 */
export function migrateDatabase(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  const latest = migrations.reduce((max, migration) => Math.max(max, migration.version), 0);
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  const current = (): number => {
    const row = db.prepare('SELECT coalesce(max(version), 0) AS version FROM migrations').get() as { version: number } | undefined;
    return row?.version ?? 0;
  };
  // Most opens find the file current: a plain read, without taking the write lock.
  const found = current();
  if (found > latest) throw new SqliteSchemaError(latest, found);
  if (found === latest) return { applied: [], version: found };
  return inTransaction(db, 'IMMEDIATE', () => {
    const version = current();
    if (version > latest) throw new SqliteSchemaError(latest, version);
    const applied: number[] = [];
    const record = db.prepare('INSERT INTO migrations (version, description, applied_at) VALUES (?, ?, ?)');
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= version) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.description, new Date().toISOString());
      applied.push(migration.version);
    }
    return { applied, version: Math.max(version, ...applied) };
  });
}

/**
 * Runs `work` in a transaction: `IMMEDIATE` takes the write lock at once (waiting up to the busy timeout
 * for another process), so what `work` reads cannot change before it writes; `DEFERRED` gives a read-only
 * `work` one snapshot. Commits when `work` returns, rolls back when it throws.
 */
export function inTransaction<T>(db: DatabaseSync, mode: 'IMMEDIATE' | 'DEFERRED', work: () => T): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (some errors end the transaction themselves); the first error is the one to report.
    }
    throw error;
  }
}
