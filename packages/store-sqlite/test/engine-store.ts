/**
 * The store of the core's end-to-end engine tests when they run in this package's vitest project: the
 * project aliases their `./support/engine-store` import to this module. Every store is a new SQLite
 * database in memory.
 */
import type { SyncStore } from '@invoiced/netsuite-sync';
import { sqliteStore } from '../src/index';

/** A new, empty store. `clock` stamps saved links and expires leases, as with the memory store. */
export function engineTestStore(options: { clock?: () => Date } = {}): SyncStore {
  return sqliteStore({ path: ':memory:', clock: options.clock });
}
