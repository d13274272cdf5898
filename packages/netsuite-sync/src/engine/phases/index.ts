/**
 * The phases of an accounting sync, in the order they run: reads first, so that writes see the latest
 * links. Each phase is a file of this folder; none imports another.
 */
import type { Phase } from '../contracts';
import type { SyncSettings } from '../settings';
import { invoicedCreditNotesPhase } from './invoiced-credit-notes';
import { invoicedEventsPhase } from './invoiced-events';
import { invoicedInvoicesPhase } from './invoiced-invoices';
import { invoicedPaymentsPhase } from './invoiced-payments';
import { invoicedRefundsPhase } from './invoiced-refunds';
import { netsuiteCreditMemosPhase } from './netsuite-credit-memos';
import { netsuiteDeletionsPhase } from './netsuite-deletions';
import { netsuiteInvoicesPhase } from './netsuite-invoices';
import { netsuitePaymentsPhase } from './netsuite-payments';

export const PHASES: readonly Phase[] = [
  netsuiteInvoicesPhase,
  netsuiteCreditMemosPhase,
  netsuitePaymentsPhase,
  netsuiteDeletionsPhase,
  invoicedEventsPhase,
  invoicedInvoicesPhase,
  invoicedCreditNotesPhase,
  invoicedPaymentsPhase,
  invoicedRefundsPhase,
];

/**
 * The names of the phases a sync with `settings` runs, in order (a switch such as
 * `phases.readNetSuiteRefunds` changes what a phase reads, not which phases run).
 * @example syncPhaseNames(parseSyncSettings({ phases: { writeInvoicedRefunds: false } })); // ['netsuite_invoices', ..., 'invoiced_payments']
 */
export function syncPhaseNames(settings: SyncSettings): string[] {
  return PHASES.filter((phase) => phase.enabled(settings)).map((phase) => phase.name);
}
