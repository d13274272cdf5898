/**
 * The records a run was asked to sync by ID, on top of (a sync) or instead of (a targeted run) what changed
 * since the phases' cursors: records named by Invoiced events in the store's inbox (from webhooks or the
 * events list), and records given to `engine.syncRecords()`. Each Invoiced phase takes its kind's IDs once;
 * the events it took are marked done when the run has gone through them.
 */
import type { EntityKind, InboxEvent, SyncStore } from '../../store/sync-store';
import type { RunTargets } from '../contracts';

/** Pending inbox events a run reads at most (the rest wait for the next run). */
export const INBOX_BATCH = 1000;

/** A record named by ID: its kind and Invoiced ID. */
export interface SyncTarget {
  readonly entity: EntityKind;
  readonly invoicedId: string;
}

/**
 * The targets of one run. `only`: the run syncs these records and nothing else (a targeted run); `also`:
 * the phases sync them besides what changed since their cursors (a sync).
 */
export class InboxTargets implements RunTargets {
  readonly only: boolean;
  readonly #store: SyncStore;
  readonly #connectionId: string;
  readonly #explicit: readonly SyncTarget[];
  readonly #fromInbox: boolean;
  #events: Promise<InboxEvent[]> | undefined;
  readonly #taken = new Set<string>();

  constructor(store: SyncStore, connectionId: string, options: { only: boolean; explicit?: readonly SyncTarget[]; fromInbox: boolean }) {
    this.#store = store;
    this.#connectionId = connectionId;
    this.only = options.only;
    this.#explicit = options.explicit ?? [];
    this.#fromInbox = options.fromInbox;
  }

  /**
   * The Invoiced IDs of one kind to sync, each once. The inbox is read the first time a phase asks after
   * `refresh()`, so events a phase of this run added (the events list) reach the phases after it.
   */
  async take(entity: EntityKind): Promise<string[]> {
    const ids = new Set(this.#explicit.filter((target) => target.entity === entity).map((target) => target.invoicedId));
    if (this.#fromInbox) {
      for (const event of await this.#pending()) {
        if (event.entity !== entity) continue;
        ids.add(event.sourceId);
        this.#taken.add(event.id);
      }
    }
    return [...ids];
  }

  /** Whether any record of a kind is named (explicitly or by a pending event), without taking it. */
  async names(entity: EntityKind): Promise<boolean> {
    if (this.#explicit.some((target) => target.entity === entity)) return true;
    if (!this.#fromInbox) return false;
    return (await this.#pending()).some((event) => event.entity === entity);
  }

  /** The inbox's pending events, read once until `refresh()`. */
  #pending(): Promise<InboxEvent[]> {
    this.#events ??= this.#store.listPendingEvents(this.#connectionId, { limit: INBOX_BATCH });
    return this.#events;
  }

  /** The inbox is read again at the next `take` (after a phase added events to it). */
  refresh(): void {
    this.#events = undefined;
  }

  /**
   * Marks done the events the phases took, and those of kinds no phase of the run syncs (`synced`:
   * customers, whose record reaches NetSuite with its first document; a kind whose phase is off). Called
   * once the run went through every phase: a failed record is in the retry queue by then, so its event is
   * done too. An event of a synced kind that came after its phase took its kind's IDs stays pending for
   * the next run. Resolves how many events were marked done.
   */
  async complete(synced: ReadonlySet<EntityKind>): Promise<number> {
    if (!this.#fromInbox) return 0;
    const done = new Set(this.#taken);
    for (const event of await this.#pending()) if (!synced.has(event.entity)) done.add(event.id);
    if (done.size > 0) await this.#store.completeEvents(this.#connectionId, [...done]);
    return done.size;
  }
}

/** Retry codes of an Invoiced record that waits for another record to reach NetSuite first. */
const WAITING = /_NOT_SYNCED$/;

/** Whether a retry item waits for another record (a payment for its invoice...): a targeted run retries those. */
export function waitsForAnotherRecord(item: { readonly direction: string; readonly lastError: { readonly code: string } }): boolean {
  return item.direction === 'invoiced_to_netsuite' && WAITING.test(item.lastError.code);
}
