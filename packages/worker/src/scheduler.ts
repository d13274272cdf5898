/**
 * The schedule's tick, run by every worker: claims the connections due now (rows another worker is
 * claiming are skipped), moves each one's next run, and queues a scheduled sync for each one that has no
 * sync waiting, all in one transaction: a run is never claimed twice nor lost between claim and queue.
 */
import type { PgBoss } from 'pg-boss';
import type { Database } from './database';
import { enqueue } from './queue';
import type { Statements } from './sql';

/** The most connections one tick claims; a tick that claims this many runs again at once. */
export const TICK_BATCH = 500;

export interface TickResult {
  /** Connections that were due. */
  readonly due: number;
  /** Scheduled syncs queued. */
  readonly queued: number;
  /** Due connections that still had a sync waiting: it serves this round too. */
  readonly coalesced: number;
}

export async function tick(db: Database, sql: Statements, boss: PgBoss, queue: string, batch = TICK_BATCH): Promise<TickResult> {
  return db.transaction(async (tx) => {
    const due = await tx.query<{ id: string; due_at: Date | string }>(sql.claimDue, [batch]);
    if (due.length === 0) return { due: 0, queued: 0, coalesced: 0 };
    const ids = due.map((row) => row.id);
    const live = new Set((await tx.query<{ connection_id: string }>(sql.livePending, [ids, 'sync', queue])).map((row) => row.connection_id));
    const fresh = due.filter((row) => !live.has(row.id));
    const jobIds = await enqueue(
      boss,
      queue,
      tx,
      fresh.map((row) => ({ data: { connectionId: row.id, kind: 'sync' as const, dueAt: new Date(row.due_at).toISOString(), importJobId: null, notify: null, deferrals: 0 } })),
    );
    if (fresh.length > 0) await tx.query(sql.upsertPendingSyncs, [fresh.map((row) => row.id), jobIds]);
    return { due: due.length, queued: fresh.length, coalesced: live.size };
  });
}
