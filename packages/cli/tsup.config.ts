import { defineConfig } from 'tsup';

/**
 * The SDK's packages stay external: the root tsconfig maps them to their sources, which must never be
 * bundled in (a second copy of the core would break `instanceof` on its errors). The database drivers are
 * loaded only by the commands that need them.
 *
 * The bin is split into chunks: bin.ts checks the Node.js version before it loads main.ts, each command's
 * module (src/catalog.ts) is a chunk loaded by `import()` when that command runs, and code that several
 * of them share is a chunk of its own, loaded once. The library (index.js, index.cjs) stays one file per
 * format: its `import()`s of its own modules are bundled in, and run when called.
 */
const external = [
  '@invoiced/netsuite-sync',
  '@invoiced/netsuite-sync-sandbox',
  '@invoiced/netsuite-sync-store-memory',
  '@invoiced/netsuite-sync-store-postgres',
  '@invoiced/netsuite-sync-store-sqlite',
  '@invoiced/netsuite-sync-worker',
  '@electric-sql/pglite',
  'pg',
];

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    splitting: false,
    treeshake: true,
    external,
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    sourcemap: true,
    splitting: true,
    target: 'node22',
    platform: 'node',
    external,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
