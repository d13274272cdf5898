/**
 * The rules of the {@link SyncStore} contract as plain functions, for stores written in TypeScript: the
 * orders of `listLinks`, `listRetries` and `listRuns`, the defaults of `ListRunsOptions`, the conflict rule
 * of `saveLink`, the life cycle of a run, and copies of the contract's values (a store hands out copies, so
 * callers cannot change what it holds). The memory store and the dry run's overlay store both build on them.
 */
import { DEFAULT_ERRORS_PER_RUN, DEFAULT_RUN_LIMIT, LinkConflictError, RunStateError } from './sync-store';
import type { ImportCheckpoint, InboxEvent, ListRunsOptions, RecordError, RetryItem, RunError, RunStatus, SyncLink, SyncRun, SyncStore } from './sync-store';

/**
 * Compares two strings in Unicode code point order (what `COLLATE "C"` gives on UTF-8): the order of
 * `listRetries` keys, and of the IDs `compareLinkIds` does not order by value. `<` on strings compares
 * UTF-16 code units instead, which puts characters above U+FFFF before U+E000-U+FFFF.
 *
 * @returns A negative number when `a` comes first, a positive one when `b` does, `0` when they are equal.
 * @example
 * ```ts
 * ['b', 'a', 'B'].sort(compareCodePoints); // ['B', 'a', 'b']
 * compareCodePoints('\u{1F600}', '\uFFFD') > 0; // true ('<' says the opposite)
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length) {
    const aPoint = a.codePointAt(index) ?? 0;
    const bPoint = b.codePointAt(index) ?? 0;
    if (aPoint !== bPoint) return aPoint - bPoint;
    index += aPoint > 0xffff ? 2 : 1;
  }
  // One is a prefix of the other (or they are equal): the shorter comes first.
  return a.length - b.length;
}

const DIGITS_ONLY = /^[0-9]+$/;

/**
 * Compares two Invoiced IDs in the order of `listLinks`: IDs made only of digits first, by numeric value at
 * any length (never through floating point), then every other ID; ties (`7` and `007`) and the other IDs
 * in code point order ({@link compareCodePoints}).
 *
 * @example
 * ```ts
 * declare const links: SyncLink[];
 * ['10', 'abc', '9', '007', '7'].sort(compareLinkIds); // ['007', '7', '9', '10', 'abc']
 * links.sort((a, b) => compareLinkIds(a.invoicedId, b.invoicedId));
 * ```
 */
