/**
 * Runs of processes that died: a run recorded `running` whose process was killed is closed as `abandoned`
 * (with when and why) by the next run that takes the connection's lease over, or when Recent Syncs is read
 * once the lease is free; never while a live run holds the lease.
 */
import { describe, expect, it } from 'vitest';
import { createSyncEngine } from '../src/index';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';

const { clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 91,
  start: '2026-12-01T09:00:00Z',
  books: { customers: 6, invoices: 12, payments: 3, creditMemos: 0 },
});

/** A store in which a process that died left its run `running`, holding a lease of `ttlMs` from now. */
async function deadWorker(connectionId: string, ttlMs = 60_000) {
  const store = engineTestStore({ clock });
  expect(await store.acquireLease(connectionId, 'killed-worker', ttlMs)).toBe(true);
  await store.startRun(connectionId, { id: 'run-of-the-dead', trigger: 'auto', startedAt: clock().toISOString() });
  return store;
}

describe('engine: runs of processes that died', () => {
  it('are closed as abandoned by the run that takes the connection over once the lease expired', async () => {
    const store = await deadWorker('dead-1');
    const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'dead-1', clock, settings });
    await expect(engine.sync()).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
    expect((await store.getRun('dead-1', 'run-of-the-dead'))?.status).toBe('running');

    later(61_000);
    const run = await engine.sync();
    expect(['succeeded', 'partial']).toContain(run.status);
    const dead = await store.getRun('dead-1', 'run-of-the-dead');
    expect(dead).toMatchObject({ status: 'abandoned', error: { code: 'ABANDONED' } });
    expect(dead?.finishedAt).not.toBeNull();
    expect(Date.parse(dead?.finishedAt ?? '')).toBeLessThanOrEqual(Date.parse(run.startedAt));
    expect((await engine.recentSyncs()).map((entry) => entry.status)).toEqual([run.status, 'abandoned']);
  });

  it('are closed when Recent Syncs is read after the lease expired, and left alone while it is held', async () => {
    const store = await deadWorker('dead-2');
    const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'dead-2', clock, settings });
    expect((await engine.recentSyncs()).map((entry) => entry.status)).toEqual(['running']);
    later(61_000);
    const shown = await engine.recentSyncs();
    expect(shown.map((entry) => [entry.id, entry.status, entry.error?.code])).toEqual([['run-of-the-dead', 'abandoned', 'ABANDONED']]);
    // Reading Recent Syncs took the lease only for a moment: a sync starts at once.
    expect(['succeeded', 'partial']).toContain((await engine.sync()).status);
  });

  it('are not closed by a dry run, which writes nothing to the store', async () => {
    const store = await deadWorker('dead-3', 1_000);
    later(2_000);
    const plan = await createSyncEngine({ netsuite, invoiced, store, connectionId: 'dead-3', clock, settings }).sync({ dryRun: true });
    expect(plan.error).toBeNull();
    expect((await store.getRun('dead-3', 'run-of-the-dead'))?.status).toBe('running');
  });
});

describe('engine: the lease of a live run', () => {
  it('lasts a minute by default, renewed every quarter of it', () => {
    const engine = createSyncEngine({ netsuite, invoiced, store: engineTestStore({ clock }), connectionId: 'lease', clock });
    expect(engine.settings.leaseTtlMs).toBe(60_000);
  });
});
