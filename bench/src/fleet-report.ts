/**
 * The fleet bench's results: what fleet.ts gathered, turned into figures (runs per connection per round,
 * overlaps, lag, take-over, statements per run, memory, drain, the startAutoSync comparison) and a
 * readable summary.
 */
import { cpus } from 'node:os';
import type { FleetMetrics } from '@invoiced/netsuite-sync-worker';
import { countRounds, lagSummary, startIntervals, overlaps, roundAnomalies, roundHistogram, type RoundCount, type StoredRun } from '#bench/fleet-analysis';
import type { AutoResult, WorkerHandle } from '#bench/fleet-children';
import type { FleetFlags } from '#bench/fleet-flags';
import type { JobEnd, Statements } from '#bench/fleet-protocol';

export interface KillRecord {
  readonly workerId: string;
  readonly killedAt: number;
  readonly inFlight: { connectionId: string; jobId: string; dueAt: number | null }[];
  readonly inFlightLastReport: string[];
}

export interface Gathered {
  flags: FleetFlags;
  t0: number;
  measuredUntil: number;
  registrationMs: number;
  registeredAt: Map<string, number>;
  ends: JobEnd[];
  kills: KillRecord[];
  workers: WorkerHandle[];
  drainWallMs: number;
  commits: number;
  storeRuns: StoredRun[];
  bossStates: { state: string; count: string }[];
  metrics: FleetMetrics;
  host: { startMs: number; rssMb: number; closed: { requests: { netsuite: number; invoiced: number; refused: number } } };
  load: { atStart: number[]; atPeak: number[]; atEnd: number[] };
  auto: (AutoResult & { loadAtEnd: number[] }) | null;
  autoRegisteredAt: string[];
}

const RAN = new Set(['succeeded', 'partial', 'failed', 'cancelled']);
const sum = (statements: readonly (Statements | null)[]): Statements =>
  statements.reduce<Statements>((total, s) => (s === null ? total : { store: total.store + s.store, registry: total.registry + s.registry, boss: total.boss + s.boss, control: total.control + s.control, other: total.other + s.other }), { store: 0, registry: 0, boss: 0, control: 0, other: 0 });
const perRun = (statements: Statements, runs: number) => Object.fromEntries(Object.entries(statements).map(([key, value]) => [key, runs === 0 ? null : Number((value / runs).toFixed(2))]));
const round1 = (value: number | null) => (value === null ? null : Math.round(value));

/** Which round (by the connection's due times) a stored run started in. */
function roundOfStart(count: RoundCount | undefined, startedAt: number, everyMs: number, jitter: number): number | null {
  if (count === undefined) return null;
  const last = count.dueAt[count.dueAt.length - 1];
  // A run of the round after the last one measured starts at least every × (1 − jitter) after its due time.
  if (last !== null && last !== undefined && startedAt >= last + everyMs * (1 - jitter)) return null;
  let found: number | null = null;
  count.dueAt.forEach((due, index) => {
    if (due !== null && due <= startedAt) found = index;
  });
  return found;
}

