/**
 * The numbers of a harness run, summed over its seeds: what docs/reliability.md reports. Written as JSON
 * to `FAULT_REPORT` when it is set.
 */
import { writeFileSync } from 'node:fs';
import type { FaultKind } from '@invoiced/netsuite-sync-sandbox';
import type { SeedResult } from './run-seed';
import type { RunEnd } from './world';

/** Totals over seeds. */
export interface HarnessTotals {
  seeds: number;
  failedSeeds: number[];
  runs: number;
  /** How many seeds needed how many runs (the extra clean run included). */
  runsPerSeed: Record<string, number>;
  ends: Partial<Record<RunEnd, number>>;
  crashes: number;
  crashesHoldingLease: number;
  aborts: number;
  faults: Record<'netsuite' | 'invoiced', Partial<Record<FaultKind, number>>>;
  requests: Record<'netsuite' | 'invoiced', number>;
  created: number;
  deliberateFailures: number;
  recordErrorCodes: Record<string, number>;
  runErrorCodes: Record<string, number>;
  /** Writes of the extra clean runs, summed. */
  extraRunWrites: Record<string, number>;
  /** Time spent in seeds, summed (ms). */
  seedMs: number;
  slowestSeed: { seed: number; ms: number } | null;
}

/** Empty totals. */
export function emptyTotals(): HarnessTotals {
  return {
    seeds: 0,
    failedSeeds: [],
    runs: 0,
    runsPerSeed: {},
    ends: {},
    crashes: 0,
    crashesHoldingLease: 0,
    aborts: 0,
    faults: { netsuite: {}, invoiced: {} },
    requests: { netsuite: 0, invoiced: 0 },
    created: 0,
    deliberateFailures: 0,
    recordErrorCodes: {},
    runErrorCodes: {},
    extraRunWrites: {},
    seedMs: 0,
    slowestSeed: null,
  };
}

function addCounts(into: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [name, count] of Object.entries(counts)) into[name] = (into[name] ?? 0) + count;
}

/** Adds one seed to `totals`. */
export function addSeed(totals: HarnessTotals, result: SeedResult): void {
  const { stats } = result;
  totals.seeds += 1;
  if (result.violations.length > 0) totals.failedSeeds.push(result.seed);
  totals.runs += stats.runs;
  totals.runsPerSeed[String(stats.runs)] = (totals.runsPerSeed[String(stats.runs)] ?? 0) + 1;
  for (const [end, count] of Object.entries(stats.ends) as [RunEnd, number][]) totals.ends[end] = (totals.ends[end] ?? 0) + count;
  totals.crashes += stats.crashes;
  totals.crashesHoldingLease += stats.crashesHoldingLease;
  totals.aborts += stats.aborts;
  for (const service of ['netsuite', 'invoiced'] as const) {
    for (const [kind, count] of Object.entries(stats.faults[service]) as [FaultKind, number][]) totals.faults[service][kind] = (totals.faults[service][kind] ?? 0) + count;
    totals.requests[service] += stats.requests[service];
  }
  totals.created += stats.created;
  totals.deliberateFailures += stats.deliberateFailures;
  addCounts(totals.recordErrorCodes, stats.recordErrorCodes);
  addCounts(totals.runErrorCodes, stats.runErrorCodes);
  addCounts(totals.extraRunWrites, stats.extraRunWrites);
  totals.seedMs += stats.ms;
  if (totals.slowestSeed === null || stats.ms > totals.slowestSeed.ms) totals.slowestSeed = { seed: result.seed, ms: stats.ms };
}

/** Writes the totals, with the wall time of the whole run, as JSON. */
export function writeReport(file: string, totals: HarnessTotals, wallMs: number, profile: string): void {
  const report = { profile, wallMs: Math.round(wallMs), averageRunsPerSeed: totals.seeds === 0 ? 0 : totals.runs / totals.seeds, ...totals };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
