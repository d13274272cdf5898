/**
 * The storage contract of the sync engine. One store serves many connections: every method takes the
 * `connectionId` first, and a call for one connection MUST NOT read or change another connection's data.
 * Times are ISO 8601 UTC strings (`2026-11-24T10:00:00.000Z`), so every store compares them the same way.
 * Credentials never reach the store.
 *
 * Every store package must pass `runStoreConformance()` from `@invoiced/netsuite-sync/testing`.
 */
import { ERROR_CLASS, NetSuiteSyncError } from '../errors';

/** A kind of record the sync links across the two services. */
export type EntityKind = 'customer' | 'invoice' | 'payment' | 'creditNote' | 'refund';
/** One of the two services. */
export type Side = 'netsuite' | 'invoiced';
/** Which way a record flows. */
export type Direction = 'netsuite_to_invoiced' | 'invoiced_to_netsuite';

/** A record known on both sides. */
export interface SyncLink {
  readonly kind: EntityKind;
  /** Invoiced ID, as a string. */
  readonly invoicedId: string;
  /** NetSuite internal ID. */
  readonly netsuiteId: string;
  /** The side the record was first created on. A record is never written back to its origin. */
  readonly origin: Side;
  /** Fingerprint of the content last synced, to skip records seen again unchanged. */
  readonly fingerprint: string | null;
  readonly updatedAt: string;
}

/** Why a run was started. */
export type RunTrigger = 'manual' | 'auto' | 'import' | 'retry' | 'webhook';
/**
 * How a run ended (or `running`). `partial`: it finished but some records failed. `cancelled`: it was
 * stopped (a signal, or its lease lost to another process). `abandoned`: its process stopped without
 * ending it (killed, crashed), and another process closed it once the lease had expired, with a
 * whole-run error saying when and why.
 */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled' | 'abandoned';

/** A failure of one record: what Recent Syncs shows. */
export interface RecordError {
  readonly entity: EntityKind;
  readonly direction: Direction;
  /** ID on the side the record came from. */
  readonly sourceId: string;
  /** What a person recognises: the invoice number, customer name, payment reference. */
  readonly number: string | null;
  readonly code: string;
  readonly message: string;
  readonly resolution: string;
  readonly occurredAt: string;
}

/** A whole-run failure (bad credentials, a service down). */
export interface RunError {
  readonly code: string;
  readonly message: string;
  readonly resolution: string | null;
}

/** One sync run. */
export interface SyncRun {
  readonly id: string;
  readonly trigger: RunTrigger;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** Counters such as `invoices_created`, `payments_skipped`, `records_failed`. */
  readonly counts: Readonly<Record<string, number>>;
  readonly error: RunError | null;
  /**
   * Per-record failures, in the order they happened: all of them from `getRun` and `finishRun`, the first
   * `errorsPerRun` from `listRuns`.
   */
  readonly recordErrors: readonly RecordError[];
  /** How many per-record failures the run has in all, even when `recordErrors` holds only the first ones. */
  readonly recordErrorCount: number;
  /**
   * How many per-record failures the run has of each code, counting all of them (not only those in
   * `recordErrors`), e.g. `{ CUSTOMER_ALREADY_LINKED: 134, DEFAULT_ITEM_REQUIRED: 25 }`; `{}` for a run
   * without record errors. The values add up to `recordErrorCount`. Recent Syncs shows them before the
   * first examples.
   *
   * Optional in this type so that a store written before the field existed still compiles and works:
   * readers fall back to counting the record errors they have (the CLI reads the whole run with `getRun`
   * up to a size). Every store of this project returns it from `startRun`, `getRun`, `finishRun` and
   * `listRuns`, and the conformance suite requires it.
   */
  readonly recordErrorCodes?: Readonly<Record<string, number>>;
}

/** A record that failed and waits to be tried again (or was ignored by a person). */
export interface RetryItem {
  /** `${direction}:${entity}:${sourceId}`: one item per record and direction. */
  readonly key: string;
  readonly entity: EntityKind;
  readonly direction: Direction;
  readonly sourceId: string;
  readonly number: string | null;
  readonly attempts: number;
  readonly lastError: { readonly code: string; readonly message: string; readonly resolution: string };
  /** `pending` is tried on later runs; `ignored` is not, until the record changes or `retry()` is called. */
  readonly status: 'pending' | 'ignored';
  /** Fingerprint of the record when it failed: an ignored record that changes is tried again. */
  readonly fingerprint: string | null;
  readonly updatedAt: string;
}

/** Progress of a long import, saved so a restarted process resumes where it stopped. */
export interface ImportCheckpoint {
  readonly jobId: string;
  readonly kind: 'invoices' | 'customers';
  readonly status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Where to resume: opaque to the store. */
  readonly cursor: string | null;
  readonly processed: number;
  readonly total: number | null;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly updatedAt: string;
}

/**
 * An Invoiced event the webhook handler accepted (or a run read from Invoiced's events list): kept so that
 * a repeated delivery of the same event is refused, and so that the record it names is synced even if the
 * process that accepted it stopped before syncing it.
 */
