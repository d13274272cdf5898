import type { ImportCheckpoint, InboxEvent, RecordError, RetryItem, SyncLink, SyncStore } from '@invoiced/netsuite-sync';
import { runStoreConformance } from '@invoiced/netsuite-sync/testing';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './index';

runStoreConformance({ name: 'memoryStore', createStore: () => memoryStore() });

/** Removes `readonly`, all the way down: what a careless caller does with a cast. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
const mutable = <T>(value: T): Mutable<T> => value;

const link: Omit<SyncLink, 'updatedAt'> = { kind: 'invoice', invoicedId: '1', netsuiteId: '100', origin: 'netsuite', fingerprint: 'v1' };
const recordError: RecordError = {
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId: '100',
  number: 'INV-100',
  code: 'INVALID_REQUEST',
  message: 'Refused.',
  resolution: 'Fix it.',
  occurredAt: '2026-11-24T10:00:01.000Z',
};
const retry: RetryItem = {
  key: 'netsuite_to_invoiced:invoice:100',
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId: '100',
  number: 'INV-100',
  attempts: 1,
  lastError: { code: 'INVALID_REQUEST', message: 'Refused.', resolution: 'Fix it.' },
  status: 'pending',
  fingerprint: 'v1',
  updatedAt: '2026-11-24T10:00:02.000Z',
};
const checkpoint: ImportCheckpoint = {
  jobId: 'job-1',
  kind: 'invoices',
  status: 'succeeded',
  cursor: null,
  processed: 10,
  total: 10,
  result: { created: 10, nested: { failures: ['INV-1'] } },
  updatedAt: '2026-11-24T10:00:03.000Z',
};

/** Saves one of everything, from fresh copies of the fixtures; returns what the store answers. */
async function seed(store: SyncStore): Promise<unknown> {
  await store.saveLink('acme', structuredClone(link));
  await store.startRun('acme', { id: 'run-1', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
  await store.addRecordErrors('acme', 'run-1', [structuredClone(recordError)]);
  await store.finishRun('acme', 'run-1', { status: 'partial', finishedAt: '2026-11-24T10:00:05.000Z', counts: { records_failed: 1 }, error: null });
  await store.saveRetry('acme', structuredClone(retry));
  await store.saveCheckpoint('acme', structuredClone(checkpoint));
  return snapshot(store);
}

/** A deep copy of what the store holds for `acme`, so that later changes to its answers cannot reach it. */
async function snapshot(store: SyncStore): Promise<unknown> {
  return structuredClone({
    links: await store.listLinks('acme', 'invoice'),
    runs: await store.listRuns('acme'),
    retries: await store.listRetries('acme'),
    checkpoint: await store.getCheckpoint('acme', 'job-1'),
  });
}

describe('memoryStore', () => {
  it('returns copies: changing a returned object changes nothing stored', async () => {
    const store = memoryStore();
    const before = await seed(store);

    const found = mutable(await store.findLinkByInvoicedId('acme', 'invoice', '1'));
    if (found !== null) found.netsuiteId = 'changed';
    for (const saved of await store.listLinks('acme', 'invoice')) mutable(saved).fingerprint = 'changed';
    const run = mutable(await store.getRun('acme', 'run-1'));
    if (run !== null) {
      run.status = 'running';
      run.counts['records_failed'] = 99;
      run.recordErrors.push({ ...recordError, sourceId: 'extra' });
      const first = run.recordErrors[0];
      if (first !== undefined) first.message = 'changed';
    }
    for (const listed of await store.listRuns('acme')) mutable(listed).recordErrors.length = 0;
    const item = mutable(await store.getRetry('acme', retry.key));
    if (item !== null) item.lastError.message = 'changed';
    const saved = mutable(await store.getCheckpoint('acme', 'job-1'));
    if (saved?.result !== null && saved?.result !== undefined) (saved.result['nested'] as { failures: string[] }).failures.push('changed');

    expect(await snapshot(store)).toEqual(before);
    // And a run that was reported as `running` again by a mutated copy still cannot be finished twice.
    await expect(store.finishRun('acme', 'run-1', { status: 'succeeded', finishedAt: '2026-11-24T11:00:00.000Z', counts: {}, error: null })).rejects.toThrow();
  });

  it('stores copies: changing an object after passing it in changes nothing stored', async () => {
    const store = memoryStore();
    const input = { link: structuredClone(link), errors: [structuredClone(recordError)], counts: { records_failed: 1 }, retry: structuredClone(retry), checkpoint: structuredClone(checkpoint) };
    await store.saveLink('acme', input.link);
    await store.startRun('acme', { id: 'run-1', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
    await store.addRecordErrors('acme', 'run-1', input.errors);
    await store.finishRun('acme', 'run-1', { status: 'partial', finishedAt: '2026-11-24T10:00:05.000Z', counts: input.counts, error: null });
    await store.saveRetry('acme', input.retry);
    await store.saveCheckpoint('acme', input.checkpoint);
    const before = await snapshot(store);

    const changed = mutable(input);
    changed.link.fingerprint = 'changed';
    changed.errors.push({ ...recordError, sourceId: 'extra' });
    const firstError = changed.errors[0];
    if (firstError !== undefined) firstError.code = 'CHANGED';
    changed.counts.records_failed = 99;
    changed.retry.lastError.code = 'CHANGED';
    changed.retry.attempts = 50;
    if (changed.checkpoint.result !== null) (changed.checkpoint.result['nested'] as { failures: string[] }).failures.push('changed');

    expect(await snapshot(store)).toEqual(before);
  });

  it('stores and returns copies of inbox events', async () => {
    const store = memoryStore();
    const input: Omit<InboxEvent, 'status'> = { id: '1001', type: 'payment.created', entity: 'payment', sourceId: '77', occurredAt: '2026-11-24T09:59:59.000Z', receivedAt: '2026-11-24T10:00:00.000Z' };
    const added = { ...input, extra: 'dropped' };
    expect(await store.addEvent('acme', added)).toBe(true);
    mutable(added).sourceId = 'changed';
    const [listed] = await store.listPendingEvents('acme');
    expect(listed).toEqual({ ...input, status: 'pending' });
    if (listed !== undefined) mutable(listed).status = 'done';
    expect(await store.listPendingEvents('acme')).toEqual([{ ...input, status: 'pending' }]);
  });

  describe('with a clock', () => {
    const start = new Date('2026-11-24T10:00:00.000Z').getTime();
    function manualClock(): { store: SyncStore; advance: (ms: number) => void } {
      let now = start;
      return { store: memoryStore({ clock: () => new Date(now) }), advance: (ms) => (now += ms) };
    }

    it('expires a lease exactly when the clock reaches now + ttl', async () => {
      const { store, advance } = manualClock();
      expect(await store.acquireLease('acme', 'worker-a', 60_000)).toBe(true);
      advance(59_999);
      expect(await store.acquireLease('acme', 'worker-b', 60_000)).toBe(false);
      advance(1);
      expect(await store.renewLease('acme', 'worker-a', 60_000)).toBe(false);
      expect(await store.acquireLease('acme', 'worker-b', 60_000)).toBe(true);
    });

    it('extends a renewed lease from the time of the renewal', async () => {
      const { store, advance } = manualClock();
      expect(await store.acquireLease('acme', 'worker-a', 60_000)).toBe(true);
      advance(50_000);
      expect(await store.renewLease('acme', 'worker-a', 60_000)).toBe(true);
      advance(60_000 - 1);
      expect(await store.acquireLease('acme', 'worker-b', 60_000)).toBe(false);
      advance(1);
      expect(await store.acquireLease('acme', 'worker-b', 60_000)).toBe(true);
    });

    it('stamps saved links with the clock time', async () => {
      const { store, advance } = manualClock();
      expect((await store.saveLink('acme', link)).updatedAt).toBe('2026-11-24T10:00:00.000Z');
      advance(1_500);
      expect((await store.saveLink('acme', { ...link, fingerprint: 'v2' })).updatedAt).toBe('2026-11-24T10:00:01.500Z');
    });
  });
});
