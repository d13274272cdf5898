/**
 * Phase `netsuite_deletions`: linked NetSuite invoices, credit memos, payments and customer refunds that no longer exist. Two sources:
 * SuiteQL's `DeletedRecord` rows since the cursor, and a sweep that checks, a bounded slice per run
 * ({@link DELETION_SWEEP_SIZE} links, in turn by NetSuite ID), that the linked records still exist.
 * `DeletedRecord` alone is not enough: Oracle documents the SuiteQL table for the record types of the new
 * analytics data source only, the deletion log for accounts on the first System Notes only, its `type`
 * values not at all, and it cannot show what was deleted before the phase's first run. Its rows are hints,
 * whatever their type: a linked ID counts as deleted only once `transaction` no longer has it.
 *
 * A deleted invoice or payment that came from NetSuite voids its Invoiced counterpart, payments first (an
 * Invoiced invoice with payments applied cannot be voided). A record the sync wrote to NetSuite from
 * Invoiced and a person then deleted in NetSuite is a record error: the sync does not write it again on
 * its own, and says what to do.
 */
import { isApiError, NetSuiteSyncError } from '../../errors';
import { MappingError } from '../../mapping/index';
import type { EntityKind, SyncLink } from '../../store/sync-store';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { netsuitePhaseWindow } from '../netsuite-clock';
import { existingTransactions, loadDeletedRecords } from '../netsuite-queries';
import { deletedInNetSuite, GONE, voidOnInvoiced } from '../records/voids';
import { isInvoicedNotFound } from '../run/failures';

const PHASE = 'netsuite_deletions';
/** The cursor of the sweep: the NetSuite ID of the last link it checked. */
const SWEEP_CURSOR = 'netsuite_deletions_sweep';
/** How many linked NetSuite invoices and payments each run checks for existence (one SuiteQL request). */
export const DELETION_SWEEP_SIZE = 500;

/** The kinds of linked NetSuite transactions the phase follows, in the order their counterparts are voided. */
const KINDS = ['refund', 'payment', 'creditNote', 'invoice'] as const;

/** A linked record that may have been deleted, with its name from `DeletedRecord` when it came from there. */
interface Suspect {
  readonly kind: (typeof KINDS)[number];
  readonly link: SyncLink;
  readonly name: string;
}

/** NetSuite internal IDs in numeric order (text order for anything else). */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The `size` entries that follow the NetSuite ID `after` (all of them when there are no more than
 * `size`), wrapping around to the first ones; `last` is the ID to continue after on the next run.
 * @example
 * declare const entries: { link: SyncLink }[];
 * sweepSlice(entries, '1004', 500); // the 500 entries after NetSuite ID 1004, then from the start
 */
export function sweepSlice<T extends { readonly link: SyncLink }>(entries: readonly T[], after: string | null, size: number): { slice: T[]; last: string | null } {
  const sorted = [...entries].sort((a, b) => compareIds(a.link.netsuiteId, b.link.netsuiteId));
  if (sorted.length <= size) return { slice: sorted, last: null };
  const start = after === null ? 0 : sorted.findIndex((entry) => compareIds(entry.link.netsuiteId, after) > 0);
  const from = Math.max(0, start);
  const slice = sorted.slice(from, from + size);
  if (slice.length < size) slice.push(...sorted.slice(0, size - slice.length));
  return { slice, last: slice.at(-1)?.link.netsuiteId ?? null };
}

export const netsuiteDeletionsPhase: Phase = {
  name: PHASE,
  after: [],
  enabled: (settings) => settings.phases.followNetSuiteDeletions,
  run: followNetSuiteDeletions,
};

