/**
 * Every SuiteQL statement of the engine and the loaders that run them, side by side: the phases, the
 * import jobs and NetSuite's clock read NetSuite only through these. Statements that are paged by offset
 * carry a unique ORDER BY (NetSuite promises no order for tied rows, so pages of a query without one can
 * repeat or skip rows); `suiteqlAll` pages the others by their `id` (or the anchor named).
 */
import { EXTERNAL_ID_PREFIX, invoicedIdOf } from '../mapping/customers';
import { customerDisplayName, MappingError, type NetSuiteFieldsSettings } from '../mapping/index';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { SuiteQLRow } from '../netsuite/suiteql';
import type { NetSuiteReader } from './contracts';
import { mappedSelect, NO_COLUMNS, withMappedColumns } from './mapped-columns';

type Signal = AbortSignal | undefined;

/** An active NetSuite customer as name matching sees it, with the external ID that tells whose copy it is. */
export interface NetSuiteCustomerName {
  readonly id: string;
  readonly name: string;
  readonly externalId: string | undefined;
  /** Its subsidiary (internal ID), on OneWorld accounts. */
  readonly subsidiary?: string | undefined;
  /** An inactive customer: never matched, but the NetSuite-to-Invoiced phases may still link it (its open invoices). */
  readonly inactive?: true;
}

/** A SuiteQL value (text, or a number in some releases) as text; `''` for anything else. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

const changedSince = (since: SuiteQLQuery | null) => (since === null ? sql`1 = 1` : sql`t.lastmodifieddate > ${since}`);
const retried = (ids: readonly string[]) => (ids.length === 0 ? sql`1 = 0` : sql`t.id IN ${ids.map(Number)}`);
const afterId = (column: SuiteQLQuery, cursor: string | null) => (cursor === null ? sql`1 = 1` : sql`${column} > ${BigInt(cursor)}`);

/** NetSuite's own current time, as the integration user's wall clock. */
export const NETSUITE_NOW: SuiteQLQuery = sql`SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS now FROM DUAL`;

// Invoices

/** The invoice columns the invoice handler reads (and `extra`: {@link mappedSelect}), from `transaction t` joined to its currency `cur`. */
export function invoiceSelect(extra: SuiteQLQuery = NO_COLUMNS): SuiteQLQuery {
  return sql`SELECT t.id, t.tranid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS duedate,
      t.entity, cur.symbol AS currency, t.foreigntotal, t.foreignamountunpaid, t.externalid, t.memo, BUILTIN.CF(t.status) AS state${extra}
    FROM transaction t JOIN currency cur ON cur.id = t.currency`;
}

/** The invoices of `transaction t` dated on or after `invoiceStartDate` (all of them without one). */
export function invoiceDateFilter(startDate: string | undefined): SuiteQLQuery {
  return startDate === undefined ? sql`1 = 1` : sql`t.trandate >= TO_DATE(${startDate}, 'YYYY-MM-DD')`;
}

/**
 * Phase `netsuite_invoices`: open invoices changed since `since`; voided ones too when they changed, so that
 * a voided invoice that was imported is voided on Invoiced as well; invoices paid in full since the last
 * run, so that the Invoiced copy has the invoice's last content; and every invoice waiting in the retry
 * queue, whatever its status now: one whose create went unconfirmed may have been paid or voided since,
 * and its Invoiced copy must still be found.
 */
export function changedInvoicesQuery(since: SuiteQLQuery | null, startDate: string | undefined, retryIds: readonly string[], extra: SuiteQLQuery = NO_COLUMNS, paidSince = since): SuiteQLQuery {
  // Paid in full since the last run, or since a run that never completed began (`paidSince`; none on the very
  // first run): an edit made just before the payment still reaches the Invoiced copy before the payment.
  const paid = paidSince === null ? sql`1 = 0` : sql`BUILTIN.CF(t.status) = 'CustInvc:B' AND ${changedSince(paidSince)}`;
  return sql`${invoiceSelect(extra)}
    WHERE t.type = 'CustInvc' AND ${invoiceDateFilter(startDate)}
      AND ((BUILTIN.CF(t.status) IN ('CustInvc:A', 'CustInvc:V') AND ${changedSince(since)}) OR (${paid}) OR ${retried(retryIds)})`;
}

/**
 * The item and tax lines of invoices by invoice ID, in the order NetSuite shows them. `transactionline`
 * holds more than the item sublist: the main line and COGS lines are left out (`iscogs` is NULL on some
 * lines, which are not COGS lines), tax lines kept (they become the Invoiced tax). Its `id` is unique only
 * within a transaction, so pages are anchored on `uniquekey`, the one key unique over all lines.
 */
