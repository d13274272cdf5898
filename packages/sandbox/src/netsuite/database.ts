import { DatabaseSync } from 'node:sqlite';
import { statusDisplay, TRANSACTION_STATUSES } from './statuses';
import { prepared } from './statements';

/**
 * The simulator's one store: an in-memory SQLite database shaped like the SuiteQL tables NetSuite
 * exposes, so the REST record service writes where SuiteQL reads.
 *
 * `customer`, `currency`, `subsidiary`, `item` and `account` are plain tables. Money lives in `ns_*` base
 * tables as exact decimal text, and SuiteQL reads it through views of NetSuite's names that cast it to
 * numbers: `transaction`, `transactionline`, `NextTransactionLineLink` and `PreviousTransactionLineLink`
 * (the two link views show the same rows, from the payment's and from the invoice's side; applications of
 * voided payments, credit memos and refunds are left out, as NetSuite drops them when it voids). A link's
 * `previousdoc` is the document applied or refunded (an invoice, a credit memo a payment applies or a
 * refund pays out, a payment a refund pays out), `previoustype` its type, `nextdoc` the transaction using
 * it. `ns_transaction.unapplied` (not in the `transaction` view) keeps a payment's unapplied cash. `deletedrecord` is
 * NetSuite's `DeletedRecord`: a row per deleted record (see `deleted-records.ts`).
 *
 * `transactionline` is every line NetSuite keeps, not only the `item` sublist: the main line, the item
 * lines (`ns_transactionline`, kept with the signs the REST record shows) and the lines NetSuite adds
 * itself (`ns_derivedline`: the tax line of a taxed invoice, the COGS and inventory asset lines of an
 * inventory item), with the ledger's signs: an invoice's item lines are credits, so their `foreignamount`
 * and `quantity` are negative and their `rate` as entered; its main line is the debit to receivables.
 * `uniquekey` is unique over all lines of all transactions; `id` only within a transaction. `iscogs` is
 * `'T'` on COGS lines and NULL on the item lines of items that carry no cost (a reader must not take NULL
 * for `'T'`, nor count on `'F'`).
 * Dates are stored as `YYYY-MM-DDTHH:MM:SSZ` (see `dates.ts`); checkboxes as `'T'` / `'F'`.
 */
