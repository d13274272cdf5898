/**
 * The store of a dry run: an overlay over the connection's real store. Reads see the real store plus what
 * the dry run itself wrote; writes (links, cursors, retry items, runs, checkpoints) stay in this object's
 * memory and are dropped with it. The real store is only ever read.
 */
import { DEFAULT_ERRORS_PER_RUN, DEFAULT_RUN_LIMIT, LinkConflictError, RunStateError } from '../store/sync-store';
import type { EntityKind, ImportCheckpoint, RecordError, RetryItem, SyncLink, SyncRun, SyncStore } from '../store/sync-store';

/** Options of {@link dryRunStore}. */
export interface DryRunStoreOptions {
  /** Stamps saved links and expires the overlay's own leases. @default () => new Date() */
  clock?: () => Date;
  /** Called after each link the overlay saved, with the link it replaced (`null` for a new one). */
  onLinkSaved?: (saved: SyncLink, previous: SyncLink | null) => void;
}

/** A run the overlay started (or one of the real store's, copied on its first change). */
interface OverlayRun {
  run: Omit<SyncRun, 'recordErrors' | 'recordErrorCount'>;
  recordErrors: RecordError[];
  /** Order of `startRun` calls, to order runs started at the same time (copied runs: 0). */
  sequence: number;
}