export async function loadInvoiceLines(netsuite: NetSuiteReader, ids: readonly string[], signal: Signal): Promise<Map<string, SuiteQLRow[]>> {
  const query = sql`SELECT tl.uniquekey, tl.transaction, tl.linesequencenumber, tl.id, tl.item, BUILTIN.DF(tl.item) AS itemname, tl.quantity, tl.rate,
      tl.foreignamount, tl.memo, tl.taxline
    FROM transactionline tl WHERE tl.mainline = 'F' AND (tl.iscogs = 'F' OR tl.iscogs IS NULL) AND tl.transaction IN ${ids.map(Number)}`;
  const lines = await groupRows(netsuite.suiteqlAll(query, { signal, anchor: 'uniquekey' }), 'transaction');
  const position = (row: SuiteQLRow) => Number(row.linesequencenumber ?? row.id);
  for (const list of lines.values()) list.sort((a, b) => position(a) - position(b));
  return lines;
}

// Customers

/**
 * The NetSuite customer columns the sync reads, from `customer c` joined to its currency `cur`: what
 * `netsuiteCustomerToInvoiced` maps, plus `externalid` (to leave alone the customers written from Invoiced),
 * and `extra` ({@link mappedSelect}).
 */
export function customerSelect(extra: SuiteQLQuery = NO_COLUMNS): SuiteQLQuery {
  return sql`SELECT c.id, c.entityid, c.companyname, c.isperson, c.firstname, c.lastname, c.email, c.phone, c.externalid, cur.symbol AS currency${extra}
    FROM customer c LEFT JOIN currency cur ON cur.id = c.currency`;
}

/** NetSuite customers by internal ID, read with one query (the customers of one batch), with the columns `fields` reads back ({@link mappedSelect}). */
export async function loadNetSuiteCustomers(netsuite: NetSuiteReader, ids: readonly string[], signal: Signal, fields?: NetSuiteFieldsSettings): Promise<Map<string, SuiteQLRow>> {
  const customers = new Map<string, SuiteQLRow>();
  if (ids.length === 0) return customers;
  const query = sql`${customerSelect(fields === undefined ? NO_COLUMNS : mappedSelect(fields, 'customer', 'c'))} WHERE c.id IN ${ids.map(Number)}`;
  const rows = netsuite.suiteqlAll(query, { signal });
  for await (const row of fields === undefined ? rows : withMappedColumns(rows, fields, 'customer')) customers.set(valueText(row.id), row);
  return customers;
}

/**
 * The names of every NetSuite customer (what an Invoiced customer is matched against: the active ones), with
 * whether it is inactive, and its subsidiary when asked (OneWorld accounts only: only they have the column).
 */
export async function loadNetSuiteCustomerNames(netsuite: NetSuiteReader, signal: Signal, withSubsidiary = false): Promise<NetSuiteCustomerName[]> {
  const names: NetSuiteCustomerName[] = [];
  const subsidiary = sql.raw(withSubsidiary ? ', subsidiary' : '');
  const query = sql`SELECT id, entityid, companyname, isperson, firstname, lastname, externalid, isinactive${subsidiary} FROM customer`;
  for await (const row of netsuite.suiteqlAll(query, { signal })) {
    const id = valueText(row.id);
    if (id === '') continue;
    const entry = { id, name: customerDisplayName(row), externalId: valueText(row.externalid) || undefined, subsidiary: valueText(row.subsidiary) || undefined };
    names.push(valueText(row.isinactive) === 'T' ? { ...entry, inactive: true } : entry);
  }
  return names;
}

/**
 * The NetSuite customers the sync wrote from Invoiced (external ID `invd-cust-<id>`), active or not, as
 * Invoiced customer ID to NetSuite internal ID: one paged query, for telling whose copy a customer is.
 */
export async function loadInvoicedCustomerCopies(netsuite: NetSuiteReader, signal: Signal): Promise<Map<string, string>> {
  const copies = new Map<string, string>();
  const query = sql`SELECT id, externalid FROM customer WHERE externalid LIKE ${`${EXTERNAL_ID_PREFIX.cust}%`}`;
  for await (const row of netsuite.suiteqlAll(query, { signal })) {
    const source = invoicedIdOf('cust', row.externalid);
    const id = valueText(row.id);
    if (source !== undefined && id !== '') copies.set(String(source), id);
  }
  return copies;
}

/** The internal ID of the customer with an external ID, active or not, or `undefined` when NetSuite has none: one query. */
export async function customerIdByExternalId(netsuite: NetSuiteReader, externalId: string, signal: Signal): Promise<string | undefined> {
  const page = await netsuite.suiteql(sql`SELECT id FROM customer WHERE externalid = ${externalId}`, { limit: 1, signal });
  const id = valueText(page.items[0]?.id);
  return id === '' ? undefined : id;
}

