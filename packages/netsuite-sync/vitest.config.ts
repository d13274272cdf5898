import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Integration tests run against the sandbox's source, so they need no build first.
    alias: {
      '@invoiced/netsuite-sync-sandbox': fileURLToPath(new URL('../sandbox/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'netsuite-sync',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
