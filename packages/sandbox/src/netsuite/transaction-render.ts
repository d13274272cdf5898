/**
 * The REST shapes of invoices, customer payments, credit memos and customer refunds. Sublists (`item`,
 * `apply`, `credit`) are a link unless expanded (`expandSubResources=true`). A payment's or credit memo's
 * `apply` sublist lists, as NetSuite's does, the invoices it is applied to (`apply: true`) and the
 * customer's other open invoices in its currency (`apply: false`), so readers must filter on `apply`; a
 * payment's `credit` sublist does the same with credit memos, a refund's `apply` with credit memos that
 * have an amount remaining and payments with unapplied cash. `status` is
 * `{ id, refName }` with the letter as `id`, the enums of the REST API Browser: invoice `A`, `B`, `D`,
 * `E`, `V`; customer payment `A`, `R`, `B`, `C` (no voided status); credit memo `A`, `B`, `V`; customer
 * refund `R`, `V`. The
 * `item` sublist holds the item lines only: tax and COGS lines are SuiteQL's (`transactionline`).
 */
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { restDate } from './dates';
import { decimalToNumber, storedDecimal, ZERO, type Decimal } from './money';
import { compact, recordUrl, refTo, selfLinks, type RestRecord, type TransactionRecordType } from './record-common';
import { bodyFieldsOf, lineFieldsOf, renderExtras } from './shape-fields';
import { TRANSACTION_STATUSES } from './statuses';
import { prepared } from './statements';

type Row = Record<string, SQLOutputValue>;

const amount = (value: unknown): number | undefined => {
  const decimal = storedDecimal(value);
  return decimal === undefined ? undefined : decimalToNumber(decimal);
};

function sublist(href: string, items: RestRecord[] | undefined): RestRecord {
  if (items === undefined) return { links: selfLinks(href) };
  return { links: selfLinks(href), items, totalResults: items.length, count: items.length, hasMore: false, offset: 0 };
}

function itemLines(db: DatabaseSync, recordType: TransactionRecordType, id: number, href: string): RestRecord[] {
  const fields = lineFieldsOf(db, recordType);
  return prepared(db, 'SELECT * FROM ns_transactionline WHERE "transaction" = ? AND mainline = \'F\' ORDER BY id')
    .all(id)
    .map((line) =>
      compact({
        links: selfLinks(`${href}/${String(line.id)}`),
        line: Number(line.id),
        item: refTo(db, 'item', line.item),
        quantity: amount(line.quantity),
        rate: amount(line.rate),
        amount: amount(line.foreignamount),
        description: line.memo,
        ...renderExtras(db, fields, line),
      }),
    );
}

/** What a sublist of `apply` / `credit` lines lists: the documents it may name and how a line shows them. */
interface DocSublist {
  /** SuiteQL types of the documents. */
  readonly types: readonly string[];
  /** The name of the line's date field. */
  readonly dateField: 'applyDate' | 'creditDate';
}

const LINE_TYPES: Readonly<Record<string, string>> = { CustInvc: 'Invoice', CustCred: 'Credit Memo', CustPymt: 'Payment' };

/** What a document has left for others to use: an invoice's or credit memo's amount remaining, a payment's unapplied cash. */
function leftOf(doc: Row): Decimal {
  return (doc.type === 'CustPymt' ? storedDecimal(doc.unapplied) : storedDecimal(doc.foreignamountunpaid)) ?? ZERO;
}

/**
 * The lines of a keyed sublist: the documents the transaction uses (`apply: true`, `amount`), then the
 * customer's other documents of those types in its currency with something left (`apply: false`).
 */
function docLines(db: DatabaseSync, row: Row, href: string, sublist: DocSublist): RestRecord[] {
  const id = Number(row.id);
  const types = sublist.types.map((type) => `'${type}'`).join(', ');
  const applied = new Map<number, Decimal>();
  // A voided transaction applies nothing: its amount is 0.
  const links =
    row.voided === 'T' ? [] : prepared(db, `SELECT previousdoc, foreignamount FROM ns_transactionlink WHERE nextdoc = ? AND previoustype IN (${types}) ORDER BY nextline`).all(id);
  for (const link of links) applied.set(Number(link.previousdoc), storedDecimal(link.foreignamount) ?? ZERO);
  const open =
    row.voided === 'T'
      ? []
      : prepared(db, `SELECT * FROM ns_transaction WHERE type IN (${types}) AND entity = ? AND currency = ? AND voided = 'F' AND id <> ? ORDER BY trandate, id`)
          .all(row.entity ?? null, row.currency ?? null, id)
          .filter((doc) => leftOf(doc) > 0n)
          .map((doc) => Number(doc.id));
  const docs = [...applied.keys(), ...open.filter((doc) => !applied.has(doc))];
  return docs.map((doc, index) => {
    const stored = prepared(db, 'SELECT * FROM ns_transaction WHERE id = ?').get(doc) ?? {};
    const mine = applied.get(doc);
    const remaining = leftOf(stored);
    const due = mine === undefined ? remaining : remaining + mine;
    return compact({
      links: selfLinks(`${href}/${index + 1}`),
      line: index + 1,
      doc: refTo(db, 'transaction', doc),
      apply: mine !== undefined,
      amount: mine === undefined ? undefined : decimalToNumber(mine),
      due: decimalToNumber(due),
      total: amount(stored.foreigntotal),
      refNum: stored.tranid,
      [sublist.dateField]: typeof stored.trandate === 'string' ? restDate(stored.trandate) : undefined,
      type: LINE_TYPES[String(stored.type)],
    });
  });
}

