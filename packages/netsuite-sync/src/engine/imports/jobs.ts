/**
 * Import jobs (the spec's "background import jobs that report when done"): `engine.importInvoices()`
 * imports every open NetSuite invoice with its customer, `engine.importCustomers()` the whole NetSuite
 * A/R customer list. A job runs on the engine's one run lifecycle (it holds the connection's lease like a
 * sync and is recorded as a run with trigger `import`), and saves an `ImportCheckpoint` after every batch,
 * so that a restarted process resumes it where it stopped (`{ jobId }`). See docs/import-jobs.md.
 */
import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '../../errors';
import type { Logger } from '../../options';
import type { ImportCheckpoint } from '../../store/sync-store';
import type { PhaseDeps, SyncEvent } from '../contracts';
import { describeRecordFailure } from '../run/failures';
import { runLifecycle } from '../run/lifecycle';
import { addCounts, readCheckpoint, type JobState } from './checkpoint';
import { sourceOf } from './sources';
import type { ImportJob, ImportKind, ImportOptions, ImportProgress, ImportResult } from './types';
import { importWork, type JobPosition } from './work';

const JOB_ID = /^[\w.:-]{1,200}$/;

/** What the engine gives its import jobs. */
export interface ImportEngineContext {
  readonly deps: PhaseDeps;
  readonly clock: () => Date;
  readonly emit: (event: SyncEvent) => void;
  readonly logger: Logger | undefined;
  /** A new run ID, as the engine makes them. */
  readonly newRunId: () => string;
}

const message = (error: unknown) => describeRecordFailure(error).message;

/**
 * The import methods of an engine.
 * @example
 * declare const context: ImportEngineContext; // the engine's dependencies, clock, events and logger
 * const imports = createImportJobs(context);
 * const job = imports.importCustomers({ notify: (result) => console.log(result.status, result.counts) });
 */