export function compareLinkIds(a: string, b: string): number {
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

/** What {@link compareRunsNewestFirst} orders by: a run's start time and the order its `startRun` was called in. */
export interface RunOrderKey {
  readonly run: { readonly startedAt: string };
  /** Grows with each `startRun` call: of two runs started at the same time, the larger one is newer. */
  readonly sequence: number;
}

/**
 * Compares two runs in the order of `listRuns`: newest first, by `startedAt`, then the later started
 * (larger `sequence`) first.
 *
 * @example
 * ```ts
 * declare const runs: Map<string, StoredRun>;
 * const newest = [...runs.values()].sort(compareRunsNewestFirst).slice(0, 20);
 * ```
 */
export function compareRunsNewestFirst(a: RunOrderKey, b: RunOrderKey): number {
  if (a.run.startedAt !== b.run.startedAt) return a.run.startedAt < b.run.startedAt ? 1 : -1;
  return b.sequence - a.sequence;
}

/**
 * The options of `listRuns` with their defaults ({@link DEFAULT_RUN_LIMIT} runs,
 * {@link DEFAULT_ERRORS_PER_RUN} record errors each, every status); negative numbers count as 0. Filter
 * by `status` before counting `limit` runs.
 *
 * @example
 * ```ts
 * resolveListRunsOptions(undefined); // { limit: 20, errorsPerRun: 100, status: undefined }
 * resolveListRunsOptions({ limit: -1, status: 'running' }); // { limit: 0, errorsPerRun: 100, status: 'running' }
 * ```
 */
export function resolveListRunsOptions(options: ListRunsOptions | undefined): { limit: number; errorsPerRun: number; status: RunStatus | undefined } {
  return {
    limit: Math.max(0, options?.limit ?? DEFAULT_RUN_LIMIT),
    errorsPerRun: Math.max(0, options?.errorsPerRun ?? DEFAULT_ERRORS_PER_RUN),
    status: options?.status,
  };
}

/**
 * The link `saveLink` stores, given the links that already hold its Invoiced ID and its NetSuite ID
 * (`null` or `undefined` for none): a new object stamped with `now()`, keeping the `origin` of the link it
 * updates. Throws `LinkConflictError` when either ID is linked to another record (naming the Invoiced side
 * when both are), before reading the clock.
 *
 * @example
 * ```ts
 * declare const byInvoicedId: Map<string, SyncLink>;
 * declare const byNetSuiteId: Map<string, SyncLink>;
 * const link = { kind: 'invoice', invoicedId: '42', netsuiteId: '1042', origin: 'netsuite', fingerprint: null } as const;
 * const saved = linkToSave(link, { byInvoicedId: byInvoicedId.get('42'), byNetSuiteId: byNetSuiteId.get('1042') }, () => new Date());
 * byInvoicedId.set(saved.invoicedId, saved); // throws before this when either ID is linked to another record
 * ```
 */
export function linkToSave(
  link: Omit<SyncLink, 'updatedAt'>,
  linked: { readonly byInvoicedId: SyncLink | null | undefined; readonly byNetSuiteId: SyncLink | null | undefined },
  now: () => Date,
): SyncLink {
  const byInvoicedId = linked.byInvoicedId ?? null;
  const byNetSuiteId = linked.byNetSuiteId ?? null;
  if (byInvoicedId !== null && byInvoicedId.netsuiteId !== link.netsuiteId) throw new LinkConflictError(link.kind, 'invoiced', link.invoicedId);
  if (byNetSuiteId !== null && byNetSuiteId.invoicedId !== link.invoicedId) throw new LinkConflictError(link.kind, 'netsuite', link.netsuiteId);
  return {
    kind: link.kind,
    invoicedId: link.invoicedId,
    netsuiteId: link.netsuiteId,
    origin: byInvoicedId?.origin ?? link.origin,
    fingerprint: link.fingerprint,
    updatedAt: now().toISOString(),
  };
}

/** A run as a store can keep it: its fields apart from its record errors (which grow on their own). */
export interface StoredRun extends RunOrderKey {
  run: Omit<SyncRun, 'recordErrors' | 'recordErrorCount' | 'recordErrorCodes'>;
  recordErrors: RecordError[];
}

/** The outcome `SyncStore.finishRun` takes. */
export type RunOutcome = Parameters<SyncStore['finishRun']>[2];

/**
 * A run that `startRun` records: `running`, with no counts, no error and no record errors.
 *
 * @example
 * ```ts
 * declare const runs: Map<string, StoredRun>;
 * runs.set('run-1', startedRun({ id: 'run-1', trigger: 'manual', startedAt: new Date().toISOString() }, runs.size + 1));
 * ```
 */
export function startedRun(start: Parameters<SyncStore['startRun']>[1], sequence: number): StoredRun {
  return {
    run: { id: start.id, trigger: start.trigger, status: 'running', startedAt: start.startedAt, finishedAt: null, counts: {}, error: null },
    recordErrors: [],
    sequence,
  };
}

/**
 * A stored copy of a run another store returned (its record errors apart), e.g. to change it without
 * changing the original.
 *
 * @example
 * ```ts
 * declare const runs: Map<string, StoredRun>;
 * const original = await realStore.getRun(connectionId, 'run-1');
 * if (original !== null) runs.set(original.id, toStoredRun(original, 0));
 * ```
 */
export function toStoredRun(run: SyncRun, sequence: number): StoredRun {
  const { recordErrors, recordErrorCount: _count, recordErrorCodes: _codes, ...fields } = copyRun({ run, recordErrors: run.recordErrors });
  return { run: fields, recordErrors: [...recordErrors], sequence };
}

/**
 * Finishes a stored run with `outcome` (copied), as `finishRun` does; throws `RunStateError`
 * (`reason: 'finished'`) and changes nothing when the run is not running any more.
 *
 * @example
 * ```ts
 * declare const stored: StoredRun;
 * finishStoredRun(stored, { status: 'succeeded', finishedAt: new Date().toISOString(), counts: { invoices_created: 2 }, error: null });
 * const finished = copyRun(stored); // what finishRun resolves
 * ```
 */
export function finishStoredRun(stored: StoredRun, outcome: RunOutcome): void {
  if (stored.run.status !== 'running') throw new RunStateError('finished', stored.run.id);
  stored.run = { ...stored.run, status: outcome.status, finishedAt: outcome.finishedAt, counts: { ...outcome.counts }, error: copyRunError(outcome.error) };
}

/** A run's fields and its record errors: a {@link StoredRun}, or a whole `SyncRun` as `{ run, recordErrors }`. */
export interface RunWithErrors {
  readonly run: Omit<SyncRun, 'recordErrors' | 'recordErrorCount' | 'recordErrorCodes'>;
  readonly recordErrors: readonly RecordError[];
}

/**
 * A copy of a stored run as the contract's `SyncRun`, with its first `errorLimit` record errors (all by
 * default), the count of all of them, and the count of all of them by code.
 *
 * @example
 * ```ts
 * declare const stored: StoredRun;
 * copyRun(stored); // what getRun returns
 * copyRun(stored, resolveListRunsOptions({ errorsPerRun: 10 }).errorsPerRun); // one run of listRuns
 * ```
 */
export function copyRun(stored: RunWithErrors, errorLimit = Number.POSITIVE_INFINITY): SyncRun {
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
    recordErrorCodes: countRecordErrorCodes(stored.recordErrors),
  };
}

