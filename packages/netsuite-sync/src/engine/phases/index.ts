/**
 * The phases of an accounting sync, in the order they run: reads first, so that writes see the latest
 * links. Each phase is a file of this folder; none imports another.
 */
import type { Phase } from '../contracts';
import { invoicedCreditNotesPhase } from './invoiced-credit-notes';
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
  invoicedInvoicesPhase,
  invoicedCreditNotesPhase,
  invoicedPaymentsPhase,
  invoicedRefundsPhase,
];
