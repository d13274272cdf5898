/**
 * Phase `netsuite_deletions`: records deleted in NetSuite since the cursor (SuiteQL's `DeletedRecord`
 * table). A deleted invoice or payment that came from NetSuite voids its Invoiced counterpart, payments
 * first (an Invoiced invoice with payments applied cannot be voided). A record the sync wrote to NetSuite
 * from Invoiced and a person then deleted in NetSuite is a record error: the sync does not write it again
 * on its own, and says what to do.
 */
import { ApiError, NetSuiteSyncError } from '../errors';
import { MappingError } from '../mapping/index';
import { sql } from '../netsuite/sql';
import type { EntityKind, SyncLink } from '../store/sync-store';
import type { PhaseDeps } from './phases';
import { netsuitePhaseWindow } from './netsuite-clock';
import { valueText, voidOnInvoiced } from './records';
import type { RunContext } from './run-context';

const PHASE = 'netsuite_deletions';

/** Link fingerprints that mark a record whose counterpart is gone. */
export const GONE = {
  /** The record was voided (or deleted) and its counterpart voided: nothing more to do. */
  voided: 'voided',
  /** The NetSuite copy of an Invoiced record was deleted by a person in NetSuite. */
  deletedInNetSuite: 'deleted_in_netsuite',
} as const;

/** The error of an Invoiced record whose NetSuite copy a person deleted. */
export function deletedInNetSuite(entity: 'invoice' | 'payment', label: string, netsuiteId: string, number: string | null): MappingError {
  const what = entity === 'invoice' ? 'Invoice' : 'Payment';
  return new MappingError(
    'DELETED_IN_NETSUITE',
    `${what} ${label} was written to NetSuite (${entity === 'invoice' ? 'invoice' : 'customer payment'} ${netsuiteId}), and that record was then deleted in NetSuite.`,
    `The sync does not write it again on its own. If it should not exist, void it on Invoiced (the sync then clears this error); otherwise recreate it in NetSuite by hand and ignore this record.`,
    number,
  );
}

/** Runs the phase. */
export async function followNetSuiteDeletions(context: RunContext, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, netsuite } = deps;
  const signal = context.signal;
  const reach = await netsuitePhaseWindow(context, deps, PHASE);
  const since = reach.since;
  if (since === null) {
    // Nothing this connection linked can have been deleted before its first run of this phase... except
    // records linked by earlier runs while the phase was off, which `docs/sync-engine.md` explains.
    await reach.advance();
    return;
  }
  const deleted: { id: string; name: string }[] = [];
  try {
    const query = sql`SELECT d.recordid, d.type, d.name FROM deletedrecord d WHERE d.deleteddate > ${since} AND d.type IN ('invoice', 'customerpayment')`;
    for await (const row of netsuite.suiteqlAll(query, { signal, anchor: false })) deleted.push({ id: valueText(row.recordid), name: valueText(row.name) });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 403)) {
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
  const linked: { kind: 'invoice' | 'payment'; link: SyncLink; name: string }[] = [];
  for (const kind of ['payment', 'invoice'] as const) {
    for (const record of deleted) {
      const link = await store.findLinkByNetSuiteId(connectionId, kind, record.id);
      if (link !== null && link.fingerprint !== GONE.voided && link.fingerprint !== GONE.deletedInNetSuite) linked.push({ kind, link, name: record.name });
    }
  }
  const stillThere = await existingTransactions(deps, linked.map((entry) => entry.link.netsuiteId), signal);
  const gone = linked.filter((entry) => !stillThere.has(entry.link.netsuiteId));
  // Counterparts that could not be voided on an earlier run are tried again.
  const retries = await store.listRetries(connectionId, { status: 'pending' });
  for (const item of retries) {
    if (item.direction !== 'netsuite_to_invoiced' || item.lastError.code !== 'VOID_AFTER_DELETE_FAILED') continue;
    if (item.entity !== 'invoice' && item.entity !== 'payment') continue;
    if (gone.some((entry) => entry.kind === item.entity && entry.link.netsuiteId === item.sourceId)) continue;
    const link = await store.findLinkByNetSuiteId(connectionId, item.entity, item.sourceId);
    if (link !== null && link.fingerprint !== GONE.voided) gone.push({ kind: item.entity, link, name: item.number ?? '' });
  }

  for (const { kind, link, name } of gone) {
    context.checkpoint();
    const number = name === '' ? null : name;
    if (link.origin === 'netsuite') {
      const sourceId = link.netsuiteId;
      try {
        await voidOnInvoiced(deps, kind, Number(link.invoicedId), signal);
        await store.saveLink(connectionId, { ...link, fingerprint: GONE.voided });
        context.count(`${kind}s_voided`);
        await context.succeeded('netsuite_to_invoiced', kind, sourceId, link.invoicedId, 'updated');
      } catch (error) {
        await context.failed('netsuite_to_invoiced', kind, sourceId, number, deletionFailure(kind, number ?? sourceId, link, error), null);
      }
    } else {
      // Named as on Invoiced, where the record lives on; one that is voided there needs nothing more.
      const { voided, invoicedNumber } = await invoicedState(deps, kind, Number(link.invoicedId), signal);
      await store.saveLink(connectionId, { ...link, fingerprint: voided ? GONE.voided : GONE.deletedInNetSuite });
      if (voided) {
        context.skipped('invoiced_to_netsuite', kind, link.invoicedId, 'deleted in NetSuite, voided on Invoiced');
        continue;
      }
      const error = deletedInNetSuite(kind, invoicedNumber ?? `#${link.invoicedId}`, link.netsuiteId, invoicedNumber);
      await context.failed('invoiced_to_netsuite', kind, link.invoicedId, invoicedNumber, error, null);
    }
  }
  await context.flushErrors();
  await reach.advance();
}

/** Whether an Invoiced invoice or payment is voided, and its number (invoice #, payment reference). */
async function invoicedState(
  deps: PhaseDeps,
  kind: 'invoice' | 'payment',
  id: number,
  signal: AbortSignal | undefined,
): Promise<{ voided: boolean; invoicedNumber: string | null }> {
  if (kind === 'invoice') {
    const invoice = await deps.invoiced.invoices.retrieve(id, { signal });
    return { voided: invoice.status === 'voided', invoicedNumber: invoice.number ?? null };
  }
  const payment = await deps.invoiced.payments.retrieve(id, { signal });
  return { voided: payment.voided, invoicedNumber: payment.reference ?? null };
}

/** The transactions among `ids` that exist in NetSuite. */
async function existingTransactions(deps: PhaseDeps, ids: readonly string[], signal: AbortSignal | undefined): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500).map(Number);
    for await (const row of deps.netsuite.suiteqlAll(sql`SELECT t.id FROM transaction t WHERE t.id IN ${chunk}`, { signal })) found.add(valueText(row.id));
  }
  return found;
}

/** Why voiding the counterpart of a deleted NetSuite record failed, for a person. */
function deletionFailure(kind: EntityKind, label: string, link: SyncLink, error: unknown): unknown {
  if (!(error instanceof ApiError) || error.status !== 400) return error;
  const what = kind === 'invoice' ? 'invoice' : 'payment';
  return new MappingError(
    'VOID_AFTER_DELETE_FAILED',
    `The NetSuite ${what} ${label} was deleted, but Invoiced refused to void its ${what} #${link.invoicedId}: ${error.message}`,
    kind === 'invoice'
      ? 'Void or remove the payments applied to the Invoiced invoice first (those of NetSuite are voided by the sync when they are deleted), then retry this record.'
      : 'Check the Invoiced payment; void it by hand if it should not exist, then ignore this record.',
    label,
  );
}
