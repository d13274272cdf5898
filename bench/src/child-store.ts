/**
 * The store a scenario's child runs the engine over (`--store`): the memory store, which keeps the links
 * on the JavaScript heap, or the SQLite store (`node:sqlite`), which keeps them in a file off the heap: a
 * new file in a directory of its own under the system's temporary folder, removed (with its -wal and -shm)
 * when the child closes it. Either starts empty; the child loads the previous scenario's snapshot into it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncStore } from '@invoiced/netsuite-sync';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { sqliteStore } from '@invoiced/netsuite-sync-store-sqlite';
import type { StoreName } from '#bench/protocol';

export interface ChildStore {
  readonly store: SyncStore;
  /** The SQLite file, or null for the memory store. */
  readonly file: string | null;
  /** Closes the store and removes its files. */
  close(): Promise<void>;
}

/**
 * Opens an empty store of the kind `name` says, with `clock` as its time source (leases, links' `updatedAt`).
 * Anything but `sqlite` (no store named included) is the memory store, the default.
 */
export async function openChildStore(name: StoreName, clock: () => Date): Promise<ChildStore> {
  if (name !== 'sqlite') return { store: memoryStore({ clock }), file: null, close: () => Promise.resolve() };
  const directory = await mkdtemp(join(tmpdir(), 'netsuite-sync-bench-store-'));
  const file = join(directory, 'store.sqlite');
  const store = sqliteStore({ path: file, clock });
  try {
    await store.ready();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    store,
    file,
    close: async () => {
      try {
        await store.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}
