import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    // node:sqlite exists only with its prefix; tsup would strip it by default.
    removeNodeProtocol: false,
    splitting: false,
  },
  {
    entry: ['src/bin.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    // node:sqlite exists only with its prefix; tsup would strip it by default.
    removeNodeProtocol: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
