/**
 * The work of a sync and of a targeted run, both with their records named by ID ({@link InboxTargets}):
 * a sync reads what changed since its cursors and also the records of pending inbox events; a targeted run
 * (`syncRecords()`, `syncPending()`) reads only the records it was given, through the phases that write
 * Invoiced records to NetSuite. Either marks the inbox events it went through as done, once every phase
 * ran; a sync also forgets done events past {@link EVENT_RETENTION_MS}.
 */
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import { EVENT_RETENTION_MS, type SyncStore } from '../store/sync-store';
import type { Phase, PhaseDeps } from './contracts';
import { INBOX_BATCH, waitsForAnotherRecord, type InboxTargets, type SyncTarget } from './records/targets';
import { anchorEventFeed } from './records/event-feed';
import type { RunContext } from './run/run-context';
import { phasesWork } from './run/schedule';

/** A record to sync now, named by its Invoiced ID. */
export interface SyncRecordTarget {
  /** `invoice`, `creditNote`, `payment` or `refund`: what the sync writes from Invoiced to NetSuite. */
  readonly kind: 'invoice' | 'creditNote' | 'payment' | 'refund';
  readonly invoicedId: string | number;
}

const targetsSchema = z
  .array(
    z.strictObject({
      kind: z.enum(['invoice', 'creditNote', 'payment', 'refund']),
      invoicedId: z.union([z.number().int().positive().max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9]\d{0,17}$/, 'must be an Invoiced ID (digits)')]),
    }),
  )
  .min(1, 'name at least one record')
  .max(1000, 'at most 1000 records per run');

/**
 * Validates what `syncRecords()` was given.
 * @throws {ConfigurationError} naming the bad entry.
 */
export function parseSyncTargets(input: unknown): SyncTarget[] {
  const parsed = targetsSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigurationError(`Invalid records to sync: ${parsed.error.issues[0]?.message ?? 'invalid'}.`, { code: 'INVALID_SYNC_TARGETS', issues: toValidationIssues(parsed.error.issues) });
  }
  return parsed.data.map((target) => ({ entity: target.kind, invoicedId: String(target.invoicedId) }));
}

/** The phases a targeted run goes through: those that sync a kind of Invoiced record by ID. */
export function targetedPhases(phases: readonly Phase[]): Phase[] {
  return phases.filter((phase) => phase.targets !== undefined);
}

/**
 * The work of a sync or a targeted run: the phases with `targets`, then the inbox events marked done. A
 * targeted run skips the phases with nothing to do (no record of their kind named, none waiting for
 * another record), so that a payment's run reads nothing about invoices.
 */
export function workWithTargets(phases: readonly Phase[], deps: PhaseDeps, targets: InboxTargets, options: { prune: boolean; now: () => Date }): (context: RunContext) => Promise<void> {
  const withTargets = { ...deps, targets };
  return async (context) => {
    await anchorEventFeed(deps.store, deps.connectionId, context.now());
    const busy = targets.only ? await phasesWithWork(phases, context, targets) : phases;
    await phasesWork(busy, withTargets)(context);
    const synced = new Set(phases.filter((phase) => phase.enabled(deps.settings)).flatMap((phase) => (phase.targets === undefined ? [] : [phase.targets])));
    const done = await targets.complete(synced);
    if (done > 0) context.count('inbox_events_done', done);
    if (options.prune) await deps.store.pruneEvents(deps.connectionId, new Date(options.now().getTime() - EVENT_RETENTION_MS).toISOString());
  };
}

/** The phases of a targeted run that have a record to read: one named, or a retry waiting for another record. */
async function phasesWithWork(phases: readonly Phase[], context: RunContext, targets: InboxTargets): Promise<Phase[]> {
  const waiting = (await context.retryItems('pending')).filter(waitsForAnotherRecord);
  const busy: Phase[] = [];
  for (const phase of phases) {
    const entity = phase.targets;
    if (entity === undefined) continue;
    if ((await targets.names(entity)) || waiting.some((item) => item.entity === entity)) busy.push(phase);
  }
  return busy;
}

/**
 * What a targeted run of the inbox finds: `run` when a pending event names a record some phase of `phases`
 * syncs; otherwise the pending events (customers' only, say) are marked done here, and no run is started.
 */
export async function inboxNeedsRun(store: SyncStore, connectionId: string, phases: readonly Phase[], enabled: (phase: Phase) => boolean): Promise<boolean> {
  const pending = await store.listPendingEvents(connectionId, { limit: INBOX_BATCH });
  if (pending.length === 0) return false;
  const synced = new Set(phases.filter(enabled).map((phase) => phase.targets));
  if (pending.some((event) => synced.has(event.entity))) return true;
  await store.completeEvents(connectionId, pending.map((event) => event.id));
  return false;
}