/** What the overlay holds for one connection. */
interface Delta {
  lease: { holder: string; expiresAt: number } | undefined;
  cursors: Map<string, string>;
  /** Saved links by kind, indexed by both sides (the same objects in both maps). */
  links: Map<EntityKind, { byInvoicedId: Map<string, SyncLink>; byNetSuiteId: Map<string, SyncLink> }>;
  runs: Map<string, OverlayRun>;
  /** Saved retry items, and `null` for a key deleted by the overlay. */
  retries: Map<string, RetryItem | null>;
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
      data = { lease: undefined, cursors: new Map(), links: new Map(), runs: new Map(), retries: new Map(), checkpoints: new Map() };
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
    return saved !== undefined ? { ...saved } : base.findLinkByInvoicedId(connectionId, kind, invoicedId);
  };
  const findByNetSuiteId = async (connectionId: string, kind: EntityKind, netsuiteId: string): Promise<SyncLink | null> => {
    const saved = connections.get(connectionId)?.links.get(kind)?.byNetSuiteId.get(netsuiteId);
    return saved !== undefined ? { ...saved } : base.findLinkByNetSuiteId(connectionId, kind, netsuiteId);
  };

  /** The overlay's copy of a run, copying the real store's run on its first change. */
  const writableRun = async (connectionId: string, runId: string): Promise<OverlayRun> => {
    const own = connections.get(connectionId)?.runs.get(runId);
    if (own !== undefined) return own;
    const real = await base.getRun(connectionId, runId);
    if (real === null) throw new RunStateError('not_found', runId);
    const { recordErrors, recordErrorCount: _count, ...run } = structuredClone(real);
    const copied: OverlayRun = { run, recordErrors: [...recordErrors], sequence: 0 };
    delta(connectionId).runs.set(runId, copied);
    return copied;
  };

  return {
    acquireLease: (connectionId, holder, ttlMs) =>
      settle(() => {
        const data = delta(connectionId);
        const lease = liveLease(data);
        if (lease !== undefined && lease.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    renewLease: (connectionId, holder, ttlMs) =>
      settle(() => {
        const data = delta(connectionId);
        if (liveLease(data)?.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    releaseLease: (connectionId, holder) =>
      settle(() => {
        const data = connections.get(connectionId);
        if (data?.lease?.holder === holder) data.lease = undefined;
      }),

    getCursor: async (connectionId, phase) => connections.get(connectionId)?.cursors.get(phase) ?? base.getCursor(connectionId, phase),
    setCursor: (connectionId, phase, value) =>
      settle(() => {
        delta(connectionId).cursors.set(phase, value);
      }),

    findLinkByNetSuiteId: findByNetSuiteId,
    findLinkByInvoicedId: findByInvoicedId,
    saveLink: (connectionId, link) => {
      const save = async (): Promise<SyncLink> => {
        const byInvoiced = await findByInvoicedId(connectionId, link.kind, link.invoicedId);
        const byNetSuite = await findByNetSuiteId(connectionId, link.kind, link.netsuiteId);
        if (byInvoiced !== null && byInvoiced.netsuiteId !== link.netsuiteId) throw new LinkConflictError(link.kind, 'invoiced', link.invoicedId);
        if (byNetSuite !== null && byNetSuite.invoicedId !== link.invoicedId) throw new LinkConflictError(link.kind, 'netsuite', link.netsuiteId);
        const saved: SyncLink = {
          kind: link.kind,
          invoicedId: link.invoicedId,
          netsuiteId: link.netsuiteId,
          origin: byInvoiced?.origin ?? link.origin,
          fingerprint: link.fingerprint,
          updatedAt: clock().toISOString(),
        };
        const table = linkTable(connectionId, link.kind);
        table.byInvoicedId.set(saved.invoicedId, saved);
        table.byNetSuiteId.set(saved.netsuiteId, saved);
        options.onLinkSaved?.({ ...saved }, byInvoiced);
        return { ...saved };
      };
      const saving = linkQueue.then(save);
      linkQueue = saving.catch(() => undefined);
      return saving;
    },
    listLinks: async (connectionId, kind) => {
      const own = connections.get(connectionId)?.links.get(kind)?.byInvoicedId;
      const real = await base.listLinks(connectionId, kind);
      if (own === undefined || own.size === 0) return real;
      return [...real.filter((link) => !own.has(link.invoicedId)), ...[...own.values()].map((link) => ({ ...link }))].sort((a, b) =>
        compareInvoicedIds(a.invoicedId, b.invoicedId),
      );
    },

    startRun: async (connectionId, run) => {
      if (connections.get(connectionId)?.runs.has(run.id) === true || (await base.getRun(connectionId, run.id)) !== null) {
        throw new RunStateError('exists', run.id);
      }
      runSequence += 1;
      const started: OverlayRun = {
        run: { id: run.id, trigger: run.trigger, status: 'running', startedAt: run.startedAt, finishedAt: null, counts: {}, error: null },
        recordErrors: [],
        sequence: runSequence,
      };
      delta(connectionId).runs.set(run.id, started);
      return runOf(started);
    },
    addRecordErrors: async (connectionId, runId, errors) => {
      const run = await writableRun(connectionId, runId);
      run.recordErrors.push(...structuredClone(errors));
    },
    finishRun: async (connectionId, runId, outcome) => {
      const stored = await writableRun(connectionId, runId);
      if (stored.run.status !== 'running') throw new RunStateError('finished', runId);
      stored.run = { ...stored.run, status: outcome.status, finishedAt: outcome.finishedAt, counts: { ...outcome.counts }, error: structuredClone(outcome.error) };
      return runOf(stored);
    },
    getRun: async (connectionId, runId) => {
      const own = connections.get(connectionId)?.runs.get(runId);
      return own !== undefined ? runOf(own) : base.getRun(connectionId, runId);
    },
    listRuns: async (connectionId, listOptions) => {
      const limit = Math.max(0, listOptions?.limit ?? DEFAULT_RUN_LIMIT);
      const errorsPerRun = Math.max(0, listOptions?.errorsPerRun ?? DEFAULT_ERRORS_PER_RUN);
      const own = [...(connections.get(connectionId)?.runs.values() ?? [])];
      const real = await base.listRuns(connectionId, { limit: limit + own.length, errorsPerRun });
      if (own.length === 0) return real.slice(0, limit);
      const ownIds = new Set(own.map((stored) => stored.run.id));
      // The real store's runs keep their order; the overlay's come first among runs started at the same time.
      const merged: { run: SyncRun; sequence: number; position: number }[] = [
        ...own.map((stored) => ({ run: runOf(stored, errorsPerRun), sequence: stored.sequence, position: -1 })),
        ...real.filter((run) => !ownIds.has(run.id)).map((run, position) => ({ run, sequence: 0, position })),
      ];
      merged.sort((a, b) => {
        if (a.run.startedAt !== b.run.startedAt) return a.run.startedAt < b.run.startedAt ? 1 : -1;
        if (a.sequence !== b.sequence) return b.sequence - a.sequence;
        return a.position - b.position;
      });
      return merged.slice(0, limit).map((entry) => entry.run);
    },

    saveRetry: (connectionId, item) =>
      settle(() => {
        delta(connectionId).retries.set(item.key, structuredClone(item));
      }),
    getRetry: async (connectionId, key) => {
      const own = connections.get(connectionId)?.retries;
      if (own?.has(key) === true) {
        const item = own.get(key);
        return item === null || item === undefined ? null : structuredClone(item);
      }
      return base.getRetry(connectionId, key);
    },
    listRetries: async (connectionId, listOptions) => {
      const own = connections.get(connectionId)?.retries;
      if (own === undefined || own.size === 0) return base.listRetries(connectionId, listOptions);
      const real = await base.listRetries(connectionId);
      const items = [...real.filter((item) => !own.has(item.key)), ...[...own.values()].flatMap((item) => (item === null ? [] : [structuredClone(item)]))];
      return items.filter((item) => listOptions?.status === undefined || item.status === listOptions.status).sort((a, b) => compareCodePoints(a.key, b.key));
    },
    deleteRetry: (connectionId, key) =>
      settle(() => {
        delta(connectionId).retries.set(key, null);
      }),

    saveCheckpoint: (connectionId, checkpoint) =>
      settle(() => {
        delta(connectionId).checkpoints.set(checkpoint.jobId, structuredClone(checkpoint));
      }),
    getCheckpoint: async (connectionId, jobId) => {
      const own = connections.get(connectionId)?.checkpoints.get(jobId);
      return own !== undefined ? structuredClone(own) : base.getCheckpoint(connectionId, jobId);
    },
  };
}

/** Runs `work` at once and settles a promise with its result, or rejects with what it threw. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(work());
  });
}

/** A copy of a run with its first `errorLimit` record errors (all by default). */
function runOf(stored: OverlayRun, errorLimit = Number.POSITIVE_INFINITY): SyncRun {
  return { ...structuredClone(stored.run), recordErrors: structuredClone(stored.recordErrors.slice(0, errorLimit)), recordErrorCount: stored.recordErrors.length };
}

const DIGITS_ONLY = /^[0-9]+$/;

/** The order of `listLinks`: IDs of digits only first, numerically at any length, then the others; ties in code point order. */
function compareInvoicedIds(a: string, b: string): number {
  const aNumeric = DIGITS_ONLY.test(a);
  const bNumeric = DIGITS_ONLY.test(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric) {
    const aValue = a.replace(/^0+/, '');
    const bValue = b.replace(/^0+/, '');
    if (aValue.length !== bValue.length) return aValue.length - bValue.length;
    if (aValue !== bValue) return aValue < bValue ? -1 : 1;
  }
  return compareCodePoints(a, b);
}

/** Unicode code point order (what `COLLATE "C"` gives on UTF-8). */
function compareCodePoints(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length) {
    const aPoint = a.codePointAt(index) ?? 0;
    const bPoint = b.codePointAt(index) ?? 0;
    if (aPoint !== bPoint) return aPoint - bPoint;
    index += aPoint > 0xffff ? 2 : 1;
  }
  return a.length - index - (b.length - index);
}
