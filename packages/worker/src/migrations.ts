/**
 * Creates or upgrades the registry's tables: each migration once, in order, in one transaction under an
 * advisory lock, so that workers starting together never migrate twice.
 */
import { FleetError } from './errors';
import type { Database } from './database';
import { LATEST_VERSION, MIGRATIONS, statements, type Tables } from './sql';

/** Applies the registry's missing migrations; resolves with the versions applied now. */
export async function migrateRegistry(db: Database, tables: Tables): Promise<number[]> {
  const sql = statements(tables);
  try {
    return await db.transaction(async (tx) => {
      await tx.query(sql.lock, [tables.lockKey]);
      await tx.query(sql.createSchema);
      await tx.query(sql.migrationsTable);
      const applied = new Set((await tx.query<{ version: number }>(sql.appliedVersions)).map((row) => Number(row.version)));
      const newer = [...applied].filter((version) => version > LATEST_VERSION);
      if (newer.length > 0) {
        throw new FleetError(`The registry was migrated by a newer version of the worker package (version ${Math.max(...newer)}; this one knows ${LATEST_VERSION}).`, {
          code: 'FLEET_SCHEMA_TOO_NEW',
          resolution: 'Upgrade @invoiced/netsuite-sync-worker on this machine to the version the other workers run.',
        });
      }
      const done: number[] = [];
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements(tables)) await tx.query(statement);
        await tx.query(sql.recordMigration, [migration.version, migration.name]);
        done.push(migration.version);
      }
      return done;
    });
  } catch (error) {
    if (error instanceof FleetError) throw error;
    throw new FleetError('The registry could not be migrated.', {
      code: 'FLEET_MIGRATION_FAILED',
      resolution: 'Check that the database user may create tables in the registry schema, and the cause.',
      cause: error,
    });
  }
}
