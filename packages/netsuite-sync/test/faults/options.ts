/**
 * Which seeds the fault-injection harness runs, from the environment:
 *
 * - `FAULT_SEED=<n>`: replay one seed (what a failing seed's message says to run);
 * - `FAULT_SEEDS=<count>` and `FAULT_SEED_START=<first>`: a range of seeds (default 200 from 1; 5,000
 *   when `FAULT_PROFILE=full`, which `pnpm test:faults` sets);
 * - `FAULT_CHUNK=<size>`: seeds per vitest test (default 25);
 * - `FAULT_REPORT=<file>`: also write the run's numbers there as JSON (docs/reliability.md uses them).
 */

/** The seeds of one vitest run of the harness. */
export interface HarnessOptions {
  readonly seeds: readonly number[];
  /** Seeds per vitest test. */
  readonly chunkSize: number;
  /** Where to write the JSON report, if anywhere. */
  readonly reportFile: string | undefined;
  /** `ci` inside `pnpm test`, `full` for `pnpm test:faults`, `replay` for one seed. */
  readonly profile: 'ci' | 'full' | 'replay';
}

/** Seeds `pnpm test` runs (CI). */
export const CI_SEEDS = 200;
/** Seeds `pnpm test:faults` runs. */
export const FULL_SEEDS = 5000;

function integer(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

/** Reads the harness options from the environment. */
export function harnessOptions(env: NodeJS.ProcessEnv = process.env): HarnessOptions {
  const reportFile = env.FAULT_REPORT === undefined || env.FAULT_REPORT === '' ? undefined : env.FAULT_REPORT;
  const chunkSize = integer(env, 'FAULT_CHUNK', 1) ?? 25;
  const replay = integer(env, 'FAULT_SEED', 0);
  if (replay !== undefined) return { seeds: [replay], chunkSize, reportFile, profile: 'replay' };
  const full = env.FAULT_PROFILE === 'full';
  const count = integer(env, 'FAULT_SEEDS', 1) ?? (full ? FULL_SEEDS : CI_SEEDS);
  const start = integer(env, 'FAULT_SEED_START', 0) ?? 1;
  return { seeds: Array.from({ length: count }, (_, index) => start + index), chunkSize, reportFile, profile: full ? 'full' : 'ci' };
}

/** The command that replays one seed. */
export function replayCommand(seed: number): string {
  return `FAULT_SEED=${seed} pnpm test:faults`;
}

/** `items` cut into consecutive chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
