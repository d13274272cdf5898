/**
 * Runs whose process died: a run is recorded `running` when it starts and ended when it ends, so a
 * process killed in between leaves it `running`. Once its lease is gone (expired, then taken by another
 * run, or found free when Recent Syncs is read), no one can end it: it is closed as `abandoned`, with when
 * and why, so that Recent Syncs never shows a dead run as running.
 */
import { randomUUID } from 'node:crypto';
import { isErrorOfClass } from '../../errors';
import type { Logger } from '../../options';
import type { SyncRun, SyncStore } from '../../store/sync-store';

/** Runs looked at per close: a connection has one run at a time, so more than one open run is rare. */
const OPEN_RUNS_LIMIT = 100;

/**
 * Closes the connection's runs still `running` as `abandoned`. Call it only while holding the connection's
 * lease (no live run can be among them). Resolves to the runs it closed.
 */
export async function closeAbandonedRuns(store: SyncStore, connectionId: string, clock: () => Date, logger?: Logger): Promise<SyncRun[]> {
  const open = await store.listRuns(connectionId, { status: 'running', limit: OPEN_RUNS_LIMIT, errorsPerRun: 0 });
  const closed: SyncRun[] = [];
  for (const run of open) {
    const at = clock().toISOString();
    try {
      closed.push(
        await store.finishRun(connectionId, run.id, {
          status: 'abandoned',
          finishedAt: at,
          counts: { ...run.counts },
          error: {
            code: 'ABANDONED',
            message: `The process running this run stopped before it finished; its lease had expired when it was found at ${at}.`,
            resolution: 'Nothing to do: what the run finished stays done, and the next run goes on from the last cursor each phase completed. If processes stop often, look at their logs (out of memory, a deploy that kills them).',
          },
        }),
      );
    } catch (error) {
      // Ended meanwhile by its own process (its lease had only just expired): nothing to close.
      if (!isErrorOfClass(error, 'RunStateError')) throw error;
    }
  }
  if (closed.length > 0) logger?.warn?.('closed runs of processes that stopped', { connectionId, runIds: closed.map((run) => run.id) });
  return closed;
}

/**
 * Closes abandoned runs if the connection's lease is free now (its holder died or finished), taking the
 * lease for a moment to be sure no live run is closed; does nothing while a run holds it. For reads of
 * Recent Syncs that find a run `running`.
 */
export async function closeAbandonedRunsIfFree(store: SyncStore, connectionId: string, clock: () => Date, logger?: Logger): Promise<boolean> {
  const probe = `recent-syncs-${randomUUID()}`;
  if (!(await store.acquireLease(connectionId, probe, 30_000))) return false;
  try {
    return (await closeAbandonedRuns(store, connectionId, clock, logger)).length > 0;
  } finally {
    await store.releaseLease(connectionId, probe);
  }
}