export interface InboxEvent {
  /** Invoiced's event ID, as a string (digits). */
  readonly id: string;
  /** The event's type, e.g. `payment.created`, `invoice.deleted`. */
  readonly type: string;
  /** The kind of record it names. */
  readonly entity: EntityKind;
  /** The record's Invoiced ID, as a string. */
  readonly sourceId: string;
  /** When Invoiced says the event happened. */
  readonly occurredAt: string;
  /** When it was accepted. */
  readonly receivedAt: string;
  /** `pending` until a run has synced the record; `done` after (kept so that a repeat is refused, until pruned). */
  readonly status: 'pending' | 'done';
}

/** Options of `SyncStore.listRuns`. */
export interface ListRunsOptions {
  /** How many runs, newest first. @default 20 */
  readonly limit?: number;
  /** How many record errors of each run, the first ones. @default 100 */
  readonly errorsPerRun?: number;
  /**
   * Only the runs of this status (`running` finds the runs a dead process left open); `limit` counts the
   * runs that match. @default every status
   */
  readonly status?: RunStatus | undefined;
}

/**
 * The storage of the sync engine.
 *
 * Atomicity: each method is atomic on its own. Idempotency: repeating a write with the same arguments
 * leaves the same state. What MUST NOT happen is said method by method.
 */
