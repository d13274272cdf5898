/**
 * The store the CLI keeps its state in, chosen by `--store`: `memory`, `pglite:<dir>` (the default, an
 * embedded PostgreSQL in a directory, so state persists between runs with no server) or a
 * `postgres://` URL. Drivers are loaded only when chosen.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SyncStore } from '@invoiced/netsuite-sync';
import { CliError } from './errors';

/** Where the default store keeps its data, relative to the current directory. */
export const DEFAULT_PGLITE_DIR = '.netsuite-sync';

/** A parsed `--store` value. */
export type StoreSpec = { kind: 'memory' } | { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

/** An open store and how to close what it holds. */
export interface OpenStore {
  readonly store: SyncStore;
  /** What the store is, for people (`the PGlite store in /srv/state`): never a password. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Parses a `--store` value; with none, `DATABASE_URL` if it is set, else the default PGlite directory.
 * @example parseStoreSpec('pglite:./state', {}) // { kind: 'pglite', dir: './state' }
 */
export function parseStoreSpec(spec: string | undefined, databaseUrl: string | undefined): StoreSpec {
  const chosen = spec ?? (databaseUrl !== undefined && databaseUrl.trim() !== '' ? databaseUrl.trim() : `pglite:${DEFAULT_PGLITE_DIR}`);
  if (chosen === 'memory') return { kind: 'memory' };
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
    resolution: 'Use --store memory, --store pglite:<directory> (the default is pglite:.netsuite-sync), or --store postgres://user:password@host:5432/database.',
  });
}

/** A connection string with its password masked. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  parsed.search = '';
  return `the Postgres store at ${parsed.toString()}`;
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
 * Opens the store of a spec: PGlite creates its directory and both Postgres stores apply their migrations
 * now, so that a store that cannot be used fails before any sync starts.
 */
export async function openStore(spec: StoreSpec, cwd: string): Promise<OpenStore> {
  switch (spec.kind) {
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
      const pool = new pg.Pool({ connectionString: spec.url, max: 4 });
      // An idle client that loses its connection must not crash the command; the next query reports it.
      pool.on('error', () => undefined);
      const store = postgresStore({ pool });
      try {
        await store.ready();
      } catch (error) {
        await pool.end().catch(() => undefined);
        throw error;
      }
      return { store, description: describePostgresUrl(spec.url), close: () => pool.end() };
    }
  }
}
