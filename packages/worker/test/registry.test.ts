import { ConfigurationError } from '@invoiced/netsuite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionExistsError, ConnectionNotFoundError, createFleet, FleetError, type Fleet } from '../src/index';
import { dropLocation, freshLocation, openBackend, type Backend } from './support';

let backend: Backend;
let fleet: Fleet;
const location = freshLocation('registry');
beforeAll(async () => {
  backend = await openBackend();
  fleet = createFleet({ database: backend.pool, ...location });
  await fleet.migrate();
});
afterAll(async () => {
  await fleet.close();
  await dropLocation(backend, location);
  await backend.close();
});

const base = { netsuiteAccount: '1234567_SB1', invoicedKeyId: 'acme-key', settings: { items: { defaultItem: '12' } } };

describe('the connections registry', () => {
  it('registers a connection with its schedule, and schedules its first run within every × jitter', async () => {
    const before = Date.now();
    const connection = await fleet.registerConnection({ id: 'reg-1', ...base, schedule: { every: '30m', jitter: 0.2 }, metadata: { tenant: 7 } });
    expect(connection).toMatchObject({ id: 'reg-1', netsuiteAccount: '1234567_SB1', invoicedKeyId: 'acme-key', enabled: true, metadata: { tenant: 7 }, lastRun: null });
    expect(connection.schedule).toEqual({ everyMs: 1_800_000, jitter: 0.2, paused: false });
    expect(connection.settings).toEqual(base.settings);
    const next = connection.nextRunAt?.getTime() ?? Number.NaN;
    expect(next).toBeGreaterThanOrEqual(before - 1_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 0.2 * 1_800_000 + 1_000);
    expect(await fleet.getConnection('reg-1')).toEqual(connection);
  });

  it('refuses a second connection of the same ID, and a change or a read of an unknown one', async () => {
    await fleet.registerConnection({ id: 'reg-2', ...base });
    await expect(fleet.registerConnection({ id: 'reg-2', ...base })).rejects.toBeInstanceOf(ConnectionExistsError);
    await expect(fleet.updateConnection('nobody', { enabled: false })).rejects.toBeInstanceOf(ConnectionNotFoundError);
    await expect(fleet.syncNow('nobody')).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    expect(await fleet.getConnection('nobody')).toBeNull();
    await expect(fleet.status('nobody')).rejects.toBeInstanceOf(ConnectionNotFoundError);
  });

  it('validates every field with a typed error naming it, and writes nothing', async () => {
    const error = await fleet.registerConnection({ id: 'bad id!', netsuiteAccount: '', invoicedKeyId: 'k', schedule: { every: '2ms', jitter: 3 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('INVALID_FLEET_INPUT');
    const paths = (error as ConfigurationError).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'netsuiteAccount', 'schedule.every', 'schedule.jitter']));
    expect(await fleet.listConnections({ limit: 1000 })).not.toContainEqual(expect.objectContaining({ id: 'bad id!' }));
  });

  it('validates the settings with the engine schema', async () => {
    const error = await fleet.registerConnection({ id: 'reg-bad-settings', ...base, settings: { leaseTtlMs: 5 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues.some((issue) => issue.path.includes('leaseTtlMs'))).toBe(true);
    expect(await fleet.getConnection('reg-bad-settings')).toBeNull();
  });

  it('refuses metadata over 16 KB, and a notify value that is not JSON', async () => {
    await expect(fleet.registerConnection({ id: 'reg-big', ...base, metadata: { blob: 'x'.repeat(17_000) } })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
    await fleet.registerConnection({ id: 'reg-notify', ...base });
    await expect(fleet.importInvoices('reg-notify', { notify: (() => 1) as never })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
  });

  it('pauses (no next run), resumes (a next run within every × jitter), and disables', async () => {
    await fleet.registerConnection({ id: 'reg-3', ...base, schedule: { every: '1h', jitter: 0 } });
    const paused = await fleet.pause('reg-3');
    expect(paused.schedule.paused).toBe(true);
    expect(paused.nextRunAt).toBeNull();
    const resumed = await fleet.resume('reg-3');
    expect(resumed.schedule.paused).toBe(false);
    expect(Math.abs((resumed.nextRunAt?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
    const disabled = await fleet.updateConnection('reg-3', { enabled: false });
    expect(disabled.nextRunAt).toBeNull();
    await expect(fleet.syncNow('reg-3')).rejects.toMatchObject({ code: 'CONNECTION_DISABLED' });
    await expect(fleet.syncNow('reg-3')).rejects.toBeInstanceOf(FleetError);
  });

  it('keeps the next run on a change of settings, and reschedules on a change of every', async () => {
    await fleet.registerConnection({ id: 'reg-4', ...base, schedule: { every: '1h', jitter: 1 } });
    const first = await fleet.getConnection('reg-4');
    const changed = await fleet.updateConnection('reg-4', { settings: { items: { defaultItem: '13' } }, metadata: { plan: 'pro' } });
    expect(changed.nextRunAt).toEqual(first?.nextRunAt);
    expect(changed.settings).toEqual({ items: { defaultItem: '13' } });
    expect(changed.metadata).toEqual({ plan: 'pro' });
    const faster = await fleet.updateConnection('reg-4', { schedule: { every: '2m', jitter: 0 } });
    expect(faster.schedule.everyMs).toBe(120_000);
    expect(Math.abs((faster.nextRunAt?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('lists connections by ID, in pages', async () => {
    for (const id of ['page-a', 'page-b', 'page-c']) await fleet.registerConnection({ id, ...base });
    const all = (await fleet.listConnections({ limit: 1000 })).map((connection) => connection.id).filter((id) => id.startsWith('page-'));
    expect(all).toEqual(['page-a', 'page-b', 'page-c']);
    const [first] = await fleet.listConnections({ limit: 1, after: 'page-a' });
    expect(first?.id).toBe('page-b');
    await expect(fleet.listConnections({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
  });

  it('removes a connection with its waiting jobs', async () => {
    await fleet.registerConnection({ id: 'reg-5', ...base });
    await fleet.syncNow('reg-5');
    expect((await fleet.status('reg-5')).pending).toHaveLength(1);
    expect(await fleet.removeConnection('reg-5')).toBe(true);
    expect(await fleet.removeConnection('reg-5')).toBe(false);
    expect(await fleet.getConnection('reg-5')).toBeNull();
  });

  it('keeps one waiting job per kind: a second Sync Now is served by the first, an import is its own job', async () => {
    await fleet.registerConnection({ id: 'reg-6', ...base });
    const first = await fleet.syncNow('reg-6');
    const second = await fleet.syncNow('reg-6');
    expect(first.queued).toBe(true);
    expect(second).toEqual({ jobId: first.jobId, queued: false, importJobId: null });
    const imported = await fleet.importInvoices('reg-6', { notify: { email: 'ops@example.com' } });
    expect(imported.queued).toBe(true);
    expect(imported.importJobId).toMatch(/^fleet-/);
    const again = await fleet.importInvoices('reg-6');
    expect(again).toEqual({ jobId: imported.jobId, queued: false, importJobId: imported.importJobId });
    const status = await fleet.status('reg-6');
    expect(status.pending.map((job) => [job.kind, job.trigger])).toEqual([
      ['import_invoices', 'import'],
      ['sync', 'manual'],
    ]);
    expect(status.running).toBeNull();
    const metrics = await fleet.metrics();
    expect(metrics.jobs.waiting).toBeGreaterThanOrEqual(2);
  });
});

describe('webhook runs (sync_pending)', () => {
  it('coalesces: a second syncPending while the first waits answers its job, next to a Sync Now of its own', async () => {
    await fleet.registerConnection({ id: 'reg-hook', ...base });
    const first = await fleet.syncPending('reg-hook');
    const second = await fleet.syncPending('reg-hook');
    expect(first).toMatchObject({ queued: true, importJobId: null });
    expect(second).toEqual({ jobId: first.jobId, queued: false, importJobId: null });
    const sync = await fleet.syncNow('reg-hook');
    expect(sync.jobId).not.toBe(first.jobId);
    const status = await fleet.status('reg-hook');
    expect(status.pending.map((job) => [job.kind, job.trigger, job.jobId])).toEqual([
      ['sync', 'manual', sync.jobId],
      ['sync_pending', 'webhook', first.jobId],
    ]);
  });

  it('hands out a listener for the webhook handler: the ID is checked at once, and each call queues (or joins) the job', async () => {
    expect(() => fleet.webhookListener('bad id!')).toThrow(ConfigurationError);
    await fleet.registerConnection({ id: 'reg-hook-2', ...base });
    const listener = fleet.webhookListener('reg-hook-2');
    await listener([]);
    await listener([]);
    const pending = (await fleet.status('reg-hook-2')).pending;
    expect(pending.map((job) => [job.kind, job.trigger])).toEqual([['sync_pending', 'webhook']]);
    await expect(fleet.webhookListener('nobody')([])).rejects.toBeInstanceOf(ConnectionNotFoundError);
  });

  it('holds only the kinds and triggers it knows (migration 3)', async () => {
    await fleet.registerConnection({ id: 'reg-kinds', ...base });
    const db = backend.pool as { query: (text: string, params: unknown[]) => Promise<unknown> };
    const insert = (kind: string, trigger: string) =>
      db.query(`INSERT INTO "${location.schema ?? ''}"."netsuite_sync_worker_pending_jobs" (connection_id, kind, job_id, trigger, queued_at) VALUES ($1, $2, $3, $4, now())`, [
        'reg-kinds', kind, '00000000-0000-4000-8000-000000000001', trigger,
      ]);
    await expect(insert('sync_later', 'webhook')).rejects.toThrow(/pending_jobs_kind_check/);
    await expect(insert('sync_pending', 'hook')).rejects.toThrow(/pending_jobs_trigger_check/);
    await insert('sync_pending', 'webhook');
    expect((await fleet.status('reg-kinds')).pending.map((job) => [job.kind, job.trigger])).toEqual([['sync_pending', 'webhook']]);
  });

  it('refuses a webhook run of a disabled connection', async () => {
    await fleet.registerConnection({ id: 'reg-hook-off', ...base, enabled: false });
    await expect(fleet.syncPending('reg-hook-off')).rejects.toMatchObject({ code: 'CONNECTION_DISABLED' });
  });
});
