/**
 * Dry runs: `engine.sync({ dryRun: true })` is a run of the sync's phases on the one run lifecycle, with
 * the planning writer behind the write port and an overlay of the store that keeps its writes to itself.
 * Records are handled side by side as in a real run; the plan is what the phases report about each record.
 * See docs/dry-run.md.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../options';
import type { Phase, PhaseDeps } from '../contracts';
import { InboxTargets } from '../records/targets';
import { runLifecycle } from '../run/lifecycle';
import { workWithTargets } from '../targeted-sync';
import { dryRunStore } from './overlay-store';
import { PlanRecorder, type SyncPlan } from './plan';
import { planningWriter } from './planning-writer';

/** What `engine.sync()` hands to a dry run besides the phases' dependencies. */
export interface DryRunOptions {
  readonly phases: readonly Phase[];
  readonly clock: () => Date;
  readonly logger: Logger | undefined;
  /** Stops the dry run at the next safe point: the plan then ends with the error `CANCELLED`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Computes the plan of a sync of one connection: the enabled phases in order, writing through the planning
 * writer to an overlay of the store. Neither service is written to and the store's sync state (links,
 * cursors, retry queue, runs, checkpoints) is only read. The connection's lease is held while the plan is
 * computed, so that no real sync changes what the plan reads.
 * @throws {SyncInProgressError} when a sync or an import holds the connection's lease.
 */
export async function planSync(deps: PhaseDeps, options: DryRunOptions): Promise<SyncPlan> {
  const { store, connectionId, settings } = deps;
  const { clock } = options;
  const startedAt = clock().toISOString();
  const overlay = dryRunStore(store, { clock });
  const recorder = new PlanRecorder();
  const planDeps: PhaseDeps = { ...deps, store: overlay, writer: planningWriter({ store: overlay, connectionId }), dryRun: true };
  return runLifecycle(
    {
      store,
      runs: overlay,
      connectionId,
      leaseTtlMs: settings.leaseTtlMs,
      signal: options.signal,
      clock,
      emit: (event) => recorder.event(event),
      logger: dryRunLogger(options.logger),
      trigger: 'manual',
      runId: `dry-run-${startedAt.replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`,
      label: 'sync',
      closeAbandoned: false,
    },
    {
      // The inbox's pending events are planned too (a deletion on Invoiced...), and taken only in the overlay.
      work: workWithTargets(options.phases, planDeps, new InboxTargets(overlay, connectionId, { only: false, fromInbox: true }), { prune: false, now: clock }),
      cancelled: () => ({ code: 'CANCELLED', message: 'The dry run was stopped before it finished: the plan is incomplete.', resolution: 'Plan again.' }),
      finished: (outcome) => ({
        dryRun: true,
        startedAt,
        finishedAt: clock().toISOString(),
        counts: { ...outcome.context.counts },
        changes: recorder.changes,
        recordErrors: recorder.recordErrors,
        error: outcome.error,
      }),
    },
  );
}

/** The engine's logger, its entries marked as a dry run's (so that "record failed" is not taken for a real failure). */
function dryRunLogger(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  const mark = (level: keyof Logger) =>
    logger[level] === undefined ? undefined : (message: string, fields?: Record<string, unknown>) => logger[level]?.(`dry run: ${message}`, { ...fields, dryRun: true });
  return { debug: mark('debug'), info: mark('info'), warn: mark('warn'), error: mark('error') };
}
