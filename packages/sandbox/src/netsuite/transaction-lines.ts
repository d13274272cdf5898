/**
 * Every `transactionline` row of a transaction, written after each change: the main line, the item lines
 * (as the REST `item` sublist has them) and the lines NetSuite adds on its own, kept apart in
 * `ns_derivedline` so that REST reads and writes never see them:
 *
 * - a taxed invoice (legacy tax: a tax item and rate on the header) gets one tax line (`taxline = 'T'`),
 *   the tax on the sum of its item lines, credited to the tax liability (negative `foreignamount`);
 * - each invoice line of an inventory item with an average cost gets a COGS line (`iscogs = 'T'`, debit,
 *   quantity × average cost) and the matching inventory asset line (`iscogs = 'T'`, credit).
 *
 * A voided transaction has only its main line and item lines, all at 0: voiding sets a transaction's
 * total and every line to 0. Each line keeps its `uniquekey` across rewrites (a key never comes back once
 * its line is gone); `id` is unique only within the transaction, as in NetSuite.
 */
import type { DatabaseSync } from 'node:sqlite';
import { divideDecimal, formatDecimal, multiplyDecimal, roundDecimal, storedDecimal, sumDecimals, UNIT, ZERO, type Decimal } from './money';
import { storeExtras } from './shape-fields';
import type { TransactionDraft } from './transaction-draft';
import { prepared } from './statements';

/** Legacy tax of a transaction: the tax item and its rate in percent (`8.25`). */
export interface TransactionTax {
  readonly item: number;
  readonly rate: Decimal;
}

/** The tax a transaction has on its header, if any. */
export function storedTax(db: DatabaseSync, id: number | undefined): TransactionTax | undefined {
  if (id === undefined) return undefined;
  const row = prepared(db, 'SELECT taxitem, taxrate FROM ns_transaction WHERE id = ?').get(id);
  const rate = storedDecimal(row?.taxrate);
  return row?.taxitem === null || row?.taxitem === undefined || rate === undefined ? undefined : { item: Number(row.taxitem), rate };
}

/** The tax on `subtotal` at `rate` percent, rounded to the currency (half away from zero). */
export function taxOn(subtotal: Decimal, rate: Decimal, digits: number): Decimal {
  return roundDecimal(multiplyDecimal(subtotal, divideDecimal(rate, 100n * UNIT) ?? ZERO, 8), digits);
}

/**
 * Takes `count` new unique keys at once (the same keys, in the same order, as taking them one by one).
 * Keys start well away from internal IDs and line numbers, so that mixing them up shows.
 */
function nextUniqueKeys(db: DatabaseSync, count: number): number[] {
  if (count === 0) return [];
  const row = prepared(db, "INSERT INTO ns_sequence (name, value) VALUES ('uniquekey', 70000 + ?) ON CONFLICT (name) DO UPDATE SET value = value + ? RETURNING value").get(count, count);
  const last = Number(row?.value);
  return Array.from({ length: count }, (_, index) => last - count + 1 + index);
}

/** The lines of a transaction as written: `amount`s already settled, `total` with the tax. */
export interface LineWrite {
  readonly id: number;
  readonly draft: TransactionDraft;
  readonly total: Decimal;
  readonly tax: { readonly item: number; readonly amount: Decimal } | undefined;
  readonly digits: number;
}

/** A line NetSuite adds: a tax line, or an inventory item line's COGS or asset line. */
interface DerivedLine {
  readonly kind: 'tax' | 'cogs' | 'asset';
  readonly source: number;
  readonly item: number | null;
  readonly amount: Decimal;
}

/** The lines NetSuite adds to a transaction (none to a voided one, nor to anything but an invoice). */
function derivedLines(db: DatabaseSync, write: LineWrite): DerivedLine[] {
  const { draft, tax, digits } = write;
  if (draft.voided || draft.type !== 'CustInvc') return [];
  const derived: DerivedLine[] = [];
  if (tax !== undefined) derived.push({ kind: 'tax', source: 0, item: tax.item, amount: -tax.amount });
  for (const line of draft.lines) {
    if (line.item === null) continue;
    const item = prepared(db, 'SELECT itemtype, averagecost FROM item WHERE id = ?').get(line.item);
    const cost = storedDecimal(item?.averagecost);
    if (item?.itemtype !== 'InvtPart' || cost === undefined) continue;
    const amount = multiplyDecimal(line.quantity ?? UNIT, cost, digits);
    derived.push({ kind: 'cogs', source: line.line, item: line.item, amount });
    derived.push({ kind: 'asset', source: line.line, item: line.item, amount: -amount });
  }
  return derived;
}

/** Replaces every line of a transaction. */
export function writeLines(db: DatabaseSync, write: LineWrite): void {
  const { id, draft, total } = write;
  const keys = new Map<string, number>();
  for (const row of prepared(db, 'SELECT id, uniquekey FROM ns_transactionline WHERE "transaction" = ?').all(id)) keys.set(`line:${String(row.id)}`, Number(row.uniquekey));
  for (const row of prepared(db, 'SELECT kind, source, uniquekey FROM ns_derivedline WHERE "transaction" = ?').all(id)) keys.set(`${String(row.kind)}:${String(row.source)}`, Number(row.uniquekey));
  const derived = derivedLines(db, write);
  // A line keeps its key; new lines take new keys, in the order of the lines.
  const names = ['line:0', ...draft.lines.map((line) => `line:${line.line}`), ...derived.map((line) => `${line.kind}:${line.source}`)];
  const fresh = nextUniqueKeys(db, names.filter((name) => !keys.has(name)).length);
  const keyOf = (name: string) => keys.get(name) ?? fresh.shift() ?? 0;
  prepared(db, 'DELETE FROM ns_transactionline WHERE "transaction" = ?').run(id);
  prepared(db, 'DELETE FROM ns_derivedline WHERE "transaction" = ?').run(id);

  const text = (value: Decimal | null) => (value === null ? null : formatDecimal(value));
  const insertLine = prepared(db, `INSERT INTO ns_transactionline ("transaction", id, linesequencenumber, uniquekey, mainline, item, quantity, rate, foreignamount, memo)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  insertLine.run(id, 0, 0, keyOf('line:0'), 'T', null, null, null, formatDecimal(total), draft.memo);
  let sequence = 0;
  for (const line of draft.lines) {
    sequence += 1;
    insertLine.run(id, line.line, sequence, keyOf(`line:${line.line}`), 'F', line.item, text(line.quantity), text(line.rate), formatDecimal(line.amount ?? ZERO), line.description);
    storeExtras(db, 'ns_transactionline', '"transaction" = ? AND id = ?', [id, line.line], line.extras);
  }
  if (derived.length === 0) return;

  let lineId = Math.max(0, ...draft.lines.map((line) => line.line));
  const insertDerived = prepared(db, `INSERT INTO ns_derivedline ("transaction", id, linesequencenumber, uniquekey, kind, source, item, quantity, rate, foreignamount)
    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`);
  for (const line of derived) {
    lineId += 1;
    sequence += 1;
    insertDerived.run(id, lineId, sequence, keyOf(`${line.kind}:${line.source}`), line.kind, line.source, line.item, formatDecimal(line.amount));
  }
}

/** The sum of the item lines of a draft (their amounts settled). */
export function itemSubtotal(draft: TransactionDraft): Decimal {
  return sumDecimals(draft.lines.map((line) => line.amount ?? ZERO));
}
