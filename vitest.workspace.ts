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
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
