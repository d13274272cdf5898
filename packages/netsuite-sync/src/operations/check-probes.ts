/**
 * The connection check's reads of access: SuiteQL on customers, transactions and deleted records and the
 * REST record service in NetSuite; lists of customers, invoices and payments on Invoiced. Each read asks
 * for one record, but the Invoiced customers and invoices reads ask for a page of 100, whose currencies,
 * taxes and discounts the settings proof samples (the same one request each).
 */
import type { InvoicedClient } from '../invoiced/client';
import { InvoicedPermissionError } from '../invoiced/errors';
import type { NetSuiteClient } from '../netsuite/client';
import { NetSuiteApiError, NetSuiteAuthenticationError, NetSuitePermissionError } from '../netsuite/errors';
import type { InvoicedSample, Probe, ProblemFacts } from './check-types';

/** How to reach the role's permissions, said once for every permission problem. */
export const MANAGE_ROLES =
  'In NetSuite, open Setup > Users/Roles > Manage Roles and edit the role of the access token (the role named on the token under ' +
  'Setup > Users/Roles > Access Tokens); on its Permissions tab add';

/** One SuiteQL row at most. */
async function suiteqlProbe(netsuite: NetSuiteClient, query: string, signal: AbortSignal | undefined): Promise<number> {
  const page = await netsuite.suiteql(query, { limit: 1, ...(signal === undefined ? {} : { signal }) });
  return page.items.length;
}

/** A role that cannot see a SuiteQL table gets 400 (`Record '...' was not found`) or 403. */
export function refusedRead(error: unknown): error is NetSuiteApiError {
  if (error instanceof NetSuiteAuthenticationError) return false; // the OAuth 2.0 token endpoint answers 400 too
  return error instanceof NetSuitePermissionError || (error instanceof NetSuiteApiError && error.status === 400);
}

export function permissionProblem(error: NetSuiteApiError, what: string, permissions: string): ProblemFacts {
  return {
    code: error.code,
    message: `NetSuite refused to let the role ${what}: ${error.message}`,
    resolution: `${MANAGE_ROLES} ${permissions}. Save the role and run the check again.`,
  };
}

