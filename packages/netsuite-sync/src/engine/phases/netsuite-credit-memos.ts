/**
 * Phase `netsuite_credit_memos`: NetSuite credit memos become Invoiced credit notes, with their customers
 * matched or created as invoices' are, and where NetSuite applied a credit memo to invoices the sync
 * imported, one Invoiced payment of 0 (`NS-CM-<id>`) applies the credit note to them (Invoiced applies a
 * credit note to an invoice only through a payment). Credit memos applied inside customer payments are
 * the payments' business (phase `netsuite_payments`). Runs after `netsuite_invoices`, so that the
 * applications see the invoices it imported, and before `netsuite_payments`, so that payments see the
 * credit notes.
 */
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { netsuitePhaseWindow } from '../netsuite-clock';
import { changedCreditMemosQuery, refundedSince } from '../netsuite-queries';
import { mappedSelect, withMappedColumns } from '../mapped-columns';
import { CREDIT_MEMO_BATCH, netsuiteCreditMemoBatches } from '../records/netsuite-credit-memos';
import { pendingRetries, retriesSeen, settleVanished } from '../records/outcomes';
import { inBatches } from '../run/concurrent';

const PHASE = 'netsuite_credit_memos';
const DIRECTION = 'netsuite_to_invoiced' as const;

export const netsuiteCreditMemosPhase: Phase = {
  name: PHASE,
  after: ['netsuite_invoices'],
  enabled: (settings) => settings.phases.readNetSuiteCreditMemos,
  run: importNetSuiteCreditMemos,
};

/** Runs the phase. */
async function importNetSuiteCreditMemos(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const reach = await netsuitePhaseWindow(context, deps, PHASE);
  const pending = await pendingRetries(context, DIRECTION, 'creditNote');
  const { seen, see } = retriesSeen(pending);
  const processBatch = netsuiteCreditMemoBatches(context, deps, { scanAll: reach.since === null, afterEach: see });
  // Credit memos refunded since the last run are read again: one refunded in full is closed on Invoiced.
  const refunded = deps.settings.phases.readNetSuiteRefunds ? refundedSince(reach.since) : undefined;
  const query = changedCreditMemosQuery(reach.since, deps.settings.invoiceStartDate, pending.map((item) => item.sourceId), refunded, mappedSelect(deps.settings.netsuiteFields, 'creditMemo', 't'));
  const rows = withMappedColumns(deps.netsuite.suiteqlAll(query, { signal: context.signal }), deps.settings.netsuiteFields, 'creditMemo');
  const read = await inBatches(rows, CREDIT_MEMO_BATCH, processBatch, { ahead: 1 });
  await settleVanished(context, deps, pending, seen);
  context.count('netsuite_credit_memos_read', read);
  await reach.advance();
}

