/**
 * Import jobs (the spec's "background import jobs that report when done"): `engine.importInvoices()`
 * imports every open NetSuite invoice with its customer, `engine.importCustomers()` the whole NetSuite
 * A/R customer list. A job holds the connection's lease like a sync, is recorded as a run with trigger
 * `import`, and saves an `ImportCheckpoint` after every batch, so that a restarted process resumes it
 * where it stopped (`{ jobId }`). See docs/import-jobs.md.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigurationError, NetSuiteSyncError } from '../errors';
import type { Logger } from '../internal/transport';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { SuiteQLRow } from '../netsuite/suiteql';
import type { ImportCheckpoint, RunError } from '../store/sync-store';
import { CUSTOMER_SELECT, InvoicedCustomers } from './import-customers';
import { holdLease, type HeldLease } from './lease';
import { forEachConcurrently } from './concurrent';
import { INVOICE_BATCH, INVOICE_SELECT, invoiceDateFilter, netsuiteInvoiceBatches } from './netsuite-invoices';
import type { PhaseDeps } from './phases';
import { inBatches, valueText } from './records';
import { describeRecordFailure, RunContext, type SyncEvent } from './run-context';

/** What an import job imports. */
export type ImportKind = 'invoices' | 'customers';

/** How far an import job is: records handled, of `total` (from a count at the start; `null` before it). */
export interface ImportProgress {
  readonly processed: number;
  readonly total: number | null;
}

/** Options of `engine.importInvoices()` and `engine.importCustomers()`. */
export interface ImportOptions {
  /**
   * The job's ID (1 to 200 letters, digits, or `_ . : -`). A job of this ID that is in the store and did
   * not finish (cancelled, failed, or left `running` by a process that stopped) is resumed after its
   * checkpoint's cursor; a finished one is returned as it is, with no work. Without it, a new job with a
   * new ID.
   */
  jobId?: string;
  /** Stops the job at the next safe point (between records); it ends `cancelled` and can be resumed by its `jobId`. */
  signal?: AbortSignal;
  /**
   * Called once when the job ends (`succeeded`, `partial`, `failed` or `cancelled`), with its result, after
   * the lease is released: where the hosted product sends its "import finished" email. It is awaited
   * before `done` resolves; one that throws or rejects is logged and changes nothing.
   */
  notify?: (result: ImportResult) => void | Promise<void>;
  /** Called as records are handled; `processed` only grows and ends equal to `total`. A throwing listener is logged and ignored. */
  onProgress?: (progress: ImportProgress) => void;
}

/** How an import job ended. */
export interface ImportResult {
  readonly jobId: string;
  readonly kind: ImportKind;
  /** `partial`: the job went through the list, but some records failed (see the run's record errors). */
  readonly status: 'succeeded' | 'partial' | 'failed' | 'cancelled';
  /** The run of this job's last start, in Recent Syncs with trigger `import`: its record errors name each failed record. */
  readonly runId: string;
  /**
   * What the whole job did, over every start of it: `customers_created`, `customers_updated`,
   * `customers_linked`, `customers_skipped`, `invoices_created`, `invoices_updated`, `invoices_skipped`,
   * `records_failed`, `netsuite_customers_read` / `netsuite_invoices_read`. Each run in Recent Syncs
   * counts only its own part.
   */
  readonly counts: Readonly<Record<string, number>>;
  /** Why the job `failed` or was `cancelled`; `null` otherwise. */
  readonly error: RunError | null;
  /** When the job first started (an earlier start, for a resumed job). */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** A running (or finished) import job. */
export interface ImportJob {
  readonly id: string;
  readonly kind: ImportKind;
  /** `running` until `done` settles; then the result's status (`failed` when `done` rejected). */
  status(): 'running' | ImportResult['status'];
  /** Records handled so far, of the total counted at the start. */
  progress(): ImportProgress;
  /**
   * The result. A job that fails resolves with status `failed` and its error: `done` rejects only when
   * the job cannot start: `SyncInProgressError` when the connection's lease is held (a sync or another
   * import is running), `ImportJobError` when `jobId` names a job of the other kind or an unreadable
   * checkpoint, or the store's error when the run cannot be recorded.
   */
  readonly done: Promise<ImportResult>;
  /** Stops the job at the next safe point, as aborting `signal` does. */
  cancel(): void;
}

/** An import job cannot start from what the store holds for its `jobId`. */
export class ImportJobError extends NetSuiteSyncError {
  override name = 'ImportJobError';
  readonly jobId: string;

