/**
 * Webhook runs on the fleet (`fleet.syncPending()`, job kind `sync_pending`): a job runs the records the
 * inbox's pending events name to NetSuite and marks the events done; with nothing pending it ends with no
 * run; it waits behind a running sync of its connection; a lease held elsewhere defers it, never loses it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { startWorker, type FleetWorker, type JobEnded, type WorkerOptions } from '../src/index';
import { clientsFrom, fleetHarness, sandboxAccount, until, type SandboxAccount } from './support';

const harness = fleetHarness('pending');
const accounts = new Map<string, SandboxAccount>();
const workers: FleetWorker[] = [];
// Registered after the harness's hooks, so it runs before them: workers stop before the fleet closes.
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
});

const store = () => postgresStore({ pool: harness.backend.pool, ...harness.location.store });
const runsOf = async (id: string) => store().listRuns(id, { limit: 50 });
/** A run that went through its work (its records may have failed: the small books hold a customer linked twice). */
const finished = (status: string): boolean => status === 'succeeded' || status === 'partial';

async function connect(id: string, seed: number, latencyMs = 0): Promise<SandboxAccount> {
  const account = await sandboxAccount(seed, { latencyMs });
  accounts.set(id, account);
  await harness.fleet.registerConnection({
    id,
    netsuiteAccount: `acct-${id}`,
    invoicedKeyId: `key-${id}`,
    settings: { ...account.settings, leaseTtlMs: 2_000 },
    schedule: { every: '1h', jitter: 0, paused: true },
  });
  return account;
}

async function worker(options: Partial<WorkerOptions> = {}): Promise<FleetWorker> {
  const started = await startWorker({ database: harness.backend.pool, ...harness.location, clientsFor: clientsFrom(accounts), pollingIntervalSeconds: 0.5, tickMs: 200, retention: false, ...options });
  workers.push(started);
  return started;
}

/** Runs a Sync Now of `id` on a worker of its own (the customers get linked), and stops it. */
async function firstSync(id: string): Promise<void> {
  const ended: JobEnded[] = [];
  const running = await worker({ onJob: (event) => ended.push(event) });
  await harness.fleet.syncNow(id);
  await until(() => ended.some((event) => finished(event.outcome.status)), 40_000, 'the first sync');
  await running.stop();
}

let eventId = 7000;
/** A new Invoiced invoice of a linked customer, and an `invoice.created` event naming it in the inbox. */
async function invoiceWithEvent(id: string, account: SandboxAccount, number: string): Promise<{ invoiceId: number; eventId: string }> {
  const [link] = await store().listLinks(id, 'customer');
  const customer = account.sandbox.invoiced.state.get('customers', Number(link?.invoicedId));
  const invoice = account.sandbox.invoiced.state.insert('invoices', {
    customer: customer?.id,
    currency: customer?.currency ?? 'usd',
    number,
    draft: false,
    items: [{ name: 'Consulting', quantity: 1, unit_cost: 75 }],
  });
  eventId += 1;
  const at = new Date().toISOString();
  expect(await store().addEvent(id, { id: String(eventId), type: 'invoice.created', entity: 'invoice', sourceId: String(invoice.id), occurredAt: at, receivedAt: at })).toBe(true);
  return { invoiceId: invoice.id, eventId: String(eventId) };
}

