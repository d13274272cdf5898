import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type FleetCore } from '../src/core';
import { createFleet, type Fleet } from '../src/index';
import { tick } from '../src/scheduler';
import { dropLocation, freshLocation, openBackend, type Backend } from './support';

let backend: Backend;
let fleet: Fleet;
let core: FleetCore;
const location = freshLocation('sched');
const connections = `"${location.schema}"."netsuite_sync_worker_connections"`;
const base = { netsuiteAccount: '1234567', invoicedKeyId: 'key', settings: {} };

beforeAll(async () => {
  backend = await openBackend();
  fleet = createFleet({ database: backend.pool, ...location });
  await fleet.migrate();
  core = openCore({ database: backend.pool, ...location }, { supervise: false });
});
afterAll(async () => {
  await core.stop({ graceful: false });
  await fleet.close();
  await dropLocation(backend, location);
  await backend.close();
});

/** Makes connections `ids` due `agoMs` ago. */
async function dueAgo(ids: readonly string[], agoMs: number): Promise<void> {
  await backend.pool.query(`UPDATE ${connections} SET next_run_at = now() - make_interval(secs => $2::int / 1000.0) WHERE id = ANY($1::text[])`, [ids, agoMs]);
}
const nextRunOf = async (id: string) => (await fleet.getConnection(id))?.nextRunAt?.getTime() ?? Number.NaN;
const run = async () => tick(core.db, core.sql, await core.boss(), core.queue);

