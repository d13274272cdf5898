import {
  RunStateError,
  compareCodePoints,
  compareInboxEvents,
  compareLinkIds,
  compareRunsNewestFirst,
  copyCheckpoint,
  copyInboxEvent,
  copyLink,
  copyRecordError,
  copyRetryItem,
  copyRun,
  finishStoredRun,
  linkToSave,
  resolveListRunsOptions,
  settleNow,
  startedRun,
} from '@invoiced/netsuite-sync';
import type { EntityKind, ImportCheckpoint, InboxEvent, RetryItem, StoredRun, SyncLink, SyncStore } from '@invoiced/netsuite-sync';
import { LinkTable } from './link-table';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The time source: decides when leases expire and stamps `updatedAt` of saved links. Tests pass a
   * clock they move by hand to expire a lease without waiting.
   *
   * @default () => new Date()
   * @example
   * ```ts
   * let now = new Date('2026-11-24T10:00:00.000Z');
   * const store = memoryStore({ clock: () => now });
   * await store.acquireLease('acme', 'worker-a', 60_000);
   * now = new Date(now.getTime() + 60_000); // the lease has expired
   * ```
   */
  clock?: () => Date;
}

/** The lease of one connection; `expiresAt` in epoch milliseconds. */
interface Lease {
  holder: string;
  expiresAt: number;
}

/** Everything stored for one connection. */
interface ConnectionData {
  lease: Lease | undefined;
  cursors: Map<string, string>;
  links: Map<EntityKind, LinkTable>;
  runs: Map<string, StoredRun>;
  retries: Map<string, RetryItem>;
  /** The event inbox, by event ID. */
  events: Map<string, InboxEvent>;
  checkpoints: Map<string, ImportCheckpoint>;
}

/** How many pending events `listPendingEvents` lists without a `limit`: the contract's default. */
const DEFAULT_EVENT_LIMIT = 1000;


