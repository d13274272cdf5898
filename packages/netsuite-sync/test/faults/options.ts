/**
 * Which seeds the fault-injection harness runs, from the environment:
 *
 * - `FAULT_SEED=<n>`: replay one seed (what a failing seed's message says to run);
 * - `FAULT_SEEDS=<count>` and `FAULT_SEED_START=<first>`: a range of seeds (default 200 from 1; 5,000
 *   when `FAULT_PROFILE=full`, which `pnpm test:faults` sets);
 * - `FAULT_CHUNK=<size>`: seeds per vitest test (default 25);
 * - `FAULT_REPORT=<file>`: also write the run's numbers there as JSON (docs/reliability.md uses them);
 * - `FAULT_TRACE=<folder>`: also write, for each seed, everything the harness saw (each run's events and
 *   result, the logs, the store's writes and rows, both services' records) to `<folder>/seed-<n>.txt`;
 * - `FAULT_WORLD=static|changing`: whether people change the books before and during the planned runs
 *   (`changing`, faults/mutations.ts) or the books never change (`static`). Default: `changing`, for
 *   `pnpm test` (profile `ci`), `pnpm test:faults` and a replay alike.
 * - `FAULT_MAPPINGS=on|off`: whether the worlds have field mappings (faults/mapped-fields.ts). Default `on`.
 * - `FAULT_WEBHOOKS=on|off`: whether a share of the seeds get a webhook endpoint with delivery faults, inbox
 *   runs between the changes, and deletions on Invoiced among the changes (faults/webhooks.ts). Default `on`.
 */

/** The seeds of one vitest run of the harness. */
export interface HarnessOptions {
  readonly seeds: readonly number[];
  /** Seeds per vitest test. */
  readonly chunkSize: number;
  /** Where to write the JSON report, if anywhere. */
  readonly reportFile: string | undefined;
  /** The folder to write each seed's trace into, if any. */
  readonly traceDir: string | undefined;
  /** `ci` inside `pnpm test`, `full` for `pnpm test:faults`, `replay` for one seed. */
  readonly profile: 'ci' | 'full' | 'replay';
  /** Whether the books change during the seeds' planned runs. */
  readonly world: FaultWorldKind;
  /** Whether the seeds' worlds have field mappings (`FAULT_MAPPINGS=off` turns them off). */
  readonly mappings: boolean;
  /** Whether seeds may have webhooks and deletions on Invoiced (`FAULT_WEBHOOKS=off` turns them off). */
  readonly webhooks: boolean;
}

/** `static`: the books never change; `changing`: people change them before and during the planned runs. */
export type FaultWorldKind = 'static' | 'changing';

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
  const traceDir = env.FAULT_TRACE === undefined || env.FAULT_TRACE === '' ? undefined : env.FAULT_TRACE;
  const chunkSize = integer(env, 'FAULT_CHUNK', 1) ?? 25;
  const chosen = worldOf(env);
  const mappings = switchOf(env, 'FAULT_MAPPINGS');
  const webhooks = switchOf(env, 'FAULT_WEBHOOKS');
  const replay = integer(env, 'FAULT_SEED', 0);
  if (replay !== undefined) return { seeds: [replay], chunkSize, reportFile, traceDir, profile: 'replay', world: chosen ?? 'changing', mappings, webhooks };
  const full = env.FAULT_PROFILE === 'full';
  const count = integer(env, 'FAULT_SEEDS', 1) ?? (full ? FULL_SEEDS : CI_SEEDS);
  const start = integer(env, 'FAULT_SEED_START', 0) ?? 1;
  const seeds = Array.from({ length: count }, (_, index) => start + index);
  return { seeds, chunkSize, reportFile, traceDir, profile: full ? 'full' : 'ci', world: chosen ?? 'changing', mappings, webhooks };
}

function switchOf(env: NodeJS.ProcessEnv, name: 'FAULT_MAPPINGS' | 'FAULT_WEBHOOKS'): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new RangeError(`${name} must be "on" or "off", got "${raw}"`);
}

function worldOf(env: NodeJS.ProcessEnv): FaultWorldKind | undefined {
  const raw = env.FAULT_WORLD?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'static' || raw === 'changing') return raw;
  throw new RangeError(`FAULT_WORLD must be "static" or "changing", got "${raw}"`);
}

/** The command that replays one seed in `world` (a replay's default world is `changing`, with field mappings and webhooks). */
export function replayCommand(seed: number, world: FaultWorldKind, mappings = true, webhooks = true): string {
  return `${world === 'static' ? 'FAULT_WORLD=static ' : ''}${mappings ? '' : 'FAULT_MAPPINGS=off '}${webhooks ? '' : 'FAULT_WEBHOOKS=off '}FAULT_SEED=${seed} pnpm test:faults`;
}

/** `items` cut into consecutive chunks of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