/**
 * The record errors counted by code: what `SyncRun.recordErrorCodes` holds. The object is built with
 * `Object.fromEntries`, so any code is an own property, `__proto__` and `constructor` included.
 *
 * @example
 * ```ts
 * declare const errors: RecordError[];
 * countRecordErrorCodes(errors); // { CUSTOMER_ALREADY_LINKED: 134, DEFAULT_ITEM_REQUIRED: 25 }
 * countRecordErrorCodes([]); // {}
 * ```
 */
export function countRecordErrorCodes(errors: readonly Pick<RecordError, 'code'>[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const error of errors) counts.set(error.code, (counts.get(error.code) ?? 0) + 1);
  return Object.fromEntries(counts);
}

/**
 * A copy of a link with exactly the contract's properties (others are dropped).
 *
 * @example
 * ```ts
 * declare const byInvoicedId: Map<string, SyncLink>;
 * const found = byInvoicedId.get('42');
 * const link = found === undefined ? null : copyLink(found);
 * ```
 */
export function copyLink(link: SyncLink): SyncLink {
  const { kind, invoicedId, netsuiteId, origin, fingerprint, updatedAt } = link;
  return { kind, invoicedId, netsuiteId, origin, fingerprint, updatedAt };
}

/**
 * A copy of a record error with exactly the contract's properties.
 *
 * @example
 * ```ts
 * declare const errors: RecordError[];
 * const copies = errors.map(copyRecordError);
 * ```
 */
export function copyRecordError(error: RecordError): RecordError {
  const { entity, direction, sourceId, number, code, message, resolution, occurredAt } = error;
  return { entity, direction, sourceId, number, code, message, resolution, occurredAt };
}

/** A copy of a run's whole-run error (or `null`). @example `copyRunError({ code: 'X', message: 'm', resolution: null })` */
export function copyRunError(error: RunError | null): RunError | null {
  return error === null ? null : { code: error.code, message: error.message, resolution: error.resolution };
}

/**
 * A copy of a retry item with exactly the contract's properties.
 *
 * @example
 * ```ts
 * declare const retries: Map<string, RetryItem>;
 * declare const item: RetryItem;
 * retries.set(item.key, copyRetryItem(item));
 * ```
 */
export function copyRetryItem(item: RetryItem): RetryItem {
  const { key, entity, direction, sourceId, number, attempts, lastError, status, fingerprint, updatedAt } = item;
  const error = { code: lastError.code, message: lastError.message, resolution: lastError.resolution };
  return { key, entity, direction, sourceId, number, attempts, lastError: error, status, fingerprint, updatedAt };
}

/**
 * A copy of an inbox event with exactly the contract's properties.
 * @example const kept = copyInboxEvent({ id: '7', type: 'invoice.deleted', entity: 'invoice', sourceId: '42', occurredAt: '2026-12-05T10:00:00.000Z', receivedAt: '2026-12-05T10:00:01.000Z', status: 'pending' });
 */
export function copyInboxEvent(event: InboxEvent): InboxEvent {
  const { id, type, entity, sourceId, occurredAt, receivedAt, status } = event;
  return { id, type, entity, sourceId, occurredAt, receivedAt, status };
}

/**
 * The order of `SyncStore.listPendingEvents`: oldest received first (ISO times compare as text), then by
 * ID in Unicode code point order. Stores sort with it after reading, as no SQL collation gives it for
 * every ID.
 * @example
 * ```ts
 * declare const pending: InboxEvent[];
 * pending.sort(compareInboxEvents);
 * ```
 */
export function compareInboxEvents(a: InboxEvent, b: InboxEvent): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? -1 : 1;
  return compareCodePoints(a.id, b.id);
}

/**
 * A copy of an import checkpoint, its `result` deeply copied.
 *
 * @example
 * ```ts
 * declare const checkpoints: Map<string, ImportCheckpoint>;
 * declare const checkpoint: ImportCheckpoint;
 * checkpoints.set(checkpoint.jobId, copyCheckpoint(checkpoint));
 * ```
 */
export function copyCheckpoint(checkpoint: ImportCheckpoint): ImportCheckpoint {
  const { jobId, kind, status, cursor, processed, total, result, updatedAt } = checkpoint;
  return { jobId, kind, status, cursor, processed, total, result: result === null ? null : structuredClone(result), updatedAt };
}

/**
 * Runs `work` at once, synchronously (so no other call can interleave with it), and settles a promise with
 * its result, or rejects it with what `work` threw: a store method whose reads and writes happen in one
 * step is atomic.
 *
 * @example
 * ```ts
 * const cursors = new Map<string, string>();
 * const setCursor = (phase: string, value: string): Promise<void> =>
 *   settleNow(() => {
 *     cursors.set(phase, value);
 *   });
 * ```
 */
export function settleNow<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(work());
  });
}
