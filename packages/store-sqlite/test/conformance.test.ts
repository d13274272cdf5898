import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from '@invoiced/netsuite-sync/testing';
import { afterAll } from 'vitest';
import { sqliteStore } from '../src/index';
import type { SqliteStore } from '../src/index';

const directory = mkdtempSync(join(tmpdir(), 'netsuite-sync-sqlite-'));
// One file for the whole suite (the suite gives every test connection IDs of its own), as a long-lived
// process would use it: WAL mode, migrations applied by the first call.
const onFile = sqliteStore({ path: join(directory, 'state.db') });

afterAll(async () => {
  await onFile.close();
  rmSync(directory, { recursive: true, force: true });
});

runStoreConformance({ name: 'sqliteStore on a file', createStore: () => onFile });

// A new in-memory database for every test: each store migrates its own.
runStoreConformance({
  name: 'sqliteStore in memory',
  createStore: () => sqliteStore({ path: ':memory:' }),
  cleanup: (store) => (store as SqliteStore).close(),
});
