/**
 * `pnpm bench:fleet`: the worker fleet (@invoiced/netsuite-sync-worker) at scale, on one real Postgres.
 *
 *   node bench/src/fleet.ts --connections 50 --workers 2 --every 20s --rounds 2 --kills 1
 *   node bench/src/fleet.ts --connections 1000 --workers 4 --every 60s --rounds 3 --kills 3 --json /tmp/fleet.json
 *
 * Processes: this one (the registry through createFleet, the kill schedule, the measurements), a sandbox
 * host (fleet-sandboxes.ts: one sandbox per connection, each its own NetSuite and Invoiced account, on
 * loopback HTTP), W workers (fleet-worker.ts: startWorker), and afterwards the comparison (fleet-auto.ts:
 * the core's startAutoSync over every connection in one process, on fresh sandboxes). Schemas are created
 * for the run (registry, pg-boss, store, the comparison's store) and dropped at the end.
 *
 * On a seeded schedule (inside a round's burst of due connections) a worker is killed with SIGKILL and a
 * replacement starts 2 s later; take-over is the time from the kill until every job the killed worker
 * was running (the registry's running_job of that worker, read once it is dead) has been run again to its
 * end by another worker. After R rounds every worker gets SIGTERM and drains. See fleet-analysis.ts for how
 * runs are counted per round.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFleet } from '@invoiced/netsuite-sync-worker';
import { groupBy, seeded } from '#bench/fleet-analysis';
import { runAutoProcess, startHost, startWorkerProcess, type WorkerHandle } from '#bench/fleet-children';
import { UsageError } from '#bench/flags';
import { FLEET_USAGE, parseFleetFlags, type FleetFlags } from '#bench/fleet-flags';
import { openPool } from '#bench/fleet-process';
import { readAccounts, type JobEnd, type Location } from '#bench/fleet-protocol';
import { analyse, formatSummary, type KillRecord } from '#bench/fleet-report';

const progress = (text: string) => process.stderr.write(`[fleet ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REPLACE_AFTER_MS = 2000;
const TAKEOVER_WAIT_MS = 90_000;

async function xactCommits(pool: ReturnType<typeof openPool>): Promise<number> {
  const { rows } = await pool.query<{ commits: string }>('SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.commits ?? 0);
}

async function runFleet(flags: FleetFlags, databaseUrl: string, folder: string) {
  const tag = `fleetbench_${Date.now().toString(36)}`;
  const location: Location = { schema: `${tag}_reg`, bossSchema: `${tag}_boss`, store: { schema: `${tag}_store` } };
  const autoSchema = `${tag}_auto`;
  const accountsFile = join(folder, 'accounts.json');
  const pool = openPool(databaseUrl, 4);
  const load = { atStart: loadavg(), atPeak: [0, 0, 0], samples: [] as number[][] };
  try {
    progress(`starting ${flags.connections} sandboxes (one per connection)`);
    const host = await startHost({ connections: flags.connections, seed: flags.seed, latencyMs: flags.latency, accountsFile });
    progress(`sandboxes ready in ${(host.ready.startMs / 1000).toFixed(1)} s, host RSS ${host.ready.rssMb.toFixed(0)} MB`);
    const accounts = readAccounts(accountsFile);
    const fleet = createFleet({ database: pool, ...location });
    await fleet.migrate();

    const ends: JobEnd[] = [];
    const workers: WorkerHandle[] = [];
    let serial = 0;
    const poolMax = flags.concurrency + 2;
    const spawn = async () => {
      serial += 1;
      const handle = await startWorkerProcess({ databaseUrl, location, accountsFile, workerId: `w${String(serial)}`, concurrency: flags.concurrency, poolMax }, (end) => ends.push(end));
      workers.push(handle);
      return handle;
    };
    await Promise.all(Array.from({ length: flags.workers }, () => spawn()));
    progress(`${flags.workers} workers started; registering ${flags.connections} connections`);

    const registeredAt = new Map<string, number>();
    const t0 = Date.now();
    for (const batch of chunks(accounts, 4)) {
      await Promise.all(
        batch.map(async (account) => {
          registeredAt.set(account.id, Date.now());
          // Each connection's own NetSuite account string: the per-account limit applies per connection.
          await fleet.registerConnection({ id: account.id, netsuiteAccount: account.netsuiteAccount, invoicedKeyId: `invd-${account.id}`, settings: { ...account.settings, leaseTtlMs: flags['lease-ms'] }, schedule: { every: flags.every, jitter: flags.jitter } });
        }),
      );
    }
    const registrationMs = Date.now() - t0;
    const commitsAtStart = await xactCommits(pool);
    progress(`registered in ${(registrationMs / 1000).toFixed(1)} s`);

    // The kill schedule: kill k in round k mod (R-1) (the last round is left to settle), inside the burst.
    const random = seeded(flags.seed);
    const killRounds = Math.max(1, flags.rounds - 1);
    const burstMs = flags.every * flags.jitter;
    const killAt = Array.from({ length: flags.kills }, (_, k) => t0 + (k % killRounds) * flags.every + 1000 + random() * Math.max(2000, burstMs) + Math.floor(k / killRounds) * 1500).sort((a, b) => a - b);
    const kills: KillRecord[] = [];
    const stopAt = t0 + flags.rounds * flags.every + 0.5 * burstMs;
    const deadline = t0 + flags.rounds * flags.every * (1 + flags.jitter) + flags.every + 60_000;
    const lastRoundDone = () => {
      const byConnection = groupBy(ends.filter((end) => end.kind === 'sync' && end.lagMs !== null && end.status !== 'deferred'), (end) => end.connectionId);
      return accounts.every((account) => (byConnection.get(account.id)?.length ?? 0) >= flags.rounds);
    };
    // Take-over is waited for at most TAKEOVER_WAIT_MS after each kill (then reported as not complete).
    const takeoversPending = () => kills.some((kill) => Date.now() - kill.killedAt < TAKEOVER_WAIT_MS && kill.inFlight.some((item) => !ends.some((end) => end.connectionId === item.connectionId && end.workerId !== kill.workerId && end.status !== 'deferred' && end.startedAt >= kill.killedAt)));

    while (true) {
      const now = Date.now();
      load.samples.push(loadavg());
      const next = killAt[0];
      if (next !== undefined && now >= next) {
        killAt.shift();
        const live = workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
        const busy = live.filter((worker) => worker.running.length > 0);
        const choices = busy.length > 0 ? busy : live;
        const victim = choices[Math.floor(random() * choices.length)];
        if (victim !== undefined) kills.push(await kill(victim, pool, location, () => void spawn().catch((error: unknown) => progress(`replacement failed: ${String(error)}`))));
      }
      if ((now >= stopAt && killAt.length === 0 && lastRoundDone() && !takeoversPending()) || now >= deadline) break;
      await sleep(250);
    }
    const measuredUntil = Date.now();
    progress(`stopping workers (SIGTERM) after ${((measuredUntil - t0) / 1000).toFixed(0)} s`);
    const live = workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    const drainStarted = performance.now();
    for (const worker of live) worker.child.kill('SIGTERM');
    await Promise.all(live.map((worker) => worker.exit));
    const drainWallMs = performance.now() - drainStarted;
    await sleep(1500); // pg_stat_database is flushed by each backend at most once a second
    const commits = (await xactCommits(pool)) - commitsAtStart;

    const storeRuns = (
      await pool.query<{ connection_id: string; id: string; trigger: string; status: string; started_at: string; finished_at: string | null }>(
        `SELECT connection_id, id, trigger, status, started_at, finished_at FROM "${location.store.schema}".netsuite_sync_runs`,
      )
    ).rows.map((row) => ({ connectionId: row.connection_id, id: row.id, trigger: row.trigger, status: row.status, startedAt: Date.parse(row.started_at), finishedAt: row.finished_at === null ? null : Date.parse(row.finished_at) }));
    const bossStates = (await pool.query<{ state: string; count: string }>(`SELECT state::text, count(*)::text AS count FROM "${location.bossSchema}".job GROUP BY state`)).rows;
    const metrics = await fleet.metrics();
    await fleet.close();
    const hostClosed = await host.close();
    load.atPeak = load.samples.reduce((peak, sample) => ((sample[0] ?? 0) > (peak[0] ?? 0) ? sample : peak), [0, 0, 0]);

    let auto = null;
    if (flags.auto) {
      progress('comparison: the same connections through startAutoSync in one process, on fresh sandboxes');
      const autoHost = await startHost({ connections: flags.connections, seed: flags.seed, latencyMs: flags.latency, accountsFile });
      const result = await runAutoProcess({ databaseUrl, storeSchema: autoSchema, accountsFile, everyMs: flags.every, jitter: flags.jitter, durationMs: stopAt - t0, poolMax: 10 });
      await autoHost.close();
      auto = { ...result, loadAtEnd: loadavg() };
    }
    return analyse({ flags, t0, measuredUntil, registrationMs, registeredAt, ends, kills, workers, drainWallMs, commits, storeRuns, bossStates, metrics, host: { ...host.ready, closed: hostClosed }, load: { atStart: load.atStart, atPeak: load.atPeak, atEnd: loadavg() }, auto, autoRegisteredAt: accounts.map((account) => account.id) });
  } finally {
    for (const schema of [location.schema, location.bossSchema, location.store.schema, autoSchema]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

async function kill(victim: WorkerHandle, pool: ReturnType<typeof openPool>, location: Location, replace: () => void): Promise<KillRecord> {
  const fromIpc = victim.running.map((item) => item.connectionId);
  const killedAt = Date.now();
  victim.child.kill('SIGKILL');
  await victim.exit;
  const { rows } = await pool.query<{ id: string; running_job: string; due_at: string | null }>(
    `SELECT c.id, c.running_job::text AS running_job, j.data->>'dueAt' AS due_at FROM "${location.schema}".netsuite_sync_worker_connections c
       LEFT JOIN "${location.bossSchema}".job j ON j.id = c.running_job WHERE c.running_worker = $1 AND c.running_job IS NOT NULL`,
    [victim.workerId],
  );
  progress(`killed ${victim.workerId} (SIGKILL) with ${rows.length} jobs in flight in the registry (${fromIpc.length} in its last report)`);
  setTimeout(replace, REPLACE_AFTER_MS);
  return { workerId: victim.workerId, killedAt, inFlight: rows.map((row) => ({ connectionId: row.id, jobId: row.running_job, dueAt: row.due_at === null ? null : Date.parse(row.due_at) })), inFlightLastReport: fromIpc };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));
}

async function main(): Promise<void> {
  const flags = parseFleetFlags(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(FLEET_USAGE);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const folder = await mkdtemp(join(tmpdir(), 'netsuite-sync-fleet-'));
  try {
    const report = await runFleet(flags, databaseUrl, folder);
    process.stdout.write(`${formatSummary(report)}\n`);
    if (flags.json !== undefined) await writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${FLEET_USAGE}`);
  else process.stderr.write(`fleet bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
