/**
 * The event inbox part of the {@link SyncStore} conformance suite (`addEvent`, `listPendingEvents`,
 * `completeEvents`, `pruneEvents`), and the `webhook` run trigger: registered by `runStoreConformance`.
 */
import { describe, expect, it } from 'vitest';
import type { EntityKind, InboxEvent, SyncRun, SyncStore } from './sync-store';

/** A connection ID no other test (or earlier run against a persistent store) uses. */
function freshConnection(label = 'inbox'): string {
  return `conformance-${label}-${crypto.randomUUID()}`;
}

/** `2026-11-24T10:00:00.000Z` plus `seconds`. */
function time(seconds: number): string {
  return new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + seconds * 1000).toISOString();
}

/** An accepted event, as `addEvent` takes it: received at `time(receivedAt)`, happened a second before. */
function event(id: string, receivedAt = 0, overrides: Partial<Omit<InboxEvent, 'status'>> = {}): Omit<InboxEvent, 'status'> {
  return { id, type: 'invoice.updated', entity: 'invoice', sourceId: `inv-${id}`, occurredAt: time(receivedAt - 1), receivedAt: time(receivedAt), ...overrides };
}

/** The event as the store lists it while it is pending. */
function pending(added: Omit<InboxEvent, 'status'>): InboxEvent {
  return { ...added, status: 'pending' };
}

/** The IDs of the connection's pending events, in the order listed. */
async function pendingIds(store: SyncStore, connectionId: string, limit?: number): Promise<string[]> {
  const listed = await store.listPendingEvents(connectionId, limit === undefined ? undefined : { limit });
  return listed.map((listedEvent) => listedEvent.id);
}

/**
 * Registers the tests of the event inbox. `texts` are strings a careless store would mangle (quotes, SQL,
 * NUL characters, unpaired surrogates): they must come back exactly.
 */