export function analyse(g: Gathered) {
  const { flags } = g;
  const sync = g.ends.filter((end) => end.kind === 'sync' && end.lagMs !== null);
  const ran = sync.filter((end) => RAN.has(end.status));
  const counts = countRounds(ran.map((end) => ({ connectionId: end.connectionId, dueAt: end.startedAt - (end.lagMs ?? 0), startedAt: end.startedAt, finishedAt: end.finishedAt })), g.registeredAt, flags.every, flags.rounds);
  const countOf = new Map(counts.map((count) => [count.connectionId, count]));
  const killedConnections = new Set(g.kills.flatMap((kill) => kill.inFlight.map((item) => item.connectionId)));
  const storeAuto = g.storeRuns.filter((run) => run.trigger === 'auto');
  const storePerRound = new Map<string, number>();
  for (const run of storeAuto) {
    const round = roundOfStart(countOf.get(run.connectionId), run.startedAt, flags.every, flags.jitter);
    if (round !== null) storePerRound.set(`${run.connectionId}#${round}`, (storePerRound.get(`${run.connectionId}#${round}`) ?? 0) + 1);
  }
  const storeAnomalies = counts.flatMap((count) =>
    count.perRound.flatMap((_, round) => {
      const runs = storePerRound.get(`${count.connectionId}#${round}`) ?? 0;
      return runs === 1 ? [] : [{ connectionId: count.connectionId, round, runs, inFlightAtKill: killedConnections.has(count.connectionId) }];
    }),
  );
  const takeovers = g.kills.map((kill) => {
    const items = kill.inFlight.map((item) => {
      const rerun = g.ends.filter((end) => end.connectionId === item.connectionId && end.workerId !== kill.workerId && RAN.has(end.status) && end.startedAt >= kill.killedAt).sort((a, b) => a.startedAt - b.startedAt)[0];
      const deferrals = g.ends.filter((end) => end.connectionId === item.connectionId && end.status === 'deferred' && end.startedAt >= kill.killedAt && (rerun === undefined || end.startedAt <= rerun.startedAt)).length;
      return { connectionId: item.connectionId, rerunBy: rerun?.workerId ?? null, restartedAfterMs: rerun === undefined ? null : rerun.startedAt - kill.killedAt, endedAfterMs: rerun === undefined ? null : rerun.finishedAt - kill.killedAt, sameDueAt: rerun === undefined || item.dueAt === null ? null : rerun.startedAt - (rerun.lagMs ?? 0) === item.dueAt, deferralsBefore: deferrals };
    });
    const ended = items.map((item) => item.endedAfterMs);
    return { workerId: kill.workerId, killedAt: new Date(kill.killedAt).toISOString(), inFlight: items.length, inFlightLastReport: kill.inFlightLastReport.length, takeoverMs: items.length === 0 ? 0 : ended.includes(null) ? null : Math.max(...(ended as number[])), items };
  });
  const statements = sum(g.workers.map((worker) => worker.statements));
  const ranAll = g.ends.filter((end) => RAN.has(end.status)).length;
  const byStatus: Record<string, number> = {};
  for (const end of g.ends) byStatus[end.status] = (byStatus[end.status] ?? 0) + 1;
  const overlapList = overlaps(g.storeRuns, g.measuredUntil);
  const unfinished = g.storeRuns.filter((run) => run.finishedAt === null || run.status === 'running');

  let auto = null;
  if (g.auto !== null) {
    const autoRan = g.auto.runs.filter((run) => run.type === 'run');
    const registered = new Map(g.autoRegisteredAt.map((id) => [id, g.auto?.registeredAt ?? 0]));
    const autoCounts = countRounds(autoRan, registered, flags.every, flags.rounds);
    const autoAnomalies = roundAnomalies(autoCounts);
    auto = {
      runs: autoRan.length,
      skippedOrError: g.auto.runs.length - autoRan.length,
      perRound: roundHistogram(autoCounts),
      anomalies: autoAnomalies.length,
      anomalyList: autoAnomalies.slice(0, 50),
      sampleRuns: autoRan.filter((run) => autoAnomalies.slice(0, 3).some((a) => a.connectionId === run.connectionId)),
      lagMs: lagSummary(autoRan.map((run) => Math.max(0, run.startedAt - run.dueAt))),
      // startAutoSync waits `every` from the END of a run: its lag is from that time, not from a fixed rate.
      startIntervalMs: lagSummary(startIntervals(autoRan)),
      runDurationMs: lagSummary(autoRan.map((run) => run.finishedAt - run.startedAt)),
      memory: g.auto.done.memory,
      statements: g.auto.done.statements,
      statementsPerRun: perRun(g.auto.done.statements, autoRan.length),
      stopMs: round1(g.auto.done.stopMs),
      loadAtEnd: g.auto.loadAtEnd,
    };
  }
  const anomalies = roundAnomalies(counts);
  return {
    config: { ...flags, everyMs: flags.every, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, startedAt: new Date(g.t0).toISOString(), measuredSeconds: Math.round((g.measuredUntil - g.t0) / 1000) },
    load: g.load,
    sandboxes: { perConnection: true, startMs: round1(g.host.startMs), hostRssMb: round1(g.host.rssMb), requests: g.host.closed.requests },
    registrationMs: g.registrationMs,
    jobs: { ends: g.ends.length, byStatus, bossStates: Object.fromEntries(g.bossStates.map((row) => [row.state, Number(row.count)])), metrics: g.metrics },
    rounds: { perRound: roundHistogram(counts), anomalies: anomalies.length, anomalyList: anomalies.slice(0, 50), beyondWindow: counts.reduce((total, count) => total + count.beyond, 0) },
    storeRounds: { autoRuns: storeAuto.length, anomalies: storeAnomalies.length, explainedByKill: storeAnomalies.filter((item) => item.inFlightAtKill && item.runs === 2).length, anomalyList: storeAnomalies.slice(0, 50) },
    overlaps: { count: overlapList.length, list: overlapList.slice(0, 20), unfinishedRuns: unfinished.length, unfinishedList: unfinished.slice(0, 20).map((run) => ({ ...run, inFlightAtKill: killedConnections.has(run.connectionId) })) },
    lagMs: lagSummary(ran.map((end) => end.lagMs ?? 0)),
    startIntervalMs: lagSummary(startIntervals(ran)),
    runDurationMs: lagSummary(ran.map((end) => end.finishedAt - end.startedAt)),
    takeovers,
    statements: { method: 'client-side count of every statement each worker sent through pg (by schema named), plus pg_stat_database.xact_commit delta (server-side, whole database); pg_stat_statements is not loaded on this server', total: statements, perRun: perRun(statements, ranAll), runs: ranAll, xactCommits: g.commits, xactCommitsPerRun: ranAll === 0 ? null : Number((g.commits / ranAll).toFixed(2)) },
    workers: g.workers.map((worker) => ({ workerId: worker.workerId, killed: worker.child.signalCode === 'SIGKILL', hwmMb: round1(worker.memory?.hwmMb ?? null), maxRssMb: round1(worker.memory?.maxRssMb ?? null), lastRssMb: round1(worker.memory?.rssMb ?? null), drainMs: round1(worker.stopped?.drainMs ?? null), runningAtStop: worker.stopped?.runningAtStop ?? null, jobs: g.ends.filter((end) => end.workerId === worker.workerId).length })),
    drainWallMs: round1(g.drainWallMs),
    auto,
  };
}

