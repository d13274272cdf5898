/**
 * Voids and deletions across the two services: voiding an Invoiced invoice or payment whose NetSuite
 * source was voided or deleted, and following a void on Invoiced to NetSuite (whose REST API has no void:
 * its copy is deleted, or, with `invoicedVoids: 'report'` or when NetSuite refuses, a record error tells a
 * person what to do). Links whose counterpart is gone carry a {@link GONE} fingerprint.
 */
import { isApiError } from '../../errors';
import { MappingError } from '../../mapping/index';
import type { SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { transactionIdByExternalId } from '../netsuite-queries';

/** Link fingerprints that mark a record whose counterpart is gone. */
export const GONE = {
  /** The record was voided (or deleted) and its counterpart voided: nothing more to do. */
  voided: 'voided',
  /** The NetSuite copy of an Invoiced record was deleted by a person in NetSuite. */
  deletedInNetSuite: 'deleted_in_netsuite',
} as const;

/** The kinds of record whose voids the sync follows. */
export type VoidedKind = 'invoice' | 'payment' | 'creditNote' | 'refund';

/** How each kind is named on each side, and where its NetSuite copy is. */
const KINDS = {
  invoice: { what: 'Invoice', netsuiteName: 'invoice', netsuiteType: 'invoice', transactionType: 'CustInvc', prefix: 'inv', code: 'INVOICE_VOIDED_ON_INVOICED' },
  payment: { what: 'Payment', netsuiteName: 'customer payment', netsuiteType: 'customerPayment', transactionType: 'CustPymt', prefix: 'pay', code: 'PAYMENT_VOIDED_ON_INVOICED' },
  creditNote: { what: 'Credit note', netsuiteName: 'credit memo', netsuiteType: 'creditMemo', transactionType: 'CustCred', prefix: 'cn', code: 'CREDIT_NOTE_VOIDED_ON_INVOICED' },
  refund: { what: 'Refund', netsuiteName: 'customer refund', netsuiteType: 'customerRefund', transactionType: 'CustRfnd', prefix: 'ref', code: 'REFUND_VOIDED_ON_INVOICED' },
} as const;

/** The error of an Invoiced record whose NetSuite copy a person deleted. */
export function deletedInNetSuite(entity: VoidedKind, label: string, netsuiteId: string, number: string | null): MappingError {
  const { what, netsuiteName } = KINDS[entity];
  return new MappingError(
    'DELETED_IN_NETSUITE',
    `${what} ${label} was written to NetSuite (${netsuiteName} ${netsuiteId}), and that record was then deleted in NetSuite.`,
    `The sync does not write it again on its own. If it should not exist, void it on Invoiced (the sync then clears this error); otherwise recreate it in NetSuite by hand and ignore this record.`,
    number,
  );
}

/**
 * Voids an Invoiced invoice (`POST /invoices/{id}/void`) or payment (`DELETE /payments/{id}`, Invoiced's
 * only void of a payment, which takes no idempotency key); one that is already voided (an earlier attempt
 * whose answer or link was lost: Invoiced refuses the repeat with a 400) counts as done.
 */
export async function voidOnInvoiced(deps: PhaseDeps, kind: Exclude<VoidedKind, 'refund'>, id: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    if (kind === 'invoice') await deps.writer.invoiced.voidInvoice(id, { signal });
    else if (kind === 'creditNote') await deps.writer.invoiced.voidCreditNote(id, { signal });
    else await deps.writer.invoiced.voidPayment(id, { signal });
  } catch (error) {
    if (!isApiError(error) || error.status !== 400) throw error;
    const voided =
      kind === 'invoice'
        ? (await deps.invoiced.invoices.retrieve(id, { signal })).status === 'voided'
        : kind === 'creditNote'
          ? (await deps.invoiced.creditNotes.retrieve(id, { signal })).status === 'voided'
          : (await deps.invoiced.payments.retrieve(id, { signal })).voided;
    if (!voided) throw error;
  }
}

const DIRECTION = 'invoiced_to_netsuite' as const;

/**
 * Handles a voided Invoiced invoice or payment of the phases that write to NetSuite; throws the record's
 * error for `run.failed`. One without a link may still have a NetSuite copy (the sync wrote it, then
 * stopped before saving the link): it is looked for by the sync's external ID, and when found its link is
 * recovered and the void followed.
 */
