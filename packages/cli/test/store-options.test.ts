/**
 * The `--store` loose ends of the SQLite default: the usage names it, the hint after a memory store
 * suggests a SQLite file, the package exports its file, and a Postgres server that never answers fails
 * within the pool's connection timeout with the error that names it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalFlags } from '../src/context';
import { postgresConnectionError } from '../src/errors';
import { commandLine } from '../src/hint';
import { DEFAULT_SQLITE_FILE, usage } from '../src/index';
import { POSTGRES_CONNECTION_TIMEOUT_MS, postgresPoolConfig } from '../src/store';

describe('--store and the default SQLite store', () => {
  it('the usage describes every store and the default, DATABASE_URL or the SQLite file', () => {
    expect(DEFAULT_SQLITE_FILE).toBe('.netsuite-sync/state.db');
    const line = usage()
      .split('\n')
      .find((text) => text.trimStart().startsWith('--store'));
    expect(line?.replace(/\s+/g, ' ').trim()).toBe(
      `--store <store> sqlite:<file> | memory | pglite:<dir> | postgres://user:password@host/db (default: DATABASE_URL if set, else sqlite:${DEFAULT_SQLITE_FILE}).`,
    );
  });

  it('after a memory store, the hint suggests keeping state in a SQLite file', () => {
    const flags: GlobalFlags = {
      connection: 'default',
      store: 'memory',
      settings: undefined,
      envFile: undefined,
      accountId: undefined,
      netsuiteBaseUrl: undefined,
      invoicedBaseUrl: undefined,
      invoicedSandbox: false,
      json: false,
      progress: false,
      verbose: false,
    };
    const hint = commandLine(['runs'], flags, {}, 'store');
    expect(hint).toContain('use --store sqlite:<file> or a Postgres URL to keep runs and jobs');
    expect(hint).not.toContain('pglite');
  });
});

describe('a Postgres server that never answers', () => {
  const sockets: Socket[] = [];
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    // Accepts connections and never answers, like a server behind a firewall that drops the packets.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('the pool gives up after 10 s instead of waiting for the system (minutes, or for ever)', () => {
    expect(POSTGRES_CONNECTION_TIMEOUT_MS).toBe(10_000);
    expect(postgresPoolConfig('postgres://sync@db.example/books')).toEqual({ connectionString: 'postgres://sync@db.example/books', max: 4, connectionTimeoutMillis: 10_000 });
  });

  it('with that option, the connection fails with the error that names the server (timeout shortened for the test)', async () => {
    const url = `postgres://sync:VeryS3cretPassw0rd@127.0.0.1:${port}/books`;
    const pool = new pg.Pool({ ...postgresPoolConfig(url), connectionTimeoutMillis: 300 });
    pool.on('error', () => undefined);
    const failure = await postgresStore({ pool })
      .ready()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await pool.end();
    const error = postgresConnectionError(failure, url, 'from --store');
    expect(error?.message).toBe(`Cannot connect to the Postgres server at 127.0.0.1:${port} (database "books", user "sync", from --store): Connection terminated due to connection timeout`);
    expect(error?.resolution).toContain('did not answer in time');
    expect(`${error?.message} ${error?.resolution}`).not.toContain('VeryS3cretPassw0rd');
  });
});
