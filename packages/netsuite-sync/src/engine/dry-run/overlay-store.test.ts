/**
 * The overlay store of dry runs: a store of its own (the conformance suite), and over a real store, reads
 * that see both while every write stays in the overlay.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { runStoreConformance } from '../../store/conformance';
import { LinkConflictError, RunStateError, type EntityKind, type RetryItem, type SyncStore } from '../../store/sync-store';
import { dryRunStore } from './overlay-store';

runStoreConformance({ name: 'dryRunStore over an empty memory store', createStore: () => dryRunStore(memoryStore()) });

const C = 'acme';
const KINDS: readonly EntityKind[] = ['customer', 'invoice', 'payment', 'creditNote'];
const PHASE_NAMES = ['netsuite_invoices', 'netsuite_payments', 'netsuite_deletions', 'invoiced_invoices', 'invoiced_payments'];
const at = (second: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, second)).toISOString();

function retry(sourceId: string, overrides: Partial<RetryItem> = {}): RetryItem {
  return {
    key: `netsuite_to_invoiced:invoice:${sourceId}`,
    entity: 'invoice',
    direction: 'netsuite_to_invoiced',
    sourceId,
    number: `INV-${sourceId}`,
    attempts: 1,
    lastError: { code: 'TOTAL_MISMATCH', message: 'Lines do not add up.', resolution: 'Fix the invoice.' },
    status: 'pending',
    fingerprint: 'fp',
    updatedAt: at(1),
    ...overrides,
  };
}

/** A real store with links, cursors, retry items, runs and a checkpoint, and a log of every call made to it. */
async function realStore() {
  const base = memoryStore({ clock: () => new Date(at(0)) });
  await base.saveLink(C, { kind: 'invoice', invoicedId: '10', netsuiteId: '100010', origin: 'netsuite', fingerprint: 'a' });
  await base.saveLink(C, { kind: 'invoice', invoicedId: '2', netsuiteId: '100002', origin: 'invoiced', fingerprint: 'b' });
  await base.saveLink(C, { kind: 'customer', invoicedId: '5', netsuiteId: '1005', origin: 'netsuite', fingerprint: null });
  await base.setCursor(C, 'netsuite_invoices', at(5));
  await base.saveRetry(C, retry('100020'));
  await base.saveRetry(C, retry('100030', { status: 'ignored' }));
  await base.startRun(C, { id: 'run-1', trigger: 'manual', startedAt: at(0) });
  await base.addRecordErrors(C, 'run-1', [{ entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId: '100020', number: 'INV-100020', code: 'TOTAL_MISMATCH', message: 'm', resolution: 'r', occurredAt: at(1) }]);
  await base.finishRun(C, 'run-1', { status: 'partial', finishedAt: at(2), counts: { invoices_created: 1, records_failed: 1 }, error: null });
  await base.startRun(C, { id: 'run-2', trigger: 'auto', startedAt: at(10) });
  await base.saveCheckpoint(C, { jobId: 'job-1', kind: 'invoices', status: 'running', cursor: '100', processed: 1, total: 2, result: null, updatedAt: at(3) });
  const calls: string[] = [];
  const logged = new Proxy(base, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        calls.push(String(property));
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { base, logged, calls };
}

/** Everything a store holds for the connection, as its read methods show it. */
async function contents(store: SyncStore) {
  return {
    links: await Promise.all(KINDS.map((kind) => store.listLinks(C, kind))),
    cursors: await Promise.all(PHASE_NAMES.map((phase) => store.getCursor(C, phase))),
    retries: await store.listRetries(C),
    runs: await store.listRuns(C, { limit: 100, errorsPerRun: 1000 }),
    checkpoint: await store.getCheckpoint(C, 'job-1'),
  };
}

const READS = new Set(['getCursor', 'findLinkByNetSuiteId', 'findLinkByInvoicedId', 'listLinks', 'getRun', 'listRuns', 'getRetry', 'listRetries', 'getCheckpoint']);

describe('dryRunStore over a real store', () => {
  it('reads what the real store holds', async () => {
    const { base, logged } = await realStore();
    expect(await contents(dryRunStore(logged))).toEqual(await contents(base));
    expect(await dryRunStore(logged).findLinkByNetSuiteId(C, 'invoice', '100010')).toMatchObject({ invoicedId: '10', fingerprint: 'a' });
  });

  it('keeps every write to itself, reads its own writes over the real store, and only ever reads the real store', async () => {
    const { base, logged, calls } = await realStore();
    const before = await contents(base);
    const overlay = dryRunStore(logged, { clock: () => new Date(at(30)) });

    await overlay.setCursor(C, 'netsuite_invoices', at(40));
    await overlay.setCursor(C, 'invoiced_payments', at(41));
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '10', netsuiteId: '100010', origin: 'invoiced', fingerprint: 'changed' });
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '9000000000000001', netsuiteId: '100040', origin: 'netsuite', fingerprint: 'new' });
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '7', netsuiteId: '100007', origin: 'netsuite', fingerprint: 'new' });
    await overlay.saveRetry(C, retry('100020', { attempts: 2 }));
    await overlay.saveRetry(C, retry('100050'));
    await overlay.deleteRetry(C, 'netsuite_to_invoiced:invoice:100030');
    await overlay.startRun(C, { id: 'dry-1', trigger: 'manual', startedAt: at(20) });
    await overlay.addRecordErrors(C, 'run-2', [{ entity: 'payment', direction: 'invoiced_to_netsuite', sourceId: '3', number: null, code: 'X', message: 'm', resolution: 'r', occurredAt: at(21) }]);
    await overlay.finishRun(C, 'run-2', { status: 'succeeded', finishedAt: at(22), counts: {}, error: null });
    await overlay.saveCheckpoint(C, { jobId: 'job-1', kind: 'invoices', status: 'succeeded', cursor: null, processed: 2, total: 2, result: { done: true }, updatedAt: at(23) });

    expect(await overlay.getCursor(C, 'netsuite_invoices')).toBe(at(40));
    expect(await overlay.getCursor(C, 'netsuite_payments')).toBeNull();
    // The origin of an existing link never changes; its fingerprint does.
    expect(await overlay.findLinkByInvoicedId(C, 'invoice', '10')).toEqual({ kind: 'invoice', invoicedId: '10', netsuiteId: '100010', origin: 'netsuite', fingerprint: 'changed', updatedAt: at(30) });
    expect((await overlay.listLinks(C, 'invoice')).map((link) => link.invoicedId)).toEqual(['2', '7', '10', '9000000000000001']);
    expect((await overlay.listRetries(C)).map((item) => [item.sourceId, item.attempts])).toEqual([
      ['100020', 2],
      ['100050', 1],
    ]);
    expect(await overlay.listRetries(C, { status: 'ignored' })).toEqual([]);
    expect(await overlay.getRetry(C, 'netsuite_to_invoiced:invoice:100030')).toBeNull();
    expect((await overlay.listRuns(C)).map((run) => [run.id, run.status, run.recordErrorCount])).toEqual([
      ['dry-1', 'running', 0],
      ['run-2', 'succeeded', 1],
      ['run-1', 'partial', 1],
    ]);
    expect((await overlay.getCheckpoint(C, 'job-1'))?.status).toBe('succeeded');

    expect(await contents(base)).toEqual(before);
    expect(calls.filter((name) => !READS.has(name))).toEqual([]);
  });

  it('refuses a link that conflicts with a link of the real store, or with one of its own', async () => {
    const { base, logged } = await realStore();
    const overlay = dryRunStore(logged);
    await expect(overlay.saveLink(C, { kind: 'invoice', invoicedId: '10', netsuiteId: '100099', origin: 'netsuite', fingerprint: null })).rejects.toMatchObject({ side: 'invoiced', id: '10' });
    await expect(overlay.saveLink(C, { kind: 'invoice', invoicedId: '99', netsuiteId: '100002', origin: 'netsuite', fingerprint: null })).rejects.toBeInstanceOf(LinkConflictError);
    await overlay.saveLink(C, { kind: 'customer', invoicedId: '9000000000000001', netsuiteId: '1009', origin: 'netsuite', fingerprint: null });
    await expect(overlay.saveLink(C, { kind: 'customer', invoicedId: '9000000000000002', netsuiteId: '1009', origin: 'netsuite', fingerprint: null })).rejects.toMatchObject({ side: 'netsuite', id: '1009' });
    expect(await base.findLinkByNetSuiteId(C, 'customer', '1009')).toBeNull();
  });

  it('refuses to start a run the real store has, and to finish one twice', async () => {
    const { logged } = await realStore();
    const overlay = dryRunStore(logged);
    await expect(overlay.startRun(C, { id: 'run-1', trigger: 'manual', startedAt: at(50) })).rejects.toMatchObject({ reason: 'exists' });
    await expect(overlay.finishRun(C, 'run-1', { status: 'failed', finishedAt: at(51), counts: {}, error: null })).rejects.toBeInstanceOf(RunStateError);
    await expect(overlay.addRecordErrors(C, 'missing', [])).rejects.toMatchObject({ reason: 'not_found' });
  });

  it('lists the runs of a status over the real store: its own, and the real ones it did not end', async () => {
    const { base, logged } = await realStore();
    await base.startRun(C, { id: 'run-3', trigger: 'auto', startedAt: at(12) });
    const overlay = dryRunStore(logged);
    expect((await overlay.listRuns(C, { status: 'running' })).map((run) => run.id)).toEqual(['run-3', 'run-2']);
    await overlay.startRun(C, { id: 'dry-1', trigger: 'manual', startedAt: at(11) });
    await overlay.finishRun(C, 'run-3', { status: 'abandoned', finishedAt: at(30), counts: {}, error: { code: 'ABANDONED', message: 'Its process stopped.', resolution: null } });
    expect((await overlay.listRuns(C, { status: 'running' })).map((run) => run.id)).toEqual(['dry-1', 'run-2']);
    expect((await overlay.listRuns(C, { status: 'running', limit: 1 })).map((run) => run.id)).toEqual(['dry-1']);
    expect((await overlay.listRuns(C, { status: 'abandoned' })).map((run) => [run.id, run.status])).toEqual([['run-3', 'abandoned']]);
    expect((await overlay.listRuns(C, { status: 'partial' })).map((run) => run.id)).toEqual(['run-1']);
    expect((await base.listRuns(C, { status: 'running' })).map((run) => run.id)).toEqual(['run-3', 'run-2']);
  });

  it('counts record errors by code over the real store: the errors of the real run and those the overlay added', async () => {
    const { base, logged } = await realStore();
    const overlay = dryRunStore(logged);
    const failure = (sourceId: string, code: string) => ({ entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId, number: null, code, message: 'm', resolution: 'r', occurredAt: at(21) }) as const;
    await overlay.addRecordErrors(C, 'run-1', [failure('1', 'TOTAL_MISMATCH'), failure('2', '__proto__')]);
    await overlay.addRecordErrors(C, 'run-2', [failure('3', 'X'), failure('4', 'X')]);
    await overlay.startRun(C, { id: 'dry-1', trigger: 'manual', startedAt: at(20) });
    expect((await overlay.listRuns(C, { errorsPerRun: 1 })).map((run) => [run.id, run.recordErrors.length, run.recordErrorCount, run.recordErrorCodes])).toEqual([
      ['dry-1', 0, 0, {}],
      ['run-2', 1, 2, { X: 2 }],
      ['run-1', 1, 3, Object.fromEntries([['TOTAL_MISMATCH', 2], ['__proto__', 1]])],
    ]);
    expect((await base.getRun(C, 'run-1'))?.recordErrorCodes).toEqual({ TOTAL_MISMATCH: 1 });
  });

  it('keeps inbox writes to itself: adds, completes and prunes over the pending events of the real store, which it only reads', async () => {
    const { base, logged, calls } = await realStore();
    const event = (id: string, second: number) => ({ id, type: 'payment.created', entity: 'payment', sourceId: `p-${id}`, occurredAt: at(second), receivedAt: at(second) }) as const;
    for (const [id, second] of [['1', 1], ['2', 2], ['3', 3], ['9', 0]] as const) await base.addEvent(C, event(id, second));
    await base.completeEvents(C, ['9']);
    const realBefore = await base.listPendingEvents(C);
    const overlay = dryRunStore(logged);

    expect(await overlay.listPendingEvents(C)).toEqual(realBefore);
    expect(await overlay.addEvent(C, event('2', 40))).toBe(false);
    expect(await overlay.addEvent(C, event('5', 0))).toBe(true);
    expect(await overlay.addEvent(C, event('5', 0))).toBe(false);
    await overlay.completeEvents(C, ['1', '5', 'missing']);
    await overlay.completeEvents(C, ['1']);
    expect((await overlay.listPendingEvents(C)).map((listed) => listed.id)).toEqual(['2', '3']);
    expect((await overlay.listPendingEvents(C, { limit: 1 })).map((listed) => listed.id)).toEqual(['2']);
    // The done events it knows of: '1' (real, completed here) and '5' (its own); '9' is done in the real store only.
    expect(await overlay.pruneEvents(C, at(2))).toBe(2);
    expect(await overlay.pruneEvents(C, at(2))).toBe(0);
    expect(await overlay.addEvent(C, event('1', 30))).toBe(true);
    expect(await overlay.listPendingEvents(C)).toEqual([...realBefore.slice(1), { ...event('1', 30), status: 'pending' }]);
    // The contract reads no done event back: the overlay cannot see that the real store would refuse '9'.
    expect(await overlay.addEvent(C, event('9', 0))).toBe(true);

    expect(await base.listPendingEvents(C)).toEqual(realBefore);
    expect(await base.addEvent(C, event('9', 0))).toBe(false);
    expect(calls.filter((name) => !READS.has(name) && name !== 'listPendingEvents')).toEqual([]);
  });

  it('reports each link it saves with the link it replaced', async () => {
    const { logged } = await realStore();
    const saved: [string, string | null][] = [];
    const overlay = dryRunStore(logged, { onLinkSaved: (link, previous) => saved.push([link.invoicedId, previous?.fingerprint ?? null]) });
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '10', netsuiteId: '100010', origin: 'netsuite', fingerprint: 'x' });
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '11', netsuiteId: '100011', origin: 'netsuite', fingerprint: 'y' });
    await overlay.saveLink(C, { kind: 'invoice', invoicedId: '11', netsuiteId: '100011', origin: 'netsuite', fingerprint: 'z' });
    expect(saved).toEqual([
      ['10', 'a'],
      ['11', null],
      ['11', 'y'],
    ]);
  });
});