export interface SyncStore {
  /**
   * Takes the connection's lease for `holder` until now + `ttlMs`, if it is free, expired, or already
   * held by `holder` (which renews it). Resolves `true` when `holder` holds it afterwards.
   * MUST be atomic across processes: two holders racing MUST NOT both get `true` for one connection.
   */
  acquireLease(connectionId: string, holder: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends a lease `holder` holds; `false` (and no change) if it is not held by `holder` any more.
   * A lease whose ttl has passed is not held any more, even if nobody else took it: the holder must
   * `acquireLease` again.
   */
  renewLease(connectionId: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Releases the lease if `holder` holds it; MUST NOT release another holder's lease. */
  releaseLease(connectionId: string, holder: string): Promise<void>;

  /** The cursor of a phase, or `null` before the phase first completes. */
  getCursor(connectionId: string, phase: string): Promise<string | null>;
  /** Sets the cursor of a phase (the engine calls it only when the phase completed). */
  setCursor(connectionId: string, phase: string, value: string): Promise<void>;

  /** The link of a NetSuite record, if any. */
  findLinkByNetSuiteId(connectionId: string, kind: EntityKind, netsuiteId: string): Promise<SyncLink | null>;
  /** The link of an Invoiced record, if any. */
  findLinkByInvoicedId(connectionId: string, kind: EntityKind, invoicedId: string): Promise<SyncLink | null>;
  /**
   * Saves a link, or updates the fingerprint of the same link. A record has at most one link per kind
   * on each side: saving a link whose NetSuite ID or Invoiced ID is already linked to another record
   * MUST fail with `LinkConflictError` and change nothing. Concurrent saves of the same pair leave one link.
   * `origin` of an existing link is never changed. The store sets `updatedAt` to the time of the save.
   * The error names the side and ID that are already linked (either one when both are).
   */
  saveLink(connectionId: string, link: Omit<SyncLink, 'updatedAt'>): Promise<SyncLink>;
  /**
   * Every link of a kind (for audits and tests), ordered by Invoiced ID: IDs made only of digits come
   * first, in numeric order of any length (never through floating point; `7` and `007` are equal in
   * value and ordered as below), then every other ID; ties and non-numeric IDs in Unicode code point
   * order (what `COLLATE "C"` gives on UTF-8).
   */
  listLinks(connectionId: string, kind: EntityKind): Promise<SyncLink[]>;

  /**
   * Records a new run as `running`, with no counts, no error and no record errors. The ID MUST be new for
   * the connection: starting a run with an ID the connection already has rejects with `RunStateError`
   * (`reason: 'exists'`) and changes nothing.
   */
  startRun(connectionId: string, run: { id: string; trigger: RunTrigger; startedAt: string }): Promise<SyncRun>;
  /**
   * Appends per-record errors to a run, after those already there, all or none. Rejects with
   * `RunStateError` (`reason: 'not_found'`) if the run does not exist.
   */
  addRecordErrors(connectionId: string, runId: string, errors: readonly RecordError[]): Promise<void>;
  /**
   * Ends a run with its status (any but `running`: `succeeded`, `partial`, `failed`, `cancelled`, or
   * `abandoned` when another process closes a run whose process died), counters and whole-run error, and
   * resolves the finished run with its record errors. A finished run MUST NOT be finished again: that call
   * rejects with `RunStateError` (`reason: 'finished'`) and changes nothing, so of a dead run's late
   * `finishRun` and the `abandoned` close, one wins. Rejects with `RunStateError` (`reason: 'not_found'`)
   * if the run does not exist.
   */
  finishRun(
    connectionId: string,
    runId: string,
    outcome: { status: Exclude<RunStatus, 'running'>; finishedAt: string; counts: Record<string, number>; error: RunError | null },
  ): Promise<SyncRun>;
  /** One run with its record errors, or `null`. */
  getRun(connectionId: string, runId: string): Promise<SyncRun | null>;
  /**
   * The most recent runs, newest first: by `startedAt`, then the later started (`startRun` called later)
   * first. At most `limit` runs (default 20), each with its first `errorsPerRun` record errors (default
   * 100; `recordErrorCount` tells how many there are in all, `recordErrorCodes` how many of each code), so
   * that a run with a million failures does not make Recent Syncs heavy. `getRun` returns every record error of one run. With `status`, only the
   * runs of that status, in the same order and with the same limits (the newest `limit` of them):
   * `{ status: 'running' }` is how the engine finds the runs of dead processes to close as `abandoned`.
   */
  listRuns(connectionId: string, options?: ListRunsOptions): Promise<SyncRun[]>;

  /** Creates or replaces the retry item of `item.key`. */
  saveRetry(connectionId: string, item: RetryItem): Promise<void>;
  /** The retry item of a key, or `null`. */
  getRetry(connectionId: string, key: string): Promise<RetryItem | null>;
  /** Retry items, optionally only one status, ordered by key (Unicode code point order). */
  listRetries(connectionId: string, options?: { status?: RetryItem['status'] }): Promise<RetryItem[]>;
  /** Removes a retry item (the record succeeded); removing a missing key is not an error. */
  deleteRetry(connectionId: string, key: string): Promise<void>;

  /**
   * Records an accepted event as `pending`. Resolves `false` and changes nothing when an event with the
   * same ID is already there (pending or done): that is how a repeated delivery is refused.
   */
  addEvent(connectionId: string, event: Omit<InboxEvent, 'status'>): Promise<boolean>;
  /** Pending events, oldest received first (then by ID in Unicode code point order), at most `limit` (default 1000). */
  listPendingEvents(connectionId: string, options?: { limit?: number }): Promise<InboxEvent[]>;
  /** Marks events `done`; IDs not there are ignored. */
  completeEvents(connectionId: string, ids: readonly string[]): Promise<void>;
  /** Removes the `done` events received before `before`; resolves how many were removed. Pending events are kept. */
  pruneEvents(connectionId: string, before: string): Promise<number>;

  /** Creates or replaces an import checkpoint. */
  saveCheckpoint(connectionId: string, checkpoint: ImportCheckpoint): Promise<void>;
  /** An import checkpoint, or `null`. */
  getCheckpoint(connectionId: string, jobId: string): Promise<ImportCheckpoint | null>;
}

/** Saving a link would give a record a second counterpart. */
export class LinkConflictError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'LinkConflictError';
  override name = 'LinkConflictError';
  readonly kind: EntityKind;
  readonly side: Side;
  readonly id: string;

  constructor(kind: EntityKind, side: Side, id: string) {
    super(`The ${side} ${kind} ${id} is already linked to another record.`, {
      code: 'LINK_CONFLICT',
      resolution: 'Two records were matched to the same counterpart. Check for duplicate records on either side, then retry the record.',
    });
    this.kind = kind;
    this.side = side;
    this.id = id;
  }
}

/** Why a run operation was refused: the run does not exist, already exists, or was already finished. */
export type RunStateReason = 'not_found' | 'exists' | 'finished';

/**
 * A store refused a run operation that would break the run's life cycle (start once, finish once). Every
 * store throws this class, so callers can tell it from a database failure.
 */
export class RunStateError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'RunStateError';
  override name = 'RunStateError';
  readonly reason: RunStateReason;
  readonly runId: string;

  constructor(reason: RunStateReason, runId: string) {
    const text: Record<RunStateReason, [string, string, string]> = {
      not_found: [`There is no run ${runId} for this connection.`, 'RUN_NOT_FOUND', 'Start the run with startRun() before recording its errors or finishing it.'],
      exists: [`The connection already has a run ${runId}.`, 'RUN_EXISTS', 'Give every run a new ID (the engine uses random UUIDs).'],
      finished: [`The run ${runId} is already finished.`, 'RUN_FINISHED', 'A run is finished once; start a new run to record another outcome.'],
    };
    const [message, code, resolution] = text[reason];
    super(message, { code, resolution });
    this.reason = reason;
    this.runId = runId;
  }
}

/** Default of `ListRunsOptions.limit`. */
export const DEFAULT_RUN_LIMIT = 20;
/** Default of `ListRunsOptions.errorsPerRun`. */
export const DEFAULT_ERRORS_PER_RUN = 100;
/**
 * How long a `done` inbox event is kept (7 days): a delivery of the same event within it is refused as a
 * repeat. Invoiced retries a delivery for about two days (48 attempts about an hour apart), so a repeat
 * always falls inside; the webhook handler refuses events older than this as stale.
 */
export const EVENT_RETENTION_MS = 7 * 24 * 3_600_000;