/** The internal ID of a record written by external ID when NetSuite's answer did not carry it. */
export async function netsuiteIdByExternalId(netsuite: NetSuiteReader, type: 'customer' | 'invoice' | 'credit memo', externalId: string, signal: Signal): Promise<string> {
  const table = type === 'customer' ? sql`customer` : sql`transaction`;
  const page = await netsuite.suiteql(sql`SELECT id FROM ${table} WHERE externalid = ${externalId}`, { limit: 1, signal });
  const id = valueText(page.items[0]?.id);
  if (id === '') {
    throw new MappingError('WRITTEN_RECORD_NOT_FOUND', `NetSuite accepted the ${type} ${externalId} but it cannot be found.`, 'Retry the record; if it persists, check the role can see it.');
  }
  return id;
}

/**
 * The internal ID of the invoice (`CustInvc`) or customer payment (`CustPymt`) with an external ID, or
 * `undefined` when NetSuite has none: one query, for a record the sync may have written without keeping
 * its link.
 */
export async function transactionIdByExternalId(netsuite: NetSuiteReader, type: 'CustInvc' | 'CustPymt' | 'CustCred' | 'CustRfnd', externalId: string, signal: Signal): Promise<string | undefined> {
  const page = await netsuite.suiteql(sql`SELECT t.id FROM transaction t WHERE t.type = ${type} AND t.externalid = ${externalId}`, { limit: 1, signal });
  const id = valueText(page.items[0]?.id);
  return id === '' ? undefined : id;
}

// Payments

/** Phase `netsuite_payments`: customer payments changed since `since` or waiting in the retry queue. */
export function changedPaymentsQuery(since: SuiteQLQuery | null, retryIds: readonly string[], refunded: SuiteQLQuery = sql`1 = 0`): SuiteQLQuery {
  return sql`SELECT t.id, t.tranid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, t.entity, cur.symbol AS currency,
      t.foreigntotal, t.status, t.voided, t.externalid
    FROM transaction t JOIN currency cur ON cur.id = t.currency
    WHERE t.type = 'CustPymt' AND (${changedSince(since)} OR ${retried(retryIds)} OR ${refunded})`;
}

/**
 * The applications of payments (or of credit memos), one row per link, paged by offset in a unique order,
 * with the type of the document each one applies to (`previoustype`): a payment's links from invoices are
 * what it pays, those from credit memos (`CustCred`) the credits it applies.
 */
export function paymentApplicationsQuery(paymentIds: readonly string[]): SuiteQLQuery {
  return sql`SELECT l.nextdoc, l.nextline, l.previousdoc, l.previousline, l.linktype, l.foreignamount, p.type AS previoustype
    FROM NextTransactionLineLink l JOIN transaction p ON p.id = l.previousdoc
    WHERE l.nextdoc IN ${paymentIds.map(Number)} ORDER BY l.nextdoc, l.nextline, l.previousdoc, l.previousline, l.linktype`;
}

// Refunds

/**
 * The customer refunds (not voided) of payments or credit memos, by the document refunded: one row per
 * link from the document to a refund (`nextdoc`, its `tranid`, the `foreignamount` refunded).
 */
export function loadRefunds(netsuite: NetSuiteReader, ids: readonly string[], signal: Signal): Promise<Map<string, SuiteQLRow[]>> {
  const query = sql`SELECT l.previousdoc, l.nextdoc, l.nextline, l.foreignamount, r.tranid FROM NextTransactionLineLink l JOIN transaction r ON r.id = l.nextdoc
    WHERE r.type = 'CustRfnd' AND r.voided = 'F' AND l.previousdoc IN ${ids.map(Number)} ORDER BY l.previousdoc, l.nextdoc, l.nextline`;
  return groupRows(netsuite.suiteqlAll(query, { signal, anchor: false }), 'previousdoc');
}

/**
 * The transactions (payments, credit memos) refunded by customer refunds changed since `since`, as a
 * condition on `transaction t`: read again so that what a refund took is followed. Nothing on a first run.
 */
export function refundedSince(since: SuiteQLQuery | null): SuiteQLQuery {
  if (since === null) return sql`1 = 0`;
  return sql`t.id IN (SELECT l.previousdoc FROM NextTransactionLineLink l JOIN transaction r ON r.id = l.nextdoc WHERE r.type = 'CustRfnd' AND r.lastmodifieddate > ${since})`;
}

// Credit memos

/**
 * Phase `netsuite_credit_memos`: credit memos changed since `since` (on the first run, every one that is
 * open or fully applied: the handler keeps those applied to invoices the sync imports), dated on or after
 * `invoiceStartDate`, plus those waiting in the retry queue.
 */
