/**
 * Dry runs: `engine.sync({ dryRun: true })` runs the sync's real phases over clients that write nothing
 * (`dry-run-clients.ts`) and a store that keeps its writes to itself (`dry-run-store.ts`), and turns what
 * the phases report into a {@link SyncPlan}: each record that would be created, updated, linked, voided,
 * deleted, skipped or would fail, on which side, and why. See docs/dry-run.md.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../internal/transport';
import { customerDisplayName } from '../mapping/index';
import type { SuiteQLRow } from '../netsuite/suiteql';
import type { Direction, EntityKind, RecordError, RunError, SyncLink, SyncStore } from '../store/sync-store';
import { dryRunInvoiced, dryRunNetSuite, type DryRunRead, type InvoicedResourceName, type PlannedWrite } from './dry-run-clients';
import { dryRunStore } from './dry-run-store';
import { holdLease } from './lease';
import { PHASES, type PhaseDeps } from './phases';
import { valueText } from './records';
import { describeRecordFailure, RunContext, type SyncEvent } from './run-context';

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

/** What `engine.sync()` hands to a dry run besides the phases' dependencies. */
export interface DryRunOptions {
  readonly clock: () => Date;
  readonly logger: Logger | undefined;
  /** Stops the dry run at the next safe point: the plan then ends with the error `CANCELLED`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Computes the plan of a sync of one connection: the enabled phases in order, over dry-run clients and an
 * overlay of the store. Neither service is written to and the store's sync state (links, cursors, retry
 * queue, runs, checkpoints) is only read. The connection's lease is held while the plan is computed, so
 * that no real sync changes what the plan reads; it rejects with `SyncInProgressError` when a sync holds it.
 *
 * @example
 * ```ts
 * const plan = await planSync({ netsuite, invoiced, store, settings, connectionId: 'acme' }, { clock: () => new Date(), logger: undefined });
 * for (const change of plan.changes) console.log(change.side, change.action, change.number, change.reason);
 * ```
 */
export async function planSync(deps: PhaseDeps, options: DryRunOptions): Promise<SyncPlan> {
  const { store, connectionId, settings } = deps;
  const { clock } = options;
  const logger = dryRunLogger(options.logger);
  const startedAt = clock().toISOString();
  const lease = await holdLease(store, connectionId, settings.leaseTtlMs, { signal: options.signal, logger });
  try {
    const recorder = new PlanRecorder();
    const overlay = dryRunStore(store, { clock, onLinkSaved: (saved, previous) => recorder.linkSaved(saved, previous) });
    // A method the dry-run clients do not know stops the plan: it cannot tell what that method would do.
    const unsupported = new AbortController();
    const signal = AbortSignal.any([lease.signal, unsupported.signal]);
    const hooks = {
      onWrite: (write: PlannedWrite) => recorder.write(write),
      onRead: (read: DryRunRead) => recorder.read(read),
      onUnsupported: (error: Error) => unsupported.abort(error),
      existingNetSuiteId: (_type: string, externalId: string) => linkedNetSuiteId(overlay, connectionId, externalId),
      now: clock,
    };
    // One record at a time: the recorder ties each planned write to the record being handled.
    const phaseDeps: PhaseDeps = { ...deps, settings: { ...settings, recordConcurrency: 1 }, netsuite: dryRunNetSuite(deps.netsuite, hooks), invoiced: dryRunInvoiced(deps.invoiced, hooks), store: overlay };
    const runId = `dry-run-${clock().toISOString().replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`;
    await overlay.startRun(connectionId, { id: runId, trigger: 'manual', startedAt });
    const context = new RunContext(runId, connectionId, overlay, signal, clock, (event) => recorder.event(event), logger);
    let error: RunError | null = null;
    try {
      for (const phase of PHASES) {
        if (!phase.enabled(settings)) continue;
        context.checkpoint();
        recorder.phase = phase.name;
        await phase.run(context, phaseDeps);
        await context.flushErrors();
      }
    } catch (failure) {
      await context.flushErrors().catch(() => undefined);
      if (unsupported.signal.aborted) {
        const { code, message, resolution } = describeRecordFailure(unsupported.signal.reason);
        error = { code, message, resolution };
      } else if (lease.signal.aborted) {
        error = { code: 'CANCELLED', message: 'The dry run was stopped before it finished: the plan is incomplete.', resolution: 'Plan again.' };
      } else {
        const { code, message, resolution } = describeRecordFailure(failure);
        error = { code, message, resolution };
        logger?.error?.('sync failed', { runId, code });
      }
    } finally {
      lease.stopRenewal();
    }
    return { dryRun: true, startedAt, finishedAt: clock().toISOString(), counts: { ...context.counts }, changes: recorder.changes, recordErrors: recorder.recordErrors, error };
  } finally {
    await lease.release();
  }
}

/** External IDs of the records the sync writes to NetSuite, with the kind and Invoiced ID of their link. */
const WRITTEN_EXTERNAL_ID = /^invd-(cust|inv|pay)-(\d+)$/;
const KIND_OF_PREFIX: Readonly<Record<string, EntityKind>> = { cust: 'customer', inv: 'invoice', pay: 'payment' };

/** The NetSuite record an upsert by the sync's external ID would write, when the Invoiced record is linked. */
async function linkedNetSuiteId(store: SyncStore, connectionId: string, externalId: string): Promise<string | undefined> {
  const match = WRITTEN_EXTERNAL_ID.exec(externalId);
  const kind = KIND_OF_PREFIX[match?.[1] ?? ''];
  if (match?.[2] === undefined || kind === undefined) return undefined;
  return (await store.findLinkByInvoicedId(connectionId, kind, match[2]))?.netsuiteId;
}

/** The engine's logger, its entries marked as a dry run's (so that "record failed" is not taken for a real failure). */
function dryRunLogger(logger: Logger | undefined): Logger | undefined {
  if (logger === undefined) return undefined;
  const mark = (level: keyof Logger) =>
    logger[level] === undefined ? undefined : (message: string, fields?: Record<string, unknown>) => logger[level]?.(`dry run: ${message}`, { ...fields, dryRun: true });
  return { debug: mark('debug'), info: mark('info'), warn: mark('warn'), error: mark('error') };
}

const SIDE_NAME = { netsuite: 'NetSuite', invoiced: 'Invoiced' } as const;
const RESOURCE_OF: Readonly<Record<EntityKind, InvoicedResourceName>> = { customer: 'customers', invoice: 'invoices', payment: 'payments', creditNote: 'creditNotes' };
const ENTITY_NAME: Readonly<Record<EntityKind, string>> = { customer: 'customer', invoice: 'invoice', payment: 'payment', creditNote: 'credit note' };

/** The side a record of a direction is written to. */
const targetSide = (direction: Direction): PlannedChange['side'] => (direction === 'netsuite_to_invoiced' ? 'invoiced' : 'netsuite');

/**
 * Turns the phases' events, with the writes and link saves that led to each, into planned changes; and
 * remembers the numbers (invoice #, customer name, payment reference) of the records read.
 */
class PlanRecorder {
  readonly changes: PlannedChange[] = [];
  readonly recordErrors: RecordError[] = [];
  /** The phase running, for the reasons that depend on it. */
  phase = '';
  /** Writes and link saves since the last record event: those of the record the next event is about. */
  #writes: PlannedWrite[] = [];
  #links: { saved: SyncLink; previous: SyncLink | null }[] = [];
  /** Numbers of records read: NetSuite transactions (tranid), customers (name), deleted records (name); Invoiced by `resource:id`. */
  readonly #transactions = new Map<string, string>();
  readonly #customers = new Map<string, string>();
  readonly #deleted = new Map<string, string>();
  readonly #invoiced = new Map<string, string>();

