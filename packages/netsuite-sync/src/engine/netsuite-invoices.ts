/**
 * Phase `netsuite_invoices` (the spec's "importing outstanding invoices" and, during a sync, "importing
 * customers that have invoices"): open NetSuite invoices changed since the cursor become Invoiced
 * invoices, each with its customer matched by name or created.
 */
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { SuiteQLRow } from '../netsuite/suiteql';
import { fingerprint, MappingError, netsuiteInvoiceToInvoiced } from '../mapping/index';
import { InvoicedCustomers, loadNetSuiteCustomers } from './import-customers';
import { forEachConcurrently } from './concurrent';
import { netsuiteClockOf, netsuitePhaseWindow } from './netsuite-clock';
import { InvoicedRecovery } from './recovery';
import { inBatches, pendingRetries, skipUnchanged, valueText, voidOnInvoiced } from './records';
import type { PhaseDeps } from './phases';
import type { RunContext } from './run-context';

const PHASE = 'netsuite_invoices';
const DIRECTION = 'netsuite_to_invoiced' as const;
/** Invoices handled per batch: one SuiteQL request for their lines and one for new customers. */
export const INVOICE_BATCH = 200;

/** The invoice columns {@link netsuiteInvoiceBatches} handles, from `transaction t` joined to its currency `cur`. */
export const INVOICE_SELECT: SuiteQLQuery = sql`SELECT t.id, t.tranid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS duedate,
      t.entity, cur.symbol AS currency, t.foreigntotal, t.foreignamountunpaid, t.externalid, t.memo, BUILTIN.CF(t.status) AS state
    FROM transaction t JOIN currency cur ON cur.id = t.currency`;

/** The invoices of `transaction t` dated on or after `invoiceStartDate` (all of them without one). */
export function invoiceDateFilter(startDate: string | undefined): SuiteQLQuery {
  return startDate === undefined ? sql`1 = 1` : sql`t.trandate >= TO_DATE(${startDate}, 'YYYY-MM-DD')`;
}

function invoiceQuery(since: SuiteQLQuery | null, startDate: string | undefined, retryIds: readonly string[]): SuiteQLQuery {
  const changed = since === null ? sql`1 = 1` : sql`t.lastmodifieddate > ${since}`;
  const retried = retryIds.length === 0 ? sql`1 = 0` : sql`t.id IN ${retryIds.map(Number)}`;
  // Open invoices are imported; voided ones are read too (only when they changed) so a voided invoice
  // that was imported is voided on Invoiced as well.
  return sql`${INVOICE_SELECT}
    WHERE t.type = 'CustInvc' AND ${invoiceDateFilter(startDate)}
      AND ((BUILTIN.CF(t.status) = 'CustInvc:A' AND (${changed} OR ${retried})) OR (BUILTIN.CF(t.status) = 'CustInvc:V' AND ${changed}))`;
}

/**
 * The item and tax lines of invoices, in the order NetSuite shows them. `transactionline` holds more than
 * the item sublist: the main line and COGS lines are left out here (`iscogs` is NULL on some lines, which
 * are not COGS lines), tax lines kept (they become the Invoiced tax). Its `id` is unique only within a
 * transaction, so pages are anchored on `uniquekey`, the one key unique over all lines.
 */