export function describeInbox(store: () => SyncStore, texts: readonly { readonly label: string; readonly text: string }[]): void {
  describe('event inbox', () => {
    it('lists nothing for a new connection', async () => {
      expect(await store().listPendingEvents(freshConnection())).toEqual([]);
    });

    it('records a new event as pending and resolves true', async () => {
      const connection = freshConnection();
      const added = event('1001', 0, { type: 'payment.created', entity: 'payment', sourceId: '77' });
      expect(await store().addEvent(connection, added)).toBe(true);
      expect(await store().listPendingEvents(connection)).toEqual([pending(added)]);
    });

    it('refuses an event whose ID is already pending: false, and the stored event is unchanged', async () => {
      const connection = freshConnection();
      const first = event('1001', 0);
      expect(await store().addEvent(connection, first)).toBe(true);
      const repeat = event('1001', 5, { type: 'customer.deleted', entity: 'customer', sourceId: 'other', occurredAt: time(4) });
      expect(await store().addEvent(connection, repeat)).toBe(false);
      expect(await store().addEvent(connection, first)).toBe(false);
      expect(await store().listPendingEvents(connection)).toEqual([pending(first)]);
    });

    it('refuses an event whose ID is already done: false, and it stays done with its first values', async () => {
      const connection = freshConnection();
      expect(await store().addEvent(connection, event('1001', 0))).toBe(true);
      await store().completeEvents(connection, ['1001']);
      // A repeat received later than the prune time below: had it replaced the stored event, or made it
      // pending again, the prune would not remove it.
      expect(await store().addEvent(connection, event('1001', 100, { type: 'invoice.deleted' }))).toBe(false);
      expect(await store().listPendingEvents(connection)).toEqual([]);
      expect(await store().pruneEvents(connection, time(50))).toBe(1);
    });

    it('accepts each of many different IDs once', async () => {
      const connection = freshConnection();
      const ids = ['1', '2', '10', '01'];
      for (const id of ids) expect(await store().addEvent(connection, event(id))).toBe(true);
      for (const id of ids) expect(await store().addEvent(connection, event(id))).toBe(false);
      expect(await pendingIds(store(), connection)).toHaveLength(ids.length);
    });

    it('lists pending events oldest received first, then by ID in code point order (not by numeric value)', async () => {
      const connection = freshConnection();
      const added = [
        event('x\u{1F600}', 10),
        event('9', 10),
        event('5', 20),
        event('a', 10),
        event('x\uFFFD', 10),
        event('10', 10),
        event('B', 10),
        event('3', 5),
        // Received earlier but happened later: the order is by receipt.
        event('4', 7, { occurredAt: time(30) }),
      ];
      for (const item of added) await store().addEvent(connection, item);
      expect(await pendingIds(store(), connection)).toEqual(['3', '4', '10', '9', 'B', 'a', 'x\uFFFD', 'x\u{1F600}', '5']);
      expect((await store().listPendingEvents(connection))[1]).toEqual(pending(event('4', 7, { occurredAt: time(30) })));
    });

    it('lists at most limit events, the first in that order, even when the limit falls among events received at once', async () => {
      const connection = freshConnection();
      for (const id of ['c', 'a', 'e', 'b', 'd']) await store().addEvent(connection, event(id, 10));
      await store().addEvent(connection, event('z', 5));
      await store().addEvent(connection, event('y', 15));
      expect(await pendingIds(store(), connection, 1)).toEqual(['z']);
      expect(await pendingIds(store(), connection, 3)).toEqual(['z', 'a', 'b']);
      expect(await pendingIds(store(), connection, 6)).toEqual(['z', 'a', 'b', 'c', 'd', 'e']);
      expect(await pendingIds(store(), connection, 100)).toEqual(['z', 'a', 'b', 'c', 'd', 'e', 'y']);
      expect(await pendingIds(store(), connection, 0)).toEqual([]);
      expect(await store().listPendingEvents(connection, {})).toHaveLength(7);
    });

    it('lists 1000 events by default', async () => {
      const connection = freshConnection();
      const ids = Array.from({ length: 1001 }, (_, index) => String(100_000 + index));
      // The last ID added is received first: the default limit leaves out the newest, not the last added.
      const results = await Promise.all(ids.map((id, index) => store().addEvent(connection, event(id, index === ids.length - 1 ? -1 : index))));
      expect(results.every(Boolean)).toBe(true);
      const listed = await pendingIds(store(), connection);
      expect(listed).toHaveLength(1000);
      expect(listed[0]).toBe('101000');
      expect(listed).not.toContain('100999');
      expect(await pendingIds(store(), connection, 1001)).toHaveLength(1001);
    }, 30_000);

    it('marks events done: they are no longer listed, and IDs that are not there are ignored', async () => {
      const connection = freshConnection();
      for (const id of ['1', '2', '3']) await store().addEvent(connection, event(id));
      await store().completeEvents(connection, ['2', 'never-added', '2']);
      expect(await pendingIds(store(), connection)).toEqual(['1', '3']);
      await store().completeEvents(connection, []);
      await store().completeEvents(connection, ['missing']);
      expect(await pendingIds(store(), connection)).toEqual(['1', '3']);
      // An ignored ID was not recorded by the call: it is still new.
      expect(await store().addEvent(connection, event('never-added'))).toBe(true);
    });

    it('completes idempotently: completing done events again changes nothing', async () => {
      const connection = freshConnection();
      for (const id of ['1', '2']) await store().addEvent(connection, event(id));
      await store().completeEvents(connection, ['1']);
      await store().completeEvents(connection, ['1']);
      await store().completeEvents(connection, ['1', '2']);
      expect(await store().listPendingEvents(connection)).toEqual([]);
      expect(await store().addEvent(connection, event('1'))).toBe(false);
      expect(await store().pruneEvents(connection, time(1))).toBe(2);
    });

    it('prunes only the done events received strictly before the time given, keeping pending ones, and resolves the count', async () => {
      const connection = freshConnection();
      await store().addEvent(connection, event('done-early', 1));
      await store().addEvent(connection, event('done-at', 2));
      await store().addEvent(connection, event('done-late', 3));
      await store().addEvent(connection, event('pending-early', 0));
      await store().addEvent(connection, event('pending-late', 9));
      await store().completeEvents(connection, ['done-early', 'done-at', 'done-late']);

      expect(await store().pruneEvents(connection, time(2))).toBe(1);
      expect(await store().pruneEvents(connection, time(2))).toBe(0);
      expect(await pendingIds(store(), connection)).toEqual(['pending-early', 'pending-late']);
      // A pruned event is gone, so its ID is new again; the others are still there, and refused.
      expect(await store().addEvent(connection, event('done-early', 1))).toBe(true);
      expect(await store().addEvent(connection, event('done-at', 2))).toBe(false);
      expect(await store().addEvent(connection, event('done-late', 3))).toBe(false);

      // Pending events are kept however old they are.
      expect(await store().pruneEvents(connection, time(1000))).toBe(2);
      expect(await pendingIds(store(), connection)).toEqual(['pending-early', 'done-early', 'pending-late']);
      expect(await store().addEvent(connection, event('done-at', 2))).toBe(true);
      expect(await store().pruneEvents(connection, time(1000))).toBe(0);
      expect(await store().pruneEvents(freshConnection(), time(1000))).toBe(0);
    });

    it('compares receipt times to the millisecond when pruning', async () => {
      const connection = freshConnection();
      await store().addEvent(connection, event('a', 0, { receivedAt: '2026-11-24T10:00:00.998Z' }));
      await store().addEvent(connection, event('b', 0, { receivedAt: '2026-11-24T10:00:00.999Z' }));
      await store().completeEvents(connection, ['a', 'b']);
      expect(await store().pruneEvents(connection, '2026-11-24T10:00:00.999Z')).toBe(1);
      expect(await store().addEvent(connection, event('a'))).toBe(true);
      expect(await store().addEvent(connection, event('b'))).toBe(false);
    });

    it('keeps the inboxes of connections apart, even under the same event ID', async () => {
      const a = freshConnection('tenant-a');
      const b = freshConnection('tenant-b');
      const mine = event('1001', 0, { sourceId: 'mine' });
      expect(await store().addEvent(a, mine)).toBe(true);
      expect(await store().listPendingEvents(b)).toEqual([]);
      expect(await store().addEvent(b, event('1001', 3, { sourceId: 'theirs' }))).toBe(true);
      expect(await store().addEvent(b, event('1002', 3))).toBe(true);
      await store().completeEvents(b, ['1001', '1002']);
      expect(await store().listPendingEvents(a)).toEqual([pending(mine)]);
      expect(await store().pruneEvents(b, time(10))).toBe(2);
      await store().completeEvents(a, ['1001']);
      expect(await store().addEvent(b, event('1001'))).toBe(true);
      expect(await store().addEvent(a, event('1001'))).toBe(false);
      expect(await pendingIds(store(), b)).toEqual(['1001']);
    });

    it('keeps every entity kind, type and time exactly as given', async () => {
      const connection = freshConnection();
      const kinds: readonly EntityKind[] = ['customer', 'invoice', 'payment', 'creditNote', 'refund'];
      const added = kinds.map((entity, index) =>
        event(String(9_000_000_000_000_000 + index), 0, {
          entity,
          type: `${entity}.deleted`,
          sourceId: String(index + 1),
          occurredAt: `1999-12-31T23:59:59.00${String(index)}Z`,
          receivedAt: `2026-11-24T10:00:00.${String(100 + index)}Z`,
        }),
      );
      for (const item of added) await store().addEvent(connection, item);
      expect(await store().listPendingEvents(connection)).toEqual(added.map(pending));
    });
  });

  describe.each(texts)('event inbox round-trips of $label', ({ text }) => {
    it('keeps connection IDs, event IDs, types and source IDs exactly as given, and finds them again', async () => {
      const connection = `${freshConnection()} ${text}`;
      const added = event(`evt ${text}`, 0, { type: `type ${text}`, sourceId: `src ${text}`, entity: 'creditNote' });
      expect(await store().addEvent(connection, added)).toBe(true);
      expect(await store().addEvent(connection, { ...added, type: 'other' })).toBe(false);
      expect(await store().listPendingEvents(connection)).toEqual([pending(added)]);
      await store().completeEvents(connection, [`evt ${text}`]);
      expect(await store().listPendingEvents(connection)).toEqual([]);
      expect(await store().pruneEvents(connection, time(1))).toBe(1);
    });
  });

  it('orders event IDs holding NUL characters, unpaired surrogates and U+FDD0 in code point order, within the limit', async () => {
    const connection = freshConnection();
    const ordered = ['12', 'a', 'a\0', 'a\0\0', 'a\0b', 'a\u0001', 'a0', 'a\uD800', 'a\uDFFF', 'a\uFDD0', 'a\uFDD00000', 'a\uFFFD', 'a\u{1F600}'];
    const shuffled = ['a\uFDD00000', 'a\0b', 'a\uDFFF', 'a\u{1F600}', 'a', 'a\0\0', '12', 'a\uFFFD', 'a\u0001', 'a\uD800', 'a\0', 'a0', 'a\uFDD0'];
    for (const id of shuffled) await store().addEvent(connection, event(id, 10));
    expect(await pendingIds(store(), connection)).toEqual(ordered);
    for (const limit of [1, 4, 8, 12]) expect(await pendingIds(store(), connection, limit)).toEqual(ordered.slice(0, limit));
  });

  describe('webhook runs', () => {
    it('starts, finishes and lists a run triggered by a webhook', async () => {
      const connection = freshConnection();
      const started = await store().startRun(connection, { id: 'run-webhook', trigger: 'webhook', startedAt: time(0) });
      expect(started).toMatchObject({ id: 'run-webhook', trigger: 'webhook', status: 'running' });
      expect(await store().getRun(connection, 'run-webhook')).toEqual(started);
      expect(await store().listRuns(connection, { status: 'running' })).toEqual([started]);
      const finished = await store().finishRun(connection, 'run-webhook', { status: 'succeeded', finishedAt: time(1), counts: { payments_created: 1 }, error: null });
      const expected: SyncRun = { ...started, status: 'succeeded', finishedAt: time(1), counts: { payments_created: 1 } };
      expect(finished).toEqual(expected);
      expect(await store().listRuns(connection)).toEqual([expected]);
    });
  });
}
