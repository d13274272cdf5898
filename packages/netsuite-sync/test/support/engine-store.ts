/**
 * The store the engine's end-to-end tests run on: the in-memory store here. Other store packages run the
 * same test files on their own store by aliasing this module (`./support/engine-store`) in their vitest
 * configuration to one that exports the same function.
 */
import type { SyncStore } from '@invoiced/netsuite-sync';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

/** A new, empty store. `clock` stamps saved links and expires leases, where the store supports it. */
export function engineTestStore(options: { clock?: () => Date } = {}): SyncStore {
  return memoryStore(options);
}
