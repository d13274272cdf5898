import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Integration tests run against the sandbox's source, so they need no build first.
    alias: {
      // Packages under test import the core by name: resolve it to this source, not a build.
      '@invoiced/netsuite-sync/testing': fileURLToPath(new URL('./src/testing.ts', import.meta.url)),
      '@invoiced/netsuite-sync/webhooks': fileURLToPath(new URL('./src/webhooks.ts', import.meta.url)),
      '@invoiced/netsuite-sync': fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      '@invoiced/netsuite-sync-sandbox': fileURLToPath(new URL('../sandbox/src/index.ts', import.meta.url)),
      // Not a dependency (the store depends on this package): tests reach its source directly.
      '@invoiced/netsuite-sync-store-memory': fileURLToPath(new URL('../store-memory/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'netsuite-sync',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
