import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { openCore } from '../src/core';
import { createFleet, startWorker, type Fleet, type FleetWorker, type ImportFinished, type JobEnded, type WorkerOptions } from '../src/index';
import { clientsFrom, dropLocation, freshLocation, openBackend, sandboxAccount, until, type Backend, type SandboxAccount } from './support';

let backend: Backend;
let fleet: Fleet;
const location = freshLocation('worker');
const accounts = new Map<string, SandboxAccount>();
const workers: FleetWorker[] = [];

beforeAll(async () => {
  backend = await openBackend();
  fleet = createFleet({ database: backend.pool, ...location });
  await fleet.migrate();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await fleet.close();
  await dropLocation(backend, location);
  await backend.close();
});

/** Registers connection `id` on a sandbox of its own. */
async function connect(id: string, options: { seed: number; netsuiteAccount?: string; latencyMs?: number; every?: string; paused?: boolean }) {
  const account = await sandboxAccount(options.seed, { latencyMs: options.latencyMs ?? 0 });
  accounts.set(id, account);
  await fleet.registerConnection({
    id,
    netsuiteAccount: options.netsuiteAccount ?? `acct-${id}`,
    invoicedKeyId: `key-${id}`,
    settings: { ...account.settings, leaseTtlMs: 2_000 },
    schedule: { every: options.every ?? '1h', jitter: 0, paused: options.paused ?? true },
  });
}

async function worker(options: Partial<WorkerOptions> = {}): Promise<FleetWorker> {
  const started = await startWorker({ database: backend.pool, ...location, clientsFor: clientsFrom(accounts), pollingIntervalSeconds: 0.5, tickMs: 200, retention: false, ...options });
  workers.push(started);
  return started;
}

const store = () => postgresStore({ pool: backend.pool, ...location.store });
const runsOf = async (id: string) => store().listRuns(id, { limit: 50 });

/** A run that went through its work (its records may have failed: the small books hold a customer linked twice). */
const finished = (status: string): boolean => status === 'succeeded' || status === 'partial';

/** Whether any two of `runs` overlapped in time. */
function overlapping(runs: readonly { startedAt: string; finishedAt: string | null }[]): boolean {
  const sorted = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return sorted.some((run, index) => index > 0 && (sorted[index - 1]?.finishedAt ?? '9') > run.startedAt);
}

