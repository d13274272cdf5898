/**
 * Phase `netsuite_invoices` (the spec's "importing outstanding invoices" and, during a sync, "importing
 * customers that have invoices"): open NetSuite invoices changed since the cursor become Invoiced
 * invoices, each with its customer matched by name or created.
 */
import { InvoicedInvalidRequestError } from '../invoiced/errors';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { SuiteQLRow } from '../netsuite/suiteql';
import { customerDisplayName, fingerprint, MappingError, matchCustomerByName } from '../mapping/index';
import { ambiguousCustomer, customerAlreadyLinked, inBatches, pendingRetries, skipUnchanged, valueText, voidOnInvoiced } from './records';
import { netsuiteCustomerToInvoiced, netsuiteInvoiceToInvoiced } from '../mapping/index';
import type { PhaseDeps } from './phases';
import type { RunContext } from './run-context';

const PHASE = 'netsuite_invoices';
const DIRECTION = 'netsuite_to_invoiced' as const;
/** Invoices handled per batch: one SuiteQL request for their lines and one for new customers. */
const BATCH = 200;

/** Invoiced customers by normalized name and by `metadata.netsuite_id`, loaded once per run when first needed. */
interface CustomerIndex {
  byName: { id: string; name: string }[];
  byNetSuiteId: Map<string, number>;
}

function invoiceQuery(since: Date | null, startDate: string | undefined, retryIds: readonly string[]): SuiteQLQuery {
  const changed = since === null ? sql`1 = 1` : sql`t.lastmodifieddate > ${since}`;
  const retried = retryIds.length === 0 ? sql`1 = 0` : sql`t.id IN ${retryIds.map(Number)}`;
  const dated = startDate === undefined ? sql`1 = 1` : sql`t.trandate >= TO_DATE(${startDate}, 'YYYY-MM-DD')`;
  // Open invoices are imported; voided ones are read too (only when they changed) so a voided invoice
  // that was imported is voided on Invoiced as well.
  return sql`SELECT t.id, t.tranid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS duedate,
      t.entity, cur.symbol AS currency, t.foreigntotal, t.foreignamountunpaid, t.externalid, t.memo, BUILTIN.CF(t.status) AS state
    FROM transaction t JOIN currency cur ON cur.id = t.currency
    WHERE t.type = 'CustInvc' AND ${dated}
      AND ((BUILTIN.CF(t.status) = 'CustInvc:A' AND (${changed} OR ${retried})) OR (BUILTIN.CF(t.status) = 'CustInvc:V' AND ${changed}))`;
}