export function netsuiteProbes(netsuite: NetSuiteClient, followDeletions: boolean): { accepted: string; first: Probe; rest: (Probe | { name: string; skipped: string })[] } {
  const first: Probe = {
    name: 'suiteql',
    run: async (signal) => {
      await suiteqlProbe(netsuite, 'SELECT id FROM customer', signal);
      return 'SuiteQL reads customers.';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? permissionProblem(
            error,
            'read customers with SuiteQL',
            'Setup > REST Web Services (level Full), Reports > SuiteAnalytics Workbook (SuiteQL needs it) and Lists > Customers (level Full: the sync creates customers in NetSuite)',
          )
        : undefined,
  };
  const transactions: Probe = {
    name: 'transactions',
    run: async (signal) => {
      await suiteqlProbe(netsuite, "SELECT id FROM transaction WHERE type IN ('CustInvc', 'CustPymt')", signal);
      return 'SuiteQL reads transactions (invoices and customer payments).';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? permissionProblem(
            error,
            'read invoices and customer payments with SuiteQL',
            "Transactions > Invoice and Transactions > Customer Payment (level Full: the sync creates them, and deletes its copies of records voided on Invoiced unless invoicedVoids is 'report'), Transactions > Find Transaction, and Reports > SuiteAnalytics Workbook",
          )
        : undefined,
  };
  const deleted: Probe = {
    name: 'deleted records',
    run: async (signal) => {
      await suiteqlProbe(netsuite, 'SELECT recordid FROM deletedrecord', signal);
      return 'SuiteQL reads deleted records.';
    },
    diagnose: (error) =>
      refusedRead(error)
        ? {
            code: 'DELETED_RECORDS_UNREADABLE',
            message: `NetSuite refused to list deleted records (${error.code}): ${error.message}`,
            resolution: `${MANAGE_ROLES} Setup > Deleted Records (Permissions > Setup subtab). Or, if invoices and payments deleted in NetSuite should not be followed, turn off settings.phases.followNetSuiteDeletions.`,
          }
        : undefined,
  };
  const records: Probe = {
    name: 'record service',
    run: async (signal) => {
      const list = netsuite.records.list('customer', { pageSize: 1, ...(signal === undefined ? {} : { signal }) });
      await list.next();
      await list.return?.();
      return 'The REST record service reads customers.';
    },
    diagnose: (error) =>
      error instanceof NetSuitePermissionError
        ? permissionProblem(error, 'use the REST record service', 'Setup > REST Web Services (level Full) and Lists > Customers (level Full)')
        : undefined,
  };
  return {
    accepted: `NetSuite account ${netsuite.accountId} accepted the credentials.`,
    first,
    rest: [
      transactions,
      followDeletions
        ? deleted
        : { name: 'deleted records', skipped: 'Not checked: settings.phases.followNetSuiteDeletions is off, so the sync does not read deleted records.' },
      records,
    ],
  };
}

export function invoicedProbes(invoiced: InvoicedClient, sample: InvoicedSample): { accepted: string; first: Probe; rest: Probe[] } {
  const read = (name: 'customers' | 'invoices' | 'payments'): Probe => ({
    name,
    run: async (signal) => {
      const sampled = name !== 'payments';
      const list = invoiced[name].list({ perPage: sampled ? SAMPLE_SIZE : 1, ...(name === 'invoices' ? { sort: 'id DESC' } : {}), ...(signal === undefined ? {} : { signal }) });
      // The first page only: stopping at its size never asks for a second.
      for (let read = 0; read < (sampled ? SAMPLE_SIZE : 1); read += 1) {
        const next = await list.next();
        if (next.done === true) break;
        if (sampled) noteSampled(sample, name, next.value);
      }
      await list.return();
      return `Invoiced lists ${name}.`;
    },
    diagnose: (error) =>
      error instanceof InvoicedPermissionError
        ? {
            code: error.code,
            message: `Invoiced accepted the API key but refused to list ${name}: ${error.message}`,
            resolution: `${error.resolution ?? ''} The sync reads and writes customers, invoices and payments, so the key must be allowed all three.`.trim(),
          }
        : undefined,
  });
  return {
    accepted: `Invoiced (${invoiced.environment}, ${invoiced.baseUrl}) accepted the API key.`,
    first: read('customers'),
    rest: [read('invoices'), read('payments')],
  };
}

/** Records the check samples from each Invoiced list it reads: the first page only. */
const SAMPLE_SIZE = 100;

/** What one record of the sampled page says about the settings a sync needs. */
function noteSampled(sample: InvoicedSample, name: 'customers' | 'invoices', record: unknown): void {
  if (typeof record !== 'object' || record === null) return;
  const fields = record as { currency?: unknown; status?: unknown; draft?: unknown; taxes?: unknown; discounts?: unknown; items?: unknown };
  // Flow 3 writes non-draft invoices only.
  if (name === 'invoices' && (fields.draft === true || fields.status === 'draft')) return;
  sample.records[name] += 1;
  if (typeof fields.currency === 'string' && fields.currency !== '') sample.currencies.add(fields.currency.toUpperCase());
  if (name !== 'invoices') return;
  const lines = Array.isArray(fields.items) ? (fields.items as { taxes?: unknown; discounts?: unknown }[]) : [];
  const nonEmpty = (value: unknown) => Array.isArray(value) && value.length > 0;
  if (nonEmpty(fields.taxes) || lines.some((line) => nonEmpty(line.taxes))) sample.taxed += 1;
  if (nonEmpty(fields.discounts) || lines.some((line) => nonEmpty(line.discounts))) sample.discounted += 1;
}
