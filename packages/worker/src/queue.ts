/**
 * The fleet's pg-boss queue: created once with the `singleton` policy keyed by connection (at most one job
 * of a connection active across every worker: pg-boss's unique index on active jobs per key), and jobs
 * inserted inside the caller's transaction, so a job and the registry row that records it commit together.
 */
import { randomUUID } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { Database, Executor } from './database';
import type { JobData } from './rows';

/** Retries of a job whose handler threw or whose worker died (heartbeat or expiry). */
export const RETRY_LIMIT = 3;
/** An import may run for hours: the longest a job stays active before pg-boss retries it elsewhere. */
export const EXPIRE_SECONDS = 6 * 3_600;
/**
 * How long pg-boss keeps a completed job: a day, not its default 7. Each deferral completes a job and
 * queues another, so a busy limit makes many; the fleet reads none of them once completed (the registry
 * and the store keep each job's outcome and run).
 */
export const DELETE_AFTER_SECONDS = 86_400;
/** Priority of Sync Now and imports over scheduled syncs. */
export const MANUAL_PRIORITY = 10;

export interface BossOptions {
  readonly schema: string;
  /** The worker's instance runs pg-boss's maintenance and monitor; the API's does not. */
  readonly supervise: boolean;
  readonly monitorIntervalSeconds?: number;
  readonly pglite: boolean;
}

export function createBoss(db: Database, options: BossOptions): PgBoss {
  return new PgBoss({
    db: db.boss,
    schema: options.schema,
    supervise: options.supervise,
    schedule: false,
    migrate: true,
    ...(options.pglite ? { backend: 'pglite' as const } : {}),
    ...(options.monitorIntervalSeconds === undefined ? {} : { monitorIntervalSeconds: options.monitorIntervalSeconds, superviseIntervalSeconds: options.monitorIntervalSeconds }),
  });
}

/** The heartbeat of jobs queued before any worker set its own (the workers' default). */
export const DEFAULT_HEARTBEAT_SECONDS = 30;

/**
 * Creates the queue when missing, and sets the heartbeat workers use. pg-boss copies a queue's options
 * into each job as it is queued, so the queue has a heartbeat from its creation (by the API's
 * `migrate()` too): a job queued before any worker started is still retried soon after its worker dies,
 * not after `EXPIRE_SECONDS`.
 */
export async function ensureQueue(boss: PgBoss, name: string, heartbeatSeconds?: number): Promise<void> {
  const options = {
    retryLimit: RETRY_LIMIT,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: EXPIRE_SECONDS,
    deleteAfterSeconds: DELETE_AFTER_SECONDS,
    heartbeatSeconds: heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS,
  };
  if ((await boss.getQueue(name)) === null) {
    try {
      await boss.createQueue(name, { policy: 'singleton', ...options });
      return;
    } catch (error) {
      // Another process created it first.
      if ((await boss.getQueue(name)) === null) throw error;
    }
  }
  if (heartbeatSeconds !== undefined) await boss.updateQueue(name, options);
}

/** A job to queue. */
export interface NewJob {
  readonly data: JobData;
  readonly priority?: number;
  readonly startAfter?: Date;
}

/** Inserts jobs in the transaction `tx`; resolves with their IDs, in order. */
export async function enqueue(boss: PgBoss, queue: string, tx: Executor, jobs: readonly NewJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const ids = jobs.map(() => randomUUID());
  await boss.insert(
    queue,
    jobs.map((job, index) => ({
      id: ids[index],
      data: job.data,
      singletonKey: job.data.connectionId,
      priority: job.priority ?? 0,
      ...(job.startAfter === undefined ? {} : { startAfter: job.startAfter }),
    })),
    { db: tx.boss },
  );
  return ids;
}