const SCHEMA = `
CREATE TABLE currency (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  currencyprecision INTEGER NOT NULL DEFAULT 2, isbasecurrency TEXT NOT NULL DEFAULT 'F', isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE subsidiary (id INTEGER PRIMARY KEY, name TEXT NOT NULL, currency INTEGER, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE item (id INTEGER PRIMARY KEY, itemid TEXT NOT NULL, displayname TEXT, itemtype TEXT NOT NULL,
  averagecost TEXT, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE account (id INTEGER PRIMARY KEY, acctnumber TEXT, acctname TEXT NOT NULL, fullname TEXT, accttype TEXT NOT NULL,
  isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE customer (id INTEGER PRIMARY KEY, entityid TEXT, altname TEXT, entitytitle TEXT, companyname TEXT,
  isperson TEXT NOT NULL DEFAULT 'F', firstname TEXT, lastname TEXT, email TEXT, phone TEXT, currency INTEGER, subsidiary INTEGER,
  externalid TEXT UNIQUE, isinactive TEXT NOT NULL DEFAULT 'F', datecreated TEXT NOT NULL, lastmodifieddate TEXT NOT NULL);
CREATE TABLE ns_transaction (id INTEGER PRIMARY KEY, type TEXT NOT NULL, tranid TEXT, trandate TEXT NOT NULL, duedate TEXT,
  entity INTEGER NOT NULL, currency INTEGER NOT NULL, subsidiary INTEGER, foreigntotal TEXT NOT NULL, foreignamountunpaid TEXT,
  foreignamountpaid TEXT, status TEXT NOT NULL, voided TEXT NOT NULL DEFAULT 'F', memo TEXT, externalid TEXT, account INTEGER,
  undepfunds TEXT, unapplied TEXT, taxitem INTEGER, taxrate TEXT, class INTEGER, department INTEGER, location INTEGER, customform INTEGER,
  otherrefnum TEXT, salesrep INTEGER, createddate TEXT NOT NULL, lastmodifieddate TEXT NOT NULL, UNIQUE (type, externalid));
CREATE INDEX ns_transaction_type ON ns_transaction (type);
CREATE TABLE ns_transactionline ("transaction" INTEGER NOT NULL, id INTEGER NOT NULL, linesequencenumber INTEGER NOT NULL,
  uniquekey INTEGER NOT NULL UNIQUE, mainline TEXT NOT NULL, item INTEGER, quantity TEXT, rate TEXT, foreignamount TEXT NOT NULL,
  memo TEXT, class INTEGER, department INTEGER, location INTEGER, PRIMARY KEY ("transaction", id));
CREATE TABLE ns_derivedline ("transaction" INTEGER NOT NULL, id INTEGER NOT NULL, linesequencenumber INTEGER NOT NULL,
  uniquekey INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL CHECK (kind IN ('tax', 'cogs', 'asset')), source INTEGER, item INTEGER,
  quantity TEXT, rate TEXT, foreignamount TEXT NOT NULL, PRIMARY KEY ("transaction", id));
CREATE TABLE ns_sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE ns_transactionlink (id INTEGER PRIMARY KEY, previousdoc INTEGER NOT NULL, previousline INTEGER NOT NULL DEFAULT 0,
  previoustype TEXT NOT NULL, nextdoc INTEGER NOT NULL, nextline INTEGER NOT NULL, nexttype TEXT NOT NULL,
  foreignamount TEXT NOT NULL, linktype TEXT NOT NULL, linkdate TEXT);
CREATE INDEX ns_link_previous ON ns_transactionlink (previousdoc);
CREATE INDEX ns_link_next ON ns_transactionlink (nextdoc);
CREATE TABLE ns_status (code TEXT PRIMARY KEY, display TEXT NOT NULL);
CREATE VIEW NextTransactionLineLink AS SELECT l.previousdoc, l.previousline, l.previoustype, l.nextdoc, l.nextline,
  l.nexttype, CAST(l.foreignamount AS NUMERIC) AS foreignamount, CAST(l.foreignamount AS NUMERIC) AS amount, l.linktype,
  l.linkdate FROM ns_transactionlink l JOIN ns_transaction n ON n.id = l.nextdoc WHERE n.voided = 'F';
CREATE VIEW PreviousTransactionLineLink AS SELECT * FROM NextTransactionLineLink;
CREATE TABLE deletedrecord (recordid INTEGER NOT NULL, type TEXT NOT NULL, recordtypeid INTEGER, name TEXT, deleteddate TEXT NOT NULL,
  context TEXT NOT NULL, deletedby INTEGER, iscustomrecord TEXT NOT NULL DEFAULT 'F', iscustomlist TEXT NOT NULL DEFAULT 'F');
CREATE INDEX deletedrecord_date ON deletedrecord (deleteddate);
CREATE TABLE classification (id INTEGER PRIMARY KEY, name TEXT NOT NULL, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE department (id INTEGER PRIMARY KEY, name TEXT NOT NULL, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE location (id INTEGER PRIMARY KEY, name TEXT NOT NULL, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE employee (id INTEGER PRIMARY KEY, entityid TEXT NOT NULL, firstname TEXT, lastname TEXT, isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE customfield (scriptid TEXT PRIMARY KEY, name TEXT NOT NULL, fieldtype TEXT NOT NULL, fieldvaluetype TEXT NOT NULL,
  ismandatory TEXT NOT NULL DEFAULT 'F', isinactive TEXT NOT NULL DEFAULT 'F');
CREATE TABLE ns_customform (id INTEGER PRIMARY KEY, recordtype TEXT NOT NULL, name TEXT NOT NULL, preferred TEXT NOT NULL DEFAULT 'F');
CREATE TABLE ns_customselect (scriptid TEXT PRIMARY KEY, list TEXT NOT NULL);
CREATE VIEW ns_listvalue AS SELECT 'classification' AS list, id, name FROM classification UNION ALL SELECT 'department', id, name FROM department
  UNION ALL SELECT 'location', id, name FROM location UNION ALL SELECT 'employee', id, entityid FROM employee
  UNION ALL SELECT 'subsidiary', id, name FROM subsidiary UNION ALL SELECT 'customer', id, entitytitle FROM customer;
`;

