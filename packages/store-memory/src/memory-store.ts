import { DEFAULT_ERRORS_PER_RUN, DEFAULT_RUN_LIMIT, LinkConflictError, RunStateError } from '@invoiced/netsuite-sync';
import type {
  EntityKind,
  ImportCheckpoint,
  RecordError,
  RetryItem,
  RunError,
  SyncLink,
  SyncRun,
  SyncStore,
} from '@invoiced/netsuite-sync';

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

/** The links of one kind, indexed by both sides (the same objects in both maps). */
interface LinkTable {
  byInvoicedId: Map<string, SyncLink>;
  byNetSuiteId: Map<string, SyncLink>;
}

interface StoredRun {
  /** The run without its record errors, which grow separately. */
  run: Omit<SyncRun, 'recordErrors' | 'recordErrorCount'>;
  recordErrors: RecordError[];
  /** Order of `startRun` calls, to order runs started at the same time. */
  sequence: number;
}

/** Everything stored for one connection. */
interface ConnectionData {
  lease: Lease | undefined;
  cursors: Map<string, string>;
  links: Map<EntityKind, LinkTable>;
  runs: Map<string, StoredRun>;
  retries: Map<string, RetryItem>;
  checkpoints: Map<string, ImportCheckpoint>;
}


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
      data = { lease: undefined, cursors: new Map(), links: new Map(), runs: new Map(), retries: new Map(), checkpoints: new Map() };
      connections.set(connectionId, data);
    }
    return data;
  };
  const linkTable = (data: ConnectionData, kind: EntityKind): LinkTable => {
    let table = data.links.get(kind);
    if (table === undefined) {
      table = { byInvoicedId: new Map(), byNetSuiteId: new Map() };
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
      settle(() => {
        const data = write(connectionId);
        const lease = liveLease(data);
        if (lease !== undefined && lease.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    renewLease: (connectionId, holder, ttlMs) =>
      settle(() => {
        const data = read(connectionId);
        const lease = liveLease(data);
        if (data === undefined || lease?.holder !== holder) return false;
        data.lease = { holder, expiresAt: clock().getTime() + ttlMs };
        return true;
      }),
    releaseLease: (connectionId, holder) =>
      settle(() => {
        const data = read(connectionId);
        if (data?.lease?.holder === holder) data.lease = undefined;
      }),

    getCursor: (connectionId, phase) => settle(() => read(connectionId)?.cursors.get(phase) ?? null),
    setCursor: (connectionId, phase, value) =>
      settle(() => {
        write(connectionId).cursors.set(phase, value);
      }),

    findLinkByNetSuiteId: (connectionId, kind, netsuiteId) =>
      settle(() => copyOrNull(read(connectionId)?.links.get(kind)?.byNetSuiteId.get(netsuiteId), copyLink)),
    findLinkByInvoicedId: (connectionId, kind, invoicedId) =>
      settle(() => copyOrNull(read(connectionId)?.links.get(kind)?.byInvoicedId.get(invoicedId), copyLink)),
    saveLink: (connectionId, link) =>
      settle(() => {
        const existing = read(connectionId)?.links.get(link.kind);
        const byInvoiced = existing?.byInvoicedId.get(link.invoicedId);
        const byNetSuite = existing?.byNetSuiteId.get(link.netsuiteId);
        if (byInvoiced !== undefined && byInvoiced.netsuiteId !== link.netsuiteId) {
          throw new LinkConflictError(link.kind, 'invoiced', link.invoicedId);
        }
        if (byNetSuite !== undefined && byNetSuite.invoicedId !== link.invoicedId) {
          throw new LinkConflictError(link.kind, 'netsuite', link.netsuiteId);
        }
        const saved: SyncLink = copyLink({
          kind: link.kind,
          invoicedId: link.invoicedId,
          netsuiteId: link.netsuiteId,
          origin: byInvoiced?.origin ?? link.origin,
          fingerprint: link.fingerprint,
          updatedAt: clock().toISOString(),
        });
        const table = linkTable(write(connectionId), link.kind);
        table.byInvoicedId.set(saved.invoicedId, saved);
        table.byNetSuiteId.set(saved.netsuiteId, saved);
        return copyLink(saved);
      }),
    listLinks: (connectionId, kind) =>
      settle(() =>
        [...(read(connectionId)?.links.get(kind)?.byInvoicedId.values() ?? [])]
          .sort((a, b) => compareInvoicedIds(a.invoicedId, b.invoicedId))
          .map(copyLink),
      ),

    startRun: (connectionId, run) =>
      settle(() => {
        const data = write(connectionId);
        if (data.runs.has(run.id)) {
          throw new RunStateError('exists', run.id);
        }
        runSequence += 1;
        const stored: StoredRun = {
          run: { id: run.id, trigger: run.trigger, status: 'running', startedAt: run.startedAt, finishedAt: null, counts: {}, error: null },
          recordErrors: [],
          sequence: runSequence,
        };
        data.runs.set(run.id, stored);
        return copyRun(stored);
      }),
    addRecordErrors: (connectionId, runId, errors) =>
      settle(() => {
        const stored = storedRun(connectionId, runId);
        stored.recordErrors.push(...errors.map(copyRecordError));
      }),
    finishRun: (connectionId, runId, outcome) =>
      settle(() => {
        const stored = storedRun(connectionId, runId);
        if (stored.run.status !== 'running') {
          throw new RunStateError('finished', runId);
        }
        stored.run = {
          ...stored.run,
          status: outcome.status,
          finishedAt: outcome.finishedAt,
          counts: { ...outcome.counts },
          error: copyRunError(outcome.error),
        };
        return copyRun(stored);
      }),
    getRun: (connectionId, runId) => settle(() => copyOrNull(read(connectionId)?.runs.get(runId), (stored) => copyRun(stored))),
    listRuns: (connectionId, listOptions) =>
      settle(() =>
        [...(read(connectionId)?.runs.values() ?? [])]
          .sort((a, b) => (a.run.startedAt === b.run.startedAt ? b.sequence - a.sequence : a.run.startedAt < b.run.startedAt ? 1 : -1))
          .slice(0, Math.max(0, listOptions?.limit ?? DEFAULT_RUN_LIMIT))
          .map((stored) => copyRun(stored, Math.max(0, listOptions?.errorsPerRun ?? DEFAULT_ERRORS_PER_RUN))),
      ),

    saveRetry: (connectionId, item) =>
      settle(() => {
        write(connectionId).retries.set(item.key, copyRetry(item));
      }),
    getRetry: (connectionId, key) => settle(() => copyOrNull(read(connectionId)?.retries.get(key), copyRetry)),
    listRetries: (connectionId, listOptions) =>
      settle(() =>
        [...(read(connectionId)?.retries.values() ?? [])]
          .filter((item) => listOptions?.status === undefined || item.status === listOptions.status)
          .sort((a, b) => compareCodePoints(a.key, b.key))
          .map(copyRetry),
      ),
    deleteRetry: (connectionId, key) =>
      settle(() => {
        read(connectionId)?.retries.delete(key);
      }),

    saveCheckpoint: (connectionId, checkpoint) =>
      settle(() => {
        write(connectionId).checkpoints.set(checkpoint.jobId, copyCheckpoint(checkpoint));
      }),
    getCheckpoint: (connectionId, jobId) => settle(() => copyOrNull(read(connectionId)?.checkpoints.get(jobId), copyCheckpoint)),
  };
}

/**
 * Runs `work` synchronously (so no other call can interleave with it) and settles a promise with its
 * result, or rejects with what it threw.
 */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(work());
  });
}

