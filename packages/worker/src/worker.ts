/**
 * `startWorker()`: one worker process of the fleet. It pulls jobs from the fleet's pg-boss queue with a
 * concurrency of its own, ticks the schedule (every worker does; claims never double), prunes old runs
 * when it is the fleet's turn, and drains on `stop()`.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { FleetWorker, JobKind, WorkerOptions } from './contracts';
import { openCore } from './core';
import { handleJob, type HandlerContext } from './handler';
import { parseRuntimeOptions } from './options';
import { jobData } from './rows';
import { tick, TICK_BATCH } from './scheduler';

/**
 * Starts a worker: resolves once it is pulling jobs. Stop it with `stop()` (on SIGTERM, say): it takes no
 * new job, lets jobs in flight finish for `drainMs`, then cancels them at a safe point and queues them
 * again for another worker.
 *
 * @example
 * ```ts
 * const worker = await startWorker({ database: pool, concurrency: 8, clientsFor: async (connection) => clientsFromVault(connection.id) });
 * process.once('SIGTERM', () => void worker.stop());
 * await worker.done;
 * ```
 */
export async function startWorker(options: WorkerOptions): Promise<FleetWorker> {
  const runtime = parseRuntimeOptions(options);
  const core = openCore(options, { supervise: true, monitorIntervalSeconds: runtime.monitorIntervalSeconds, heartbeatSeconds: runtime.heartbeatSeconds });
  const boss = await core.boss();
  const workerId = runtime.workerId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const drain = new AbortController();
  const inFlight = new Map<string, { connectionId: string; kind: JobKind; done: Promise<void> }>();
  const context: HandlerContext = {
    db: core.db,
    sql: core.sql,
    boss,
    queue: core.queue,
    limits: runtime.limits,
    workerId,
    random: Math.random,
    store: core.store,
    clientsFor: runtime.clientsFor,
    onJob: runtime.onJob,
    onImportFinished: runtime.onImportFinished,
    onEvent: runtime.onEvent,
    logger: core.logger,
    draining: drain.signal,
  };

  await boss.work(core.queue, { localConcurrency: runtime.concurrency, pollingIntervalSeconds: runtime.pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
    if (job === undefined) return;
    const parsed = jobData.safeParse(job.data);
    const done = handleJob(context, job);
    if (parsed.success) inFlight.set(job.id, { connectionId: parsed.data.connectionId, kind: parsed.data.kind, done: done.catch(() => undefined) });
    try {
      await done;
    } finally {
      inFlight.delete(job.id);
    }
  });

  let stopping: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async (): Promise<void> => {
    if (stopping !== undefined) return;
    let again = false;
    try {
      const result = await tick(core.db, core.sql, boss, core.queue);
      again = result.due >= TICK_BATCH;
    } catch (error) {
      core.logger.warn('fleet schedule tick failed; the next tick retries', { error: error instanceof Error ? error.message : String(error) });
    }
    if (runtime.retention !== false && !again) {
      try {
        await prune(core, runtime.retention);
      } catch (error) {
        core.logger.warn('fleet retention failed; it is tried again after `retention.every`', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (stopping === undefined) timer = setTimeout(() => void loop(), again ? 0 : runtime.tickMs);
  };
  void loop();

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearTimeout(timer);
      const grace = setTimeout(() => drain.abort(new Error('the worker is stopping')), runtime.drainMs);
      try {
        await boss.offWork(core.queue, { wait: true });
        // Every handler this worker started has ended (queued again if it was cancelled) before pg-boss stops.
        await Promise.all([...inFlight.values()].map((job) => job.done));
      } finally {
        clearTimeout(grace);
        await core.stop({ graceful: true });
        resolveDone();
      }
    })());

  return {
    workerId,
    running: () => [...inFlight.entries()].map(([jobId, job]) => ({ jobId, connectionId: job.connectionId, kind: job.kind })),
    stop,
    done,
  };
}

/** Prunes Recent Syncs when no worker of the fleet did within `every`. */
async function prune(core: ReturnType<typeof openCore>, retention: { olderThan: number; keepLatest: number; every: number }): Promise<void> {
  const won = await core.db.query(core.sql.takeTurn, ['retention', retention.every]);
  if (won.length === 0) return;
  const result = await core.store.pruneRuns({ olderThan: new Date(Date.now() - retention.olderThan), keepLatest: retention.keepLatest });
  if (result.runsDeleted > 0) core.logger.info('fleet pruned old runs', { ...result });
}
