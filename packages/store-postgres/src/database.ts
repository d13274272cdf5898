/**
 * The store's view of a database: one statement at a time, or several in one transaction, over whatever
 * the caller passed: a `pg` Pool, PGlite, or one connection (a `pg` Client).
 *
 * Why it matters: with a `pg` Pool each `query()` may run on a different connection, so `BEGIN` sent through
 * `pool.query()` would open a transaction on one connection and the next statement would run on another.
 * A transaction therefore needs one connection for its whole life:
 *
 * - a pool (`connect()`): a client is checked out for `BEGIN` ... `COMMIT` and released after (destroyed if
 *   even `ROLLBACK` failed, so a broken connection never goes back to the pool);
 * - PGlite (`transaction(fn)`): PGlite's own transaction, which also holds back every other query;
 * - one connection (`query()` only): `BEGIN` ... `COMMIT` on it, with every other statement of this store
 *   queued behind the transaction, so that no concurrent call's statement lands inside it.
 */
import { z } from 'zod';
import { PostgresStoreError } from './errors';

/** What every database object the store accepts has: `query(text, params)` resolving `{ rows }`. */
export interface PostgresQueryable {
  /** Runs one statement with `$1`, `$2`... parameters. */
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A connection checked out of a pool (`pg`'s `PoolClient`). */
export interface PostgresPoolClient extends PostgresQueryable {
  /** Gives the connection back to the pool; with an error (or `true`), the pool destroys it instead. */
  release(error?: Error | boolean): void;
}

/** A pool that checks out connections: a `pg` `Pool` (or a pool with its API). */
export interface PostgresPool extends PostgresQueryable {
  /** Checks out one connection, for a transaction. */
  connect(): Promise<PostgresPoolClient>;
}

/** A database that runs a callback in a transaction of its own: PGlite. */
export interface PostgresTransactional extends PostgresQueryable {
  /** Runs `work` between `BEGIN` and `COMMIT` (`ROLLBACK` if it throws), holding back other queries. */
  transaction<T>(work: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
}

/**
 * Anything the store can run statements on: a `pg` `Pool` (transactions on a checked-out client), PGlite
 * (its `transaction()`), or a single connection with only `query()`, such as a connected `pg` `Client` or
 * a `PoolClient` (statements of the store are then serialized on it). `pg` is never imported: any object of
 * these shapes works.
 */
export type PostgresConnection = PostgresPool | PostgresTransactional | PostgresQueryable;

/** How transactions are run on a {@link PostgresConnection}. */
export type ConnectionMode = 'pool' | 'transaction' | 'single';

/**
 * Tells how to run a transaction on `connection`:
 *
 * - `transaction` when it has a `transaction()` function (PGlite);
 * - `pool` when it has `connect()` and is not itself one connection: no `release()` (which a checked-out
 *   `PoolClient` has) and no `connectionParameters` (which a `pg` `Client` has; its `connect()` opens the
 *   connection instead of checking one out);
 * - `single` otherwise.
 */
export function connectionMode(connection: PostgresConnection): ConnectionMode {
  const shape = connection as unknown as Record<string, unknown>;
  if (typeof shape['transaction'] === 'function') return 'transaction';
  if (typeof shape['connect'] === 'function' && typeof shape['release'] !== 'function' && !('connectionParameters' in shape)) return 'pool';
  return 'single';
}

/** Runs statements: one at a time, or inside a transaction. */
export interface Executor {
  /** Runs one statement and resolves its rows (not yet validated: each caller parses them with its schema). */
  query(text: string, params?: readonly unknown[]): Promise<unknown[]>;
}

/** A database: statements outside a transaction, or a callback inside one. */
export interface Database extends Executor {
  /** How transactions run on the connection it wraps. */
  readonly mode: ConnectionMode;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it
   * rejects (the rejection is passed on).
   */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
}

const queryResultSchema = z.object({ rows: z.array(z.unknown()) });
const poolClientSchema = z.object({
  query: z.custom<PostgresPoolClient['query']>((value) => typeof value === 'function'),
  release: z.custom<PostgresPoolClient['release']>((value) => typeof value === 'function'),
});

/** Runs one statement on `target` and checks that it answered `{ rows: [...] }`. */
async function rowsOf(target: PostgresQueryable, text: string, params: readonly unknown[]): Promise<unknown[]> {
  const result: unknown = await target.query(text, [...params]);
  const parsed = queryResultSchema.safeParse(result);
  if (!parsed.success) {
    throw new PostgresStoreError('query', 'The database object\'s query() did not resolve an object with a rows array.', {
      code: 'POSTGRES_STORE_INVALID_POOL',
      resolution: 'Pass a pg Pool or Client, PGlite, or an object whose query(text, params) resolves { rows }.',
    });
  }
  return parsed.data.rows;
}

/** Runs async work one at a time, in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(work);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** Wraps `connection` as a {@link Database}, with the transaction strategy of its {@link connectionMode}. */
export function openDatabase(connection: PostgresConnection): Database {
  const mode = connectionMode(connection);
  switch (mode) {
    case 'transaction': {
      const transactional = connection as PostgresTransactional;
      return {
        mode,
        query: (text, params = []) => rowsOf(transactional, text, params),
        transaction: (work) => transactional.transaction((tx) => work({ query: (text, params = []) => rowsOf(tx, text, params) })),
      };
    }
    case 'pool': {
      const pool = connection as PostgresPool;
      return {
        mode,
        query: (text, params = []) => rowsOf(pool, text, params),
        transaction: async (work) => {
          const checkedOut: unknown = await pool.connect();
          const parsed = poolClientSchema.safeParse(checkedOut);
          if (!parsed.success) {
            throw new PostgresStoreError('transaction', 'The pool\'s connect() did not resolve a client with query() and release().', {
              code: 'POSTGRES_STORE_INVALID_POOL',
              resolution: 'Pass a pg Pool (or a pool with its API), PGlite, or a single connection such as a pg Client.',
            });
          }
          const client = checkedOut as PostgresPoolClient;
          return inTransaction(client, work, (broken) => {
            client.release(broken);
          });
        },
      };
    }
    case 'single': {
      const mutex = new Mutex();
      return {
        mode,
        query: (text, params = []) => mutex.run(() => rowsOf(connection, text, params)),
        transaction: (work) => mutex.run(() => inTransaction(connection, work, () => undefined)),
      };
    }
  }
}

/**
 * `BEGIN`, `work`, `COMMIT` on one connection; `ROLLBACK` when anything fails. Calls `done` last, with the
 * error of a failed `ROLLBACK` (the connection is then in an unknown state and must not be reused).
 */
async function inTransaction<T>(connection: PostgresQueryable, work: (tx: Executor) => Promise<T>, done: (broken: Error | undefined) => void): Promise<T> {
  const tx: Executor = { query: (text, params = []) => rowsOf(connection, text, params) };
  let broken: Error | undefined;
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await tx.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed.');
    }
    throw error;
  } finally {
    done(broken);
  }
}
