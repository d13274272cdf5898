/**
 * The fleet bench's arithmetic, pure: which round of its schedule each run of a connection served, runs
 * per connection per round, overlapping runs of one connection, percentiles, take-over after a kill.
 *
 * Rounds follow each connection's chain of due times (the registry moves `next_run_at` from the due time
 * by `every` ± jitter, or from now when late): the first due time is round round((due − registered) /
 * every), and each next distinct due time is max(1, round(gap / every)) rounds later, so drift from jitter
 * never moves a run into the wrong round and a skipped round shows as a gap of two.
 */

/** A run that served a scheduled due time. */
export interface ScheduledRun {
  readonly connectionId: string;
  readonly dueAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Runs per round of each connection, and the due time of each round seen. */
export interface RoundCount {
  readonly connectionId: string;
  readonly perRound: number[];
  readonly dueAt: (number | null)[];
  /** Runs of rounds at or after `rounds` (after the measured window). */
  readonly beyond: number;
}

export function countRounds(runs: readonly ScheduledRun[], registeredAt: ReadonlyMap<string, number>, everyMs: number, rounds: number): RoundCount[] {
  const byConnection = groupBy(runs, (run) => run.connectionId);
  return [...registeredAt.entries()].map(([connectionId, registered]) => {
    const perRound = Array.from({ length: rounds }, () => 0);
    const dueAt: (number | null)[] = Array.from({ length: rounds }, () => null);
    let beyond = 0;
    const own = [...(byConnection.get(connectionId) ?? [])].sort((a, b) => a.dueAt - b.dueAt);
    let index = -1;
    let previous: number | undefined;
    for (const run of own) {
      if (previous === undefined) index = Math.max(0, Math.round((run.dueAt - registered) / everyMs));
      else if (run.dueAt !== previous) index += Math.max(1, Math.round((run.dueAt - previous) / everyMs));
      previous = run.dueAt;
      if (index >= rounds) beyond += 1;
      else {
        perRound[index] = (perRound[index] ?? 0) + 1;
        dueAt[index] = run.dueAt;
      }
    }
    return { connectionId, perRound, dueAt, beyond };
  });
}

/** Connections whose round r ran 0 or 2+ times. */
export function roundAnomalies(counts: readonly RoundCount[]): { connectionId: string; round: number; runs: number }[] {
  return counts.flatMap((count) => count.perRound.flatMap((runs, round) => (runs === 1 ? [] : [{ connectionId: count.connectionId, round, runs }])));
}

/** A distribution of runs per connection per round: how many (connection, round) pairs ran 0, 1, 2, 3+ times. */
export function roundHistogram(counts: readonly RoundCount[]): Record<string, number> {
  const histogram: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3+': 0 };
  for (const count of counts) for (const runs of count.perRound) histogram[runs >= 3 ? '3+' : String(runs)] = (histogram[runs >= 3 ? '3+' : String(runs)] ?? 0) + 1;
  return histogram;
}

/** A run as the store holds it. */
export interface StoredRun {
  readonly connectionId: string;
  readonly id: string;
  readonly trigger: string;
  readonly status: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

/** Pairs of runs of one connection whose times overlap (a run never finished counts as running until `now`). */
export function overlaps(runs: readonly StoredRun[], now: number): { connectionId: string; first: StoredRun; second: StoredRun }[] {
  const found: { connectionId: string; first: StoredRun; second: StoredRun }[] = [];
  for (const [connectionId, own] of groupBy(runs, (run) => run.connectionId)) {
    const sorted = [...own].sort((a, b) => a.startedAt - b.startedAt);
    let latest: StoredRun | undefined;
    for (const run of sorted) {
      if (latest !== undefined && run.startedAt < (latest.finishedAt ?? now)) found.push({ connectionId, first: latest, second: run });
      if (latest === undefined || (run.finishedAt ?? now) > (latest.finishedAt ?? now)) latest = run;
    }
  }
  return found;
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? null;
}

export function lagSummary(values: readonly number[]): { count: number; p50: number | null; p99: number | null; max: number | null } {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length === 0 ? null : Math.max(...values) };
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
}

/** Time from one start of a connection's scheduled run to its next start, over every connection. */
export function startIntervals(runs: readonly { connectionId: string; startedAt: number }[]): number[] {
  const intervals: number[] = [];
  for (const own of groupBy(runs, (run) => run.connectionId).values()) {
    const starts = own.map((run) => run.startedAt).sort((a, b) => a - b);
    for (let index = 1; index < starts.length; index++) intervals.push((starts[index] ?? 0) - (starts[index - 1] ?? 0));
  }
  return intervals;
}

/** A seeded uniform source in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
