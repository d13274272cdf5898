/**
 * The store of a dry run: an overlay over the connection's real store. Reads see the real store plus what
 * the dry run itself wrote; writes (links, cursors, retry items, runs, inbox events, checkpoints) stay in
 * this object's memory and are dropped with it. The real store is only ever read.
 */
import {
  compareCodePoints,
  compareLinkIds,
  compareRunsNewestFirst,
  copyCheckpoint,
  copyLink,
  copyRecordError,
  copyRetryItem,
  copyRun,
  finishStoredRun,
  linkToSave,
  resolveListRunsOptions,
  settleNow,
  startedRun,
  toStoredRun,
} from '../../store/helpers';
import type { StoredRun } from '../../store/helpers';
import { RunStateError } from '../../store/sync-store';
import { overlayInbox } from './overlay-inbox';
import type { InboxDelta } from './overlay-inbox';
import type { EntityKind, ImportCheckpoint, RetryItem, SyncLink, SyncRun, SyncStore } from '../../store/sync-store';

/** Options of {@link dryRunStore}. */
export interface DryRunStoreOptions {
  /** Stamps saved links and expires the overlay's own leases. @default () => new Date() */
  clock?: () => Date;
  /** Called after each link the overlay saved, with the link it replaced (`null` for a new one). */
  onLinkSaved?: (saved: SyncLink, previous: SyncLink | null) => void;
}

/** What the overlay holds for one connection. */
interface Delta {
  lease: { holder: string; expiresAt: number } | undefined;
  cursors: Map<string, string>;
  /** Saved links by kind, indexed by both sides (the same objects in both maps). */
  links: Map<EntityKind, { byInvoicedId: Map<string, SyncLink>; byNetSuiteId: Map<string, SyncLink> }>;
  /** Runs the overlay started, by order of `startRun` calls, and runs of the real store it changed (`sequence` 0). */
  runs: Map<string, StoredRun>;
  /** Saved retry items, and `null` for a key deleted by the overlay. */
  retries: Map<string, RetryItem | null>;
  /** Inbox events added or changed by the overlay, and `null` for one it pruned (see `overlay-inbox.ts`). */
  events: InboxDelta;
  checkpoints: Map<string, ImportCheckpoint>;
}

/**
 * A {@link SyncStore} that reads through to `base` and keeps every write to itself: what a dry run gives
 * the sync's phases. `base` is never written (not even its leases: the overlay's leases are its own).
 * Links saved here are checked for conflicts against the links of both, as a store must.
 *
 * @example
 * ```ts
 * const overlay = dryRunStore(realStore);
 * await overlay.setCursor('acme', 'netsuite_invoices', new Date().toISOString());
 * await realStore.getCursor('acme', 'netsuite_invoices'); // unchanged
 * ```
 */