/** Options of a rendering. */
export interface RenderOptions {
  /** Origin for links (`https://host`). */
  readonly base: string;
  /** Expand `item` and `apply` sublists. */
  readonly expand: boolean;
}

/** The REST shape of a stored transaction; `undefined` when there is no such row. */
export function renderTransaction(db: DatabaseSync, recordType: TransactionRecordType, id: number, options: RenderOptions): RestRecord | undefined {
  const row = prepared(db, 'SELECT * FROM ns_transaction WHERE id = ?').get(id);
  if (row === undefined) return undefined;
  const href = recordUrl(options.base, recordType, id);
  const date = (value: unknown) => (typeof value === 'string' ? restDate(value) : undefined);
  const total = amount(row.foreigntotal);
  const common = {
    links: selfLinks(href),
    id: String(id),
    tranId: row.tranid,
    tranDate: date(row.trandate),
    currency: refTo(db, 'currency', row.currency),
    subsidiary: refTo(db, 'subsidiary', row.subsidiary),
    status: TRANSACTION_STATUSES[`${String(row.type)}:${String(row.status)}`],
    memo: row.memo,
    externalId: row.externalid,
    createdDate: row.createddate,
    lastModifiedDate: row.lastmodifieddate,
    ...renderExtras(db, bodyFieldsOf(db, recordType), row),
  };
  const items = () => sublist(`${href}/item`, options.expand ? itemLines(db, recordType, id, `${href}/item`) : undefined);
  const docs = (name: 'apply' | 'credit', types: readonly string[]) =>
    sublist(`${href}/${name}`, options.expand ? docLines(db, row, `${href}/${name}`, { types, dateField: name === 'credit' ? 'creditDate' : 'applyDate' }) : undefined);
  const apply = () => docs('apply', recordType === 'customerRefund' ? ['CustCred', 'CustPymt'] : ['CustInvc']);
  if (recordType === 'invoice') {
    const subtotal = prepared(db, 'SELECT foreignamount FROM ns_transactionline WHERE "transaction" = ? AND mainline = \'F\'').all(id).reduce<Decimal>((sum, line) => sum + (storedDecimal(line.foreignamount) ?? ZERO), ZERO);
    const taxRate = storedDecimal(row.taxrate);
    return compact({
      ...common,
      entity: refTo(db, 'customer', row.entity),
      dueDate: date(row.duedate),
      subtotal: decimalToNumber(subtotal),
      taxItem: refTo(db, 'item', row.taxitem),
      taxRate: taxRate === undefined ? undefined : decimalToNumber(taxRate),
      taxTotal: taxRate === undefined ? undefined : decimalToNumber((storedDecimal(row.foreigntotal) ?? ZERO) - subtotal),
      total,
      amountRemaining: amount(row.foreignamountunpaid),
      amountPaid: amount(row.foreignamountpaid),
      item: items(),
    });
  }
  if (recordType === 'creditMemo') {
    return compact({
      ...common,
      entity: refTo(db, 'customer', row.entity),
      total,
      applied: amount(row.foreignamountpaid),
      unapplied: amount(row.foreignamountunpaid),
      amountRemaining: amount(row.foreignamountunpaid),
      item: items(),
      apply: apply(),
    });
  }
  if (recordType === 'customerRefund') {
    return compact({ ...common, customer: refTo(db, 'customer', row.entity), total, account: refTo(db, 'account', row.account), apply: apply() });
  }
  // A voided payment applies nothing (its amount is 0). `applied` is the cash applied: what its invoices
  // got less the credits it applied; `unapplied` the cash left, less what refunds took of it.
  const links = row.voided === 'T' ? [] : prepared(db, 'SELECT previoustype, foreignamount FROM ns_transactionlink WHERE nextdoc = ?').all(id);
  const applied = links.reduce<Decimal>((sum, link) => sum + (storedDecimal(link.foreignamount) ?? ZERO) * (link.previoustype === 'CustCred' ? -1n : 1n), ZERO);
  return compact({
    ...common,
    customer: refTo(db, 'customer', row.entity),
    payment: total,
    total,
    applied: decimalToNumber(applied),
    unapplied: decimalToNumber(storedDecimal(row.unapplied) ?? ZERO),
    account: refTo(db, 'account', row.account),
    // A radio field: an object in the 2026.1 REST schema (its ids are assumed, see record-schemas.ts).
    undepFunds: row.undepfunds === 'T' ? { id: 'T', refName: 'Undep. Funds' } : { id: 'F', refName: 'Account' },
    apply: apply(),
    credit: docs('credit', ['CustCred']),
  });
}
