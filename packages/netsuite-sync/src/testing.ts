/**
 * `@invoiced/netsuite-sync/testing`: what store packages need in their own tests. Runs inside vitest
 * (an optional peer dependency of this package); never import it from production code.
 *
 * @example
 * ```ts
 * import { runStoreConformance } from '@invoiced/netsuite-sync/testing';
 * import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
 *
 * runStoreConformance({ name: 'memoryStore', createStore: () => memoryStore() });
 * ```
 *
 * @packageDocumentation
 */
export { runStoreConformance } from './store/conformance';
export type { StoreConformanceOptions } from './store/conformance';