/** The views over the base tables; `body` and `line` are the custom field columns of the account's shape. */
function viewsSql(body: readonly string[], line: readonly string[]): string {
  const bodyColumns = body.map((column) => `, ${column}`).join('');
  const lineColumns = line.map((column) => `, l.${column}`).join('');
  const lineNulls = line.map((column) => `, NULL AS ${column}`).join('');
  return `
CREATE VIEW "transaction" AS SELECT id, type,
  CASE type WHEN 'CustInvc' THEN 'invoice' WHEN 'CustPymt' THEN 'customerpayment' WHEN 'CustRfnd' THEN 'customerrefund' ELSE 'creditmemo' END AS recordtype,
  tranid, trandate, duedate, entity, currency, subsidiary, CAST(foreigntotal AS NUMERIC) AS foreigntotal,
  CAST(foreignamountunpaid AS NUMERIC) AS foreignamountunpaid, CAST(foreignamountpaid AS NUMERIC) AS foreignamountpaid,
  status, voided, memo, externalid, account, undepfunds, class, department, location, customform, otherrefnum, salesrep,
  createddate, lastmodifieddate${bodyColumns} FROM ns_transaction;
CREATE VIEW transactionline AS
  SELECT l."transaction" AS "transaction", l.id, l.linesequencenumber, l.uniquekey, l.mainline, 'F' AS taxline,
    CASE WHEN l.mainline = 'F' AND COALESCE(i.itemtype, '') <> 'InvtPart' THEN NULL ELSE 'F' END AS iscogs,
    l.item, i.itemtype, CASE l.mainline WHEN 'T' THEN NULL ELSE 'INCOME' END AS accountinglinetype,
    CAST(l.quantity AS NUMERIC) * (CASE WHEN (l.mainline = 'T') = (t.type IN ('CustCred', 'CustRfnd')) THEN -1 ELSE 1 END) AS quantity,
    CAST(l.rate AS NUMERIC) AS rate,
    CAST(l.foreignamount AS NUMERIC) * (CASE WHEN (l.mainline = 'T') = (t.type IN ('CustCred', 'CustRfnd')) THEN -1 ELSE 1 END) AS foreignamount, l.memo,
    l.class, l.department, l.location${lineColumns}
  FROM ns_transactionline l JOIN ns_transaction t ON t.id = l."transaction" LEFT JOIN item i ON i.id = l.item
  UNION ALL
  SELECT d."transaction", d.id, d.linesequencenumber, d.uniquekey, 'F', CASE d.kind WHEN 'tax' THEN 'T' ELSE 'F' END,
    CASE d.kind WHEN 'tax' THEN 'F' ELSE 'T' END, d.item, i.itemtype, CASE d.kind WHEN 'tax' THEN 'TAX' WHEN 'cogs' THEN 'COGS' ELSE 'ASSET' END,
    CAST(d.quantity AS NUMERIC), CAST(d.rate AS NUMERIC), CAST(d.foreignamount AS NUMERIC), NULL, NULL, NULL, NULL${lineNulls}
  FROM ns_derivedline d LEFT JOIN item i ON i.id = d.item;
`;
}

/**
 * Recreates the \`transaction\` and \`transactionline\` views with the custom field columns of a shape
 * (\`custbody_\` columns of \`ns_transaction\`, \`custcol_\` columns of \`ns_transactionline\`).
 */
