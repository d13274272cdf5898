/**
 * The registry side of one job's life, each step one transaction: claim (take it off the waiting list,
 * check the connection, take its limit slots, mark it running), defer (queue it again for later, when a
 * limit or the connection's lease is held, or when the worker drains), and finish (record its outcome).
 */
import type { PgBoss } from 'pg-boss';
import type { Connection, LastRun } from './contracts';
import type { Database, Executor } from './database';
import { takeSlots, type LimitSizes } from './limits';
import { enqueue, MANUAL_PRIORITY } from './queue';
import { isImport, parseConnectionRow, toConnection, triggerOf, type JobData, type Trigger } from './rows';
import type { Statements } from './sql';

export type { Trigger } from './rows';

export interface ClaimContext {
  readonly db: Database;
  readonly sql: Statements;
  readonly boss: PgBoss;
  readonly queue: string;
  readonly limits: LimitSizes;
  readonly workerId: string;
  readonly random: () => number;
}

export type Claim =
  /** The job runs: the connection as it is now, its trigger, and when it started (the database's clock). */
  | { readonly type: 'run'; readonly connection: Connection; readonly trigger: Trigger; readonly startedAt: Date }
  /** The connection was removed or disabled: nothing to do. */
  | { readonly type: 'gone' }
  /** A fleet-wide limit is full: the job was queued again for later. */
  | { readonly type: 'deferred'; readonly jobId: string | null };

/** How long a deferred job waits: 1 s doubled per deferral up to 30 s, ± half. */
export function deferralDelayMs(deferrals: number, random: () => number): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(deferrals, 5));
  return Math.round(base * (0.5 + Math.min(Math.max(random(), 0), 1)));
}

const fallbackTrigger = (data: JobData): Trigger => triggerOf(data.kind, data.dueAt);

export async function claim(context: ClaimContext, jobId: string, data: JobData): Promise<Claim> {
  const { db, sql } = context;
  return db.transaction(async (tx) => {
    const [taken] = await tx.query<{ trigger: Trigger }>(sql.takePending, [data.connectionId, data.kind, jobId]);
    const trigger = taken?.trigger ?? fallbackTrigger(data);
    const [row] = await tx.query(sql.selectConnectionForUpdate, [data.connectionId]);
    if (row === undefined) return { type: 'gone' } as const;
    const connection = toConnection(parseConnectionRow(row));
    if (!connection.enabled) return { type: 'gone' } as const;
    const held = await takeSlots(tx, sql, jobId, connection, context.limits);
    if (!held) {
      const next = await requeue(context, tx, data, trigger, deferralDelayMs(data.deferrals, context.random));
      return { type: 'deferred', jobId: next } as const;
    }
    const [started] = await tx.query<{ running_since: Date | string }>(sql.setRunning, [data.connectionId, jobId, data.kind, context.workerId, trigger]);
    return { type: 'run', connection, trigger, startedAt: new Date(started?.running_since ?? Date.now()) } as const;
  });
}

/**
 * Queues `data` again after `delayMs` with one more deferral. A sync (or a webhook run) that finds another
 * of its kind waiting leaves it to serve (resolves `null`); an import is always queued again, so a half-done
 * import resumes.
 */
async function requeue(context: ClaimContext, tx: Executor, data: JobData, trigger: Trigger, delayMs: number): Promise<string | null> {
  const { sql, queue } = context;
  const [live] = await tx.query(sql.livePending, [[data.connectionId], data.kind, queue]);
  if (live !== undefined && !isImport(data.kind)) return null;
  const [next] = await enqueue(context.boss, queue, tx, [
    { data: { ...data, deferrals: data.deferrals + 1 }, priority: trigger === 'auto' ? 0 : MANUAL_PRIORITY, startAfter: new Date(Date.now() + delayMs) },
  ]);
  if (live === undefined) await tx.query(sql.upsertPending, [data.connectionId, data.kind, next, trigger]);
  return next ?? null;
}

/**
 * Queues a job again after it started: the lease was held elsewhere, or the worker drains. Resolves when
 * it ended, by the database's clock (as its start is).
 */
export async function deferStarted(context: ClaimContext, jobId: string, data: JobData, trigger: Trigger, delayMs: number): Promise<Date> {
  return context.db.transaction(async (tx) => {
    await tx.query(context.sql.releaseSlots, [jobId]);
    await tx.query(context.sql.clearRunning, [data.connectionId, jobId]);
    await requeue(context, tx, data, trigger, delayMs);
    const [row] = await tx.query<{ now: Date | string }>(context.sql.now);
    return new Date(row?.now ?? Date.now());
  });
}

/** Records how a job that ran ended, gives its slots back and clears it as the connection's running job. */
export async function finish(context: ClaimContext, jobId: string, data: JobData, outcome: Omit<LastRun, 'finishedAt'>): Promise<Date> {
  return context.db.transaction(async (tx) => {
    await tx.query(context.sql.releaseSlots, [jobId]);
    const [row] = await tx.query<{ last_finished_at: Date | string }>(context.sql.finishJob, [
      data.connectionId, jobId, outcome.kind, outcome.runId, outcome.status, outcome.startedAt, outcome.lagMs,
    ]);
    return new Date(row?.last_finished_at ?? Date.now());
  });
}

/**
 * Ends a job that started no run (a webhook run with nothing pending): gives its slots back and clears it
 * as the connection's running job, keeping the connection's last run. Resolves when it ended.
 */
export async function endWithoutRun(context: ClaimContext, jobId: string, data: JobData): Promise<Date> {
  return context.db.transaction(async (tx) => {
    await tx.query(context.sql.releaseSlots, [jobId]);
    await tx.query(context.sql.clearRunning, [data.connectionId, jobId]);
    const [row] = await tx.query<{ now: Date | string }>(context.sql.now);
    return new Date(row?.now ?? Date.now());
  });
}

/** Marks a job that failed (and that pg-boss retries) as the connection's waiting job of its kind, unless another one waits. */
export async function rewait(context: ClaimContext, jobId: string, data: JobData, trigger: Trigger): Promise<void> {
  await context.db.transaction(async (tx) => {
    const [live] = await tx.query(context.sql.livePending, [[data.connectionId], data.kind, context.queue]);
    if (live === undefined) await tx.query(context.sql.upsertPending, [data.connectionId, data.kind, jobId, trigger]);
  });
}
