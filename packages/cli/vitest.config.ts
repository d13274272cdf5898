import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineProject({
  resolve: {
    // Tests run against the sources of the SDK's packages, so they need no build first. The subpath comes
    // first: an alias matches by prefix.
    alias: [
      { find: /^@invoiced\/netsuite-sync\/testing$/, replacement: path('../netsuite-sync/src/testing.ts') },
      { find: /^@invoiced\/netsuite-sync$/, replacement: path('../netsuite-sync/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-sandbox$/, replacement: path('../sandbox/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-store-memory$/, replacement: path('../store-memory/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-store-postgres$/, replacement: path('../store-postgres/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-store-sqlite$/, replacement: path('../store-sqlite/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-worker$/, replacement: path('../worker/src/index.ts') },
    ],
  },
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Commands run whole syncs against the sandbox over loopback, some on PGlite.
    testTimeout: 60_000,
  },
});