/**
 * A {@link SyncStore} that keeps everything in this process's memory: for tests, examples and
 * single-process demos. Data is lost when the process exits, and leases coordinate only the callers that
 * share this one store object; use a database store (e.g. Postgres) to sync from several processes.
 *
 * Every object goes in and comes out as a copy, so callers cannot change stored state through an object
 * they passed or got back. Every method does its reads and writes in one synchronous step, so concurrent
 * calls never interleave (each method is atomic).
 *
 * @example
 * ```ts
 * import { createSyncEngine } from '@invoiced/netsuite-sync';
 * import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
 *
 * const engine = createSyncEngine({ netsuite, invoiced, store: memoryStore(), connectionId: 'acme', settings });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): SyncStore {
  const clock = options.clock ?? (() => new Date());
  const connections = new Map<string, ConnectionData>();
  let runSequence = 0;

  /** The data of a connection, or `undefined` if nothing was ever written for it (reads create nothing). */
  const read = (connectionId: string): ConnectionData | undefined => connections.get(connectionId);
  const write = (connectionId: string): ConnectionData => {
    let data = connections.get(connectionId);
    if (data === undefined) {
      data = { lease: undefined, cursors: new Map(), links: new Map(), runs: new Map(), retries: new Map(), events: new Map(), checkpoints: new Map() };
      connections.set(connectionId, data);
    }
    return data;
  };
  const linkTable = (data: ConnectionData, kind: EntityKind): LinkTable => {
    let table = data.links.get(kind);
    if (table === undefined) {
      table = new LinkTable(kind);
      data.links.set(kind, table);
    }
    return table;
  };
  const storedRun = (connectionId: string, runId: string): StoredRun => {
    const stored = read(connectionId)?.runs.get(runId);
    if (stored === undefined) {
      throw new RunStateError('not_found', runId);
    }
    return stored;
  };
  /** A held lease of the connection, or `undefined` when it is free or expired. */
  const liveLease = (data: ConnectionData | undefined): Lease | undefined =>
    data?.lease !== undefined && clock().getTime() < data.lease.expiresAt ? data.lease : undefined;

  return {
    acquireLease: (connectionId, holder, ttlMs) =>
      settleNow(() => {
        const data = write(connectionId);
        const lease = liveLease(data);
        if (lease !== undefined && lease.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    renewLease: (connectionId, holder, ttlMs) =>
      settleNow(() => {
        const data = read(connectionId);
        const lease = liveLease(data);
        if (data === undefined || lease?.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    releaseLease: (connectionId, holder) =>
      settleNow(() => {
        const data = read(connectionId);
        if (data?.lease?.holder === holder) data.lease = undefined;
      }),

    getCursor: (connectionId, phase) => settleNow(() => read(connectionId)?.cursors.get(phase) ?? null),
    setCursor: (connectionId, phase, value) =>
      settleNow(() => {
        write(connectionId).cursors.set(phase, value);
      }),

    findLinkByNetSuiteId: (connectionId, kind, netsuiteId) =>
      settleNow(() => read(connectionId)?.links.get(kind)?.byNetSuiteId(netsuiteId) ?? null),
    findLinkByInvoicedId: (connectionId, kind, invoicedId) =>
      settleNow(() => read(connectionId)?.links.get(kind)?.byInvoicedId(invoicedId) ?? null),
    saveLink: (connectionId, link) =>
      settleNow(() => {
        const existing = read(connectionId)?.links.get(link.kind);
        const saved: SyncLink = linkToSave(
          link,
          { byInvoicedId: existing?.byInvoicedId(link.invoicedId), byNetSuiteId: existing?.byNetSuiteId(link.netsuiteId) },
          clock,
        );
        const table = linkTable(write(connectionId), link.kind);
        table.set(saved);
        return copyLink(saved);
      }),
    listLinks: (connectionId, kind) =>
      settleNow(() =>
        (read(connectionId)?.links.get(kind)?.all() ?? []).sort((a, b) => compareLinkIds(a.invoicedId, b.invoicedId)),
      ),

    startRun: (connectionId, run) =>
      settleNow(() => {
        const data = write(connectionId);
        if (data.runs.has(run.id)) {
          throw new RunStateError('exists', run.id);
        }
        runSequence += 1;
        const stored = startedRun(run, runSequence);
        data.runs.set(run.id, stored);
        return copyRun(stored);
      }),
    addRecordErrors: (connectionId, runId, errors) =>
      settleNow(() => {
        const stored = storedRun(connectionId, runId);
        stored.recordErrors.push(...errors.map(copyRecordError));
      }),
    finishRun: (connectionId, runId, outcome) =>
      settleNow(() => {
        const stored = storedRun(connectionId, runId);
        finishStoredRun(stored, outcome);
        return copyRun(stored);
      }),
    getRun: (connectionId, runId) => settleNow(() => copyOrNull(read(connectionId)?.runs.get(runId), (stored) => copyRun(stored))),
    listRuns: (connectionId, listOptions) =>
      settleNow(() => {
        const { limit, errorsPerRun, status } = resolveListRunsOptions(listOptions);
        return [...(read(connectionId)?.runs.values() ?? [])]
          .filter((stored) => status === undefined || stored.run.status === status)
          .sort(compareRunsNewestFirst)
          .slice(0, limit)
          .map((stored) => copyRun(stored, errorsPerRun));
      }),

    saveRetry: (connectionId, item) =>
      settleNow(() => {
        write(connectionId).retries.set(item.key, copyRetryItem(item));
      }),
    getRetry: (connectionId, key) => settleNow(() => copyOrNull(read(connectionId)?.retries.get(key), copyRetryItem)),
    listRetries: (connectionId, listOptions) =>
      settleNow(() =>
        [...(read(connectionId)?.retries.values() ?? [])]
          .filter((item) => listOptions?.status === undefined || item.status === listOptions.status)
          .sort((a, b) => compareCodePoints(a.key, b.key))
          .map(copyRetryItem),
      ),
    deleteRetry: (connectionId, key) =>
      settleNow(() => {
        read(connectionId)?.retries.delete(key);
      }),

    addEvent: (connectionId, event) =>
      settleNow(() => {
        const events = write(connectionId).events;
        if (events.has(event.id)) return false;
        events.set(event.id, copyInboxEvent({ ...event, status: 'pending' }));
        return true;
      }),
    listPendingEvents: (connectionId, listOptions) =>
      settleNow(() =>
        [...(read(connectionId)?.events.values() ?? [])]
          .filter((event) => event.status === 'pending')
          .sort(compareInboxEvents)
          .slice(0, Math.max(0, listOptions?.limit ?? DEFAULT_EVENT_LIMIT))
          .map(copyInboxEvent),
      ),
    completeEvents: (connectionId, ids) =>
      settleNow(() => {
        const events = read(connectionId)?.events;
        for (const id of ids) {
          const event = events?.get(id);
          if (event !== undefined) events?.set(id, { ...event, status: 'done' });
        }
      }),
    pruneEvents: (connectionId, before) =>
      settleNow(() => {
        const events = read(connectionId)?.events;
        let removed = 0;
        for (const [id, event] of events ?? []) {
          if (event.status === 'done' && event.receivedAt < before) {
            events?.delete(id);
            removed += 1;
          }
        }
        return removed;
      }),

    saveCheckpoint: (connectionId, checkpoint) =>
      settleNow(() => {
        write(connectionId).checkpoints.set(checkpoint.jobId, copyCheckpoint(checkpoint));
      }),
    getCheckpoint: (connectionId, jobId) => settleNow(() => copyOrNull(read(connectionId)?.checkpoints.get(jobId), copyCheckpoint)),
  };
}

function copyOrNull<T, R>(value: T | undefined, copy: (value: T) => R): R | null {
  return value === undefined ? null : copy(value);
}