const inNetSuite = (account: SandboxAccount, invoiceId: number) => account.sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoiceId}`);

describe('webhook runs on the fleet', () => {
  it('runs the records of the pending events to NetSuite in a webhook run, and marks the events done', async () => {
    const account = await connect('p-run', 101);
    await firstSync('p-run');
    const { invoiceId } = await invoiceWithEvent('p-run', account, 'WH-1');
    expect(inNetSuite(account, invoiceId)).toBeUndefined();
    const ended: JobEnded[] = [];
    const running = await worker({ onJob: (event) => ended.push(event) });
    const enqueued = await harness.fleet.syncPending('p-run');
    await until(() => ended.some((event) => event.jobId === enqueued.jobId), 40_000, 'the webhook run');
    await running.stop();
    const [job] = ended;
    expect(job).toMatchObject({ kind: 'sync_pending', error: null, outcome: { kind: 'sync_pending', status: 'succeeded' } });
    const [run] = await runsOf('p-run');
    expect(run).toMatchObject({ id: job?.outcome.runId, trigger: 'webhook', status: 'succeeded', counts: { invoices_created: 1, inbox_events_done: 1 } });
    expect(inNetSuite(account, invoiceId)).toBeDefined();
    expect(await store().listPendingEvents('p-run')).toEqual([]);
    expect((await harness.fleet.status('p-run')).connection.lastRun).toMatchObject({ kind: 'sync_pending', runId: run?.id, status: 'succeeded' });
  });

  it('ends a job with nothing pending without a run, and keeps the connection\'s last run', async () => {
    await connect('p-none', 102);
    await firstSync('p-none');
    const before = await harness.fleet.status('p-none');
    const runs = (await runsOf('p-none')).length;
    const ended: JobEnded[] = [];
    const running = await worker({ onJob: (event) => ended.push(event) });
    const enqueued = await harness.fleet.syncPending('p-none');
    await until(() => ended.some((event) => event.jobId === enqueued.jobId), 40_000, 'the job to end');
    await running.stop();
    expect(ended.map((event) => [event.kind, event.outcome.status, event.outcome.runId])).toEqual([['sync_pending', 'succeeded', null]]);
    expect(await runsOf('p-none')).toHaveLength(runs);
    const after = await harness.fleet.status('p-none');
    expect(after.connection.lastRun).toEqual(before.connection.lastRun);
    expect(after.running).toBeNull();
    expect(after.pending).toEqual([]);
  });

  it('waits behind a running sync of its connection, then runs; the events end done either way', async () => {
    const account = await connect('p-wait', 103, 80);
    await firstSync('p-wait');
    const ended: JobEnded[] = [];
    const running = await worker({ concurrency: 3, onJob: (event) => ended.push(event) });
    const sync = await harness.fleet.syncNow('p-wait');
    await until(async () => (await harness.fleet.status('p-wait')).running?.jobId === sync.jobId, 30_000, 'the sync to start');
    const { invoiceId } = await invoiceWithEvent('p-wait', account, 'WH-2');
    const pending = await harness.fleet.syncPending('p-wait');
    expect(pending.queued).toBe(true);
    expect(await harness.fleet.syncPending('p-wait')).toEqual({ ...pending, queued: false });
    // Queued while the sync runs: it waits (one job of a connection at a time), though the worker has room.
    const meanwhile = await harness.fleet.status('p-wait');
    expect(meanwhile.running?.jobId).toBe(sync.jobId);
    expect(meanwhile.pending.map((job) => [job.kind, job.jobId])).toEqual([['sync_pending', pending.jobId]]);
    await until(() => ended.some((event) => event.jobId === pending.jobId), 60_000, 'the webhook job');
    await running.stop();
    const syncEnd = ended.find((event) => event.jobId === sync.jobId);
    const pendingEnd = ended.find((event) => event.jobId === pending.jobId);
    expect(finished(syncEnd?.outcome.status ?? '')).toBe(true);
    // The running sync takes the events it finds in time; the webhook run takes the rest, after it.
    expect(pendingEnd?.outcome.status).toBe('succeeded');
    expect(pendingEnd?.outcome.startedAt.getTime()).toBeGreaterThanOrEqual(syncEnd?.outcome.finishedAt.getTime() ?? Number.POSITIVE_INFINITY);
    expect(inNetSuite(account, invoiceId)).toBeDefined();
    expect(await store().listPendingEvents('p-wait')).toEqual([]);
  });

  it('defers a webhook job while the lease is held outside the fleet, and runs it once the lease is free', async () => {
    const account = await connect('p-lease', 104);
    await firstSync('p-lease');
    const { invoiceId } = await invoiceWithEvent('p-lease', account, 'WH-3');
    await store().acquireLease('p-lease', 'a-process-outside-the-fleet', 2_500);
    const ended: JobEnded[] = [];
    const running = await worker({ onJob: (event) => ended.push(event) });
    await harness.fleet.syncPending('p-lease');
    await until(() => ended.some((event) => event.outcome.status === 'succeeded'), 40_000, 'the run after the lease');
    await running.stop();
    expect(ended.map((event) => [event.kind, event.outcome.status])[0]).toEqual(['sync_pending', 'deferred']);
    expect((await runsOf('p-lease'))[0]).toMatchObject({ trigger: 'webhook', status: 'succeeded' });
    expect(inNetSuite(account, invoiceId)).toBeDefined();
    expect(await store().listPendingEvents('p-lease')).toEqual([]);
  });
});
