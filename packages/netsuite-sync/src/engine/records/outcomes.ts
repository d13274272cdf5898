/**
 * What the phases and import jobs share about a record's outcome: deciding that it needs nothing, the
 * retry items waiting in a direction.
 */
import type { Direction, EntityKind, RetryItem, SyncLink } from '../../store/sync-store';
import { existingTransactions } from '../netsuite-queries';
import type { PhaseDeps, PhaseRun, RecordOutcome } from '../contracts';
import { retryKey } from '../run/failures';

/**
 * Whether a mapped record needs no write: a person ignored it and it has not changed since, or its link
 * says it was last synced with the same content. Reports the skip when it does.
 */
export async function skipUnchanged(
  run: PhaseRun,
  record: { direction: Direction; entity: EntityKind; sourceId: string; number: string | null; link: SyncLink | null; fingerprint: string },
): Promise<boolean> {
  const { direction, entity, sourceId, link, fingerprint } = record;
  const queued = await run.retryItem(retryKey(direction, entity, sourceId));
  if (queued?.status === 'ignored' && queued.fingerprint === fingerprint) {
    await run.skipped(record, 'ignored until it changes', { keepRetry: true });
    return true;
  }
  if (link !== null && link.fingerprint === fingerprint) {
    // A pending item of a record synced as it is now is left over (a run stopped between the link and
    // the item's removal): nothing is left to retry.
    if (queued?.status === 'pending') await run.deleteRetry(queued.key);
    await run.skipped(record, 'unchanged', { keepRetry: true });
    return true;
  }
  return false;
}

/** The retry items waiting in one direction for one kind of record. */
export async function pendingRetries(run: PhaseRun, direction: Direction, entity: EntityKind): Promise<RetryItem[]> {
  const items = await run.retryItems('pending');
  return items.filter((item) => item.direction === direction && item.entity === entity);
}

/**
 * The outcome of an Invoiced record upserted in NetSuite by its external ID: a create when it had no link
 * yet, an update otherwise.
 */
export function upsertedInNetSuite(
  record: { entity: 'invoice' | 'payment' | 'creditNote' | 'refund'; sourceId: string; number: string | null },
  netsuiteId: string,
  linked: boolean,
): RecordOutcome {
  const written = { ...record, direction: 'invoiced_to_netsuite', targetId: netsuiteId } as const;
  const what = record.entity === 'creditNote' ? 'credit note' : record.entity;
  return linked
    ? { ...written, action: 'updated', change: 'update', reason: 'changed on Invoiced' }
    : { ...written, action: 'created', change: 'create', reason: `new ${what} on Invoiced` };
}

/**
 * Which of a phase's retry items (`pending`) its read brought back, for {@link settleVanished}: `see` is
 * told of every record read, and keeps only the IDs of retry items, so that a read of every record of the
 * books (a first sync) holds none of theirs.
 */
export function retriesSeen(pending: readonly RetryItem[]): { readonly seen: ReadonlySet<string>; see: (sourceId: string) => void } {
  const waiting = new Set(pending.map((item) => item.sourceId));
  const seen = new Set<string>();
  return {
    seen,
    see: (sourceId) => {
      if (waiting.has(sourceId)) seen.add(sourceId);
    },
  };
}

/**
 * The NetSuite records a phase read again for their retry items (`pending`) that did not come back: each
 * is no longer in NetSuite (deleted), or no longer one the phase reads (moved before `invoiceStartDate`,
 * say). `onDeleted` handles those NetSuite no longer has (one query tells); every other one, and every one
 * `onDeleted` leaves, is skipped, which takes it out of the retry queue: no item waits for a record that
 * will never be read.
 */
export async function settleVanished(
  run: PhaseRun,
  deps: PhaseDeps,
  pending: readonly RetryItem[],
  seen: ReadonlySet<string>,
  onDeleted?: (item: RetryItem) => Promise<boolean>,
): Promise<void> {
  const vanished = pending.filter((item) => !seen.has(item.sourceId));
  if (vanished.length === 0) return;
  const existing = await existingTransactions(deps.netsuite, vanished.map((item) => item.sourceId), run.signal);
  for (const item of vanished) {
    run.checkpoint();
    const deleted = !existing.has(item.sourceId);
    try {
      if (deleted && onDeleted !== undefined && (await onDeleted(item))) continue;
      await run.skipped(item, deleted ? 'deleted in NetSuite' : 'no longer read from NetSuite (outside the sync now)');
    } catch (error) {
      await run.failed(item, error, item.fingerprint);
    }
  }
}