export function dryRunStore(base: SyncStore, options: DryRunStoreOptions = {}): SyncStore {
  const clock = options.clock ?? (() => new Date());
  const connections = new Map<string, Delta>();
  let runSequence = 0;
  /** Link saves of the overlay run one after another: a save reads the base store before it decides. */
  let linkQueue: Promise<unknown> = Promise.resolve();

  const delta = (connectionId: string): Delta => {
    let data = connections.get(connectionId);
    if (data === undefined) {
      data = { lease: undefined, cursors: new Map(), links: new Map(), runs: new Map(), retries: new Map(), events: new Map(), checkpoints: new Map() };
      connections.set(connectionId, data);
    }
    return data;
  };
  const linkTable = (connectionId: string, kind: EntityKind) => {
    const links = delta(connectionId).links;
    let table = links.get(kind);
    if (table === undefined) {
      table = { byInvoicedId: new Map(), byNetSuiteId: new Map() };
      links.set(kind, table);
    }
    return table;
  };
  const liveLease = (data: Delta) => (data.lease !== undefined && clock().getTime() < data.lease.expiresAt ? data.lease : undefined);

  const findByInvoicedId = async (connectionId: string, kind: EntityKind, invoicedId: string): Promise<SyncLink | null> => {
    const saved = connections.get(connectionId)?.links.get(kind)?.byInvoicedId.get(invoicedId);
    return saved !== undefined ? copyLink(saved) : base.findLinkByInvoicedId(connectionId, kind, invoicedId);
  };
  const findByNetSuiteId = async (connectionId: string, kind: EntityKind, netsuiteId: string): Promise<SyncLink | null> => {
    const saved = connections.get(connectionId)?.links.get(kind)?.byNetSuiteId.get(netsuiteId);
    return saved !== undefined ? copyLink(saved) : base.findLinkByNetSuiteId(connectionId, kind, netsuiteId);
  };

  /** The overlay's copy of a run, copying the real store's run on its first change. */
  const writableRun = async (connectionId: string, runId: string): Promise<StoredRun> => {
    const own = connections.get(connectionId)?.runs.get(runId);
    if (own !== undefined) return own;
    const real = await base.getRun(connectionId, runId);
    if (real === null) throw new RunStateError('not_found', runId);
    const copied = toStoredRun(real, 0);
    delta(connectionId).runs.set(runId, copied);
    return copied;
  };

  return {
    acquireLease: (connectionId, holder, ttlMs) =>
      settleNow(() => {
        const data = delta(connectionId);
        const lease = liveLease(data);
        if (lease !== undefined && lease.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    renewLease: (connectionId, holder, ttlMs) =>
      settleNow(() => {
        const data = delta(connectionId);
        if (liveLease(data)?.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    releaseLease: (connectionId, holder) =>
      settleNow(() => {
        const data = connections.get(connectionId);
        if (data?.lease?.holder === holder) data.lease = undefined;
      }),

    getCursor: async (connectionId, phase) => connections.get(connectionId)?.cursors.get(phase) ?? base.getCursor(connectionId, phase),
    setCursor: (connectionId, phase, value) =>
      settleNow(() => {
        delta(connectionId).cursors.set(phase, value);
      }),

    findLinkByNetSuiteId: findByNetSuiteId,
    findLinkByInvoicedId: findByInvoicedId,
    saveLink: (connectionId, link) => {
      const save = async (): Promise<SyncLink> => {
        const byInvoiced = await findByInvoicedId(connectionId, link.kind, link.invoicedId);
        const byNetSuite = await findByNetSuiteId(connectionId, link.kind, link.netsuiteId);
        const saved = linkToSave(link, { byInvoicedId: byInvoiced, byNetSuiteId: byNetSuite }, clock);
        const table = linkTable(connectionId, link.kind);
        table.byInvoicedId.set(saved.invoicedId, saved);
        table.byNetSuiteId.set(saved.netsuiteId, saved);
        options.onLinkSaved?.(copyLink(saved), byInvoiced);
        return copyLink(saved);
      };
      const saving = linkQueue.then(save);
      linkQueue = saving.catch(() => undefined);
      return saving;
    },
    listLinks: async (connectionId, kind) => {
      const own = connections.get(connectionId)?.links.get(kind)?.byInvoicedId;
      const real = await base.listLinks(connectionId, kind);
      if (own === undefined || own.size === 0) return real;
      return [...real.filter((link) => !own.has(link.invoicedId)), ...[...own.values()].map(copyLink)].sort((a, b) => compareLinkIds(a.invoicedId, b.invoicedId));
    },

    startRun: async (connectionId, run) => {
      if (connections.get(connectionId)?.runs.has(run.id) === true || (await base.getRun(connectionId, run.id)) !== null) {
        throw new RunStateError('exists', run.id);
      }
      runSequence += 1;
      const started = startedRun(run, runSequence);
      delta(connectionId).runs.set(run.id, started);
      return copyRun(started);
    },
    addRecordErrors: async (connectionId, runId, errors) => {
      const run = await writableRun(connectionId, runId);
      run.recordErrors.push(...errors.map(copyRecordError));
    },
    finishRun: async (connectionId, runId, outcome) => {
      const stored = await writableRun(connectionId, runId);
      finishStoredRun(stored, outcome);
      return copyRun(stored);
    },
    getRun: async (connectionId, runId) => {
      const own = connections.get(connectionId)?.runs.get(runId);
      return own !== undefined ? copyRun(own) : base.getRun(connectionId, runId);
    },
    listRuns: async (connectionId, listOptions) => {
      const { limit, errorsPerRun, status } = resolveListRunsOptions(listOptions);
      const own = [...(connections.get(connectionId)?.runs.values() ?? [])];
      // Asking the real store for `own.length` more runs makes up for its runs the overlay replaces.
      const real = await base.listRuns(connectionId, { limit: limit + own.length, errorsPerRun, ...(status === undefined ? {} : { status }) });
      if (own.length === 0) return real.slice(0, limit);
      // The overlay's copy of a real run replaces it, whether or not the copy still has the status asked for.
      const ownIds = new Set(own.map((stored) => stored.run.id));
      // The real store's runs keep their order; the overlay's come first among runs started at the same time.
      const merged: { run: SyncRun; sequence: number; position: number }[] = [
        ...own.filter((stored) => status === undefined || stored.run.status === status).map((stored) => ({ run: copyRun(stored, errorsPerRun), sequence: stored.sequence, position: -1 })),
        ...real.filter((run) => !ownIds.has(run.id)).map((run, position) => ({ run, sequence: 0, position })),
      ];
      merged.sort((a, b) => {
        const order = compareRunsNewestFirst(a, b);
        return order !== 0 ? order : a.position - b.position;
      });
      return merged.slice(0, limit).map((entry) => entry.run);
    },

    saveRetry: (connectionId, item) =>
      settleNow(() => {
        delta(connectionId).retries.set(item.key, copyRetryItem(item));
      }),
    getRetry: async (connectionId, key) => {
      const own = connections.get(connectionId)?.retries;
      if (own?.has(key) === true) {
        const item = own.get(key);
        return item === null || item === undefined ? null : copyRetryItem(item);
      }
      return base.getRetry(connectionId, key);
    },
    listRetries: async (connectionId, listOptions) => {
      const own = connections.get(connectionId)?.retries;
      if (own === undefined || own.size === 0) return base.listRetries(connectionId, listOptions);
      const real = await base.listRetries(connectionId);
      const items = [...real.filter((item) => !own.has(item.key)), ...[...own.values()].flatMap((item) => (item === null ? [] : [copyRetryItem(item)]))];
      return items.filter((item) => listOptions?.status === undefined || item.status === listOptions.status).sort((a, b) => compareCodePoints(a.key, b.key));
    },
    deleteRetry: (connectionId, key) =>
      settleNow(() => {
        delta(connectionId).retries.set(key, null);
      }),

    ...overlayInbox(
      base,
      (connectionId) => delta(connectionId).events,
      (connectionId) => connections.get(connectionId)?.events,
    ),

    saveCheckpoint: (connectionId, checkpoint) =>
      settleNow(() => {
        delta(connectionId).checkpoints.set(checkpoint.jobId, copyCheckpoint(checkpoint));
      }),
    getCheckpoint: async (connectionId, jobId) => {
      const own = connections.get(connectionId)?.checkpoints.get(jobId);
      return own !== undefined ? copyCheckpoint(own) : base.getCheckpoint(connectionId, jobId);
    },
  };
}
