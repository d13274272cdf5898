/**
 * What each kind of import reads from NetSuite and how it handles a batch of it: the whole A/R customer
 * list, customer by customer; every open invoice, with the invoice handler of phase `netsuite_invoices`.
 */
import type { SuiteQLQuery } from '../../netsuite/sql';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { importCountQuery, importRowsQuery } from '../netsuite-queries';
import { mappedSelect } from '../mapped-columns';
import { InvoicedCustomers } from '../records/invoiced-customers';
import { INVOICE_BATCH, netsuiteInvoiceBatches } from '../records/netsuite-invoices';
import { forEachConcurrently } from '../run/concurrent';
import type { ImportKind } from './types';

/** Customers handled per checkpoint. */
const CUSTOMER_BATCH = 100;

/** One kind of import: what it reads, how it counts it, how it handles a batch. */
export interface ImportSource {
  readonly phase: string;
  readonly batchSize: number;
  /** Counts each row handled (so a run's count equals its progress). */
  readonly readCounter: string;
  /** The rows after `cursor` (a NetSuite internal ID), without order: `suiteqlAll` orders them by id. */
  rows(after: string | null): SuiteQLQuery;
  /** The record type whose mapped columns `rows` reads (for a clear error when SuiteQL cannot read them). */
  readonly mappedType: 'customer' | 'invoice';
  /** How many rows there are after `cursor`. */
  count(after: string | null): SuiteQLQuery;
  /** Handles a batch, calling `afterEach` once each row is done. */
  batches(run: PhaseRun, deps: PhaseDeps, afterEach: (row: SuiteQLRow) => void): (batch: SuiteQLRow[]) => Promise<void>;
}

/** The source of a kind of import. */
export function sourceOf(kind: ImportKind, deps: PhaseDeps): ImportSource {
  const startDate = deps.settings.invoiceStartDate;
  if (kind === 'customers') {
    return {
      phase: 'import_customers',
      batchSize: CUSTOMER_BATCH,
      readCounter: 'netsuite_customers_read',
      mappedType: 'customer',
      rows: (cursor) => importRowsQuery('customers', startDate, cursor, mappedSelect(deps.settings.netsuiteFields, 'customer', 'c')),
      count: (cursor) => importCountQuery('customers', startDate, cursor),
      batches: (run, phaseDeps, afterEach) => {
        const customers = new InvoicedCustomers(run, phaseDeps);
        return async (batch) => {
          await forEachConcurrently(run, batch, phaseDeps.settings.recordConcurrency, async (row) => {
            await customers.importCustomer(row);
            afterEach(row);
          });
          await run.flushErrors();
        };
      },
    };
  }
  return {
    phase: 'import_invoices',
    batchSize: INVOICE_BATCH,
    readCounter: 'netsuite_invoices_read',
    mappedType: 'invoice',
    rows: (cursor) => importRowsQuery('invoices', startDate, cursor, mappedSelect(deps.settings.netsuiteFields, 'invoice', 't')),
    count: (cursor) => importCountQuery('invoices', startDate, cursor),
    // An import reads Invoiced's invoice list once: invoices may be there from before the connection.
    batches: (run, phaseDeps, afterEach) => netsuiteInvoiceBatches(run, phaseDeps, afterEach, { scanAll: true }),
  };
}