function copyOrNull<T, R>(value: T | undefined, copy: (value: T) => R): R | null {
  return value === undefined ? null : copy(value);
}

function copyLink(link: SyncLink): SyncLink {
  const { kind, invoicedId, netsuiteId, origin, fingerprint, updatedAt } = link;
  return { kind, invoicedId, netsuiteId, origin, fingerprint, updatedAt };
}

function copyRecordError(error: RecordError): RecordError {
  const { entity, direction, sourceId, number, code, message, resolution, occurredAt } = error;
  return { entity, direction, sourceId, number, code, message, resolution, occurredAt };
}

function copyRunError(error: RunError | null): RunError | null {
  return error === null ? null : { code: error.code, message: error.message, resolution: error.resolution };
}

/** A copy of a run with its first `errorLimit` record errors (all by default). */
function copyRun(stored: StoredRun, errorLimit = Infinity): SyncRun {
  const { id, trigger, status, startedAt, finishedAt, counts, error } = stored.run;
  return {
    id,
    trigger,
    status,
    startedAt,
    finishedAt,
    counts: { ...counts },
    error: copyRunError(error),
    recordErrors: stored.recordErrors.slice(0, errorLimit).map(copyRecordError),
    recordErrorCount: stored.recordErrors.length,
  };
}

function copyRetry(item: RetryItem): RetryItem {
  const { key, entity, direction, sourceId, number, attempts, lastError, status, fingerprint, updatedAt } = item;
  const error = { code: lastError.code, message: lastError.message, resolution: lastError.resolution };
  return { key, entity, direction, sourceId, number, attempts, lastError: error, status, fingerprint, updatedAt };
}

function copyCheckpoint(checkpoint: ImportCheckpoint): ImportCheckpoint {
  const { jobId, kind, status, cursor, processed, total, result, updatedAt } = checkpoint;
  return { jobId, kind, status, cursor, processed, total, result: result === null ? null : structuredClone(result), updatedAt };
}

const DIGITS_ONLY = /^[0-9]+$/;

/**
 * The order of `listLinks`: IDs of digits only first, numerically (at any length, without floating
 * point), then the others; ties and the others in code point order.
 */
function compareInvoicedIds(a: string, b: string): number {
  const aNumeric = DIGITS_ONLY.test(a);
  const bNumeric = DIGITS_ONLY.test(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric) {
    const aValue = a.replace(/^0+/, '');
    const bValue = b.replace(/^0+/, '');
    // Without leading zeros, a longer digit string is a larger number; at equal length, compare digits.
    if (aValue.length !== bValue.length) return aValue.length - bValue.length;
    if (aValue !== bValue) return aValue < bValue ? -1 : 1;
  }
  return compareCodePoints(a, b);
}

/** Unicode code point order (what `COLLATE "C"` gives on UTF-8); `<` on strings compares UTF-16 units instead. */
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
