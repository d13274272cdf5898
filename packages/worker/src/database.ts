/**
 * The fleet's view of the database the user gives: a `pg` `Pool` (transactions on a checked-out client)
 * or PGlite (its own `transaction()`), for the registry's statements and for pg-boss (`IDatabase`), so
 * that a job is queued in the same transaction as the registry row that records it.
 */
import { connectionMode } from '@invoiced/netsuite-sync-store-postgres';
import type { PostgresConnection, PostgresPool, PostgresQueryable, PostgresTransactional } from '@invoiced/netsuite-sync-store-postgres';
import { fromPglite, type Db, type PGliteLike } from 'pg-boss';
import { FleetError } from './errors';

/** Runs statements. */
export interface Executor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The same, as pg-boss calls it. */
  readonly boss: Db;
}

/** A database: statements, or a callback in one transaction. */
export interface Database extends Executor {
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
}

const executor = (queryable: PostgresQueryable, boss?: Db): Executor => ({
  query: async <Row>(text: string, params?: readonly unknown[]) => (await queryable.query(text, params === undefined ? undefined : [...params])).rows as Row[],
  // pg-boss reads `pg`'s own answer: for a text of several statements, an array of results.
  boss: boss ?? { executeSql: (text: string, values?: unknown[]) => queryable.query(text, values) },
});

/**
 * Wraps the user's connection. A single `pg` `Client` is refused: the fleet runs transactions while other
 * statements go on, which needs a pool.
 */
export function openDatabase(connection: PostgresConnection): Database {
  const mode = connectionMode(connection);
  if (mode === 'single') {
    throw new FleetError('The fleet needs a pg Pool or PGlite, not a single connection.', {
      code: 'FLEET_NEEDS_POOL',
      resolution: 'Pass a pg Pool (new pg.Pool({ connectionString })) or a PGlite instance as `database`.',
    });
  }
  if (mode === 'transaction') {
    const pglite = connection as PostgresTransactional;
    const bossDb = fromPglite(pglite as unknown as PGliteLike);
    return {
      ...executor(pglite, bossDb),
      transaction: (work) => pglite.transaction((tx) => work(executor(tx))),
    };
  }
  const pool = connection as PostgresPool;
  return {
    ...executor(pool),
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executor(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollbackError) {
          client.release(rollbackError instanceof Error ? rollbackError : true);
        }
        throw error;
      }
    },
  };
}
