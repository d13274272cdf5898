import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing` is the `./testing` subpath: the store conformance suite, which imports vitest.
  // `webhooks` is the `./webhooks` subpath: Invoiced webhook reception and its framework adapters.
  entry: ['src/index.ts', 'src/testing.ts', 'src/webhooks.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
  platform: 'node',
  // Shared chunks, so both entries use one copy of shared classes: `instanceof LinkConflictError` in the
  // conformance suite must hold for errors a store throws with the class of the main entry.
  splitting: true,
  treeshake: true,
  // An optional peer: loaded from the user's own install, never bundled.
  external: ['vitest'],
});