async function loadLines(deps: PhaseDeps, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, SuiteQLRow[]>> {
  const lines = new Map<string, SuiteQLRow[]>();
  const query = sql`SELECT tl.uniquekey, tl.transaction, tl.linesequencenumber, tl.id, tl.item, BUILTIN.DF(tl.item) AS itemname, tl.quantity, tl.rate,
      tl.foreignamount, tl.memo, tl.taxline
    FROM transactionline tl WHERE tl.mainline = 'F' AND (tl.iscogs = 'F' OR tl.iscogs IS NULL) AND tl.transaction IN ${ids.map(Number)}`;
  for await (const row of deps.netsuite.suiteqlAll(query, { signal, anchor: 'uniquekey' })) {
    const key = valueText(row.transaction);
    const list = lines.get(key);
    if (list === undefined) lines.set(key, [row]);
    else list.push(row);
  }
  const position = (row: SuiteQLRow) => Number(row.linesequencenumber ?? row.id);
  for (const list of lines.values()) list.sort((a, b) => position(a) - position(b));
  return lines;
}

/** Runs the phase. */
export async function importNetSuiteInvoices(context: RunContext, deps: PhaseDeps): Promise<void> {
  const { settings } = deps;
  const signal = context.signal;
  const reach = await netsuitePhaseWindow(context, deps, PHASE);
  const pending = await pendingRetries(deps, DIRECTION, 'invoice');

  // suiteqlAll streams in ascending id order, each row once: only one batch is held at a time.
  const query = invoiceQuery(reach.since, settings.invoiceStartDate, pending.map((item) => item.sourceId));
  // On the phase's first run, invoices may already be on Invoiced from before: Invoiced's list is read once.
  const read = await inBatches(deps.netsuite.suiteqlAll(query, { signal }), INVOICE_BATCH, netsuiteInvoiceBatches(context, deps, undefined, { scanAll: reach.since === null }), {
    ahead: 1,
  });
  context.count('netsuite_invoices_read', read);
  // Only now, with every record handled, does the phase move on: a crash or abort before this line
  // re-reads the same window next time, and links make the repeat harmless.
  await reach.advance();
}

/**
 * The handler of batches of NetSuite invoice rows ({@link INVOICE_SELECT}) for one run: the phase's and the
 * invoice import's. For each batch it reads the invoices' lines and customers (one query each), then
 * handles its invoices (created, updated, voided, skipped or failed), `settings.recordConcurrency` at a
 * time, calling `afterEach` once an invoice is done (not necessarily in the batch's order), and writes the
 * batch's record errors to the run.
 */
export function netsuiteInvoiceBatches(
  context: RunContext,
  deps: PhaseDeps,
  afterEach?: (row: SuiteQLRow) => void,
  options: { scanAll: boolean } = { scanAll: true },
): (batch: SuiteQLRow[]) => Promise<void> {
  const { store, connectionId } = deps;
  const signal = context.signal;
  const invoicedCustomers = new InvoicedCustomers(context, deps);
  const recovery = InvoicedRecovery.invoices(context, deps, options);
  /** The NetSuite account's time zone, in which its dates are days: read with the first batch. */
  let timeZone: string | undefined;

  const handleInvoice = async (row: SuiteQLRow, lines: readonly SuiteQLRow[], customer: SuiteQLRow | undefined): Promise<void> => {
    const netsuiteId = valueText(row.id);
    const number = valueText(row.tranid) || null;
    let print: string | null = null;
    try {
      if (valueText(row.externalid).startsWith('invd-inv-')) {
        context.skipped(DIRECTION, 'invoice', netsuiteId, 'written to NetSuite from Invoiced');
        return;
      }
      const link = await store.findLinkByNetSuiteId(connectionId, 'invoice', netsuiteId);
      if (link?.origin === 'invoiced') {
        context.skipped(DIRECTION, 'invoice', netsuiteId, 'came from Invoiced');
        return;
      }
      if (valueText(row.state) === 'CustInvc:V') {
        if (link === null || link.fingerprint === 'voided') {
          context.skipped(DIRECTION, 'invoice', netsuiteId, 'voided');
          return;
        }
        await voidOnInvoiced(deps, 'invoice', Number(link.invoicedId), signal);
        await store.saveLink(connectionId, { ...link, fingerprint: 'voided' });
        await context.succeeded(DIRECTION, 'invoice', netsuiteId, link.invoicedId, 'updated');
        return;
      }
      if (customer === undefined) {
        throw new MappingError('CUSTOMER_NOT_FOUND', `Invoice ${number ?? netsuiteId}: its NetSuite customer ${valueText(row.entity)} cannot be read.`, 'Check that the role can see the customer record, then retry the invoice.', number);
      }
      const customerId = await invoicedCustomers.forInvoice(customer, number ?? netsuiteId);
      const body = netsuiteInvoiceToInvoiced(row, lines, customerId, { timeZone });
      print = fingerprint(body);
      if (await skipUnchanged(context, deps, { direction: DIRECTION, entity: 'invoice', sourceId: netsuiteId, link, fingerprint: print })) return;
      const existing = link !== null ? Number(link.invoicedId) : await recovery.find(netsuiteId, netsuiteId);
      if (existing !== undefined) {
        // An update on Invoiced replaces the whole metadata map: the invoice has its netsuite_id already
        // (it was created with it, or found by it), and whatever else a person put there stays.
        const { metadata: _metadata, ...changes } = body;
        await deps.invoiced.invoices.update(existing, changes, { signal });
        await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(existing), netsuiteId, origin: link?.origin ?? 'netsuite', fingerprint: print });
        await context.succeeded(DIRECTION, 'invoice', netsuiteId, String(existing), 'updated');
        return;
      }
      await recovery.beforeCreate(netsuiteId, number, print);
      const created = await deps.invoiced.invoices.create(body, { idempotencyKey: `ns-inv-${netsuiteId}-${print.slice(0, 24)}`, keepKeyAfterLostResponse: true, signal });
      await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: print });
      await context.succeeded(DIRECTION, 'invoice', netsuiteId, String(created.id), 'created');
    } catch (error) {
      await context.failed(DIRECTION, 'invoice', netsuiteId, number, error, print);
    }
  };

  return async (batch: SuiteQLRow[]) => {
    // Read before any record of the batch: a failure to read NetSuite's clock is the run's, not each record's.
    timeZone ??= (await netsuiteClockOf(context, deps)).mappingTimeZone;
    const ids = batch.map((row) => valueText(row.id));
    const lines = await loadLines(deps, ids, signal);
    const entityIds = [...new Set(batch.map((row) => valueText(row.entity)))];
    const customers = await loadNetSuiteCustomers(deps, entityIds, signal);
    await forEachConcurrently(context, batch, deps.settings.recordConcurrency, async (row) => {
      await handleInvoice(row, lines.get(valueText(row.id)) ?? [], customers.get(valueText(row.entity)));
      afterEach?.(row);
    });
    await context.flushErrors();
  };
}
