/**
 * The database the tests run on: the PostgreSQL server of `DATABASE_URL` when it is set, PGlite (a real
 * Postgres compiled to WebAssembly, in this process) otherwise, so that a fresh clone's `pnpm test` needs
 * no server. Every test file opens one backend and works in schemas of its own, dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { connectionMode } from '../src/index';
import type { PostgresConnection, PostgresPool, PostgresQueryable, PostgresTransactional } from '../src/index';

/** The server the tests use, if any. */
export const DATABASE_URL = process.env['DATABASE_URL'] === '' ? undefined : process.env['DATABASE_URL'];

/** One database for a test file. */
export interface Backend {
  readonly kind: 'server' | 'pglite';
  /** For test names: `PostgreSQL server` or `PGlite` (never the connection string). */
  readonly label: string;
  /** The file's shared pool (server) or instance (PGlite). */
  readonly pool: PostgresConnection;
  /**
   * Another pool with connections of its own, as another process would have (server); on PGlite, which
   * has one connection, the same instance.
   */
  newPool(max?: number): PostgresConnection;
  /** One connection with `query()` only: a connected `pg` Client (server), or PGlite behind `query()` alone. */
  newSingleConnection(): Promise<PostgresConnection>;
  /** Drops a schema the test created, with everything in it. */
  dropSchema(schema: string): Promise<void>;
  /** Ends every pool and client opened here, or closes PGlite. */
  close(): Promise<void>;
}

/** A schema name no other test (or earlier run on the same server) uses. */
export function randomSchema(label: string): string {
  return `nss_test_${label}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** Opens the backend of this run. */
export async function openBackend(): Promise<Backend> {
  return DATABASE_URL === undefined ? openPGlite() : openServer(DATABASE_URL);
}

function openServer(connectionString: string): Backend {
  const pools: pg.Pool[] = [];
  const clients: pg.Client[] = [];
  const newPool = (max = 10): pg.Pool => {
    const pool = new pg.Pool({ connectionString, max });
    // An idle client that loses its connection emits 'error' on the pool; without a listener it would crash.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const pool = newPool();
  return {
    kind: 'server',
    label: 'PostgreSQL server',
    pool,
    newPool,
    newSingleConnection: async () => {
      const client = new pg.Client({ connectionString });
      client.on('error', () => undefined);
      clients.push(client);
      await client.connect();
      return client;
    },
    dropSchema: async (schema) => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.end()));
      await Promise.all(pools.filter((each) => !each.ending && !each.ended).map((each) => each.end()));
    },
  };
}

async function openPGlite(): Promise<Backend> {
  // A copy of the data directory initialized once by global-setup.ts, when the project ran it.
  const dataDir = inject('pgliteDataDir');
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create({ loadDataDir: new Blob([await readFile(dataDir)]) });
  return {
    kind: 'pglite',
    label: 'PGlite',
    pool: db,
    newPool: () => db,
    newSingleConnection: () => Promise.resolve({ query: (text: string, params?: unknown[]) => db.query(text, params) }),
    dropSchema: async (schema) => {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
    close: () => db.close(),
  };
}

/**
 * Wraps `connection` keeping its shape (pool, PGlite or single connection), and passes every statement's
 * text to `record` before running it.
 */
export function recordingConnection(connection: PostgresConnection, record: (text: string) => void): PostgresConnection {
  const recording =
    (target: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }) =>
    (text: string, params?: unknown[]): Promise<{ rows: unknown[] }> => {
      record(text);
      return target.query(text, params);
    };
  switch (connectionMode(connection)) {
    case 'transaction': {
      const db = connection as PostgresTransactional;
      return {
        query: recording(db),
        transaction: <T>(work: (tx: PostgresQueryable) => Promise<T>) => db.transaction((tx) => work({ query: recording(tx) })),
      } satisfies PostgresTransactional;
    }
    case 'pool': {
      const pool = connection as PostgresPool;
      return {
        query: recording(pool),
        connect: async () => {
          const client = await pool.connect();
          return { query: recording(client), release: (error?: Error | boolean) => client.release(error) };
        },
      } satisfies PostgresPool;
    }
    case 'single':
      return { query: recording(connection) };
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Awaits `promise` and resolves what it rejected with (or fails if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject, but it resolved');
    },
    (error: unknown) => error,
  );
}