describe('a fleet worker', () => {
  it('runs every due connection on its schedule, one run at a time, and records the lag', async () => {
    await connect('w-sched-a', { seed: 11, every: '3s', paused: false });
    await connect('w-sched-b', { seed: 12, every: '3s', paused: false });
    const ended: JobEnded[] = [];
    const running = await worker({ concurrency: 2, onJob: (event) => ended.push(event) });
    await until(async () => (await runsOf('w-sched-a')).length >= 2 && (await runsOf('w-sched-b')).length >= 2, 40_000, 'two runs of each');
    await running.stop();
    for (const id of ['w-sched-a', 'w-sched-b']) {
      const runs = await runsOf(id);
      expect(runs.every((run) => run.trigger === 'auto' && finished(run.status))).toBe(true);
      expect(overlapping(runs)).toBe(false);
    }
    const auto = ended.filter((event) => event.kind === 'sync' && finished(event.outcome.status));
    expect(auto.every((event) => event.outcome.lagMs !== null && event.outcome.lagMs >= 0)).toBe(true);
    const status = await fleet.status('w-sched-a');
    expect(status.connection.lastRun?.kind).toBe('sync');
    expect(finished(status.connection.lastRun?.status ?? '')).toBe(true);
    expect(status.running).toBeNull();
    const metrics = await fleet.metrics();
    expect(metrics.scheduleLag.p50).not.toBeNull();
    await fleet.pause('w-sched-a');
    await fleet.pause('w-sched-b');
  });

  it('keeps at most one run at once per NetSuite account across workers, deferring the others until a slot frees', async () => {
    for (const [index, id] of ['w-lim-a', 'w-lim-b', 'w-lim-c'].entries()) await connect(id, { seed: 20 + index, netsuiteAccount: 'shared-account', latencyMs: 20 });
    const first = await worker({ concurrency: 3, limits: { perNetSuiteAccount: 1 } });
    const second = await worker({ concurrency: 3, limits: { perNetSuiteAccount: 1 } });
    for (const id of ['w-lim-a', 'w-lim-b', 'w-lim-c']) await fleet.syncNow(id);
    await until(async () => (await Promise.all(['w-lim-a', 'w-lim-b', 'w-lim-c'].map(runsOf))).every((runs) => runs.some((run) => finished(run.status))), 60_000, 'a run of each');
    await Promise.all([first.stop(), second.stop()]);
    const runs = (await Promise.all(['w-lim-a', 'w-lim-b', 'w-lim-c'].map(runsOf))).flat();
    expect(runs.map((run) => run.trigger)).toEqual(['manual', 'manual', 'manual']);
    expect(overlapping(runs)).toBe(false);
  });

  it('defers a job while the connection lease is held outside the fleet, and runs it once the lease is free', async () => {
    await connect('w-lease', { seed: 30 });
    await store().acquireLease('w-lease', 'a-process-outside-the-fleet', 2_500);
    const ended: JobEnded[] = [];
    const running = await worker({ onJob: (event) => ended.push(event) });
    await fleet.syncNow('w-lease');
    await until(() => ended.some((event) => event.connectionId === 'w-lease' && finished(event.outcome.status)), 40_000, 'the run after the lease');
    await running.stop();
    expect(ended.filter((event) => event.connectionId === 'w-lease').map((event) => event.outcome.status)[0]).toBe('deferred');
    const leaseRuns = await runsOf('w-lease');
    expect(leaseRuns.map((run) => run.trigger)).toEqual(['manual']);
    expect(finished(leaseRuns[0]?.status ?? '')).toBe(true);
  });

  it('runs an import and calls onImportFinished once with its notify value', async () => {
    await connect('w-import', { seed: 40 });
    const imports: ImportFinished[] = [];
    const running = await worker({ onImportFinished: (event) => void imports.push(event) });
    const enqueued = await fleet.importInvoices('w-import', { notify: { email: 'ops@example.com' } });
    await until(() => imports.length > 0, 40_000, 'the import to finish');
    await running.stop();
    expect(imports).toHaveLength(1);
    expect(imports[0]?.notify).toEqual({ email: 'ops@example.com' });
    expect(imports[0]?.result).toMatchObject({ jobId: enqueued.importJobId, kind: 'invoices' });
    expect(finished(imports[0]?.result.status ?? '')).toBe(true);
    expect((await fleet.status('w-import')).connection.lastRun).toMatchObject({ kind: 'import_invoices', status: imports[0]?.result.status });
  });

  it('drains on stop: a run in flight is cancelled at a safe point and queued again for another worker', async () => {
    await connect('w-drain', { seed: 50, latencyMs: 60 });
    const ended: JobEnded[] = [];
    const first = await worker({ drainMs: 0, onJob: (event) => ended.push(event) });
    await fleet.syncNow('w-drain');
    await until(async () => (await fleet.status('w-drain')).running !== null, 30_000, 'the run to start');
    await first.stop();
    expect(ended.map((event) => event.outcome.status)).toEqual(['deferred']);
    expect((await fleet.status('w-drain')).pending.map((job) => [job.kind, job.trigger])).toEqual([['sync', 'manual']]);
    const second = await worker({ onJob: (event) => ended.push(event) });
    await until(() => ended.some((event) => finished(event.outcome.status)), 60_000, 'the run on the second worker');
    await second.stop();
    const drainRuns = await runsOf('w-drain');
    expect(drainRuns.map((run) => [run.trigger, finished(run.status) ? 'ended' : run.status])).toEqual([
      ['manual', 'ended'],
      ['manual', 'cancelled'],
    ]);
  });

  it('records a job whose clients cannot be built as an error, and lets pg-boss retry it', async () => {
    await connect('w-vault', { seed: 60 });
    const ended: JobEnded[] = [];
    let calls = 0;
    const running = await worker({
      onJob: (event) => ended.push(event),
      clientsFor: () => {
        calls += 1;
        throw new Error('the vault is sealed');
      },
    });
    await fleet.syncNow('w-vault');
    await until(() => ended.length > 0, 30_000, 'the failed attempt');
    await running.stop();
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(ended[0]?.outcome).toMatchObject({ kind: 'sync', status: 'error', runId: null });
    expect(ended[0]?.error).toEqual({ name: 'Error', code: null, message: 'the vault is sealed' });
    // pg-boss retries the job: it is the connection's waiting sync again, so a Sync Now meanwhile is served by it.
    const waiting = await fleet.status('w-vault');
    expect(waiting.pending.map((job) => [job.jobId, job.kind])).toEqual([[ended[0]?.jobId, 'sync']]);
    expect((await fleet.syncNow('w-vault')).queued).toBe(false);
    expect((await fleet.status('w-vault')).connection.lastRun?.status).toBe('error');
    await fleet.removeConnection('w-vault');
  });

  it('keeps at most N runs at once per Invoiced key across connections of different NetSuite accounts', async () => {
    const ids = ['w-key-a', 'w-key-b', 'w-key-c'];
    for (const [index, id] of ids.entries()) {
      await connect(id, { seed: 70 + index, latencyMs: 20 });
      await fleet.updateConnection(id, { invoicedKeyId: 'one-invoiced-key' });
    }
    const running = await worker({ concurrency: 3, limits: { perNetSuiteAccount: 5, perInvoicedKey: 1 } });
    for (const id of ids) await fleet.syncNow(id);
    await until(async () => (await Promise.all(ids.map(runsOf))).every((runs) => runs.some((run) => finished(run.status))), 60_000, 'a run of each');
    await running.stop();
    expect(overlapping((await Promise.all(ids.map(runsOf))).flat())).toBe(false);
  });

  it('prunes Recent Syncs older than retention.olderThan, keeping the latest runs of each connection, once per `every` across the fleet', async () => {
    await connect('w-old', { seed: 80 });
    const old = Date.now() - 3 * 86_400_000;
    for (let index = 0; index < 4; index += 1) {
      const id = `old-${index}`;
      const at = new Date(old + index * 60_000).toISOString();
      await store().startRun('w-old', { id, trigger: 'auto', startedAt: at });
      await store().finishRun('w-old', id, { status: 'succeeded', finishedAt: at, counts: {}, error: null });
    }
    const retention = { olderThan: '1d', keepLatest: 1, every: '1h' };
    const [first, second] = [await worker({ retention }), await worker({ retention })];
    await until(async () => (await runsOf('w-old')).length === 1, 20_000, 'the old runs to be pruned');
    await Promise.all([first.stop(), second.stop()]);
    expect((await runsOf('w-old')).map((run) => run.id)).toEqual(['old-3']);
  });

  it('takes over the job of a worker that died mid-run: pg-boss retries it once its heartbeat stops, and it waits out the dead run\'s lease', async () => {
    await connect('w-dead', { seed: 90 });
    const { jobId } = await fleet.syncNow('w-dead');
    // A worker that took the job, began its run (the lease) and died: no heartbeat, no end.
    const dead = openCore({ database: backend.pool, ...location }, { supervise: false });
    const [taken] = await (await dead.boss()).fetch(dead.queue);
    expect(taken?.id).toBe(jobId);
    await store().acquireLease('w-dead', 'a-worker-that-died', 12_000);
    const ended: JobEnded[] = [];
    const started = Date.now();
    const running = await worker({ heartbeatSeconds: 10, monitorIntervalSeconds: 1, onJob: (event) => ended.push(event) });
    await until(() => ended.some((event) => event.jobId === jobId && finished(event.outcome.status)), 60_000, 'the job to be taken over');
    const tookMs = Date.now() - started;
    await Promise.all([running.stop(), dead.stop({ graceful: false })]);
    expect(tookMs).toBeGreaterThanOrEqual(10_000);
    expect((await runsOf('w-dead')).map((run) => run.trigger)).toEqual(['manual']);
  });
});
