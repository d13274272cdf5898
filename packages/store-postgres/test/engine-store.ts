/**
 * The store of the core's end-to-end engine tests when they run in this package's vitest project: the
 * project aliases their `./support/engine-store` import to this module. Every store is a Postgres store on
 * a fresh schema of the file's backend (PGlite, or the server of `DATABASE_URL`); the schemas are dropped
 * and the backend closed after the file's tests.
 */
import type { SyncStore } from '@invoiced/netsuite-sync';
import { afterAll, beforeAll } from 'vitest';
import { postgresStore } from '../src/index';
import { openBackend, randomSchema } from './support';
import type { Backend } from './support';

let backend: Promise<Backend> | undefined;
const schemas: string[] = [];

/** The test file's backend, opened by the first store's first call (stores are created synchronously). */
const shared = (): Promise<Backend> => (backend ??= openBackend());

// Imported by a test file, these register on that file's root suite: the backend opens before the first
// test (not inside it, where its start-up would count against the test's timeout).
beforeAll(async () => {
  await shared();
});
afterAll(async () => {
  if (backend === undefined) return;
  const opened = await backend;
  if (opened.kind === 'server') for (const schema of schemas) await opened.dropSchema(schema);
  await opened.close();
});

/** A new, empty store. `clock` stamps saved links and expires leases, as with the memory store. */
export function engineTestStore(options: { clock?: () => Date } = {}): SyncStore {
  const schema = randomSchema('engine');
  schemas.push(schema);
  return postgresStore({ pool: async () => (await shared()).pool, schema, clock: options.clock });
}
