/**
 * What the API and the workers share: the database, the registry's statements, the store and the pg-boss
 * instance, started once on first use (migrations of the registry, the store and pg-boss included).
 */
import { adaptLogger } from '@invoiced/netsuite-sync';
import type { Logger } from '@invoiced/netsuite-sync';
import { connectionMode, postgresStore, type PostgresStore } from '@invoiced/netsuite-sync-store-postgres';
import type { PgBoss } from 'pg-boss';
import type { FleetOptions } from './contracts';
import { openDatabase, type Database } from './database';
import { FleetError } from './errors';
import { migrateRegistry } from './migrations';
import { parseFleetOptions } from './options';
import { createBoss, ensureQueue } from './queue';
import { statements, tablesOf, type Statements } from './sql';

export interface FleetCore {
  readonly db: Database;
  readonly sql: Statements;
  readonly queue: string;
  readonly store: PostgresStore;
  readonly logger: Required<Pick<Logger, 'info' | 'warn' | 'error'>>;
  /** Starts pg-boss (migrating it), the registry and the store, once; resolves the started pg-boss. */
  readonly boss: () => Promise<PgBoss>;
  /** Stops pg-boss if it was started. */
  readonly stop: (options?: { graceful?: boolean; timeoutMs?: number }) => Promise<void>;
}

export interface CoreRole {
  /** Workers run pg-boss's maintenance and monitor (heartbeats, expiry, retention of jobs). */
  readonly supervise: boolean;
  readonly monitorIntervalSeconds?: number;
  readonly heartbeatSeconds?: number;
}

export function openCore(options: FleetOptions, role: CoreRole): FleetCore {
  const parsed = parseFleetOptions(options);
  const db = openDatabase(parsed.database);
  const tables = tablesOf(parsed.schema, parsed.tablePrefix, parsed.bossSchema);
  const sql = statements(tables);
  const store = postgresStore({ pool: parsed.database, ...parsed.store });
  const adapted = adaptLogger(parsed.logger);
  const logger = {
    info: (message: string, fields?: Record<string, unknown>) => adapted?.info?.(message, fields),
    warn: (message: string, fields?: Record<string, unknown>) => adapted?.warn?.(message, fields),
    error: (message: string, fields?: Record<string, unknown>) => adapted?.error?.(message, fields),
  };
  const instance = createBoss(db, {
    schema: parsed.bossSchema,
    supervise: role.supervise,
    pglite: connectionMode(parsed.database) === 'transaction',
    ...(role.monitorIntervalSeconds === undefined ? {} : { monitorIntervalSeconds: role.monitorIntervalSeconds }),
  });
  instance.on('error', (error: unknown) => logger.error('pg-boss error', { error: error instanceof Error ? error.message : String(error) }));
  let started: Promise<PgBoss> | undefined;
  const start = async (): Promise<PgBoss> => {
    try {
      await instance.start();
      await migrateRegistry(db, tables);
      await ensureQueue(instance, parsed.queue, role.heartbeatSeconds);
      await store.ready();
      return instance;
    } catch (error) {
      started = undefined;
      if (error instanceof FleetError) throw error;
      throw new FleetError('The fleet could not start: pg-boss, the registry or the store could not be set up.', {
        code: 'FLEET_START_FAILED',
        resolution: 'Check that the database is reachable and that its user may create schemas and tables; the cause says more.',
        cause: error,
      });
    }
  };
  return {
    db,
    sql,
    queue: parsed.queue,
    store,
    logger,
    boss: () => (started ??= start()),
    stop: async ({ graceful = true, timeoutMs = 30_000 } = {}) => {
      if (started === undefined) return;
      await started.catch(() => undefined);
      await instance.stop({ graceful, close: false, timeout: timeoutMs });
    },
  };
}
