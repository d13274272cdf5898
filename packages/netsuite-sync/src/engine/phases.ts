import type { InvoicedClient } from '../invoiced/client';
import type { NetSuiteClient } from '../netsuite/client';
import type { SyncStore } from '../store/sync-store';
import { writeInvoicedInvoices } from './invoiced-invoices';
import { writeInvoicedPayments } from './invoiced-payments';
import { importNetSuiteInvoices } from './netsuite-invoices';
import { followNetSuiteDeletions } from './netsuite-deletions';
import { importNetSuitePayments } from './netsuite-payments';
import type { RunContext } from './run-context';
import type { SyncSettings } from './settings';

/** What a phase works with. */
export interface PhaseDeps {
  readonly netsuite: NetSuiteClient;
  readonly invoiced: InvoicedClient;
  readonly settings: SyncSettings;
  readonly store: SyncStore;
  readonly connectionId: string;
}

/** One phase of an accounting sync. */
export interface Phase {
  /** Also the name of its cursor. */
  readonly name: string;
  enabled(settings: SyncSettings): boolean;
  run(context: RunContext, deps: PhaseDeps): Promise<void>;
}

/** The phases, in the order they run: reads first, so that writes see the latest links. */
export const PHASES: readonly Phase[] = [
  {
    name: 'netsuite_invoices',
    enabled: (settings) => settings.phases.readNetSuiteInvoices,
    run: importNetSuiteInvoices,
  },
  {
    name: 'netsuite_payments',
    enabled: (settings) => settings.phases.readNetSuitePayments,
    run: importNetSuitePayments,
  },
  {
    name: 'netsuite_deletions',
    enabled: (settings) => settings.phases.followNetSuiteDeletions,
    run: followNetSuiteDeletions,
  },
  {
    name: 'invoiced_invoices',
    enabled: (settings) => settings.phases.writeInvoicedInvoices,
    run: writeInvoicedInvoices,
  },
  {
    name: 'invoiced_payments',
    enabled: (settings) => settings.phases.writeInvoicedPayments,
    run: writeInvoicedPayments,
  },
];
