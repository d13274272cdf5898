/**
 * A NetSuite credit memo the sync wrote from an Invoiced credit note (external ID `invd-cn-<id>`) whose link
 * was never saved: the process stopped between the write and the link, or the write's answer was lost.
 * Phase `invoiced_credit_notes` would link it again by its external ID, but it runs after the credit memo
 * phases; when a person has applied the memo in NetSuite meanwhile, those phases would report it
 * (CREDIT_MEMO_NOT_LINKED) although the run itself links it a moment later. So they link it here first,
 * when its credit note is still on Invoiced, not voided, and is the memo's source (the same customer,
 * currency and total: a memo someone else gave such an external ID is not taken), and follow its
 * applications in the same run.
 */
import { isApiError } from '../../errors';
import { compareMoney, normalizeCurrencyCode } from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
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
    if (isApiError(error) && error.api === 'invoiced' && error.status === 404) return null;
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
