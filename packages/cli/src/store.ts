/**
 * The store the CLI keeps its state in, chosen by `--store`: `sqlite:<file>` (the default,
 * `.netsuite-sync/state.db`: one SQLite file through Node.js's built-in `node:sqlite`, so state persists
 * between runs with no server and nothing heavy to load), `memory`, `pglite:<dir>` (an embedded
 * PostgreSQL in a directory) or a `postgres://` URL. Drivers are loaded only when chosen.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SyncStore } from '@invoiced/netsuite-sync';
import type { PostgresConnection } from '@invoiced/netsuite-sync-store-postgres';
import { CliError } from './errors';

/** The directory of the default stores' data, relative to the current directory. */
export const DEFAULT_PGLITE_DIR = '.netsuite-sync';
/** The default store's file, relative to the current directory (`--store sqlite` without a file). */
export const DEFAULT_SQLITE_FILE = `${DEFAULT_PGLITE_DIR}/state.db`;

/**
 * A parsed `--store` value. `byDefault`: no `--store` and no `DATABASE_URL` chose it (see
 * {@link openStore} for a directory an earlier version left PGlite data in).
 */
export type StoreSpec =
  | { kind: 'memory' }
  | { kind: 'sqlite'; file: string; byDefault?: boolean }
  | { kind: 'pglite'; dir: string }
  | { kind: 'postgres'; url: string };

/** An open store and how to close what it holds. */
export interface OpenStore {
  readonly store: SyncStore;
  /** What the store is, for people (`the PGlite store in /srv/state`): never a password. */
  readonly description: string;
  /** The `pg` pool or PGlite instance of a Postgres store (`postgres://`, `pglite:`), for the worker fleet. */
  readonly database?: PostgresConnection;
  close(): Promise<void>;
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Connections of a Postgres server's pool (default 4); a fleet worker needs one per job it runs, and more. */
  readonly poolMax?: number;
}

/**
 * Parses a `--store` value; with none, `DATABASE_URL` if it is set, else the default SQLite file.
 * @example parseStoreSpec('sqlite:./state.db', undefined) // { kind: 'sqlite', file: './state.db' }
 */
export function parseStoreSpec(spec: string | undefined, databaseUrl: string | undefined): StoreSpec {
  if (spec === undefined && (databaseUrl === undefined || databaseUrl.trim() === '')) return { kind: 'sqlite', file: DEFAULT_SQLITE_FILE, byDefault: true };
  const chosen = spec ?? (databaseUrl ?? '').trim();
  if (chosen === 'memory') return { kind: 'memory' };
  if (chosen === 'sqlite') return { kind: 'sqlite', file: DEFAULT_SQLITE_FILE };
  if (chosen.startsWith('sqlite:')) {
    const file = chosen.slice('sqlite:'.length);
    if (file.trim() === '') throw storeUsage('sqlite: needs a file, e.g. --store sqlite:./netsuite-sync.db.');
    return { kind: 'sqlite', file };
  }
  if (chosen === 'pglite') return { kind: 'pglite', dir: DEFAULT_PGLITE_DIR };
  if (chosen.startsWith('pglite:')) {
    const dir = chosen.slice('pglite:'.length);
    if (dir.trim() === '') throw storeUsage('pglite: needs a directory, e.g. --store pglite:./netsuite-sync-state.');
    return { kind: 'pglite', dir };
  }
  if (/^postgres(?:ql)?:\/\//i.test(chosen)) {
    if (!URL.canParse(chosen)) throw storeUsage('The Postgres connection string is not a valid URL.');
    return { kind: 'postgres', url: chosen };
  }
  throw storeUsage(`Unknown store ${JSON.stringify(chosen.replace(/:\/\/.*$/, '://...'))}.`);
}

function storeUsage(message: string): CliError {
  return new CliError(message, {
    code: 'INVALID_STORE',
    resolution: `Use --store sqlite:<file> (the default is sqlite:${DEFAULT_SQLITE_FILE}), --store memory, --store pglite:<directory>, or --store postgres://user:password@host:5432/database.`,
  });
}

/** A connection string with its password masked. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  parsed.search = '';
  return `the Postgres store at ${parsed.toString()}`;
}

/** How long to wait for a Postgres server to accept a connection before failing with the error that names it. */
export const POSTGRES_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * The options of the CLI's `pg.Pool`. `connectionTimeoutMillis`: a server that never answers (a firewall
 * that drops packets) fails in seconds instead of waiting for the system's TCP timeout, minutes.
 */
export function postgresPoolConfig(url: string, max = 4): { connectionString: string; max: number; connectionTimeoutMillis: number } {
  return { connectionString: url, max, connectionTimeoutMillis: POSTGRES_CONNECTION_TIMEOUT_MS };
}

/** The file that marks a PGlite directory as in use, holding the user's process ID. */
export const PGLITE_LOCK_FILE = 'netsuite-sync.lock';

/** Whether a process of this ID is running (on this machine). */
function processIsAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock of a PGlite directory: PGlite does not notice two processes opening one directory, and
 * two PostgreSQL instances on one data directory would corrupt it. A lock left by a process that died is
 * taken over. Resolves with the function that releases it.
 */