export async function followInvoicedVoid(
  run: PhaseRun,
  deps: PhaseDeps,
  record: { kind: VoidedKind; invoicedId: string; label: string; number: string | null; link: SyncLink | null; deleted?: boolean },
): Promise<void> {
  const { kind, invoicedId, label, number } = record;
  // Deleted on Invoiced (its event named it and Invoiced no longer has it) is followed as a void is.
  const gone = record.deleted === true ? 'deleted' : 'voided';
  const ref = { direction: DIRECTION, entity: kind, sourceId: invoicedId, number };
  const link = record.link ?? (await recoverLostLink(deps, kind, invoicedId, run.signal));
  if (link === null || link.fingerprint === GONE.voided) {
    await run.skipped(ref, link === null && gone === 'deleted' ? 'deleted on Invoiced; it was never in NetSuite' : gone);
    return;
  }
  if (link.origin !== 'invoiced') {
    await run.skipped(ref, `${gone}; it came from NetSuite`);
    return;
  }
  const alreadyDeleted = link.fingerprint === GONE.deletedInNetSuite;
  if (!alreadyDeleted) {
    const { what, netsuiteName, code } = KINDS[kind];
    if (deps.settings.invoicedVoids === 'report') {
      throw new MappingError(
        code,
        `${what} ${label} was ${gone} on Invoiced after it was written to NetSuite (${netsuiteName} ${link.netsuiteId}).`,
        `Void or delete the ${netsuiteName} in NetSuite by hand, then ignore this record (or set invoicedVoids: 'delete' to let the sync delete it).`,
        number,
      );
    }
    try {
      await deps.writer.netsuite.delete(KINDS[kind].netsuiteType, link.netsuiteId, { signal: run.signal });
    } catch (error) {
      // Already gone (an earlier attempt whose answer was lost, or a person deleted it): done.
      if (!(isApiError(error) && error.status === 404)) {
        if (!(isApiError(error) && error.status === 400)) throw error;
        throw new MappingError(
          code,
          `${what} ${label} was ${gone} on Invoiced, but NetSuite refused to delete ${netsuiteName} ${link.netsuiteId}: ${error.message}`,
          kind === 'invoice'
            ? 'Unapply or delete the payments and credits of the NetSuite invoice, then retry this record; or void it in NetSuite by hand and ignore this record.'
            : kind === 'creditNote'
              ? 'Unapply the credit memo in NetSuite (from the payments or refunds that apply it), then retry this record; or void it in NetSuite by hand and ignore this record.'
              : kind === 'refund'
                ? 'Void the customer refund in NetSuite by hand (a refund that was paid out may not be deletable), then ignore this record.'
              : 'A deposited payment cannot be deleted: remove it from its deposit in NetSuite, then retry this record; or void it in NetSuite by hand and ignore this record.',
          number,
        );
      }
    }
    run.count(`${kind === 'creditNote' ? 'credit_note' : kind}s_deleted_in_netsuite`);
  }
  await deps.store.saveLink(deps.connectionId, { ...link, fingerprint: GONE.voided });
  await run.succeeded({
    ...ref,
    targetId: link.netsuiteId,
    action: 'updated',
    change: alreadyDeleted ? 'none' : 'delete',
    reason: alreadyDeleted ? `${gone} on Invoiced, and already deleted in NetSuite: nothing to write` : `${gone} on Invoiced`,
  });
}

/**
 * The link of an Invoiced record written to NetSuite whose link was lost, recovered from its NetSuite copy
 * (found by the sync's external ID, one query) and saved with no fingerprint; `null` when NetSuite has no
 * copy. Only voided records without a link are looked for, and they are read only when they changed.
 */
async function recoverLostLink(deps: PhaseDeps, kind: VoidedKind, invoicedId: string, signal: AbortSignal | undefined): Promise<SyncLink | null> {
  const externalId = `invd-${KINDS[kind].prefix}-${invoicedId}`;
  const netsuiteId = await transactionIdByExternalId(deps.netsuite, KINDS[kind].transactionType, externalId, signal);
  if (netsuiteId === undefined) return null;
  return deps.store.saveLink(deps.connectionId, { kind, invoicedId, netsuiteId, origin: 'invoiced', fingerprint: null });
}
