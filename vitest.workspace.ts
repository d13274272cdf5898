import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The root test configuration: one project per package. Run with
 * `vitest run --config vitest.workspace.ts` (what `pnpm test` does).
 * `VITEST_JSON_REPORT=<file>` also writes a JSON report there (CI prints its summary).
 */
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts'],
    // One test file per core (Vitest's default leaves one core free: on a 2-core machine, one file at a
    // time, and the whole run took 12.5 min instead of 8).
    maxWorkers: Math.max(1, availableParallelism()),
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