  constructor(jobId: string, reason: 'kind' | 'checkpoint', detail: string) {
    super(
      reason === 'kind'
        ? `Import job "${jobId}" is an import of ${detail}: it cannot be resumed as another kind of import.`
        : `The checkpoint of import job "${jobId}" cannot be read: ${detail}.`,
      reason === 'kind'
        ? { code: 'IMPORT_KIND_MISMATCH', resolution: `Resume it with import${detail === 'invoices' ? 'Invoices' : 'Customers'}(), or start a new job without a jobId.` }
        : { code: 'INVALID_IMPORT_CHECKPOINT', resolution: 'Start a new job (without a jobId, or with a new one): imports are idempotent, so nothing is created twice.' },
    );
    this.jobId = jobId;
  }
}

/** Customers handled per checkpoint. */
const CUSTOMER_BATCH = 100;
const JOB_ID = /^[\w.:-]{1,200}$/;

/** What the job keeps in its checkpoint's `result`: the running totals, then the result with whether `notify` was called. */
const jobStateSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  counts: z.record(z.string(), z.number()),
  status: z.enum(['succeeded', 'partial', 'failed', 'cancelled']).optional(),
  error: z.object({ code: z.string(), message: z.string(), resolution: z.string().nullable() }).nullable().optional(),
  finishedAt: z.string().optional(),
  notified: z.boolean().optional(),
  /** Rows past the cursor that a stopped run finished (rows are handled side by side): not handled again. */
  doneAfterCursor: z.array(z.string()).optional(),
});
type JobState = z.infer<typeof jobStateSchema>;

/** What the engine gives its import jobs. */
export interface ImportEngineContext {
  readonly deps: PhaseDeps;
  readonly clock: () => Date;
  readonly emit: (event: SyncEvent) => void;
  readonly logger: Logger | undefined;
  /** A new run ID, as the engine makes them. */
  readonly newRunId: () => string;
}

/** One kind of import: what it reads, how it counts it, how it handles a batch. */
interface ImportSource {
  readonly phase: string;
  readonly batchSize: number;
  /** Counts each row handled (so a run's count equals its progress). */
  readonly readCounter: string;
  /** The rows after `cursor` (a NetSuite internal ID), without order: `suiteqlAll` orders them by id. */
  rows(after: string | null): SuiteQLQuery;
  /** How many rows there are after `cursor`. */
  count(after: string | null): SuiteQLQuery;
  /** Handles a batch, calling `afterEach` once each row is done. */
  batches(context: RunContext, deps: PhaseDeps, afterEach: (row: SuiteQLRow) => void): (batch: SuiteQLRow[]) => Promise<void>;
}

const after = (column: SuiteQLQuery, cursor: string | null): SuiteQLQuery => (cursor === null ? sql`1 = 1` : sql`${column} > ${BigInt(cursor)}`);

function sourceOf(kind: ImportKind, deps: PhaseDeps): ImportSource {
  if (kind === 'customers') {
    const where = (cursor: string | null) => sql`c.isinactive = 'F' AND ${after(sql.raw('c.id'), cursor)}`;
    return {
      phase: 'import_customers',
      batchSize: CUSTOMER_BATCH,
      readCounter: 'netsuite_customers_read',
      rows: (cursor) => sql`${CUSTOMER_SELECT} WHERE ${where(cursor)}`,
      count: (cursor) => sql`SELECT COUNT(*) AS total FROM customer c WHERE ${where(cursor)}`,
      batches: (context, phaseDeps, afterEach) => {
        const customers = new InvoicedCustomers(context, phaseDeps);
        return async (batch) => {
          await forEachConcurrently(context, batch, phaseDeps.settings.recordConcurrency, async (row) => {
            await customers.importCustomer(row);
            afterEach(row);
          });
          await context.flushErrors();
        };
      },
    };
  }
  const where = (cursor: string | null) =>
    sql`t.type = 'CustInvc' AND BUILTIN.CF(t.status) = 'CustInvc:A' AND ${invoiceDateFilter(deps.settings.invoiceStartDate)} AND ${after(sql.raw('t.id'), cursor)}`;
  return {
    phase: 'import_invoices',
    batchSize: INVOICE_BATCH,
    readCounter: 'netsuite_invoices_read',
    rows: (cursor) => sql`${INVOICE_SELECT} WHERE ${where(cursor)}`,
    count: (cursor) => sql`SELECT COUNT(*) AS total FROM transaction t WHERE ${where(cursor)}`,
    // An import reads Invoiced's invoice list once: invoices may be there from before the connection.
    batches: (context, phaseDeps, afterEach) => netsuiteInvoiceBatches(context, phaseDeps, afterEach, { scanAll: true }),
  };
}

function addCounts(base: Readonly<Record<string, number>>, more: Readonly<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = { ...base };
  for (const [name, value] of Object.entries(more)) sum[name] = (sum[name] ?? 0) + value;
  return sum;
}

const message = (error: unknown) => describeRecordFailure(error).message;