export type FleetReport = ReturnType<typeof analyse>;

const ms = (value: number | null) => (value === null ? '-' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');

export function formatSummary(r: FleetReport): string {
  const lines = [
    `Fleet bench: ${r.config.connections} connections (one sandbox each), ${r.config.workers} workers x ${r.config.concurrency}, every ${ms(r.config.everyMs)} ±${r.config.jitter}, ${r.config.rounds} rounds, ${r.config.kills} kills, lease ${r.config['lease-ms']} ms, seed ${r.config.seed}`,
    `Machine: ${r.config.cpus} CPUs; load ${loads(r.load.atStart)} at start, ${loads(r.load.atPeak)} at peak, ${loads(r.load.atEnd)} at end; measured ${r.config.measuredSeconds} s`,
    `Sandboxes: started in ${ms(r.sandboxes.startMs)}, host RSS ${r.sandboxes.hostRssMb} MB; requests NetSuite ${r.sandboxes.requests.netsuite}, Invoiced ${r.sandboxes.requests.invoiced}, refused (429) ${r.sandboxes.requests.refused}`,
    `Registration: ${ms(r.registrationMs)}. Job ends: ${r.jobs.ends} ${JSON.stringify(r.jobs.byStatus)}; pg-boss jobs ${JSON.stringify(r.jobs.bossStates)}`,
    `Runs per connection per round (job ends): ${JSON.stringify(r.rounds.perRound)}; anomalies ${r.rounds.anomalies}${r.rounds.anomalyList.length > 0 ? `: ${r.rounds.anomalyList.slice(0, 10).map((a) => `${a.connectionId}#${a.round}=${a.runs}`).join(', ')}` : ''}`,
    `Runs per connection per round (store, trigger auto): ${r.storeRounds.autoRuns} runs; anomalies ${r.storeRounds.anomalies} (${r.storeRounds.explainedByKill} are a run interrupted by a kill and its re-run)`,
    `Overlapping runs of one connection: ${r.overlaps.count}; runs never finished in the store: ${r.overlaps.unfinishedRuns}`,
    `Schedule lag (fleet): p50 ${ms(r.lagMs.p50)}, p99 ${ms(r.lagMs.p99)}, max ${ms(r.lagMs.max)} over ${r.lagMs.count} runs`,
    `Start-to-start interval per connection (fleet): p50 ${ms(r.startIntervalMs.p50)}, max ${ms(r.startIntervalMs.max)}; job duration p50 ${ms(r.runDurationMs.p50)}, p99 ${ms(r.runDurationMs.p99)}`,
    ...r.takeovers.map((t) => `Kill ${t.workerId} at ${t.killedAt.slice(11, 19)}: ${t.inFlight} in flight (registry; ${t.inFlightLastReport} in its last report), take-over ${t.takeoverMs === null ? 'NOT COMPLETE' : ms(t.takeoverMs)}`),
    `Statements per run (${r.statements.runs} runs): ${JSON.stringify(r.statements.perRun)}; xact_commit per run ${r.statements.xactCommitsPerRun}`,
    ...r.workers.map((w) => `  ${w.workerId}${w.killed ? ' (killed)' : ''}: ${w.jobs} job ends, peak RSS ${w.hwmMb ?? '-'} MB (VmHWM) / maxRSS ${w.maxRssMb} MB, drain ${ms(w.drainMs)} with ${w.runningAtStop ?? '-'} running`),
    `Drain of every worker: ${ms(r.drainWallMs)}`,
  ];
  if (r.auto !== null) {
    lines.push(
      `startAutoSync in one process: ${r.auto.runs} runs (${r.auto.skippedOrError} skipped/error); per round ${JSON.stringify(r.auto.perRound)}, anomalies ${r.auto.anomalies}; lag p50 ${ms(r.auto.lagMs.p50)}, p99 ${ms(r.auto.lagMs.p99)}, max ${ms(r.auto.lagMs.max)}`,
      `  start-to-start interval p50 ${ms(r.auto.startIntervalMs.p50)}, max ${ms(r.auto.startIntervalMs.max)}; run duration p50 ${ms(r.auto.runDurationMs.p50)}, p99 ${ms(r.auto.runDurationMs.p99)} (startAutoSync waits every from the end of a run and runs every due connection at once)`,
      `  peak RSS ${Math.round(r.auto.memory.hwmMb ?? r.auto.memory.maxRssMb)} MB; statements per run ${JSON.stringify(r.auto.statementsPerRun)}; stop ${ms(r.auto.stopMs)}`,
    );
  }
  return lines.join('\n');
}