async function loadLines(deps: PhaseDeps, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, SuiteQLRow[]>> {
  const lines = new Map<string, SuiteQLRow[]>();
  const query = sql`SELECT tl.id, tl.transaction, tl.item, BUILTIN.DF(tl.item) AS itemname, tl.quantity, tl.rate, tl.foreignamount, tl.memo
    FROM transactionline tl WHERE tl.mainline = 'F' AND tl.transaction IN ${ids.map(Number)}`;
  for await (const row of deps.netsuite.suiteqlAll(query, { signal })) {
    const key = valueText(row.transaction);
    const list = lines.get(key);
    if (list === undefined) lines.set(key, [row]);
    else list.push(row);
  }
  return lines;
}

async function loadCustomers(deps: PhaseDeps, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, SuiteQLRow>> {
  const customers = new Map<string, SuiteQLRow>();
  if (ids.length === 0) return customers;
  const query = sql`SELECT c.id, c.entityid, c.companyname, c.isperson, c.firstname, c.lastname, c.email, cur.symbol AS currency
    FROM customer c LEFT JOIN currency cur ON cur.id = c.currency WHERE c.id IN ${ids.map(Number)}`;
  for await (const row of deps.netsuite.suiteqlAll(query, { signal })) customers.set(valueText(row.id), row);
  return customers;
}

async function loadCustomerIndex(deps: PhaseDeps, signal: AbortSignal | undefined): Promise<CustomerIndex> {
  const index: CustomerIndex = { byName: [], byNetSuiteId: new Map() };
  for await (const customer of deps.invoiced.customers.list({ signal })) {
    index.byName.push({ id: String(customer.id), name: customer.name });
    const netsuiteId = customer.metadata.netsuite_id;
    if (netsuiteId !== undefined) index.byNetSuiteId.set(String(netsuiteId), customer.id);
  }
  return index;
}

/** Runs the phase. */
export async function importNetSuiteInvoices(context: RunContext, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  const cursor = await store.getCursor(connectionId, PHASE);
  const since = cursor === null ? null : new Date(Date.parse(cursor) - settings.cursorOverlapMs);
  const pending = await pendingRetries(deps, DIRECTION, 'invoice');
  let customerIndex: CustomerIndex | undefined;
  const customerIndexOnce = async () => (customerIndex ??= await loadCustomerIndex(deps, signal));

  /** The Invoiced customer of a NetSuite customer: linked, recovered by metadata, matched by name, or created. */
  const invoicedCustomerFor = async (customer: SuiteQLRow, invoiceNumber: string): Promise<number> => {
    const netsuiteId = valueText(customer.id);
    const link = await store.findLinkByNetSuiteId(connectionId, 'customer', netsuiteId);
    if (link !== null) return Number(link.invoicedId);
    const index = await customerIndexOnce();
    const byMetadata = index.byNetSuiteId.get(netsuiteId);
    if (byMetadata !== undefined) {
      await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(byMetadata), netsuiteId, origin: 'netsuite', fingerprint: null });
      await context.succeeded(DIRECTION, 'customer', netsuiteId, String(byMetadata), 'linked');
      return byMetadata;
    }
    const name = customerDisplayName(customer);
    const match = matchCustomerByName(name, index.byName);
    if (match.kind === 'ambiguous') throw ambiguousCustomer(invoiceNumber, name, 'invoiced', match);
    if (match.kind === 'matched') {
      const taken = await store.findLinkByInvoicedId(connectionId, 'customer', match.id);
      if (taken !== null && taken.netsuiteId !== netsuiteId) {
        throw customerAlreadyLinked(invoiceNumber, { side: 'netsuite', id: netsuiteId, name }, match.id, taken.netsuiteId);
      }
      await store.saveLink(connectionId, { kind: 'customer', invoicedId: match.id, netsuiteId, origin: 'invoiced', fingerprint: null });
      await context.succeeded(DIRECTION, 'customer', netsuiteId, match.id, 'linked');
      return Number(match.id);
    }
    const body = netsuiteCustomerToInvoiced(customer);
    const create = (fields: typeof body, key: string) => deps.invoiced.customers.create(fields, { idempotencyKey: key.slice(0, 64), keepKeyAfterLostResponse: true, signal });
    const created = await create(body, `ns-cust-${netsuiteId}-${connectionId}`).catch(async (error: unknown) => {
      if (!(error instanceof InvoicedInvalidRequestError && error.param === 'number' && body.number !== undefined)) throw error;
      // The number is taken: either by this very customer (an earlier attempt whose answer was lost), or
      // by another one, in which case the customer is created without NetSuite's entity ID as its number.
      const existing = await deps.invoiced.customers.findByNetsuiteId(netsuiteId, { signal });
      if (existing !== undefined) return existing;
      const { number: _taken, ...withoutNumber } = body;
      return create(withoutNumber, `ns-cust-nonum-${netsuiteId}-${connectionId}`);
    });
    index.byName.push({ id: String(created.id), name: created.name });
    index.byNetSuiteId.set(netsuiteId, created.id);
    await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: null });
    await context.succeeded(DIRECTION, 'customer', netsuiteId, String(created.id), 'created');
    return created.id;
  };

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
      const customerId = await invoicedCustomerFor(customer, number ?? netsuiteId);
      const body = netsuiteInvoiceToInvoiced(row, lines, customerId);
      print = fingerprint(body);
      if (await skipUnchanged(context, deps, { direction: DIRECTION, entity: 'invoice', sourceId: netsuiteId, link, fingerprint: print })) return;
      const existing = link !== null ? Number(link.invoicedId) : (await deps.invoiced.invoices.findByNetsuiteId(netsuiteId, { signal }))?.id;
      if (existing !== undefined) {
        await deps.invoiced.invoices.update(existing, body, { signal });
        await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(existing), netsuiteId, origin: link?.origin ?? 'netsuite', fingerprint: print });
        await context.succeeded(DIRECTION, 'invoice', netsuiteId, String(existing), 'updated');
        return;
      }
      const created = await deps.invoiced.invoices.create(body, { idempotencyKey: `ns-inv-${netsuiteId}-${print.slice(0, 24)}`, keepKeyAfterLostResponse: true, signal });
      await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: print });
      await context.succeeded(DIRECTION, 'invoice', netsuiteId, String(created.id), 'created');
    } catch (error) {
      await context.failed(DIRECTION, 'invoice', netsuiteId, number, error, print);
    }
  };

  const processBatch = async (batch: SuiteQLRow[]) => {
    const ids = batch.map((row) => valueText(row.id));
    const lines = await loadLines(deps, ids, signal);
    const entityIds = [...new Set(batch.map((row) => valueText(row.entity)))];
    const customers = await loadCustomers(deps, entityIds, signal);
    for (const row of batch) {
      context.checkpoint();
      await handleInvoice(row, lines.get(valueText(row.id)) ?? [], customers.get(valueText(row.entity)));
    }
    await context.flushErrors();
  };

  // suiteqlAll streams in ascending id order, each row once: only one batch is held at a time.
  const query = invoiceQuery(since, settings.invoiceStartDate, pending.map((item) => item.sourceId));
  const read = await inBatches(deps.netsuite.suiteqlAll(query, { signal }), BATCH, processBatch);
  context.count('netsuite_invoices_read', read);
  // Only now, with every record handled, does the phase move on: a crash or abort before this line
  // re-reads the same window next time, and links make the repeat harmless.
  await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}