/**
 * The import methods of an engine.
 * @example
 * const imports = createImportJobs({ deps, clock, emit, logger, newRunId });
 * const job = imports.importCustomers({ notify: (result) => mailer.send(result) });
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
    return {
      id: jobId,
      kind,
      status: () => status,
      progress: () => progress,
      done,
      cancel: () => controller.abort(new Error(`Import job ${jobId} was cancelled.`)),
    };
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

  /** The state kept in a checkpoint, and the result of a finished one. */
  const readCheckpoint = (checkpoint: ImportCheckpoint, kind: ImportKind): { state: JobState | undefined; result: ImportResult | undefined } => {
    if (checkpoint.kind !== kind) throw new ImportJobError(checkpoint.jobId, 'kind', checkpoint.kind);
    if (checkpoint.cursor !== null && !/^\d+$/.test(checkpoint.cursor)) throw new ImportJobError(checkpoint.jobId, 'checkpoint', `its cursor "${checkpoint.cursor}" is not a NetSuite internal ID`);
    const parsed = jobStateSchema.safeParse(checkpoint.result);
    const state = parsed.success ? parsed.data : undefined;
    if (checkpoint.status !== 'succeeded') return { state, result: undefined };
    if (state?.status === undefined || state.finishedAt === undefined) throw new ImportJobError(checkpoint.jobId, 'checkpoint', 'it is finished but holds no result');
    const result: ImportResult = {
      jobId: checkpoint.jobId,
      kind,
      status: state.status,
      runId: state.runId,
      counts: state.counts,
      error: state.error ?? null,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
    };
    return { state, result };
  };

  async function runJob(kind: ImportKind, jobId: string, options: ImportOptions, signal: AbortSignal, report: (progress: ImportProgress) => void): Promise<ImportResult> {
    // A finished job is returned without taking the lease: it does no work.
    const before = options.jobId === undefined ? null : await store.getCheckpoint(connectionId, jobId);
    if (before !== null) {
      const { state, result } = readCheckpoint(before, kind);
      if (result !== undefined) return finished(options, before, state, result, report);
    }
    const lease = await holdLease(store, connectionId, settings.leaseTtlMs, { signal, logger });
    let leaseHeld = true;
    const release = async () => {
      if (!leaseHeld) return;
      leaseHeld = false;
      await lease.release().catch((error: unknown) => logger?.warn?.('import lease release failed', { jobId, error: message(error) }));
    };
    try {
      // Read again under the lease: another process may have started, moved on or finished the job meanwhile.
      const checkpoint = options.jobId === undefined ? null : await store.getCheckpoint(connectionId, jobId);
      const { state, result } = checkpoint === null ? { state: undefined, result: undefined } : readCheckpoint(checkpoint, kind);
      if (checkpoint !== null && result !== undefined) {
        await release();
        return await finished(options, checkpoint, state, result, report);
      }
      return await work(kind, jobId, options, lease, checkpoint, state, report, release);
    } finally {
      await release();
    }
  }

  /** A job found finished: its result, and `notify` if the process that finished it stopped before calling it. */
  async function finished(
    options: ImportOptions,
    checkpoint: ImportCheckpoint,
    state: JobState | undefined,
    result: ImportResult,
    report: (progress: ImportProgress) => void,
  ): Promise<ImportResult> {
    report({ processed: checkpoint.processed, total: checkpoint.total });
    if (state?.notified === false) await notifyOnce(options, checkpoint, result);
    return result;
  }

  async function work(
    kind: ImportKind,
    jobId: string,
    options: ImportOptions,
    lease: HeldLease,
    checkpoint: ImportCheckpoint | null,
    state: JobState | undefined,
    report: (progress: ImportProgress) => void,
    release: () => Promise<void>,
  ): Promise<ImportResult> {
    const source = sourceOf(kind, deps);
    const runId = engine.newRunId();
    const previousCounts = state?.counts ?? {};
    const startedAt = state?.startedAt ?? clock().toISOString();
    if (checkpoint?.status === 'running' && state !== undefined) {
      // The process that ran the last start stopped without ending its run: Recent Syncs says so.
      await store
        .finishRun(connectionId, state.runId, {
          status: 'failed',
          finishedAt: clock().toISOString(),
          counts: {},
          error: { code: 'INTERRUPTED', message: `The process running import job ${jobId} stopped before it finished.`, resolution: `The job was resumed by run ${runId}.` },
        })
        .catch(() => undefined);
    }
    await store.startRun(connectionId, { id: runId, trigger: 'import', startedAt: clock().toISOString() });
    emit({ type: 'run_started', runId, trigger: 'import' });
    const context = new RunContext(runId, connectionId, store, lease.signal, clock, emit, logger);
    let cursor = checkpoint?.cursor ?? null;
    let processed = checkpoint?.processed ?? 0;
    let total: number | null = null;
    report({ processed, total });
    const save = async (status: ImportCheckpoint['status'], result: Record<string, unknown>): Promise<ImportCheckpoint> => {
      const saving: ImportCheckpoint = { jobId, kind, status, cursor, processed, total, result, updatedAt: clock().toISOString() };
      await store.saveCheckpoint(connectionId, saving);
      return saving;
    };
    let doneAfterCursor = (): string[] => [];
    const running = () => ({ runId, startedAt, counts: addCounts(previousCounts, context.counts), doneAfterCursor: doneAfterCursor() });

    let status: ImportResult['status'];
    let error: RunError | null = null;
    try {
      emit({ type: 'phase_started', runId, phase: source.phase });
      const counted = await deps.netsuite.suiteql(source.count(cursor), { limit: 1, signal: lease.signal });
      total = processed + Number(valueText(counted.items[0]?.total) || '0');
      report({ processed, total });
      await save('running', running());
      // Rows of a batch are handled side by side and finish in any order: the cursor moves over the rows
      // finished in a row from the batch's start. Rows finished past it are kept in the checkpoint, so a
      // job stopped mid-batch resumes at its first unfinished row and counts every row once.
      const doneBefore = new Set(state?.doneAfterCursor ?? []);
      let order: string[] = [];
      let finished = new Set<string>();
      let next = 0;
      const advance = () => {
        while (next < order.length && finished.has(order[next] ?? '')) {
          cursor = order[next] ?? cursor;
          next += 1;
          processed += 1;
          context.count(source.readCounter);
        }
        report({ processed, total: total === null ? null : Math.max(total, processed) });
      };
      doneAfterCursor = () => order.slice(next).filter((id) => finished.has(id));
      const handle = source.batches(context, deps, (row) => {
        finished.add(valueText(row.id));
        advance();
      });
      await inBatches(deps.netsuite.suiteqlAll(source.rows(cursor), { signal: lease.signal }), source.batchSize, async (batch) => {
        order = batch.map((row) => valueText(row.id));
        finished = new Set(order.filter((id) => doneBefore.has(id)));
        next = 0;
        advance();
        const todo = batch.filter((row) => !finished.has(valueText(row.id)));
        if (todo.length > 0) await handle(todo);
        await save('running', running());
      });
      // Records added or removed in NetSuite while the job ran: the job ends having handled `processed`.
      if (total !== processed) {
        total = processed;
        report({ processed, total });
      }
      emit({ type: 'phase_finished', runId, phase: source.phase, counts: { ...context.counts } });
      status = context.failedRecords > 0 ? 'partial' : 'succeeded';
    } catch (caught) {
      await context.flushErrors().catch(() => undefined);
      if (lease.signal.aborted) {
        status = 'cancelled';
        error = {
          code: 'CANCELLED',
          message: `Import job ${jobId} was stopped after ${processed} records.`,
          resolution: `Resume it with import${kind === 'invoices' ? 'Invoices' : 'Customers'}({ jobId: '${jobId}' }): it continues after the last record done.`,
        };
      } else {
        status = 'failed';
        const { code, message: text, resolution } = describeRecordFailure(caught);
        error = { code, message: text, resolution };
        logger?.error?.('import failed', { jobId, runId, code });
      }
    } finally {
      lease.stopRenewal();
    }

    const finishedAt = clock().toISOString();
    let result: ImportResult = { jobId, kind, status, runId, counts: addCounts(previousCounts, context.counts), error, startedAt, finishedAt };
    let saved: ImportCheckpoint | null = null;
    try {
      const run = await store.finishRun(connectionId, runId, { status, finishedAt, counts: { ...context.counts }, error });
      emit({ type: 'run_finished', runId, status, counts: run.counts });
      // `notified` is false until the hook was called, so that a process stopping in between leaves it to the next call.
      saved = await save(status === 'partial' ? 'succeeded' : status, { ...result, notified: options.notify === undefined, doneAfterCursor: doneAfterCursor() });
    } catch (caught) {
      const { code, message: text } = describeRecordFailure(caught);
      logger?.error?.('import outcome could not be saved', { jobId, runId, code });
      result = {
        ...result,
        status: 'failed',
        error: { code, message: `The outcome of import job ${jobId} could not be saved: ${text}`, resolution: `Check the store, then resume the job with its jobId ('${jobId}'): records already done are skipped.` },
      };
    }
    await release();
    if (saved !== null) await notifyOnce(options, saved, result);
    else await callNotify(options, result);
    return result;
  }

  return {
    importInvoices: (options) => start('invoices', options),
    importCustomers: (options) => start('customers', options),
    getImport: (jobId) => store.getCheckpoint(connectionId, jobId),
  };
}