export function createImportJobs(engine: ImportEngineContext): {
  readonly importInvoices: (options?: ImportOptions) => ImportJob;
  readonly importCustomers: (options?: ImportOptions) => ImportJob;
  readonly getImport: (jobId: string) => Promise<ImportCheckpoint | null>;
} {
  const { deps, clock, emit, logger } = engine;
  const { store, connectionId, settings } = deps;

  const start = (kind: ImportKind, options: ImportOptions = {}): ImportJob => {
    if (options.jobId !== undefined && (typeof options.jobId !== 'string' || !JOB_ID.test(options.jobId))) {
      throw new ConfigurationError('jobId must be 1 to 200 letters, digits, or _ . : -', {
        code: 'INVALID_ARGUMENT',
        issues: [{ path: 'jobId', message: 'must match [A-Za-z0-9_.:-]{1,200}' }],
      });
    }
    const jobId = options.jobId ?? `${kind}-${clock().toISOString().replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`;
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    let status: ReturnType<ImportJob['status']> = 'running';
    let progress: ImportProgress = { processed: 0, total: null };
    const report = (next: ImportProgress) => {
      progress = next;
      try {
        options.onProgress?.(next);
      } catch (error) {
        logger?.warn?.('onProgress listener threw', { jobId, error: message(error) });
      }
    };
    const done = runJob(kind, jobId, options, controller.signal, report).then(
      (result) => {
        status = result.status;
        return result;
      },
      (error: unknown) => {
        status = 'failed';
        throw error;
      },
    );
    done.finally(() => options.signal?.removeEventListener('abort', onAbort)).catch(() => undefined);
    return { id: jobId, kind, status: () => status, progress: () => progress, done, cancel: () => controller.abort(new Error(`Import job ${jobId} was cancelled.`)) };
  };

  /** Calls `notify`; one that throws is logged. */
  const callNotify = async (options: ImportOptions, result: ImportResult) => {
    try {
      await options.notify?.(result);
    } catch (error) {
      logger?.warn?.('import notify hook threw', { jobId: result.jobId, error: message(error) });
    }
  };

  /** Calls `notify` for a result saved in `checkpoint`, then records in the checkpoint that it was called. */
  const notifyOnce = async (options: ImportOptions, checkpoint: ImportCheckpoint, result: ImportResult) => {
    if (options.notify === undefined) return;
    await callNotify(options, result);
    try {
      await store.saveCheckpoint(connectionId, { ...checkpoint, result: { ...checkpoint.result, ...result, notified: true }, updatedAt: clock().toISOString() });
    } catch (error) {
      logger?.warn?.('import checkpoint could not be saved after notify', { jobId: result.jobId, error: message(error) });
    }
  };

  /** A job found finished: its result, and `notify` if the process that finished it stopped before calling it. */
  const finished = async (options: ImportOptions, checkpoint: ImportCheckpoint, state: JobState | undefined, result: ImportResult, report: (progress: ImportProgress) => void) => {
    report({ processed: checkpoint.processed, total: checkpoint.total });
    if (state?.notified === false) await notifyOnce(options, checkpoint, result);
    return result;
  };

  /** An ended start of a job: its result, and how to notify once the lease is released. */
  type Ended = { result: ImportResult; notify: () => Promise<void> };
  type Prepared = { checkpoint: ImportCheckpoint | null; state: JobState | undefined; position: JobPosition };

  async function runJob(kind: ImportKind, jobId: string, options: ImportOptions, signal: AbortSignal, report: (progress: ImportProgress) => void): Promise<ImportResult> {
    // A finished job is returned without taking the lease: it does no work.
    const before = options.jobId === undefined ? null : await store.getCheckpoint(connectionId, jobId);
    if (before !== null) {
      const { state, result } = readCheckpoint(before, kind);
      if (result !== undefined) return finished(options, before, state, result, report);
    }
    const source = sourceOf(kind, deps);
    const runId = engine.newRunId();
    let startedAt = '';
    let previousCounts: Readonly<Record<string, number>> = {};
    const resume = `import${kind === 'invoices' ? 'Invoices' : 'Customers'}`;
    const save = async (job: Prepared, counts: Readonly<Record<string, number>>, status: ImportCheckpoint['status'], result: Record<string, unknown>) => {
      const { cursor, processed, total } = job.position;
      const saving: ImportCheckpoint = { jobId, kind, status, cursor, processed, total, result: { ...result, counts: addCounts(previousCounts, counts) }, updatedAt: clock().toISOString() };
      await store.saveCheckpoint(connectionId, saving);
      return saving;
    };

    const ended = await runLifecycle<Prepared, Ended>(
      { store, connectionId, leaseTtlMs: settings.leaseTtlMs, signal, clock, emit, logger, trigger: 'import', runId, label: 'import', logFields: { jobId } },
      {
        prepare: async () => {
          // Read again under the lease: another process may have started, moved on or finished the job meanwhile.
          const checkpoint = options.jobId === undefined ? null : await store.getCheckpoint(connectionId, jobId);
          const { state, result } = checkpoint === null ? { state: undefined, result: undefined } : readCheckpoint(checkpoint, kind);
          if (checkpoint !== null && result !== undefined) return { done: async () => ({ result: await finished(options, checkpoint, state, result, report), notify: () => Promise.resolve() }) };
          previousCounts = state?.counts ?? {};
          startedAt = state?.startedAt ?? clock().toISOString();
          return { go: { checkpoint, state, position: { cursor: checkpoint?.cursor ?? null, processed: checkpoint?.processed ?? 0, total: null, doneAfterCursor: () => [] } } };
        },
        beforeStart: async ({ checkpoint, state }) => {
          if (checkpoint?.status !== 'running' || state === undefined) return;
          // The process that ran the last start stopped without ending its run: Recent Syncs says so.
          const error = { code: 'INTERRUPTED', message: `The process running import job ${jobId} stopped before it finished.`, resolution: `The job was resumed by run ${runId}.` };
          await store.finishRun(connectionId, state.runId, { status: 'failed', finishedAt: clock().toISOString(), counts: {}, error }).catch(() => undefined);
        },
        work: (context, job) =>
          importWork(context, deps, {
            source,
            position: job.position,
            state: job.state,
            report,
            save: (status) => save(job, context.counts, status, { runId, startedAt, doneAfterCursor: job.position.doneAfterCursor() }),
          }),
        cancelled: (_context, job) => ({
          code: 'CANCELLED',
          message: `Import job ${jobId} was stopped after ${job.position.processed} records.`,
          resolution: `Resume it with ${resume}({ jobId: '${jobId}' }): it continues after the last record done.`,
        }),
        finished: async (outcome, _run, job) => {
          const result = resultOf(outcome.status, outcome.error, outcome.context.counts);
          // `notified` is false until the hook was called, so that a process stopping in between leaves it to the next call.
          const saved = await save(job, outcome.context.counts, outcome.status === 'partial' ? 'succeeded' : outcome.status, {
            ...result,
            notified: options.notify === undefined,
            doneAfterCursor: job.position.doneAfterCursor(),
          });
          return { result, notify: () => notifyOnce(options, saved, result) };
        },
        unrecorded: (outcome, caught) => {
          const { code, message: text } = describeRecordFailure(caught);
          logger?.error?.('import outcome could not be saved', { jobId, runId, code });
          const error = { code, message: `The outcome of import job ${jobId} could not be saved: ${text}`, resolution: `Check the store, then resume the job with its jobId ('${jobId}'): records already done are skipped.` };
          const result = resultOf('failed', error, outcome.context.counts);
          return { result, notify: () => callNotify(options, result) };
        },
      },
    );
    await ended.notify();
    return ended.result;

    function resultOf(status: ImportResult['status'], error: ImportResult['error'], counts: Readonly<Record<string, number>>): ImportResult {
      return { jobId, kind, status, runId, counts: addCounts(previousCounts, counts), error, startedAt, finishedAt: clock().toISOString() };
    }
  }

  return {
    importInvoices: (options) => start('invoices', options),
    importCustomers: (options) => start('customers', options),
    getImport: (jobId) => store.getCheckpoint(connectionId, jobId),
  };
}
