/**
 * Runs one job of the fleet's queue: claims it, builds the connection's clients with the user's
 * `clientsFor`, runs the sync, the webhook run (`engine.syncPending()`) or the import on the engine under
 * the connection's lease, and records how it ended (a webhook run that found nothing pending: no run, the
 * connection's last run kept). A job refused by a fleet-wide limit or by the lease (held by a process
 * outside the fleet, or by a dead worker until it expires) is queued again for later; a job cancelled
 * because its worker drains is queued again at once, for another worker. Any other failure is recorded
 * and thrown, so that pg-boss retries the job with back-off.
 */
import { createSyncEngine, isNetSuiteSyncError, SyncInProgressError } from '@invoiced/netsuite-sync';
import type { ImportJob, Logger, SyncEngine } from '@invoiced/netsuite-sync';
import type { PostgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { claim, deferralDelayMs, deferStarted, endWithoutRun, finish, rewait, type ClaimContext, type Trigger } from './claim';
import type { Connection, JobEnded, LastRun, WorkerRuntimeOptions } from './contracts';
import { renewSlots, SLOT_TTL_MS } from './limits';
import { jobData, type JobData } from './rows';

export interface HandlerContext extends ClaimContext {
  readonly store: PostgresStore;
  readonly clientsFor: WorkerRuntimeOptions['clientsFor'];
  readonly onJob: WorkerRuntimeOptions['onJob'];
  readonly onImportFinished: WorkerRuntimeOptions['onImportFinished'];
  readonly onEvent: WorkerRuntimeOptions['onEvent'];
  readonly logger: Required<Pick<Logger, 'info' | 'warn' | 'error'>>;
  /** Aborted when the worker drains past its grace time. */
  readonly draining: AbortSignal;
}

/** A job as pg-boss hands it over. */
export interface BossJob {
  readonly id: string;
  readonly data: unknown;
  readonly signal: AbortSignal;
}

const isLeaseHeld = (error: unknown): boolean => error instanceof SyncInProgressError || (isNetSuiteSyncError(error) && error.code === 'SYNC_IN_PROGRESS');
const errorFacts = (error: unknown): NonNullable<JobEnded['error']> => ({
  name: error instanceof Error ? error.name : 'Error',
  // The SDK's errors, Node's (`ECONNREFUSED`) and most others carry a string `code`.
  code: typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : null,
  message: error instanceof Error ? error.message : String(error),
});
const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export async function handleJob(context: HandlerContext, job: BossJob): Promise<void> {
  const parsed = jobData.safeParse(job.data);
  if (!parsed.success) {
    // Nothing can run it, and a retry would read the same data: logged, and completed.
    context.logger.error('fleet job with unreadable data skipped', { jobId: job.id });
    return;
  }
  const data = parsed.data;
  const claimed = await claim(context, job.id, data);
  if (claimed.type !== 'run') {
    if (claimed.type === 'deferred') context.logger.info('fleet job deferred: a fleet-wide limit is full', { jobId: job.id, connectionId: data.connectionId, next: claimed.jobId });
    return;
  }
  const { connection, trigger, startedAt } = claimed;
  const lagMs = trigger === 'auto' && data.dueAt !== null ? Math.max(0, startedAt.getTime() - new Date(data.dueAt).getTime()) : null;
  const heartbeat = setInterval(() => {
    renewSlots(context.db, context.sql, job.id).catch((error: unknown) => context.logger.warn('fleet limit slots not renewed', { jobId: job.id, error: describe(error) }));
  }, SLOT_TTL_MS / 4);
  heartbeat.unref();
  const signal = AbortSignal.any([job.signal, context.draining]);
  let outcome: Omit<LastRun, 'finishedAt'> = { kind: data.kind, runId: null, status: 'error', startedAt, lagMs };
  let failure: JobEnded['error'] = null;
  try {
    const ended = await run(context, connection, data, trigger, signal);
    if (ended.type === 'lease_held' || ended.type === 'drained' || (ended.status === 'cancelled' && context.draining.aborted && !job.signal.aborted)) {
      const delay = ended.type === 'lease_held' ? deferralDelayMs(data.deferrals, context.random) : 0;
      const deferredAt = await deferStarted(context, job.id, data, trigger, delay);
      outcome = { ...outcome, runId: ended.type === 'ran' ? ended.runId : null, status: 'deferred' };
      report(context, job.id, data, outcome, deferredAt);
      return;
    }
    outcome = { ...outcome, runId: ended.runId, status: ended.status };
  } catch (error) {
    failure = errorFacts(error);
    context.logger.error('fleet job failed; pg-boss retries it', { jobId: job.id, connectionId: data.connectionId, kind: data.kind, error: describe(error) });
    // pg-boss retries this job: it waits again, so that a tick or a Sync Now meanwhile leaves it to serve.
    await rewait(context, job.id, data, trigger).catch((rewaitError: unknown) => context.logger.warn('fleet job not marked waiting again', { jobId: job.id, error: describe(rewaitError) }));
    throw error;
  } finally {
    clearInterval(heartbeat);
    if (outcome.status !== 'deferred') {
      // A job that started no run (nothing pending) leaves the connection's last run as it was.
      const noRun = outcome.status === 'succeeded' && outcome.runId === null;
      const end = noRun ? endWithoutRun(context, job.id, data) : finish(context, job.id, data, outcome);
      const finishedAt = await end.catch((error: unknown) => {
        context.logger.error('fleet job outcome not recorded', { jobId: job.id, error: describe(error) });
        return new Date();
      });
      report(context, job.id, data, outcome, finishedAt, failure);
    }
  }
}

type Ended =
  /** `runId` null: a webhook run found no pending event, and started no run. */
  | { readonly type: 'ran'; readonly runId: string | null; readonly status: LastRun['status'] }
  /** The connection's lease is held elsewhere. */
  | { readonly type: 'lease_held' }
  /** The worker drained before the run could start (while `clientsFor` built the clients, say). */
  | { readonly type: 'drained' };

async function run(context: HandlerContext, connection: Connection, data: JobData, trigger: Trigger, signal: AbortSignal): Promise<Ended> {
  let clients;
  try {
    clients = await context.clientsFor(connection, { signal });
  } catch (error) {
    if (context.draining.aborted) return { type: 'drained' };
    throw error;
  }
  const engine: SyncEngine = createSyncEngine({
    netsuite: clients.netsuite,
    invoiced: clients.invoiced,
    store: context.store,
    connectionId: connection.id,
    settings: connection.settings,
    logger: context.logger,
    ...(context.onEvent === undefined ? {} : { onEvent: (event) => context.onEvent?.(connection.id, event) }),
  });
  try {
    if (data.kind === 'sync') {
      const syncRun = await engine.sync({ trigger: trigger === 'import' ? 'manual' : trigger, signal });
      return { type: 'ran', runId: syncRun.id, status: syncRun.status };
    }
    if (data.kind === 'sync_pending') {
      // SyncInProgressError (the lease is held) is deferred below: the events stay pending in the store meanwhile.
      const pendingRun = await engine.syncPending({ signal });
      return pendingRun === null ? { type: 'ran', runId: null, status: 'succeeded' } : { type: 'ran', runId: pendingRun.id, status: pendingRun.status };
    }
    const options = {
      ...(data.importJobId === null ? {} : { jobId: data.importJobId }),
      signal,
      notify: async (result: Parameters<NonNullable<Parameters<SyncEngine['importInvoices']>[0]>['notify'] & object>[0]) => {
        // An import cancelled because this worker drains is queued again and resumes: not its end yet.
        if (result.status === 'cancelled' && context.draining.aborted) return;
        await context.onImportFinished?.({ connection, result, notify: (data.notify ?? null) as never });
      },
    };
    const job: ImportJob = data.kind === 'import_invoices' ? engine.importInvoices(options) : engine.importCustomers(options);
    const result = await job.done;
    return { type: 'ran', runId: result.runId, status: result.status };
  } catch (error) {
    if (isLeaseHeld(error)) return { type: 'lease_held' };
    // Stopped by the drain before the engine could start its run: queued again for another worker.
    if (context.draining.aborted) return { type: 'drained' };
    throw error;
  }
}

function report(context: HandlerContext, jobId: string, data: JobData, outcome: Omit<LastRun, 'finishedAt'>, finishedAt: Date, error: JobEnded['error'] = null): void {
  if (context.onJob === undefined) return;
  const event: JobEnded = { connectionId: data.connectionId, jobId, kind: data.kind, outcome: { ...outcome, finishedAt }, workerId: context.workerId, error };
  try {
    context.onJob(event);
  } catch (error) {
    context.logger.warn('fleet onJob listener threw', { jobId, error: describe(error) });
  }
}
