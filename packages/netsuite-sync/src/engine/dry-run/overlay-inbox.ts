/**
 * The event inbox of the dry run's overlay store: events it adds, completes or prunes stay in its memory,
 * over the real store's pending events, which it only reads.
 */
import { compareInboxEvents, copyInboxEvent, settleNow } from '../../store/helpers';
import type { InboxEvent, SyncStore } from '../../store/sync-store';

/** How many pending events `listPendingEvents` lists without a `limit`: the contract's default. */
const DEFAULT_EVENT_LIMIT = 1000;

/** The inbox methods of {@link SyncStore}. */
export type InboxMethods = Pick<SyncStore, 'addEvent' | 'listPendingEvents' | 'completeEvents' | 'pruneEvents'>;

/**
 * What the overlay holds of one connection's inbox, by event ID: its view of an event it added or changed,
 * or `null` for an event it pruned. An ID it does not hold is as the real store has it.
 */
export type InboxDelta = Map<string, InboxEvent | null>;

/**
 * The inbox methods of the overlay over `base`. `inbox(connectionId)` gives the overlay's map of a
 * connection, created on first use.
 *
 * The contract reads only pending events back, so the overlay sees the real store's pending events and
 * not its done ones: adding an ID the real store holds as done resolves `true` in the dry run (where the
 * real store would refuse it), and `pruneEvents` counts only the done events the overlay knows of (those
 * it completed). Neither writes anything to the real store.
 */
export function overlayInbox(base: SyncStore, inbox: (connectionId: string) => InboxDelta, held: (connectionId: string) => InboxDelta | undefined): InboxMethods {
  /** Every pending event of the real store (the contract has no look-up of one event). */
  const realPending = async (connectionId: string): Promise<Map<string, InboxEvent>> =>
    new Map((await base.listPendingEvents(connectionId, { limit: Number.MAX_SAFE_INTEGER })).map((event) => [event.id, event]));

  return {
    addEvent: async (connectionId, event) => {
      const own = held(connectionId)?.get(event.id);
      if (own !== undefined && own !== null) return false;
      if (own === undefined && (await realPending(connectionId)).has(event.id)) return false;
      const events = inbox(connectionId);
      // Checked again: another call may have added the ID while the real store was read.
      const now = events.get(event.id);
      if (now !== undefined && now !== null) return false;
      events.set(event.id, copyInboxEvent({ ...event, status: 'pending' }));
      return true;
    },
    listPendingEvents: async (connectionId, options) => {
      const limit = Math.max(0, options?.limit ?? DEFAULT_EVENT_LIMIT);
      const own = held(connectionId);
      // Asking the real store for `own.size` more events makes up for its events the overlay hides.
      const real = await base.listPendingEvents(connectionId, { limit: Math.min(Number.MAX_SAFE_INTEGER, limit + (own?.size ?? 0)) });
      if (own === undefined || own.size === 0) return real.slice(0, limit);
      const ownPending = [...own.values()].flatMap((event) => (event !== null && event.status === 'pending' ? [copyInboxEvent(event)] : []));
      return [...real.filter((event) => !own.has(event.id)), ...ownPending].sort(compareInboxEvents).slice(0, limit);
    },
    completeEvents: async (connectionId, ids) => {
      const own = held(connectionId);
      const unknown = ids.filter((id) => own?.has(id) !== true);
      const real = unknown.length === 0 ? new Map<string, InboxEvent>() : await realPending(connectionId);
      const events = inbox(connectionId);
      for (const id of ids) {
        const event = events.has(id) ? events.get(id) : real.get(id);
        if (event !== undefined && event !== null) events.set(id, { ...copyInboxEvent(event), status: 'done' });
      }
    },
    pruneEvents: (connectionId, before) =>
      settleNow(() => {
        const events = held(connectionId);
        let removed = 0;
        for (const [id, event] of events ?? []) {
          if (event !== null && event.status === 'done' && event.receivedAt < before) {
            events?.set(id, null);
            removed += 1;
          }
        }
        return removed;
      }),
  };
}
