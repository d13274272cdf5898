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
  /** The first violations of each failing seed, to sort failures into families. */
  failures: { seed: number; violations: string[] }[];
  runs: number;
  /** Clean runs after the planned ones, up to the one that converged. */
  cleanRuns: number;
  /** The world's changes by kind and outcome (`ns_invoice_pay_full:applied`, `…:refused`, `…:none`). */
  mutations: Record<string, number>;
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
  /** Seeds with a webhook endpoint. */
  webhookSeeds: number;
  /** Inbox runs by how they ended (faults/webhooks.ts). */
  pendingRuns: Record<string, number>;
  /** Webhook deliveries by what happened to them. */
  deliveries: Record<string, number>;
  /** Time spent in seeds, summed (ms). */
  seedMs: number;
  slowestSeed: { seed: number; ms: number } | null;
}

/** Empty totals. */
export function emptyTotals(): HarnessTotals {
  return {
    seeds: 0,
    failedSeeds: [],
    failures: [],
    runs: 0,
    cleanRuns: 0,
    mutations: {},
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
    webhookSeeds: 0,
    pendingRuns: {},
    deliveries: {},
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
  if (result.violations.length > 0) {
    totals.failedSeeds.push(result.seed);
    totals.failures.push({ seed: result.seed, violations: result.violations.slice(0, 6).map((violation) => violation.slice(0, 400)) });
  }
  totals.runs += stats.runs;
  totals.cleanRuns += stats.cleanRuns;
  addCounts(totals.mutations, stats.mutations);
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
  if (result.scenario.webhooks !== null) totals.webhookSeeds += 1;
  addCounts(totals.pendingRuns, stats.pendingRuns);
  addCounts(totals.deliveries, stats.deliveries);
  totals.seedMs += stats.ms;
  if (totals.slowestSeed === null || stats.ms > totals.slowestSeed.ms) totals.slowestSeed = { seed: result.seed, ms: stats.ms };
}

/** Writes the totals, with the wall time of the whole run and its world (`static` or `changing`), as JSON. */
export function writeReport(file: string, totals: HarnessTotals, wallMs: number, profile: string, world: string): void {
  const per = (count: number) => (totals.seeds === 0 ? 0 : Math.round((count / totals.seeds) * 100) / 100);
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const appliedByKind: Record<string, number> = {};
  for (const [key, count] of Object.entries(totals.mutations)) if (key.endsWith(':applied')) appliedByKind[key.slice(0, -':applied'.length)] = count;
  const report = {
    profile,
    world,
    wallMs: Math.round(wallMs),
    msPerSeed: per(totals.seedMs),
    // Per seed, each seed being one full run of the harness: its runs, the world's changes, faults and crashes.
    perSeed: {
      runs: per(totals.runs),
      cleanRuns: per(totals.cleanRuns),
      mutationsApplied: per(sum(appliedByKind)),
      faults: per(sum(totals.faults.netsuite) + sum(totals.faults.invoiced)),
      crashes: per(totals.crashes),
      aborts: per(totals.aborts),
    },
    mutationsApplied: appliedByKind,
    ...totals,
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
