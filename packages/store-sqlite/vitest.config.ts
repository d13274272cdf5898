import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const core = (relative: string): string => path(`../netsuite-sync/src/${relative}`);

export default defineProject({
  resolve: {
    // Tests run against the sources, so they need no build first. The subpath comes first: an alias
    // matches by prefix.
    alias: [
      { find: /^@invoiced\/netsuite-sync\/testing$/, replacement: core('testing.ts') },
      { find: /^@invoiced\/netsuite-sync$/, replacement: core('index.ts') },
      { find: /^@invoiced\/netsuite-sync-sandbox$/, replacement: path('../sandbox/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-store-memory$/, replacement: path('../store-memory/src/index.ts') },
      // The core's engine tests take their store from `./support/engine-store`: here, a SQLite store.
      { find: /^\.\/support\/engine-store$/, replacement: path('./test/engine-store.ts') },
    ],
  },
  test: {
    name: 'store-sqlite',
    // The core's end-to-end engine tests run again here, on this store (a SQLite database in memory).
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '../netsuite-sync/test/engine-*.test.ts'],
    environment: 'node',
    // The engine's end-to-end tests make thousands of store calls; on two cores shared with other test
    // files, one can take longer than the default 5 s.
    testTimeout: 20_000,
  },
});