  write(write: PlannedWrite): void {
    this.#writes.push(write);
  }

  linkSaved(saved: SyncLink, previous: SyncLink | null): void {
    this.#links.push({ saved, previous });
  }

  read(read: DryRunRead): void {
    if (read.service === 'invoiced') {
      const { record } = read;
      const number = read.resource === 'payments' ? record.reference : read.resource === 'customers' ? record.name : record.number;
      if (typeof number === 'string' && number !== '') this.#invoiced.set(`${read.resource}:${record.id}`, number);
      return;
    }
    this.#readRow(read.row);
  }

  #readRow(row: SuiteQLRow): void {
    const id = valueText(row.id);
    if (id !== '' && 'tranid' in row) {
      const tranid = valueText(row.tranid);
      if (tranid !== '') this.#transactions.set(id, tranid);
    } else if (id !== '' && 'entityid' in row) {
      const name = customerDisplayName(row);
      if (name !== '') this.#customers.set(id, name);
    } else if ('recordid' in row && 'name' in row) {
      const name = valueText(row.name);
      if (name !== '') this.#deleted.set(valueText(row.recordid), name);
    }
  }

  event(event: SyncEvent): void {
    if (event.type === 'record_synced') this.changes.push(this.#synced(event));
    else if (event.type === 'record_skipped') {
      const { entity, direction, sourceId, reason } = event;
      this.changes.push({ side: targetSide(direction), action: 'skip', entity, direction, sourceId, number: this.#number(direction, entity, sourceId), reason });
    } else if (event.type === 'record_failed') {
      const { entity, direction, sourceId, number, message } = event.error;
      this.recordErrors.push(event.error);
      this.changes.push({ side: targetSide(direction), action: 'fail', entity, direction, sourceId, number, reason: message });
    } else return;
    this.#writes = [];
    this.#links = [];
  }

  #number(direction: Direction, entity: EntityKind, sourceId: string): string | null {
    if (direction === 'invoiced_to_netsuite') return this.#invoiced.get(`${RESOURCE_OF[entity]}:${sourceId}`) ?? null;
    if (entity === 'customer') return this.#customers.get(sourceId) ?? null;
    return this.#transactions.get(sourceId) ?? this.#deleted.get(sourceId) ?? null;
  }

  #synced(event: Extract<SyncEvent, { type: 'record_synced' }>): PlannedChange {
    const { entity, direction, sourceId, targetId } = event;
    const side = targetSide(direction);
    const fromNetSuite = direction === 'netsuite_to_invoiced';
    const writes = this.#writes.filter((write) => write.service === side);
    const write = writes.find((candidate) => candidate.id === targetId) ?? writes.at(-1);
    const link = this.#links.find(({ saved }) => saved.kind === entity && (fromNetSuite ? saved.netsuiteId : saved.invoicedId) === sourceId);
    const change = { side, entity, direction, sourceId, number: this.#number(direction, entity, sourceId) };
    const what = ENTITY_NAME[entity];
    const source = fromNetSuite ? 'in NetSuite' : 'on Invoiced';

    if (write?.operation === 'create' || (write === undefined && event.action === 'created')) {
      const reason =
        entity === 'customer'
          ? `not ${fromNetSuite ? 'on Invoiced' : 'in NetSuite'} yet: no ${fromNetSuite ? '' : 'active '}customer there has its name`
          : entity === 'invoice' && fromNetSuite
            ? 'new open invoice'
            : `new ${what} ${source}`;
      return { ...change, action: 'create', reason, placeholderId: targetId };
    }
    if (write?.operation === 'void') {
      return { ...change, action: 'void', reason: this.phase === 'netsuite_deletions' ? 'deleted in NetSuite' : 'voided in NetSuite', targetId };
    }
    if (write?.operation === 'delete') return { ...change, action: 'delete', reason: 'voided on Invoiced', targetId };
    if (write?.operation === 'update') {
      if (link === undefined || link.previous !== null) return { ...change, action: 'update', reason: `changed ${source}`, targetId };
      const found = !fromNetSuite ? 'found in NetSuite by its external ID' : entity === 'payment' ? 'found on Invoiced by its reference' : 'found on Invoiced by metadata.netsuite_id';
      return { ...change, action: 'update', reason: `${found}, not linked yet`, targetId };
    }
    if (event.action === 'linked') {
      const other = SIDE_NAME[side];
      const label = side === 'invoiced' ? `#${targetId}` : targetId;
      const reason =
        entity === 'customer' && (link?.saved.origin === side || !fromNetSuite)
          ? `matched by name to ${other} customer ${label}`
          : fromNetSuite
            ? `found on Invoiced by metadata.netsuite_id: ${what} ${label}`
            : `linked to ${other} ${what} ${label}`;
      return { ...change, action: 'link', reason, targetId };
    }
    // Counted as updated, but neither service is written: only the sync's own link changes.
    const reason = this.phase === 'invoiced_invoices' || this.phase === 'invoiced_payments' ? 'voided on Invoiced, and already deleted in NetSuite: nothing to write' : 'nothing to write: only the link changes';
    return { ...change, action: 'skip', reason };
  }
}
