/**
 * The transaction helper: one connection per transaction whatever the caller passed, rollback on failure,
 * and no statement of a concurrent call landing inside a transaction on a single connection.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/database';
import { connectionMode, PostgresStoreError } from '../src/index';
import type { PostgresConnection, PostgresPoolClient } from '../src/index';
import { openBackend, randomSchema, rejectionOf } from './support';

/** A connection that answers every statement with no rows and logs it; `fail` makes matching ones reject. */
function fakeClient(log: string[], fail: (text: string) => boolean = () => false): PostgresPoolClient & { released: unknown[] } {
  const released: unknown[] = [];
  return {
    released,
    query: (text) => {
      log.push(text);
      return fail(text) ? Promise.reject(new Error(`${text} failed`)) : Promise.resolve({ rows: [] });
    },
    release: (error) => {
      released.push(error);
    },
  };
}

describe('connectionMode', () => {
  it('tells a pg Pool, a pg Client, a checked-out client, PGlite and a query-only object apart', async () => {
    const pool = new pg.Pool({ host: '127.0.0.1', port: 1 });
    const client = new pg.Client({ host: '127.0.0.1', port: 1 });
    // PGlite's methods live on its prototype: an instance that never started has the same shape.
    const pglite = Object.create(PGlite.prototype) as PGlite;
    try {
      expect(connectionMode(pool)).toBe('pool');
      expect(connectionMode(client)).toBe('single');
      expect(connectionMode(fakeClient([]))).toBe('single');
      expect(connectionMode(pglite)).toBe('transaction');
      expect(connectionMode({ query: () => Promise.resolve({ rows: [] }) })).toBe('single');
    } finally {
      await pool.end();
    }
  });
});

describe('transactions on a pool', () => {
  it('runs BEGIN, the work and COMMIT on one checked-out client, then releases it', async () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const poolQueries: string[] = [];
    const db = openDatabase({ query: (text) => (poolQueries.push(text), Promise.resolve({ rows: [] })), connect: () => Promise.resolve(client) });
    expect(await db.transaction(async (tx) => (await tx.query('INSERT 1'), await tx.query('INSERT 2'), 'done'))).toBe('done');
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'INSERT 2', 'COMMIT']);
    expect(poolQueries).toEqual([]);
    expect(client.released).toEqual([undefined]);
  });

  it('rolls back, passes the error on and releases the client when the work fails', async () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const db = openDatabase({ query: () => Promise.resolve({ rows: [] }), connect: () => Promise.resolve(client) });
    const failure = new Error('work failed');
    expect(await rejectionOf(db.transaction(async (tx) => (await tx.query('INSERT 1'), Promise.reject(failure))))).toBe(failure);
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'ROLLBACK']);
    expect(client.released).toEqual([undefined]);
  });

  it('destroys the client (release with an error) when even ROLLBACK fails', async () => {
    const log: string[] = [];
    const client = fakeClient(log, (text) => text === 'INSERT 1' || text === 'ROLLBACK');
    const db = openDatabase({ query: () => Promise.resolve({ rows: [] }), connect: () => Promise.resolve(client) });
    const error = await rejectionOf(db.transaction((tx) => tx.query('INSERT 1')));
    expect(error).toMatchObject({ message: 'INSERT 1 failed' });
    expect(log).toEqual(['BEGIN', 'INSERT 1', 'ROLLBACK']);
    expect(client.released).toHaveLength(1);
    expect(client.released[0]).toBeInstanceOf(Error);
  });

  it('refuses a pool whose connect() does not give a client', async () => {
    const db = openDatabase({ query: () => Promise.resolve({ rows: [] }), connect: () => Promise.resolve({} as PostgresPoolClient) });
    const error = await rejectionOf(db.transaction(() => Promise.resolve()));
    expect(error).toBeInstanceOf(PostgresStoreError);
    expect(error).toMatchObject({ code: 'POSTGRES_STORE_INVALID_POOL' });
  });

  it('refuses a query() that does not resolve rows', async () => {
    const db = openDatabase({ query: () => Promise.resolve({} as { rows: unknown[] }) });
    expect(await rejectionOf(db.query('SELECT 1'))).toMatchObject({ code: 'POSTGRES_STORE_INVALID_POOL' });
  });
});

describe('transactions on one connection', () => {
  it('queues a concurrent statement behind an open transaction', async () => {
    const log: string[] = [];
    const db = openDatabase(fakeClient(log));
    let proceed: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT inside');
      await gate;
      await tx.query('UPDATE inside');
    });
    const outside = db.query('SELECT outside');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual(['BEGIN', 'INSERT inside']);
    proceed();
    await Promise.all([transaction, outside]);
    expect(log).toEqual(['BEGIN', 'INSERT inside', 'UPDATE inside', 'COMMIT', 'SELECT outside']);
  });

  it('uses PGlite\'s own transaction() when there is one', async () => {
    const log: string[] = [];
    const inner = fakeClient(log);
    const db = openDatabase({
      query: () => Promise.reject(new Error('not used')),
      transaction: async (work) => {
        log.push('transaction()');
        return work(inner);
      },
    });
    await db.transaction((tx) => tx.query('INSERT 1'));
    expect(log).toEqual(['transaction()', 'INSERT 1']);
  });
});

const backend = await openBackend();
const schema = randomSchema('tx');
await backend.pool.query(`CREATE SCHEMA "${schema}"`);
await backend.pool.query(`CREATE TABLE "${schema}".items (value text NOT NULL)`);
const single = await backend.newSingleConnection();
afterAll(async () => {
  await backend.dropSchema(schema);
  await backend.close();
});

describe(`transactions on ${backend.label}`, () => {
  const values = async (): Promise<unknown[]> => (await backend.pool.query(`SELECT value FROM "${schema}".items ORDER BY value`)).rows.map((row) => (row as { value: unknown }).value);

  const connections: [string, () => PostgresConnection][] = [
    [backend.kind === 'server' ? 'a pg Pool' : 'PGlite', () => backend.pool],
    [backend.kind === 'server' ? 'a pg Client' : 'PGlite behind query() only', () => single],
  ];
  describe.each(connections)('on %s', (_label, connection) => {
    it('commits the work, or rolls all of it back when it fails, leaving concurrent writes alone', async () => {
      await backend.pool.query(`DELETE FROM "${schema}".items`);
      const db = openDatabase(connection());
      await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO "${schema}".items VALUES ($1)`, ['a']);
        await tx.query(`INSERT INTO "${schema}".items VALUES ($1)`, ['b']);
      });
      const failure = new Error('stop');
      const failed = db.transaction(async (tx) => {
        await tx.query(`INSERT INTO "${schema}".items VALUES ($1)`, ['c']);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw failure;
      });
      // Issued while the failing transaction is open: it must not be rolled back with it.
      const outside = db.query(`INSERT INTO "${schema}".items VALUES ($1)`, ['d']);
      expect(await rejectionOf(failed)).toBe(failure);
      await outside;
      expect(await values()).toEqual(['a', 'b', 'd']);
    });
  });
});