export function rebuildViews(db: DatabaseSync, body: readonly string[], line: readonly string[]): void {
  db.exec('DROP VIEW IF EXISTS "transaction"; DROP VIEW IF EXISTS transactionline;');
  db.exec(viewsSql(body, line));
}

/** Display names of common currencies (NetSuite's currency `name`; `symbol` is the ISO code). */
const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'US Dollar',
  EUR: 'Euro',
  GBP: 'British pound',
  CAD: 'Canadian Dollar',
  AUD: 'Australian Dollar',
  JPY: 'Japanese Yen',
  CHF: 'Swiss Franc',
  MXN: 'Mexican Peso',
};

/** Currencies without minor units. */
const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'CLP', 'VND', 'ISK', 'HUF']);

/** Inserts a currency with its display name and precision. */
export function insertCurrency(db: DatabaseSync, id: number, symbol: string, isBase: boolean): void {
  prepared(db, 'INSERT INTO currency (id, symbol, name, currencyprecision, isbasecurrency) VALUES (?, ?, ?, ?, ?)').run(
    id,
    symbol,
    CURRENCY_NAMES[symbol] ?? symbol,
    ZERO_DECIMAL_CURRENCIES.has(symbol) ? 0 : 2,
    isBase ? 'T' : 'F',
  );
}

/** NetSuite's `itemtype` for a books item kind (`InvtPart` for an inventory item). */
export function itemTypeOf(kind: 'service' | 'tax' | 'discount' | 'inventory'): string {
  return kind === 'tax' ? 'TaxItem' : kind === 'discount' ? 'Discount' : kind === 'inventory' ? 'InvtPart' : 'Service';
}

/** The reference data a fresh simulator starts with, so records can be created without loading books. */
function seedDefaults(db: DatabaseSync): void {
  ['USD', 'EUR', 'GBP', 'CAD', 'JPY'].forEach((symbol, index) => insertCurrency(db, index + 1, symbol, index === 0));
  db.exec(`INSERT INTO subsidiary (id, name, currency) VALUES (1, 'Parent Company', 1);
    INSERT INTO item (id, itemid, displayname, itemtype) VALUES (1, 'Services', 'Services', 'Service'),
      (2, 'Sales Tax', 'Sales Tax', 'TaxItem'), (3, 'Discount', 'Discount', 'Discount');
    INSERT INTO account (id, acctnumber, acctname, fullname, accttype) VALUES (1, '1000', 'Checking', '1000 Checking', 'Bank'),
      (2, '1200', 'Undeposited Funds', '1200 Undeposited Funds', 'OthCurrAsset');`);
}

const TABLES = ['classification', 'department', 'location', 'employee', 'customfield', 'ns_customform', 'ns_customselect', 'deletedrecord', 'ns_transactionlink', 'ns_derivedline', 'ns_transactionline', 'ns_sequence', 'ns_transaction', 'customer', 'account', 'item', 'subsidiary', 'currency'];

/** Empties every table; with `seed`, puts the default reference data back. */
export function clearDatabase(db: DatabaseSync, seed: boolean): void {
  for (const table of TABLES) db.exec(`DELETE FROM ${table}`);
  if (seed) seedDefaults(db);
}

/** A new in-memory database with the schema and the default reference data. */
export function createDatabase(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec(SCHEMA);
  rebuildViews(db, [], []);
  const status = prepared(db, 'INSERT INTO ns_status (code, display) VALUES (?, ?)');
  for (const code of Object.keys(TRANSACTION_STATUSES)) status.run(code, statusDisplay(code) ?? code);
  // Oracle's LIKE is case-sensitive; SQLite's is not unless told.
  db.exec('PRAGMA case_sensitive_like = ON');
  seedDefaults(db);
  return db;
}

/** Runs `work` in one SQLite transaction, rolled back if it throws. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  if (db.isTransaction) return work();
  db.exec('BEGIN');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
