/**
 * What the record modules share: the record types, the context a write runs in, and the pieces every
 * REST rendering uses (self links, `{ id, refName }` references, dropping empty fields).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { WriteOrigin } from './body-check';
import type { Stamp } from './dates';
import { prepared } from './statements';

/** The record types the simulator keeps. */
export type NetSuiteRecordType = 'customer' | 'invoice' | 'customerPayment' | 'creditMemo' | 'customerRefund';

/** The record types, in the order books are loaded. */
export const RECORD_TYPES: readonly NetSuiteRecordType[] = ['customer', 'invoice', 'customerPayment', 'creditMemo', 'customerRefund'];

/** A transaction's `type` in SuiteQL. */
export type TransactionType = 'CustInvc' | 'CustPymt' | 'CustCred' | 'CustRfnd';

/** Record type → SuiteQL transaction type. */
export const TRANSACTION_TYPES = { invoice: 'CustInvc', customerPayment: 'CustPymt', creditMemo: 'CustCred', customerRefund: 'CustRfnd' } as const;

/** The record types that are transactions. */
export type TransactionRecordType = Exclude<NetSuiteRecordType, 'customer'>;

/** A record type from a URL path segment (NetSuite matches them case-insensitively). */
export function recordTypeOf(segment: string): NetSuiteRecordType | undefined {
  return RECORD_TYPES.find((type) => type.toLowerCase() === segment.toLowerCase());
}

/** What every write needs. */
export interface StoreContext {
  readonly db: DatabaseSync;
  /** The current moment, stored form. */
  readonly now: () => Stamp;
  /** Today in the account's time zone, as a stored date (its midnight): the date a new transaction gets. */
  readonly today: () => Stamp;
}

/** How a write treats what is not in the body. */
export interface WriteOptions {
  /** Internal ID for a new record (books carry their own). */
  readonly id?: number;
  /** Timestamps to keep instead of now (loading books); derived changes then bump nothing either. */
  readonly timestamps?: { readonly created?: Stamp; readonly lastModified: Stamp };
  /**
   * Sublists whose lines the body replaces (`replace=item,apply` on POST, PATCH and PUT); the others are
   * updated as Oracle's "Updating a Sublist" says (keyed lines merged, other lines added).
   */
  readonly replace?: ReadonlySet<string>;
  /** Who writes: a REST request or, by default, the `state` API (see `body-check.ts`). */
  readonly origin?: WriteOrigin;
}

/** A record as the REST API shows it. */
export type RestRecord = Record<string, unknown>;

/** The record service's base URL below an origin. */
export const RECORD_PATH = '/services/rest/record/v1';

/** `{ rel: 'self', href }`. */
export function selfLinks(href: string): { rel: string; href: string }[] {
  return [{ rel: 'self', href }];
}

/** The URL of a record. */
export function recordUrl(base: string, type: string, id: number | string): string {
  return `${base}${RECORD_PATH}/${type}/${id}`;
}

const DISPLAY_SQL: Readonly<Record<string, string>> = {
  currency: 'SELECT name AS display FROM currency WHERE id = ?',
  subsidiary: 'SELECT name AS display FROM subsidiary WHERE id = ?',
  item: 'SELECT itemid AS display FROM item WHERE id = ?',
  account: 'SELECT fullname AS display FROM account WHERE id = ?',
  customer: 'SELECT entitytitle AS display FROM customer WHERE id = ?',
  transaction: `SELECT CASE type WHEN 'CustInvc' THEN 'Invoice' WHEN 'CustPymt' THEN 'Payment' WHEN 'CustRfnd' THEN 'Customer Refund' ELSE 'Credit Memo' END
    || ' #' || COALESCE(tranid, id) AS display FROM ns_transaction WHERE id = ?`,
};

/** `{ id: '12', refName: 'US Dollar' }` for a reference to a row of `table`; `undefined` when empty. */
export function refTo(db: DatabaseSync, table: keyof typeof DISPLAY_SQL, id: unknown): { id: string; refName?: string } | undefined {
  const key = typeof id === 'number' || typeof id === 'string' || typeof id === 'bigint' ? Number(id) : NaN;
  if (!Number.isSafeInteger(key)) return undefined;
  const sql = DISPLAY_SQL[table];
  const display = sql === undefined ? undefined : prepared(db, sql).get(key)?.display;
  return typeof display === 'string' ? { id: String(key), refName: display } : { id: String(key) };
}

/** Drops `undefined` and `null` fields (NetSuite leaves empty fields out of a record). */
export function compact(record: Record<string, unknown>): RestRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null));
}

/** Keeps `links`, `id` and the listed fields (the `fields` query parameter). */
export function pickFields(record: RestRecord, fields: readonly string[] | undefined): RestRecord {
  if (fields === undefined) return record;
  const wanted = new Set(['links', 'id', ...fields]);
  return Object.fromEntries(Object.entries(record).filter(([key]) => wanted.has(key)));
}

/** `DeletedRecord.type`s of the records each table holds. */
const DELETED_TYPES: Readonly<Record<'customer' | 'ns_transaction', string>> = {
  customer: "'customer'",
  ns_transaction: "'invoice', 'customerpayment', 'creditmemo', 'customerrefund'",
};

/**
 * The next free internal ID of a table: above every record it holds and every one deleted from it, as
 * NetSuite never gives a deleted record's ID to another record.
 */
export function nextId(db: DatabaseSync, table: 'customer' | 'ns_transaction'): number {
  const row = prepared(db, `SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM ${table}),
      (SELECT COALESCE(MAX(recordid), 0) FROM deletedrecord WHERE type IN (${DELETED_TYPES[table]}))) + 1 AS next`)
    .get();
  return Number(row?.next ?? 1);
}

/** `'T'` / `'F'`. */
export function checkbox(value: boolean): 'T' | 'F' {
  return value ? 'T' : 'F';
}
