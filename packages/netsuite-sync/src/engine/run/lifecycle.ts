/**
 * The one lifecycle of every run of the engine (a sync, a dry run, an import job, a targeted run): take
 * the connection's lease -> close the runs of processes that died -> record the run -> do the work -> classify how it ended -> record the end ->
 * release the lease. What differs between them is given as hooks; the order, the lease and the
 * classification of failures live here only.
 */
import type { Logger } from '../../options';
import type { RunError, RunStatus, RunTrigger, SyncRun, SyncStore } from '../../store/sync-store';
import type { SyncEvent } from '../contracts';
import { closeAbandonedRuns } from './abandoned';
import { describeRecordFailure } from './failures';
import { holdLease, type HeldLease } from './lease';
import { RunContext } from './run-context';

/** Where and how a run is made. */
export interface LifecycleOptions {
  /** The store of the connection's lease. */
  readonly store: SyncStore;
  /** Where the run is recorded. @default store (a dry run records it in its overlay) */
  readonly runs?: SyncStore | undefined;
  readonly connectionId: string;
  readonly leaseTtlMs: number;
  /** Stops the run at its next safe point. */
  readonly signal?: AbortSignal | undefined;
  readonly clock: () => Date;
  readonly emit: (event: SyncEvent) => void;
  readonly logger: Logger | undefined;
  readonly trigger: RunTrigger;
  readonly runId: string;
  /**
   * Whether runs left `running` by processes that died are closed as `abandoned` once the lease is taken.
   * @default true (a dry run, which writes nothing to the store, passes false)
   */
  readonly closeAbandoned?: boolean;
  /** Names the run in the log (`sync failed`), with extra fields. */
  readonly label: string;
  readonly logFields?: Readonly<Record<string, unknown>>;
}

/** How a run ended. */
export interface RunOutcome {
  readonly runId: string;
  readonly status: Exclude<RunStatus, 'running' | 'abandoned'>;
  readonly error: RunError | null;
  readonly context: RunContext;
}

/** What one kind of run does at each step; `P` is what `prepare` hands on, `R` the run's result. */
export interface RunHooks<P, R> {
  /**
   * Under the lease, before anything is recorded: `{ go }` goes on; `{ done }` ends here without a run,
   * with the result `done` gives once the lease is released.
   */
  prepare?(lease: HeldLease): Promise<{ done: () => R | Promise<R> } | { go: P }> | { done: () => R | Promise<R> } | { go: P };
  /** Just before the run is recorded (an import job closes the run a stopped process left open). */
  beforeStart?(prepared: P): Promise<void> | void;
  /** The run's work; a record's failure is the context's, what reaches here ends the run. */
  work(context: RunContext, prepared: P): Promise<void>;
  /** What a cancelled run says. */
  cancelled(context: RunContext, prepared: P): RunError;
  /** Once the run is recorded as ended, still under the lease: the result. */
  finished(outcome: RunOutcome, run: SyncRun, prepared: P): Promise<R> | R;
  /** When the end could not be recorded (or `finished` threw): the result. Without it, the error is thrown. */
  unrecorded?(outcome: RunOutcome, error: unknown, prepared: P): Promise<R> | R;
}

/**
 * Runs one run through the lifecycle.
 * @throws {SyncInProgressError} when another holder has the connection's lease; the store's error when the run cannot be recorded.
 */
export async function runLifecycle<P, R>(options: LifecycleOptions, hooks: RunHooks<P, R>): Promise<R> {
  const { store, connectionId, clock, emit, logger, runId, trigger } = options;
  const runs = options.runs ?? store;
  const lease = await holdLease(store, connectionId, options.leaseTtlMs, { signal: options.signal, logger });
  let held = true;
  const release = async () => {
    if (!held) return;
    held = false;
    await lease.release();
  };
  let result: R;
  try {
    const step = hooks.prepare === undefined ? ({ go: undefined as P } as const) : await hooks.prepare(lease);
    if ('done' in step) {
      await release();
      return await step.done();
    }
    const prepared = step.go;
    await hooks.beforeStart?.(prepared);
    if (options.closeAbandoned !== false) await closeAbandonedRuns(runs, connectionId, clock, logger);
    await runs.startRun(connectionId, { id: runId, trigger, startedAt: clock().toISOString() });
    emit({ type: 'run_started', runId, trigger });
    const context = new RunContext(runId, connectionId, runs, lease.signal, clock, emit, logger);
    const outcome = await classify(options, lease, context, () => hooks.work(context, prepared), () => hooks.cancelled(context, prepared));
    try {
      const run = await runs.finishRun(connectionId, runId, { status: outcome.status, finishedAt: clock().toISOString(), counts: { ...context.counts }, error: outcome.error });
      emit({ type: 'run_finished', runId, status: outcome.status, counts: run.counts });
      result = await hooks.finished(outcome, run, prepared);
    } catch (error) {
      if (hooks.unrecorded === undefined) throw error;
      result = await hooks.unrecorded(outcome, error, prepared);
    }
  } finally {
    await release();
  }
  return result;
}

/** Does the work and says how it ended: succeeded, partial (some records failed), cancelled or failed. */
async function classify(options: LifecycleOptions, lease: HeldLease, context: RunContext, work: () => Promise<void>, cancelled: () => RunError): Promise<RunOutcome> {
  const { runId } = options;
  try {
    await work();
    return { runId, status: context.failedRecords > 0 ? 'partial' : 'succeeded', error: null, context };
  } catch (error) {
    await context.flushErrors().catch(() => undefined);
    if (lease.signal.aborted) return { runId, status: 'cancelled', error: cancelled(), context };
    const { code, message, resolution } = describeRecordFailure(error);
    options.logger?.error?.(`${options.label} failed`, { ...options.logFields, runId, code });
    return { runId, status: 'failed', error: { code, message, resolution }, context };
  } finally {
    // A list still being read ahead for the work is stopped: nothing of the run outlives it.
    await context.stopReadsAhead();
    lease.stopRenewal();
  }
}
