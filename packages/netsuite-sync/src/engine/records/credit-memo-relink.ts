/**
 * A NetSuite credit memo the sync wrote from an Invoiced credit note (external ID `invd-cn-<id>`) whose link
 * was never saved: the process stopped between the write and the link, or the write's answer was lost.
 * Phase `invoiced_credit_notes` would link it again by its external ID, but it runs after the credit memo
 * phases; when a person has applied the memo in NetSuite meanwhile, those phases would report it
 * (CREDIT_MEMO_NOT_LINKED) although the run itself links it a moment later. So they link it here first,
 * when its credit note is still on Invoiced, not voided, and is the memo's source (the same customer,
 * currency and total: a memo someone else gave such an external ID is not taken), and follow its
 * applications in the same run. Also here: whether the credit note of such a memo, linked, is gone from
 * Invoiced (voided or deleted), so that its applications have nowhere to go.
 */
import { compareMoney, MappingError, normalizeCurrencyCode } from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { isInvoicedNotFound } from '../run/failures';
import { valueText } from '../netsuite-queries';

const EXTERNAL_ID = /^invd-cn-(\d{1,18})$/;

/**
 * The link of credit memo `row` to the Invoiced credit note its external ID names, saved now; `null` when
 * that credit note is gone, voided, linked to another memo or not the memo's source (the memo is then
 * reported as before).
 */
export async function relinkWrittenFromInvoiced(context: PhaseRun, deps: PhaseDeps, row: SuiteQLRow): Promise<SyncLink | null> {
  const invoicedId = EXTERNAL_ID.exec(valueText(row.externalid))?.[1];
  if (invoicedId === undefined) return null;
  const { store, connectionId } = deps;
  const netsuiteId = valueText(row.id);
  if ((await store.findLinkByInvoicedId(connectionId, 'creditNote', invoicedId)) !== null) return null;
  let note;
  try {
    note = await deps.invoiced.creditNotes.retrieve(Number(invoicedId), { signal: context.signal });
  } catch (error) {
    if (isInvoicedNotFound(error)) return null;
    throw error;
  }
  if (note.status === 'voided' || !(await isSourceOf(deps, note, row))) return null;
  // No fingerprint: phase invoiced_credit_notes writes the memo again from its credit note (an upsert by
  // the same external ID), as it would have after a lost link.
  return store.saveLink(connectionId, { kind: 'creditNote', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: null });
}

/** Whether the credit note is the memo's source: its customer linked to the memo's, the same currency and total. */
async function isSourceOf(deps: PhaseDeps, note: { customer: number; currency: string; total: number }, row: SuiteQLRow): Promise<boolean> {
  const currency = valueText(row.currency);
  try {
    if (normalizeCurrencyCode(currency) !== normalizeCurrencyCode(note.currency)) return false;
    if (compareMoney(valueText(row.foreigntotal).replace(/^-/, ''), note.total, currency) !== 0) return false;
  } catch {
    return false;
  }
  const customer = await deps.store.findLinkByInvoicedId(deps.connectionId, 'customer', String(note.customer));
  return customer?.netsuiteId === valueText(row.entity);
}

/**
 * Why the applications of a credit memo written from Invoiced have nowhere to go on Invoiced, or
 * `undefined` when they do: its credit note is voided there, or deleted (Invoiced answers 404) while the
 * sync follows deletions. Phase invoiced_credit_notes follows either as a void (the memo deleted in
 * NetSuite, or reported under the credit note).
 * @throws {MappingError} `CREDIT_NOTE_DELETED_ON_INVOICED` when the credit note is deleted and the sync
 * does not follow deletions: nothing else would say why the memo's applications are not on Invoiced.
 */
export async function creditNoteGone(
  deps: PhaseDeps,
  memo: { invoicedId: string; label: string; number: string | null },
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  try {
    return (await deps.invoiced.creditNotes.retrieve(Number(memo.invoicedId), { signal })).status === 'voided' ? 'came from Invoiced, where it is voided' : undefined;
  } catch (error) {
    if (!isInvoicedNotFound(error)) throw error;
  }
  if (deps.settings.phases.followInvoicedDeletions && deps.settings.phases.writeInvoicedCreditNotes) return 'came from Invoiced, where it is deleted';
  throw new MappingError(
    'CREDIT_NOTE_DELETED_ON_INVOICED',
    `Credit memo ${memo.label} is applied in NetSuite, but the Invoiced credit note #${memo.invoicedId} it was written from was deleted on Invoiced: its applications cannot be made there.`,
    'Unapply or delete the credit memo in NetSuite (or apply a credit on Invoiced by hand), then ignore this record. With followInvoicedDeletions and writeInvoicedCreditNotes on, the sync follows such deletions itself.',
    memo.number,
    { entity: 'creditNote' },
  );
}