describe('the schedule tick', () => {
  it('queues exactly one scheduled sync per due connection, and none again before the next round', async () => {
    const ids = Array.from({ length: 30 }, (_, index) => `t1-${index}`);
    for (const id of ids) await fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(ids, 1_000);
    const first = await run();
    expect(first.queued).toBeGreaterThanOrEqual(30);
    for (const id of ids) {
      const status = await fleet.status(id, { runs: 0 });
      expect(status.pending.map((job) => [job.kind, job.trigger])).toEqual([['sync', 'auto']]);
    }
    const second = await run();
    expect(second).toEqual({ due: 0, queued: 0, coalesced: 0 });
  });

  it('keeps the rhythm: the next run is one `every` after the time it was due, not after the tick', async () => {
    await fleet.registerConnection({ id: 't2', ...base, schedule: { every: '1h', jitter: 0 } });
    await backend.pool.query(`UPDATE ${connections} SET next_run_at = date_trunc('second', now()) - interval '10 minutes' WHERE id = 't2'`);
    const due = (await fleet.getConnection('t2'))?.nextRunAt?.getTime() ?? 0;
    await run();
    expect(await nextRunOf('t2')).toBe(due + 3_600_000);
  });

  it('runs a connection whose rounds were missed (the fleet was down) once, and next a full `every` from now', async () => {
    await fleet.registerConnection({ id: 't3', ...base, schedule: { every: '1m', jitter: 0 } });
    await dueAgo(['t3'], 600_000);
    const result = await run();
    expect(result.queued).toBe(1);
    expect((await fleet.status('t3', { runs: 0 })).pending).toHaveLength(1);
    const next = await nextRunOf('t3');
    expect(next).toBeGreaterThan(Date.now() + 50_000);
    expect(next).toBeLessThan(Date.now() + 70_000);
  });

  it('draws the next run within every × (1 ± jitter)', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `t4-${index}`);
    for (const id of ids) await fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0.5 } });
    await backend.pool.query(`UPDATE ${connections} SET next_run_at = date_trunc('second', now()) - interval '1 second' WHERE id = ANY($1::text[])`, [ids]);
    const due = (await fleet.getConnection(ids[0] ?? ''))?.nextRunAt?.getTime() ?? 0;
    await run();
    const nexts = await Promise.all(ids.map(nextRunOf));
    for (const next of nexts) {
      expect(next).toBeGreaterThanOrEqual(due + 1_800_000);
      expect(next).toBeLessThanOrEqual(due + 5_400_000);
    }
    expect(new Set(nexts).size).toBeGreaterThan(10);
  });

  it('coalesces a round with a scheduled sync still waiting; a Sync Now replaces it, ahead of scheduled syncs', async () => {
    await fleet.registerConnection({ id: 't5', ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(['t5'], 1_000);
    expect((await run()).queued).toBe(1);
    const [waiting] = (await fleet.status('t5', { runs: 0 })).pending;
    await dueAgo(['t5'], 1_000);
    expect(await run()).toEqual({ due: 1, queued: 0, coalesced: 1 });
    const now = await fleet.syncNow('t5');
    expect(now.queued).toBe(true);
    expect(now.jobId).not.toBe(waiting?.jobId);
    const boss = await core.boss();
    expect((await boss.getJobById(core.queue, waiting?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await boss.getJobById(core.queue, now.jobId))?.priority).toBeGreaterThan(0);
    expect((await fleet.status('t5', { runs: 0 })).pending.map((job) => [job.jobId, job.trigger])).toEqual([[now.jobId, 'manual']]);
    expect(await fleet.syncNow('t5')).toEqual({ jobId: now.jobId, queued: false, importJobId: null });
    await dueAgo(['t5'], 1_000);
    expect(await run()).toEqual({ due: 1, queued: 0, coalesced: 1 });
  });

  it('never schedules a paused or disabled connection', async () => {
    await fleet.registerConnection({ id: 't6', ...base, schedule: { every: '1h', paused: true } });
    await fleet.registerConnection({ id: 't7', ...base, enabled: false });
    await backend.pool.query(`UPDATE ${connections} SET next_run_at = now() - interval '1 hour' WHERE id IN ('t6', 't7')`);
    await run();
    expect((await fleet.status('t6', { runs: 0 })).pending).toEqual([]);
    expect((await fleet.status('t7', { runs: 0 })).pending).toEqual([]);
  });

  it('never queues a connection twice when ticks of many workers race', async () => {
    const ids = Array.from({ length: 120 }, (_, index) => `t8-${index}`);
    for (const id of ids) await fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(ids, 1_000);
    const others = [1, 2, 3].map(() => openCore({ database: backend.newPool(4), ...location }, { supervise: false }));
    try {
      const results = await Promise.all([run(), ...others.map(async (other) => tick(other.db, other.sql, await other.boss(), other.queue, 25))]);
      expect(results.reduce((sum, result) => sum + result.queued, 0)).toBe(120);
      const pending = await Promise.all(ids.map(async (id) => (await fleet.status(id, { runs: 0 })).pending.length));
      expect(pending.every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(others.map((other) => other.stop({ graceful: false })));
    }
  });

  it('queues jobs with a heartbeat even before any worker started, so a dead worker\'s job is retried soon', async () => {
    await fleet.registerConnection({ id: 't9', ...base });
    const { jobId } = await fleet.syncNow('t9');
    const job = await (await core.boss()).getJobById(core.queue, jobId);
    expect(job?.heartbeatSeconds).toBe(30);
    expect(job?.expireInSeconds).toBe(6 * 3_600);
    expect((await (await core.boss()).getQueue(core.queue))?.deleteAfterSeconds).toBe(86_400);
  });

  it('cancels the scheduled sync waiting when a connection is paused or disabled, and keeps a Sync Now', async () => {
    for (const id of ['t10', 't11']) await fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(['t10', 't11'], 1_000);
    await run();
    const boss = await core.boss();
    const [scheduled10] = (await fleet.status('t10', { runs: 0 })).pending;
    const [scheduled11] = (await fleet.status('t11', { runs: 0 })).pending;
    await fleet.pause('t10');
    await fleet.updateConnection('t11', { enabled: false });
    expect((await boss.getJobById(core.queue, scheduled10?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await boss.getJobById(core.queue, scheduled11?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await fleet.status('t10', { runs: 0 })).pending).toEqual([]);
    const manual = await fleet.syncNow('t10');
    await fleet.updateConnection('t10', { schedule: { paused: true, every: '2h' } });
    expect((await fleet.status('t10', { runs: 0 })).pending.map((job) => job.jobId)).toEqual([manual.jobId]);
  });
});
