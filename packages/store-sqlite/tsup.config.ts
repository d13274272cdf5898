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
  // The core is a peer: the root tsconfig maps it to its source, which must never be bundled in (that
  // would give this package a second copy of LinkConflictError, so `instanceof` would fail).
  external: ['@invoiced/netsuite-sync'],
});
