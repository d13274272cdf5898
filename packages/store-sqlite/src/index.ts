/**
 * `@invoiced/netsuite-sync-store-sqlite`: a `SyncStore` for `@invoiced/netsuite-sync` in one SQLite file,
 * on Node.js's built-in `node:sqlite`.
 *
 * @packageDocumentation
 */
export { sqliteStore } from './sqlite-store';
export type { SqliteStore, SqliteStoreOptions } from './sqlite-store';
export { LATEST_VERSION, MIGRATIONS } from './schema';
export type { Migration, MigrationResult } from './schema';
export { SqliteRowError, SqliteSchemaError, SqliteStoreError, SqliteUnavailableError } from './errors';
export type { SqliteStoreErrorOptions } from './errors';
