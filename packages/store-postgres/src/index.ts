/**
 * `@invoiced/netsuite-sync-store-postgres`: a PostgreSQL `SyncStore` for `@invoiced/netsuite-sync`, with
 * versioned migrations.
 *
 * @packageDocumentation
 */
export { postgresStore } from './postgres-store';
export type { PostgresStore, PostgresStoreOptions } from './postgres-store';
export type { PruneRunsOptions, PruneRunsResult } from './prune-runs';
export { DEFAULT_SCHEMA, DEFAULT_TABLE_PREFIX, LATEST_VERSION, migrate, migrationLockKey } from './schema';
export type { MigrateOptions, MigrationResult, PostgresLocationOptions } from './schema';
export { connectionMode } from './database';
export type { ConnectionMode, PostgresConnection, PostgresPool, PostgresPoolClient, PostgresQueryable, PostgresTransactional } from './database';
export { PostgresRowError, PostgresSchemaError, PostgresStoreError } from './errors';
export type { PostgresStoreErrorOptions } from './errors';
