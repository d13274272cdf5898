import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  platform: 'node',
  splitting: false,
  treeshake: true,
  // Peers are never bundled in: a second copy of the core would break `instanceof` on its errors.
  external: ['@invoiced/netsuite-sync', '@invoiced/netsuite-sync-store-postgres', 'pg-boss'],
});