async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = resolve(dir, PGLITE_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (processIsAlive(holder)) {
      throw new CliError(`The PGlite store in ${dir} is in use by another netsuite-sync command (process ${holder}).`, {
        code: 'STORE_IN_USE',
        exitCode: 1,
        resolution:
          'PGlite lets one process use a directory at a time: wait for the other command (an `auto` loop runs until stopped) or stop it, or choose another directory with --store pglite:<dir>. For several processes, use a Postgres server (--store postgres://...).',
      });
    }
    await rm(path, { force: true });
  }
  throw new CliError(`Cannot take the lock of the PGlite store in ${dir}.`, {
    code: 'STORE_IN_USE',
    exitCode: 1,
    resolution: `Another command keeps taking it; if none runs, delete ${path}.`,
  });
}

/**
 * Whether the default directory holds the PGlite data of an earlier version (whose default store was
 * `pglite:.netsuite-sync`) and no SQLite file yet: that state is then kept in use rather than left behind.
 */
function hasEarlierPgliteState(cwd: string): boolean {
  const dir = resolve(cwd, DEFAULT_PGLITE_DIR);
  return existsSync(resolve(dir, 'PG_VERSION')) && !existsSync(resolve(cwd, DEFAULT_SQLITE_FILE));
}

/**
 * Opens the SQLite store of a file, creating its directory, and applies its migrations. No lock file:
 * SQLite locks the file itself, so several commands may share it (an `auto` loop and `runs`, say); the
 * store's leases keep to one sync per connection at a time, and a command that finds the file being
 * written waits up to the store's busy timeout (5 s).
 */
async function openSqlite(file: string): Promise<OpenStore> {
  const { sqliteStore, SqliteUnavailableError } = await import('@invoiced/netsuite-sync-store-sqlite');
  const description = `the SQLite store ${file}`;
  let store: ReturnType<typeof sqliteStore> | undefined;
  try {
    await mkdir(dirname(file), { recursive: true });
    store = sqliteStore({ path: file });
    await store.ready();
  } catch (error) {
    await store?.close().catch(() => undefined);
    if (error instanceof SqliteUnavailableError) throw error;
    const said = error instanceof Error ? error.message : String(error);
    const resolution = (error as { resolution?: unknown }).resolution;
    throw new CliError(`Cannot open ${description}: ${said}`, {
      code: 'STORE_UNAVAILABLE',
      exitCode: 1,
      resolution: typeof resolution === 'string' ? resolution : 'Check that this user may create and write the file and its directory, or choose another with --store sqlite:<file>.',
      cause: error,
    });
  }
  const opened = store;
  return { store: opened, description, close: () => opened.close() };
}

/**
 * Opens the store of a spec: the SQLite file and the PGlite directory are created if missing, and every
 * database store applies its migrations now, so that a store that cannot be used fails before any sync
 * starts. The default SQLite store gives way to the PGlite data an earlier version left in
 * `.netsuite-sync` (its default), so upgrading loses no state; `--store sqlite` starts a new file instead.
 */
export async function openStore(spec: StoreSpec, cwd: string, options: OpenStoreOptions = {}): Promise<OpenStore> {
  switch (spec.kind) {
    case 'sqlite': {
      if (spec.byDefault === true && hasEarlierPgliteState(cwd)) return openStore({ kind: 'pglite', dir: DEFAULT_PGLITE_DIR }, cwd);
      return openSqlite(resolve(cwd, spec.file));
    }
    case 'memory': {
      const { memoryStore } = await import('@invoiced/netsuite-sync-store-memory');
      return { store: memoryStore(), description: 'the memory store (kept only while the command runs)', close: () => Promise.resolve() };
    }
    case 'pglite': {
      const dir = resolve(cwd, spec.dir);
      const [{ PGlite }, { postgresStore }] = await Promise.all([import('@electric-sql/pglite'), import('@invoiced/netsuite-sync-store-postgres')]);
      await mkdir(dir, { recursive: true });
      const unlock = await lockDirectory(dir);
      let db: InstanceType<typeof PGlite> | undefined;
      try {
        db = await PGlite.create(dir).catch((error: unknown) => {
          throw new CliError(`Cannot open the PGlite store in ${dir}: ${error instanceof Error ? error.message : String(error)}.`, {
            code: 'STORE_UNAVAILABLE',
            exitCode: 1,
            resolution: 'Check that the directory is a PGlite data directory this user may write, or choose another with --store pglite:<dir>.',
            cause: error,
          });
        });
        const store = postgresStore({ pool: db });
        await store.ready();
        const opened = db;
        return {
          store,
          description: `the PGlite store in ${dir}`,
          database: opened,
          close: async () => {
            try {
              await opened.close();
            } finally {
              await unlock();
            }
          },
        };
      } catch (error) {
        await db?.close().catch(() => undefined);
        await unlock();
        throw error;
      }
    }
    case 'postgres': {
      const [{ default: pg }, { postgresStore }] = await Promise.all([import('pg'), import('@invoiced/netsuite-sync-store-postgres')]);
      const pool = new pg.Pool(postgresPoolConfig(spec.url, options.poolMax));
      // An idle client that loses its connection must not crash the command; the next query reports it.
      pool.on('error', () => undefined);
      const store = postgresStore({ pool });
      try {
        await store.ready();
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
      return { store, description: describePostgresUrl(spec.url), database: pool, close: () => pool.end() };
    }
  }
}
