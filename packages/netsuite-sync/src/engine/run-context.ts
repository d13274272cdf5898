import { NetSuiteSyncError } from '../errors';
import { failureKindOf, type FailureKind, type Logger } from '../internal/transport';
import type { Direction, EntityKind, RecordError, RetryItem, SyncStore } from '../store/sync-store';

/** What the engine reports while it works. */
export type SyncEvent =
  | { type: 'run_started'; runId: string; trigger: string }
  | { type: 'phase_started'; runId: string; phase: string }
  | { type: 'phase_finished'; runId: string; phase: string; counts: Readonly<Record<string, number>> }
  | { type: 'record_synced'; runId: string; entity: EntityKind; direction: Direction; sourceId: string; targetId: string; action: 'created' | 'updated' | 'linked' }
  | { type: 'record_skipped'; runId: string; entity: EntityKind; direction: Direction; sourceId: string; reason: string }
  | { type: 'record_failed'; runId: string; error: RecordError }
  | { type: 'run_finished'; runId: string; status: string; counts: Readonly<Record<string, number>> };

/** The failure kinds that mean a service or the credentials are unusable: they end the run. */
const WHOLE_RUN_KINDS: ReadonlySet<FailureKind> = new Set(['authentication', 'permission', 'rate_limit', 'server', 'timeout', 'connection']);

/**
 * Whether an error should end the whole run rather than fail one record: the clients tag each error
 * with the kind of failure it was, after their own retries.
 */
export function isWholeRunFailure(error: unknown): boolean {
  const kind = failureKindOf(error);
  return kind !== undefined && WHOLE_RUN_KINDS.has(kind);
}

/** The per-record error of an exception: its code, a secret-free message and a resolution. */
export function describeRecordFailure(error: unknown): { code: string; message: string; resolution: string } {
  if (error instanceof NetSuiteSyncError) {
    return { code: error.code, message: error.message, resolution: error.resolution ?? 'Correct the record as the message says, then retry it.' };
  }
  const candidate = error as { code?: unknown; message?: unknown; resolution?: unknown };
  if (error instanceof Error && typeof candidate.code === 'string') {
    return {
      code: candidate.code,
      message: error.message,
      resolution: typeof candidate.resolution === 'string' ? candidate.resolution : 'Correct the record as the message says, then retry it.',
    };
  }
  return {
    code: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? error.message : String(error),
    resolution: 'This looks like a bug in the sync; report it with the run ID.',
  };
}

/** The retry queue key of a record in one direction. */
export function retryKey(direction: Direction, entity: EntityKind, sourceId: string): string {
  return `${direction}:${entity}:${sourceId}`;
}

/** The state of one run: counters, failures, events. */
export class RunContext {
  readonly counts: Record<string, number> = {};
  readonly #pendingErrors: RecordError[] = [];
  #failedRecords = 0;
  readonly #failedKeys = new Set<string>();

  constructor(
    readonly runId: string,
    readonly connectionId: string,
    readonly store: SyncStore,
    readonly signal: AbortSignal | undefined,
    readonly now: () => Date,
    readonly emit: (event: SyncEvent) => void,
    readonly logger: Logger | undefined,
  ) {}

  /** Adds to a counter. */
  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }

  /** Records that failed in this run. */
  get failedRecords(): number {
    return this.#failedRecords;
  }

  /** Throws the abort reason if the run was cancelled (called between records: a safe point). */
  checkpoint(): void {
    if (this.signal?.aborted) throw this.signal.reason;
  }

  /** A record went through: its retry item, if any, is done. */
  async succeeded(direction: Direction, entity: EntityKind, sourceId: string, targetId: string, action: 'created' | 'updated' | 'linked'): Promise<void> {
    this.count(`${entity}s_${action}`);
    await this.store.deleteRetry(this.connectionId, retryKey(direction, entity, sourceId));
    this.emit({ type: 'record_synced', runId: this.runId, entity, direction, sourceId, targetId, action });
  }

  /** A record was seen and needed nothing. */
  skipped(direction: Direction, entity: EntityKind, sourceId: string, reason: string): void {
    this.count(`${entity}s_skipped`);
    this.emit({ type: 'record_skipped', runId: this.runId, entity, direction, sourceId, reason });
  }

  /**
   * A record failed: the failure is recorded on the run and in the retry queue (an ignored record stays
   * ignored until its content changes). Errors that make the whole run pointless are rethrown.
   */
  async failed(
    direction: Direction,
    entity: EntityKind,
    sourceId: string,
    number: string | null,
    error: unknown,
    fingerprint: string | null,
  ): Promise<void> {
    if (isWholeRunFailure(error) || (this.signal?.aborted ?? false)) throw error;
    const key = retryKey(direction, entity, sourceId);
    // A record fails at most once per run (a phase may meet again a record an earlier phase queued).
    if (this.#failedKeys.has(key)) return;
    this.#failedKeys.add(key);
    const { code, message, resolution } = describeRecordFailure(error);
    const occurredAt = this.now().toISOString();
    const recordError: RecordError = { entity, direction, sourceId, number, code, message, resolution, occurredAt };
    this.#failedRecords += 1;
    this.count('records_failed');
    this.#pendingErrors.push(recordError);
    const previous = await this.store.getRetry(this.connectionId, key);
    const stillIgnored = previous?.status === 'ignored' && previous.fingerprint === fingerprint;
    const item: RetryItem = {
      key,
      entity,
      direction,
      sourceId,
      number,
      attempts: (previous?.attempts ?? 0) + 1,
      lastError: { code, message, resolution },
      status: stillIgnored ? 'ignored' : 'pending',
      fingerprint,
      updatedAt: occurredAt,
    };
    await this.store.saveRetry(this.connectionId, item);
    this.logger?.warn?.('record failed', { runId: this.runId, entity, direction, sourceId, number, code });
    this.emit({ type: 'record_failed', runId: this.runId, error: recordError });
  }

  /** Writes the errors gathered since the last flush to the run. */
  async flushErrors(): Promise<void> {
    if (this.#pendingErrors.length === 0) return;
    const errors = this.#pendingErrors.splice(0);
    await this.store.addRecordErrors(this.connectionId, this.runId, errors);
  }
}