/** Runs the phase. */
async function followNetSuiteDeletions(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, netsuite } = deps;
  const signal = context.signal;
  const reach = await netsuitePhaseWindow(context, deps, PHASE);
  const since = reach.since;
  let deleted: { id: string; name: string }[] = [];
  // On the phase's first run there is no window to read: the sweep alone looks for what was deleted
  // before it (records linked while the phase was off).
  try {
    if (since !== null) deleted = await loadDeletedRecords(netsuite, since, signal);
  } catch (error) {
    if (isApiError(error) && (error.status === 400 || error.status === 403)) {
      throw new NetSuiteSyncError(`NetSuite refused to list deleted records: ${error.message}`, {
        code: 'DELETED_RECORDS_UNREADABLE',
        resolution:
          "Give the integration's role the Deleted Records permission (Setup > Users/Roles > Manage Roles > Permissions > Setup), or turn off settings.phases.followNetSuiteDeletions.",
        cause: error,
      });
    }
    throw error;
  }
  context.count('netsuite_deletions_read', deleted.length);

  // Only records this connection linked matter; a transaction ID that still exists was not deleted as a
  // transaction (DeletedRecord lists every kind of record, and IDs of other kinds can coincide).
  const live = (link: SyncLink | null): link is SyncLink => link !== null && link.fingerprint !== GONE.voided && link.fingerprint !== GONE.deletedInNetSuite;
  const suspects = new Map<string, Suspect>();
  for (const kind of KINDS) {
    for (const record of deleted) {
      const link = await store.findLinkByNetSuiteId(connectionId, kind, record.id);
      if (live(link)) suspects.set(`${kind}:${link.netsuiteId}`, { kind, link, name: record.name });
    }
  }
  const swept: Suspect[] = [];
  for (const kind of KINDS) for (const link of await store.listLinks(connectionId, kind)) if (live(link)) swept.push({ kind, link, name: '' });
  const sweep = sweepSlice(swept, await store.getCursor(connectionId, SWEEP_CURSOR), DELETION_SWEEP_SIZE);
  for (const entry of sweep.slice) if (!suspects.has(`${entry.kind}:${entry.link.netsuiteId}`)) suspects.set(`${entry.kind}:${entry.link.netsuiteId}`, entry);
  context.count('netsuite_links_checked', suspects.size);
  const stillThere = await existingTransactions(netsuite, [...suspects.values()].map((entry) => entry.link.netsuiteId), signal);
  // Payments first, then credit notes: an Invoiced invoice or credit note with payments applied cannot be voided.
  const gone = [...suspects.values()].filter((entry) => !stillThere.has(entry.link.netsuiteId)).sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  // Counterparts that could not be voided on an earlier run are tried again.
  const retries = await context.retryItems('pending');
  for (const item of retries) {
    if (item.direction !== 'netsuite_to_invoiced' || item.lastError.code !== 'VOID_AFTER_DELETE_FAILED') continue;
    if (item.entity !== 'invoice' && item.entity !== 'payment' && item.entity !== 'creditNote') continue;
    if (gone.some((entry) => entry.kind === item.entity && entry.link.netsuiteId === item.sourceId)) continue;
    const link = await store.findLinkByNetSuiteId(connectionId, item.entity, item.sourceId);
    if (link !== null && link.fingerprint !== GONE.voided) gone.push({ kind: item.entity, link, name: item.number ?? '' });
  }

  for (const { kind, link, name } of gone) {
    context.checkpoint();
    const number = name === '' ? null : name;
    if (link.origin === 'netsuite' && kind !== 'refund') {
      const sourceId = link.netsuiteId;
      try {
        await voidOnInvoiced(deps, kind, Number(link.invoicedId), signal);
        await store.saveLink(connectionId, { ...link, fingerprint: GONE.voided });
        context.count(`${kind === 'creditNote' ? 'credit_note' : kind}s_voided`);
        await context.succeeded({ direction: 'netsuite_to_invoiced', entity: kind, sourceId, number, targetId: link.invoicedId, action: 'updated', change: 'void', reason: 'deleted in NetSuite' });
      } catch (error) {
        await context.failed({ direction: 'netsuite_to_invoiced', entity: kind, sourceId, number }, deletionFailure(kind, number ?? sourceId, link, error), null);
      }
    } else {
      // Named as on Invoiced, where the record lives on; one that is voided there, or deleted there too
      // (Invoiced answers 404), needs nothing more.
      const { gone: goneThere, invoicedNumber } = await invoicedState(deps, kind, Number(link.invoicedId), signal);
      await store.saveLink(connectionId, { ...link, fingerprint: goneThere === null ? GONE.deletedInNetSuite : GONE.voided });
      if (goneThere !== null) {
        await context.skipped({ direction: 'invoiced_to_netsuite', entity: kind, sourceId: link.invoicedId, number: invoicedNumber }, `deleted in NetSuite, ${goneThere} on Invoiced`);
        continue;
      }
      const error = deletedInNetSuite(kind, invoicedNumber ?? `#${link.invoicedId}`, link.netsuiteId, invoicedNumber);
      await context.failed({ direction: 'invoiced_to_netsuite', entity: kind, sourceId: link.invoicedId, number: invoicedNumber }, error, null);
    }
  }
  await context.flushErrors();
  if (sweep.last !== null) await store.setCursor(connectionId, SWEEP_CURSOR, sweep.last);
  await reach.advance();
}

/**
 * Whether an Invoiced invoice, credit note, payment or refund is gone there (`voided`, or `deleted`: Invoiced
 * answers 404), and its number (invoice #, payment reference).
 */
async function invoicedState(
  deps: PhaseDeps,
  kind: Suspect['kind'],
  id: number,
  signal: AbortSignal | undefined,
): Promise<{ gone: 'voided' | 'deleted' | null; invoicedNumber: string | null }> {
  const voided = (yes: boolean) => (yes ? ('voided' as const) : null);
  try {
    if (kind === 'creditNote') {
      const note = await deps.invoiced.creditNotes.retrieve(id, { signal });
      return { gone: voided(note.status === 'voided'), invoicedNumber: note.number ?? null };
    }
    if (kind === 'refund') return { gone: voided((await deps.invoiced.refunds.retrieve(id, { signal })).status === 'voided'), invoicedNumber: null };
    if (kind === 'invoice') {
      const invoice = await deps.invoiced.invoices.retrieve(id, { signal });
      return { gone: voided(invoice.status === 'voided'), invoicedNumber: invoice.number ?? null };
    }
    const payment = await deps.invoiced.payments.retrieve(id, { signal });
    return { gone: voided(payment.voided), invoicedNumber: payment.reference ?? null };
  } catch (error) {
    // Deleted on Invoiced as well (its deletion may not have been followed yet): both sides are gone.
    if (isInvoicedNotFound(error)) return { gone: 'deleted', invoicedNumber: null };
    throw error;
  }
}

/** Why voiding the counterpart of a deleted NetSuite record failed, for a person. */
function deletionFailure(kind: EntityKind, label: string, link: SyncLink, error: unknown): unknown {
  if (!isApiError(error) || error.status !== 400) return error;
  const what = kind === 'invoice' ? 'invoice' : kind === 'creditNote' ? 'credit memo' : 'payment';
  const counterpart = kind === 'creditNote' ? 'credit note' : what;
  return new MappingError(
    'VOID_AFTER_DELETE_FAILED',
    `The NetSuite ${what} ${label} was deleted, but Invoiced refused to void its ${counterpart} #${link.invoicedId}: ${error.message}`,
    kind === 'invoice' || kind === 'creditNote'
      ? `Void or remove the payments that apply the Invoiced ${counterpart} first (those of NetSuite are voided by the sync when they are deleted), then retry this record.`
      : 'Check the Invoiced payment; void it by hand if it should not exist, then ignore this record.',
    label,
  );
}
