/**
 * The plan of a dry run: each record a sync would create, update, link, void, delete, skip or fail, built
 * from what the phases report about each record (its change and its reason), in the order they report it.
 */
import type { Direction, EntityKind, RecordError, RunError } from '../../store/sync-store';
import type { SyncEvent } from '../contracts';

/**
 * One record of a {@link SyncPlan}: what the sync would do to it, where, and why.
 * @example
 * // { side: 'invoiced', action: 'update', entity: 'invoice', direction: 'netsuite_to_invoiced',
 * //   sourceId: '100017', number: 'INV-10012', reason: 'changed in NetSuite', targetId: '42' }
 * const updates = plan.changes.filter((change) => change.action === 'update');
 */
export interface PlannedChange {
  /** Where the change would happen: the service the record would be written to (its target side). */
  side: 'netsuite' | 'invoiced';
  /**
   * `create`, `update`, `void` (on Invoiced) and `delete` (in NetSuite) write the record on `side`; `link`
   * pairs it with a record that is there already, matched by name or found by its IDs, and writes nothing;
   * `skip` needs nothing; `fail` would be a record error (see {@link SyncPlan.recordErrors}).
   */
  action: 'create' | 'update' | 'link' | 'void' | 'delete' | 'skip' | 'fail';
  entity: EntityKind;
  direction: Direction;
  /** The record's ID on the side it comes from. */
  sourceId: string;
  /** The record as a person knows it (invoice #, customer name, payment reference), when the sync read it. */
  number: string | null;
  /**
   * Why: `new open invoice`, `changed in NetSuite`, `matched by name to Invoiced customer #12`,
   * `unchanged`, `imported from NetSuite`..., or the record error's message for `fail`.
   */
  reason: string;
  /** The existing record on `side`, for `update`, `link`, `void` and `delete`. */
  targetId?: string;
  /**
   * For `create`: the placeholder ID the plan gave the record it would create (an Invoiced ID from
   * 9000000000000001 up, or `planned-<n>` in NetSuite). Later changes of the plan that refer to it (a payment of a planned
   * invoice) were planned with this ID; the real sync uses the ID the service gives.
   */
  placeholderId?: string;
}

/**
 * What a sync would do now, computed by `engine.sync({ dryRun: true })` without writing anything.
 * @example
 * const plan = await engine.sync({ dryRun: true });
 * console.log(`${plan.counts.invoices_created ?? 0} invoices to create, ${plan.recordErrors.length} records that would fail`);
 */
export interface SyncPlan {
  dryRun: true;
  startedAt: string;
  finishedAt: string;
  /** Like a run's counts (`invoices_created`, `customers_linked`, `records_failed`...): what would happen. */
  counts: Readonly<Record<string, number>>;
  /** In the order the sync would make them. */
  changes: PlannedChange[];
  /** What would fail, with code and resolution. */
  recordErrors: RecordError[];
  /** A whole-run failure (bad credentials, a service down, cancelled): the plan then stops where it was. */
  error: RunError | null;
}

/** The side a record of a direction is written to. */
const targetSide = (direction: Direction): PlannedChange['side'] => (direction === 'netsuite_to_invoiced' ? 'invoiced' : 'netsuite');

/** Turns the events of a dry run into planned changes and record errors. */
export class PlanRecorder {
  readonly changes: PlannedChange[] = [];
  readonly recordErrors: RecordError[] = [];

  /** Takes one event of the run; events that are not about a record are ignored. */
  event(event: SyncEvent): void {
    if (event.type === 'record_synced') {
      const { direction, entity, sourceId, number, targetId, change, reason } = event;
      const planned = { side: targetSide(direction), entity, direction, sourceId, number, reason };
      if (change === 'none') this.changes.push({ ...planned, action: 'skip' });
      else if (change === 'create') this.changes.push({ ...planned, action: 'create', placeholderId: targetId });
      else this.changes.push({ ...planned, action: change, targetId });
    } else if (event.type === 'record_skipped') {
      const { direction, entity, sourceId, number, reason } = event;
      this.changes.push({ side: targetSide(direction), action: 'skip', entity, direction, sourceId, number, reason });
    } else if (event.type === 'record_failed') {
      const { entity, direction, sourceId, number, message } = event.error;
      this.recordErrors.push(event.error);
      this.changes.push({ side: targetSide(direction), action: 'fail', entity, direction, sourceId, number, reason: message });
    }
  }
}
