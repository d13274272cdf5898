import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const core = (path: string): string => fileURLToPath(new URL(`../netsuite-sync/src/${path}`, import.meta.url));

export default defineProject({
  resolve: {
    // Tests run against the core's source, so they need no build first. The subpath comes first: an alias
    // matches by prefix.
    alias: [
      { find: /^@invoiced\/netsuite-sync\/testing$/, replacement: core('testing.ts') },
      { find: /^@invoiced\/netsuite-sync$/, replacement: core('index.ts') },
    ],
  },
  test: {
    name: 'store-memory',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
