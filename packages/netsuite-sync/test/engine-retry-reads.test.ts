/**
 * The retry queue costs what it must: a run reads it from the store once (one listing), however many
 * records look their items up, and writes only the items it changes (never a delete per record synced).
 */
import { describe, expect, it } from 'vitest';
import { createSyncEngine, type SyncStore } from '../src/index';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';

const { clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 733,
  start: '2026-11-20T08:00:00Z',
  books: { customers: 30, invoices: 120, payments: 40, creditMemos: 4, invoiced: { customers: 6, invoices: 12, payments: 6 } },
});

/** The store, counting the calls of each retry-queue method. */
function counted(store: SyncStore): { store: SyncStore; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        if (typeof property === 'string' && /Retr(y|ies)$/.test(property)) calls.set(property, (calls.get(property) ?? 0) + 1);
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { store: proxy, calls };
}

describe('engine: the retry queue read once per run', () => {
  it('looks up the retry items of every record from one listing, and deletes only the items there are', async () => {
    const { store, calls } = counted(engineTestStore({ clock }));
    // The second run reads again all the first one wrote (its window reaches back past it), as an hourly sync after a first one does.
    const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'retry-reads', clock, settings: { ...settings, cursorOverlapMs: 7_200_000 } });
    const first = await engine.sync();
    expect(first.counts.invoices_created).toBeGreaterThan(50);
    // One listing, no look-up per record, and a delete only of an item there is (a create's note, removed
    // once the create is confirmed): not one per record synced.
    expect(calls.get('getRetry') ?? 0).toBe(0);
    expect(calls.get('listRetries')).toBe(1);
    expect(calls.get('deleteRetry') ?? 0).toBeLessThanOrEqual(calls.get('saveRetry') ?? 0);
    // The books' deliberate problems leave records in the queue.
    const queued = await store.listRetries('retry-reads');
    expect(queued.length).toBeGreaterThan(0);
    later(3_600_000);
    calls.clear();
    const second = await engine.sync();
    expect(second.counts.invoices_skipped ?? 0).toBeGreaterThan(50);
    expect(calls.get('getRetry') ?? 0).toBe(0);
    expect(calls.get('listRetries')).toBe(1);
    expect(calls.get('deleteRetry') ?? 0).toBeLessThanOrEqual(queued.length + (calls.get('saveRetry') ?? 0));
  });
});
