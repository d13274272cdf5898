/**
 * The latencies the sandbox adds to every request, by profile: what `pnpm bench` (--profile) and
 * `pnpm bench:realtime` (--profiles) run with, and the arithmetic the lower bounds need of them.
 */

/** A latency, fixed or a uniform range, as the sandbox takes it (`createSandbox({ netsuite: { latencyMs } })`). */
export type Latency = number | { readonly min: number; readonly max: number };

/** What the sandbox adds to every request of each service. */
export interface LatencyProfile {
  readonly name: string;
  readonly netsuite: Latency;
  readonly invoiced: Latency;
}

/** The named profiles. */
export const PROFILE_NAMES = ['20ms', 'realistic', 'zero'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * `zero`: no added latency (the machine's own costs only). `20ms`: 20 ms a request on both services, small
 * enough that the engine's own CPU shows (the CPU-bound check). `realistic`: NetSuite 400 ms ± 100 and
 * Invoiced 150 ms ± 50 a request, uniform (assumed: typical answers of NetSuite's REST and SuiteQL endpoints
 * and of Invoiced's API seen from a nearby region; neither service publishes a figure).
 */
export const PROFILES: Readonly<Record<ProfileName, LatencyProfile>> = {
  '20ms': { name: '20ms', netsuite: 20, invoiced: 20 },
  realistic: { name: 'realistic', netsuite: { min: 300, max: 500 }, invoiced: { min: 100, max: 200 } },
  zero: { name: 'zero', netsuite: 0, invoiced: 0 },
};

/** A profile of one fixed latency on both services, named after it (`50ms`). */
export function fixedProfile(latencyMs: number): LatencyProfile {
  return { name: `${latencyMs}ms`, netsuite: latencyMs, invoiced: latencyMs };
}

/** The mean of a latency: itself when fixed, (min + max) / 2 for a uniform range. */
export function meanLatency(latency: Latency): number {
  return typeof latency === 'number' ? latency : (latency.min + latency.max) / 2;
}

/** `20 ms`, `300–500 ms`. */
export function latencyText(latency: Latency): string {
  return typeof latency === 'number' ? `${latency} ms` : `${latency.min}–${latency.max} ms`;
}