export function changedCreditMemosQuery(
  since: SuiteQLQuery | null,
  startDate: string | undefined,
  retryIds: readonly string[],
  refunded: SuiteQLQuery = sql`1 = 0`,
  extra: SuiteQLQuery = NO_COLUMNS,
): SuiteQLQuery {
  const wanted = since === null ? sql`BUILTIN.CF(t.status) IN ('CustCred:A', 'CustCred:B')` : changedSince(since);
  return sql`${creditMemoSelect(extra)} WHERE t.type = 'CustCred' AND ((${invoiceDateFilter(startDate)} AND ${wanted}) OR ${retried(retryIds)} OR ${refunded})`;
}

/** Credit memos by internal ID, whatever their status or date (those a payment applies). */
export function creditMemosByIdQuery(ids: readonly string[], extra: SuiteQLQuery = NO_COLUMNS): SuiteQLQuery {
  return sql`${creditMemoSelect(extra)} WHERE t.type = 'CustCred' AND ${retried(ids)}`;
}

function creditMemoSelect(extra: SuiteQLQuery): SuiteQLQuery {
  return sql`SELECT t.id, t.tranid, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, t.entity, cur.symbol AS currency, t.foreigntotal,
      t.foreignamountunpaid, t.externalid, t.memo, BUILTIN.CF(t.status) AS state${extra}
    FROM transaction t JOIN currency cur ON cur.id = t.currency`;
}

/** The applications of payments, by payment ID. */
export function loadPaymentApplications(netsuite: NetSuiteReader, ids: readonly string[], signal: Signal): Promise<Map<string, SuiteQLRow[]>> {
  return groupRows(netsuite.suiteqlAll(paymentApplicationsQuery(ids), { signal, anchor: false }), 'nextdoc');
}

// Deletions

/** `DeletedRecord` rows since `since` (every record type: hints only), paged by offset in a unique order. */
export async function loadDeletedRecords(netsuite: NetSuiteReader, since: SuiteQLQuery, signal: Signal): Promise<{ id: string; name: string }[]> {
  const deleted: { id: string; name: string }[] = [];
  const query = sql`SELECT d.recordid, d.name FROM deletedrecord d WHERE d.deleteddate > ${since} ORDER BY d.deleteddate, d.type, d.recordid`;
  for await (const row of netsuite.suiteqlAll(query, { signal, anchor: false })) deleted.push({ id: valueText(row.recordid), name: valueText(row.name) });
  return deleted;
}

/** The transactions among `ids` that exist in NetSuite, 500 IDs per query. */
export async function existingTransactions(netsuite: NetSuiteReader, ids: readonly string[], signal: Signal): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500).map(Number);
    for await (const row of netsuite.suiteqlAll(sql`SELECT t.id FROM transaction t WHERE t.id IN ${chunk}`, { signal })) found.add(valueText(row.id));
  }
  return found;
}

// Import jobs

/** What an import job reads: active customers, or open invoices from `invoiceStartDate`. */
export type ImportedRecords = 'customers' | 'invoices';

function importFilter(kind: ImportedRecords, startDate: string | undefined, cursor: string | null): SuiteQLQuery {
  if (kind === 'customers') return sql`c.isinactive = 'F' AND ${afterId(sql.raw('c.id'), cursor)}`;
  return sql`t.type = 'CustInvc' AND BUILTIN.CF(t.status) = 'CustInvc:A' AND ${invoiceDateFilter(startDate)} AND ${afterId(sql.raw('t.id'), cursor)}`;
}

/** The rows of an import after `cursor` (a NetSuite internal ID); `suiteqlAll` orders them by id. */
export function importRowsQuery(kind: ImportedRecords, startDate: string | undefined, cursor: string | null, extra: SuiteQLQuery = NO_COLUMNS): SuiteQLQuery {
  return sql`${kind === 'customers' ? customerSelect(extra) : invoiceSelect(extra)} WHERE ${importFilter(kind, startDate, cursor)}`;
}

/** How many rows an import has after `cursor`, as the column `total`. */
export function importCountQuery(kind: ImportedRecords, startDate: string | undefined, cursor: string | null): SuiteQLQuery {
  const table = kind === 'customers' ? sql`customer c` : sql`transaction t`;
  return sql`SELECT COUNT(*) AS total FROM ${table} WHERE ${importFilter(kind, startDate, cursor)}`;
}

async function groupRows(rows: AsyncIterable<SuiteQLRow>, column: string): Promise<Map<string, SuiteQLRow[]>> {
  const groups = new Map<string, SuiteQLRow[]>();
  for await (const row of rows) {
    const key = valueText(row[column]);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [row]);
    else list.push(row);
  }
  return groups;
}
