/**
 * Where the change feed of Invoiced's events (phase `invoiced_events`) starts. Its cursor is set the first
 * time any run of the connection starts (a sync, a targeted run), before anything is written: every record
 * the sync writes to NetSuite is written after that, so every deletion of one on Invoiced is an event after
 * it. A connection that synced before the feed existed starts from the invoice phase's cursor.
 */
import type { SyncStore } from '../../store/sync-store';

/** The feed's phase, also the name of its cursor. */
export const EVENT_FEED = 'invoiced_events';

/** Sets the feed's cursor when it has none: the invoice phase's cursor, or `at` (the run's start). */
export async function anchorEventFeed(store: SyncStore, connectionId: string, at: Date): Promise<void> {
  if ((await store.getCursor(connectionId, EVENT_FEED)) !== null) return;
  await store.setCursor(connectionId, EVENT_FEED, (await store.getCursor(connectionId, 'invoiced_invoices')) ?? at.toISOString());
}
