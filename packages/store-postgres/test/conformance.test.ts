import { runStoreConformance } from '@invoiced/netsuite-sync/testing';
import { afterAll } from 'vitest';
import { postgresStore } from '../src/index';
import { openBackend, randomSchema } from './support';

const backend = await openBackend();
const schemas = { pooled: randomSchema('conformance'), single: randomSchema('conformance_single') };
const single = await backend.newSingleConnection();

afterAll(async () => {
  for (const schema of Object.values(schemas)) await backend.dropSchema(schema);
  await backend.close();
});

// One store for the whole suite (the suite gives every test connection IDs of its own), on a schema of
// its own: migrated by the first test's first call.
const pooled = postgresStore({ pool: backend.pool, schema: schemas.pooled });
runStoreConformance({
  name: `postgresStore on ${backend.label} (${backend.kind === 'server' ? 'pg Pool: transactions on a checked-out client' : 'PGlite transactions'})`,
  createStore: () => pooled,
});

// The same rules on one connection with query() only, where the store queues its statements.
const serialized = postgresStore({ pool: single, schema: schemas.single });
runStoreConformance({
  name: `postgresStore on ${backend.label} (${backend.kind === 'server' ? 'one pg Client' : 'PGlite behind query() only'})`,
  createStore: () => serialized,
});
