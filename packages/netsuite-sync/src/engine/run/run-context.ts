/**
 * The state of one run: its counters, the records that failed, the events it reports. Phases see it as
 * a {@link PhaseRun}; the run lifecycle (`lifecycle.ts`) makes one per run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from '../../options';
import type { Direction, EntityKind, RecordError, RetryItem, SyncStore } from '../../store/sync-store';
import type { PhaseRun, RecordOutcome, SyncEvent } from '../contracts';
import { RecordDeferred, type AwaitedLink } from './deferred';
import { describeRecordFailure, isWholeRunFailure, namingRecord, retryKey } from './failures';
import { LinkWatch } from './link-watch';
import { firstOf, Happenings, onAbort } from './wakeups';

/** The counters of the phase whose asynchronous work is running (see {@link RunContext.withPhaseCounts}). */
const currentPhase = new AsyncLocalStorage<Record<string, number>>();

/** A record as the run names it. */
type RecordRef = { direction: Direction; entity: EntityKind; sourceId: string; number: string | null };

/** One run's counters, failures and events. */
export class RunContext implements PhaseRun {
  readonly counts: Record<string, number> = {};
  readonly #pendingErrors: RecordError[] = [];
  #failedRecords = 0;
  readonly #failedKeys = new Set<string>();
  #retries: Promise<Map<string, RetryItem>> | undefined;
  readonly #halt = new AbortController();
  /** Aborted when the run is cancelled (the lease's signal) or halted by a failure ({@link halt}). */
  readonly signal: AbortSignal;

  constructor(
    readonly runId: string,
    readonly connectionId: string,
    readonly store: SyncStore,
    cancel: AbortSignal | undefined,
    readonly now: () => Date,
    readonly emit: (event: SyncEvent) => void,
    readonly logger: Logger | undefined,
  ) {
    this.signal = cancel === undefined ? this.#halt.signal : AbortSignal.any([cancel, this.#halt.signal]);
  }

  readonly #phases = new Map<string, Promise<unknown>>();
  readonly #settled = new Happenings();

  /** The scheduler's: the phase `name` of this run settles when `task` does. */
  trackPhase(name: string, task: Promise<unknown>): void {
    const settled = () => {
      this.#settled.happen(name);
    };
    this.#phases.set(name, task.then(settled, settled));
  }

