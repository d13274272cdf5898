import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

export default defineProject({
  resolve: {
    // Tests run against the sources of the workspace packages, so they need no build first.
    alias: [
      { find: /^@invoiced\/netsuite-sync\/testing$/, replacement: path('../netsuite-sync/src/testing.ts') },
      { find: /^@invoiced\/netsuite-sync$/, replacement: path('../netsuite-sync/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-sandbox$/, replacement: path('../sandbox/src/index.ts') },
      { find: /^@invoiced\/netsuite-sync-store-postgres$/, replacement: path('../store-postgres/src/index.ts') },
    ],
  },
  test: {
    name: 'worker',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Without DATABASE_URL: initializes PGlite once, for every test file to load a copy.
    globalSetup: ['../store-postgres/test/global-setup.ts'],
    testTimeout: 60_000,
    // pg-boss's first start installs its schema: on PGlite sharing two cores, that can take longer than 10 s.
    hookTimeout: 60_000,
  },
});
