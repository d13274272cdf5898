/**
 * `@invoiced/netsuite-sync-store-memory`: an in-memory `SyncStore` for `@invoiced/netsuite-sync`.
 *
 * @packageDocumentation
 */
export { memoryStore } from './memory-store';
export type { MemoryStoreOptions } from './memory-store';