  readonly #ready = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  #readiness(name: string): { promise: Promise<void>; resolve: () => void } {
    let entry = this.#ready.get(name);
    if (entry === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((ok) => {
        resolve = ok;
      });
      entry = { promise, resolve };
      this.#ready.set(name, entry);
    }
    return entry;
  }

  markReady(name: string): void {
    this.#readiness(name).resolve();
  }

  /** The scheduler's: resolves once the phase `name` is ready ({@link markReady}) or has settled. */
  whenReady(name: string): Promise<void> {
    const settled = this.#phases.get(name);
    return settled === undefined ? this.#readiness(name).promise : Promise.race([this.#readiness(name).promise, settled.then(() => undefined)]);
  }

  readonly #links = new LinkWatch();
  /** Reads started ahead of need ({@link readAhead}) that have not settled yet. */
  readonly #readsAhead = new Set<Promise<unknown>>();
  /** Aborted once the run's work is over: what was read ahead for it is needed no more. */
  readonly #workOver = new AbortController();

  readAhead<T>(read: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const promise = read(AbortSignal.any([this.signal, this.#workOver.signal]));
    this.#readsAhead.add(promise);
    const forget = () => {
      this.#readsAhead.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  /**
   * The lifecycle's, once the run's work has settled: stops the reads started ahead that are still going
   * (a list no record looked anything up in yet) and resolves once every one has settled, so that no
   * request of the run starts after it ends.
   */
  async stopReadsAhead(): Promise<void> {
    this.#workOver.abort(new Error('The run is over: what was read ahead for it is needed no more.'));
    while (this.#readsAhead.size > 0) await Promise.allSettled([...this.#readsAhead]);
  }

  /** The scheduler's: the store as this run's phases use it, waking those {@link mayGoOn} has waiting for a link it saves. */
  watchLinks(store: SyncStore): SyncStore {
    return this.#links.watching(store, this.connectionId);
  }

  /** Resolves once the looks the link watch started have ended (see {@link LinkWatch.idle}). */
  linksIdle(): Promise<void> {
    return this.#links.idle();
  }

  phasesRunning(names: readonly string[]): string[] {
    return names.filter((name) => this.#phases.has(name) && !this.#settled.has(name));
  }

  async phasesSettled(names: readonly string[]): Promise<void> {
    // A phase that failed halts the run: the caller stops at its next safe point.
    await Promise.all(names.flatMap((name) => this.#phases.get(name) ?? []));
  }

  mayGoOn(wait: { phases: readonly string[]; link?: AwaitedLink }, stop: AbortSignal): Promise<void> {
    // A phase that failed halts the run: the caller stops at its next safe point.
    const running = this.phasesRunning(wait.phases);
    if (running.length === 0) return Promise.resolve();
    const { link } = wait;
    return firstOf([this.#settled.listen(running), onAbort(stop), ...(link === undefined ? [] : [this.#links.listen(link.kind, link.invoicedIds)])]);
  }

  /** How many wait for a phase to settle or a link to be saved (see {@link mayGoOn}): for tests. */
  get listening(): { phases: number; links: number } {
    return { phases: this.#settled.listening, links: this.#links.listening };
  }

  /**
   * Stops the run's other work at its next safe point, with `error` as the reason: a phase failed in a way
   * that ends the run while others run beside it. It is not a cancellation: the run ends as `failed`, with
   * that error.
   */
  halt(error: unknown): void {
    if (!this.#halt.signal.aborted) this.#halt.abort(error);
  }

  /** Adds to a counter: the run's, and the phase's whose work counts it. */
  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
    const phase = currentPhase.getStore();
    if (phase !== undefined) phase[name] = (phase[name] ?? 0) + by;
  }

  /**
   * Runs one phase's work with its own counters (what `count` adds within it, however its records are
   * handled side by side with other phases'), and resolves with them.
   */
  async withPhaseCounts(work: () => Promise<void>): Promise<Readonly<Record<string, number>>> {
    const counts: Record<string, number> = {};
    await currentPhase.run(counts, work);
    return counts;
  }

  /** Records that failed in this run. */
  get failedRecords(): number {
    return this.#failedRecords;
  }

  /** Throws the abort reason if the run was cancelled (called between records: a safe point). */
  checkpoint(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** A record went through: its retry item, if any, is done. */
  async succeeded(outcome: RecordOutcome): Promise<void> {
    const { direction, entity, sourceId, action } = outcome;
    this.count(`${entity}s_${action}`);
    await this.deleteRetry(retryKey(direction, entity, sourceId));
    this.emit({ type: 'record_synced', runId: this.runId, ...outcome });
  }

  /** The retry queue, read once per run (one listing, however many records look their items up). */
  #retryQueue(): Promise<Map<string, RetryItem>> {
    this.#retries ??= this.store.listRetries(this.connectionId).then((items) => new Map(items.map((item) => [item.key, item])));
    // A failed read is not kept: the next look-up reads the queue again.
    this.#retries.catch(() => (this.#retries = undefined));
    return this.#retries;
  }

  async retryItem(key: string): Promise<RetryItem | null> {
    return (await this.#retryQueue()).get(key) ?? null;
  }

  async retryItems(status?: RetryItem['status']): Promise<RetryItem[]> {
    const items = [...(await this.#retryQueue()).values()];
    return status === undefined ? items : items.filter((item) => item.status === status);
  }

  async saveRetry(item: RetryItem): Promise<void> {
    const queue = await this.#retryQueue();
    await this.store.saveRetry(this.connectionId, item);
    queue.set(item.key, item);
  }

  /** Removes an item from the queue: a store write only when the queue has it. */
  async deleteRetry(key: string): Promise<void> {
    const queue = await this.#retryQueue();
    if (!queue.has(key)) return;
    await this.store.deleteRetry(this.connectionId, key);
    queue.delete(key);
  }

  /**
   * A record was seen and needs nothing: a retry item it left (a failure, an unconfirmed create) is done,
   * unless `keepRetry` (an ignored record, or one `skipUnchanged` already settled).
   */
  async skipped(record: RecordRef, reason: string, options: { keepRetry?: boolean } = {}): Promise<void> {
    const { direction, entity, sourceId, number } = record;
    this.count(`${entity}s_skipped`);
    const key = retryKey(direction, entity, sourceId);
    // Most skipped records have no item: only those in the queue cost a store write.
    if (options.keepRetry !== true) await this.deleteRetry(key);
    this.emit({ type: 'record_skipped', runId: this.runId, entity, direction, sourceId, number, reason });
  }

  /**
   * A record failed: the failure is recorded on the run and in the retry queue (an ignored record stays
   * ignored until its content changes). Errors that make the whole run pointless are rethrown.
   */
  async failed(record: RecordRef, error: unknown, fingerprint: string | null): Promise<void> {
    // A deferred record is handed again by its phase; a whole-run failure or a cancellation ends the run.
    if (error instanceof RecordDeferred || isWholeRunFailure(error) || this.signal.aborted) throw error;
    const { direction, entity, sourceId, number } = record;
    const key = retryKey(direction, entity, sourceId);
    // A record fails at most once per run (a phase may meet again a record an earlier phase queued).
    if (this.#failedKeys.has(key)) return;
    this.#failedKeys.add(key);
    const { code, message: text, resolution } = describeRecordFailure(error);
    const message = namingRecord(text, record);
    const occurredAt = this.now().toISOString();
    const recordError: RecordError = { entity, direction, sourceId, number, code, message, resolution, occurredAt };
    this.#failedRecords += 1;
    this.count('records_failed');
    this.#pendingErrors.push(recordError);
    const previous = await this.retryItem(key);
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
    await this.#saveSafely('saveRetry', item, (saved) => this.saveRetry(saved));
    this.logger?.warn?.('record failed', { runId: this.runId, entity, direction, sourceId, number, code });
    this.emit({ type: 'record_failed', runId: this.runId, error: recordError });
  }

  /** Writes the errors gathered since the last flush to the run. */
  async flushErrors(): Promise<void> {
    if (this.#pendingErrors.length === 0) return;
    const errors = this.#pendingErrors.splice(0);
    await this.#saveSafely('addRecordErrors', errors, (saved) => this.store.addRecordErrors(this.connectionId, this.runId, saved));
  }

  /**
   * Saves what a record's failure left, and, when the store refuses it, saves it again with its text made
   * storable (a store may refuse a value a service sent, such as a NUL character in an invoice number):
   * a value one record carries never fails the run. A store that refuses that too is failing: its error
   * ends the run.
   */
  async #saveSafely<T>(method: string, value: T, save: (value: T) => Promise<void>): Promise<void> {
    try {
      await save(value);
    } catch (error) {
      const storable = storableText(value);
      if (JSON.stringify(storable) === JSON.stringify(value)) throw error;
      await save(storable);
      this.logger?.warn?.('the store refused a value of a record; saved with its control characters replaced', { runId: this.runId, method });
    }
  }
}

/** Control characters other than tab, line feed and carriage return: some stores cannot hold them (Postgres text, NUL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSTORABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** A copy of `value` whose strings (at any depth) have their control characters replaced by U+FFFD. */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\ufffd') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storableText(item)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableText(item)])) as T;
  return value;
}
