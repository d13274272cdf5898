import { describe, expect, it } from 'vitest';
import { openCore } from '../src/core';
import { tick } from '../src/scheduler';
import { fleetHarness } from './support';

const harness = fleetHarness('sched');
const { location } = harness;
const connections = `"${location.schema}"."netsuite_sync_worker_connections"`;
const base = { netsuiteAccount: '1234567', invoicedKeyId: 'key', settings: {} };

/** Makes connections `ids` due `agoMs` ago. */
async function dueAgo(ids: readonly string[], agoMs: number): Promise<void> {
  await harness.backend.pool.query(`UPDATE ${connections} SET next_run_at = now() - make_interval(secs => $2::int / 1000.0) WHERE id = ANY($1::text[])`, [ids, agoMs]);
}
const nextRunOf = async (id: string) => (await harness.fleet.getConnection(id))?.nextRunAt?.getTime() ?? Number.NaN;
const run = async () => tick(harness.core.db, harness.core.sql, await harness.core.boss(), harness.core.queue);

describe('the schedule tick', () => {
  it('queues exactly one scheduled sync per due connection, and none again before the next round', async () => {
    const ids = Array.from({ length: 30 }, (_, index) => `t1-${index}`);
    for (const id of ids) await harness.fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(ids, 1_000);
    const first = await run();
    expect(first.queued).toBeGreaterThanOrEqual(30);
    for (const id of ids) {
      const status = await harness.fleet.status(id, { runs: 0 });
      expect(status.pending.map((job) => [job.kind, job.trigger])).toEqual([['sync', 'auto']]);
    }
    const second = await run();
    expect(second).toEqual({ due: 0, queued: 0, coalesced: 0 });
  });

  it('keeps the rhythm: the next run is one `every` after the time it was due, not after the tick', async () => {
    await harness.fleet.registerConnection({ id: 't2', ...base, schedule: { every: '1h', jitter: 0 } });
    await harness.backend.pool.query(`UPDATE ${connections} SET next_run_at = date_trunc('second', now()) - interval '10 minutes' WHERE id = 't2'`);
    const due = (await harness.fleet.getConnection('t2'))?.nextRunAt?.getTime() ?? 0;
    await run();
    expect(await nextRunOf('t2')).toBe(due + 3_600_000);
  });

  it('runs a connection whose rounds were missed (the fleet was down) once, and next a full `every` from now', async () => {
    await harness.fleet.registerConnection({ id: 't3', ...base, schedule: { every: '1m', jitter: 0 } });
    await dueAgo(['t3'], 600_000);
    const result = await run();
    expect(result.queued).toBe(1);
    expect((await harness.fleet.status('t3', { runs: 0 })).pending).toHaveLength(1);
    const next = await nextRunOf('t3');
    expect(next).toBeGreaterThan(Date.now() + 50_000);
    expect(next).toBeLessThan(Date.now() + 70_000);
  });

  it('draws the next run within every × (1 ± jitter)', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `t4-${index}`);
    for (const id of ids) await harness.fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0.5 } });
    await harness.backend.pool.query(`UPDATE ${connections} SET next_run_at = date_trunc('second', now()) - interval '1 second' WHERE id = ANY($1::text[])`, [ids]);
    const due = (await harness.fleet.getConnection(ids[0] ?? ''))?.nextRunAt?.getTime() ?? 0;
    await run();
    const nexts = await Promise.all(ids.map(nextRunOf));
    for (const next of nexts) {
      expect(next).toBeGreaterThanOrEqual(due + 1_800_000);
      expect(next).toBeLessThanOrEqual(due + 5_400_000);
    }
    expect(new Set(nexts).size).toBeGreaterThan(10);
  });

  it('coalesces a round with a scheduled sync still waiting; a Sync Now replaces it, ahead of scheduled syncs', async () => {
    await harness.fleet.registerConnection({ id: 't5', ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(['t5'], 1_000);
    expect((await run()).queued).toBe(1);
    const [waiting] = (await harness.fleet.status('t5', { runs: 0 })).pending;
    await dueAgo(['t5'], 1_000);
    expect(await run()).toEqual({ due: 1, queued: 0, coalesced: 1 });
    const now = await harness.fleet.syncNow('t5');
    expect(now.queued).toBe(true);
    expect(now.jobId).not.toBe(waiting?.jobId);
    const boss = await harness.core.boss();
    expect((await boss.getJobById(harness.core.queue, waiting?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await boss.getJobById(harness.core.queue, now.jobId))?.priority).toBeGreaterThan(0);
    expect((await harness.fleet.status('t5', { runs: 0 })).pending.map((job) => [job.jobId, job.trigger])).toEqual([[now.jobId, 'manual']]);
    expect(await harness.fleet.syncNow('t5')).toEqual({ jobId: now.jobId, queued: false, importJobId: null });
    await dueAgo(['t5'], 1_000);
    expect(await run()).toEqual({ due: 1, queued: 0, coalesced: 1 });
  });

  it('never schedules a paused or disabled connection', async () => {
    await harness.fleet.registerConnection({ id: 't6', ...base, schedule: { every: '1h', paused: true } });
    await harness.fleet.registerConnection({ id: 't7', ...base, enabled: false });
    await harness.backend.pool.query(`UPDATE ${connections} SET next_run_at = now() - interval '1 hour' WHERE id IN ('t6', 't7')`);
    await run();
    expect((await harness.fleet.status('t6', { runs: 0 })).pending).toEqual([]);
    expect((await harness.fleet.status('t7', { runs: 0 })).pending).toEqual([]);
  });

  it('never queues a connection twice when ticks of many workers race', async () => {
    const ids = Array.from({ length: 120 }, (_, index) => `t8-${index}`);
    for (const id of ids) await harness.fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(ids, 1_000);
    const others = [1, 2, 3].map(() => openCore({ database: harness.backend.newPool(4), ...location }, { supervise: false }));
    try {
      const results = await Promise.all([run(), ...others.map(async (other) => tick(other.db, other.sql, await other.boss(), other.queue, 25))]);
      expect(results.reduce((sum, result) => sum + result.queued, 0)).toBe(120);
      const pending = await Promise.all(ids.map(async (id) => (await harness.fleet.status(id, { runs: 0 })).pending.length));
      expect(pending.every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(others.map((other) => other.stop({ graceful: false })));
    }
  });

  it('queues jobs with a heartbeat even before any worker started, so a dead worker\'s job is retried soon', async () => {
    await harness.fleet.registerConnection({ id: 't9', ...base });
    const { jobId } = await harness.fleet.syncNow('t9');
    const job = await (await harness.core.boss()).getJobById(harness.core.queue, jobId);
    expect(job?.heartbeatSeconds).toBe(30);
    expect(job?.expireInSeconds).toBe(6 * 3_600);
    expect((await (await harness.core.boss()).getQueue(harness.core.queue))?.deleteAfterSeconds).toBe(86_400);
  });

  it('cancels the scheduled sync waiting when a connection is paused or disabled, and keeps a Sync Now', async () => {
    for (const id of ['t10', 't11']) await harness.fleet.registerConnection({ id, ...base, schedule: { every: '1h', jitter: 0 } });
    await dueAgo(['t10', 't11'], 1_000);
    await run();
    const boss = await harness.core.boss();
    const [scheduled10] = (await harness.fleet.status('t10', { runs: 0 })).pending;
    const [scheduled11] = (await harness.fleet.status('t11', { runs: 0 })).pending;
    await harness.fleet.pause('t10');
    await harness.fleet.updateConnection('t11', { enabled: false });
    expect((await boss.getJobById(harness.core.queue, scheduled10?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await boss.getJobById(harness.core.queue, scheduled11?.jobId ?? ''))?.state).toBe('cancelled');
    expect((await harness.fleet.status('t10', { runs: 0 })).pending).toEqual([]);
    const manual = await harness.fleet.syncNow('t10');
    await harness.fleet.updateConnection('t10', { schedule: { paused: true, every: '2h' } });
    expect((await harness.fleet.status('t10', { runs: 0 })).pending.map((job) => job.jobId)).toEqual([manual.jobId]);
  });
});
