/**
 * The phases of an accounting sync. Each phase is a file of this folder; none imports another. Each names
 * the phases it runs after (`after`); the others run beside it (`run/schedule.ts`), so that the phases
 * writing NetSuite records to Invoiced and those writing Invoiced records to NetSuite keep both services
 * busy at once. Why each waits for what it waits for:
 *
 * - `netsuite_credit_memos` after `netsuite_invoices`: a memo's applications name invoices, found by link.
 * - `netsuite_payments` starts with the run and reads ahead; it handles a payment once `netsuite_invoices`
 *   has settled, and one that applies credit memos once `netsuite_credit_memos` has too (see
 *   netsuite-payments.ts): a payment applies invoices and credit memos, found by link.
 * - `netsuite_deletions` and `invoiced_events` wait for nothing: one reads NetSuite's deleted records (never a
 *   record another phase reads as changed), the other only fills the inbox.
 * - Every `invoiced_*` phase after `invoiced_events` (the records its events name) and `netsuite_deletions`:
 *   an upsert by external ID would write again a record a person deleted in NetSuite, unless its link already
 *   says so.
 * - `invoiced_invoices` need not wait for `netsuite_invoices`: an invoice that phase creates on Invoiced
 *   carries `metadata.netsuite_id` and is skipped without its link, and a NetSuite invoice written from
 *   Invoiced carries the external ID `invd-inv-<id>` and is skipped by `netsuite_invoices` the same way.
 * - `invoiced_credit_notes` after `netsuite_credit_memos` and `netsuite_payments` (which imports the memos
 *   payments apply): those phases take a memo with the external ID
 *   `invd-cn-<id>` and no link for one whose credit note is gone, so it must not see a memo written
 *   before its link is saved.
 * - `invoiced_payments` once `invoiced_invoices` has written what it could at once (`invoiced_invoices:ready`):
 *   a payment one of whose links (customer, invoices, credit notes) is missing waits for the phases that may
 *   save it (see invoiced-payments.ts). Copies of NetSuite payments carry the reference `NS-PAY-` / `NS-CM-`,
 *   and payments written to NetSuite the external ID `invd-pay-<id>`, each skipped by the other phase.
 * - `invoiced_refunds` last: a refund names its payment and customer, and the NetSuite payment phase reads
 *   refunds as changes of payments.
 *
 * The list is in an order where each phase comes after those it runs after (checked when a run starts).
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
 * The names of the phases a sync with `settings` runs, in the list's order (a switch such as
 * `phases.readNetSuiteRefunds` changes what a phase reads, not which phases run).
 * @example syncPhaseNames(parseSyncSettings({ phases: { writeInvoicedRefunds: false } })); // ['netsuite_invoices', ..., 'invoiced_payments']
 */
export function syncPhaseNames(settings: SyncSettings): string[] {
  return PHASES.filter((phase) => phase.enabled(settings)).map((phase) => phase.name);
}
