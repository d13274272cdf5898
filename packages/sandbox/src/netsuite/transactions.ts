/**
 * Writing invoices, customer payments and credit memos: the checks NetSuite makes, storage in
 * `ns_transaction` / `ns_transactionline` / `ns_transactionlink` (and the lines NetSuite adds, see
 * `transaction-lines.ts`), and the state derived from applications (an invoice's amount remaining and
 * status, a credit memo's), re-derived on every change.
 *
 * Voiding is NetSuite's direct void (the Void button, or `N/transaction` `void()`, with the accounting
 * preference "Void Transactions Using Reversing Journals" off: with it on, NetSuite refuses to void
 * invoices, credit memos and customer payments at all). The transaction stays, with `voided = 'T'`, its
 * total and every line at 0 and the memo `VOID`; a voided payment applies nothing, so its invoices reopen.
 * A payment keeps its status (`B` Not Deposited or `C` Deposited: customer payments have no voided
 * status), an invoice or credit memo gets `V`.
 */
import { inTransaction } from './database';
import type { Stamp } from './dates';
import { badRequest, invalidReference, missingField } from './errors';
import { divideDecimal, formatDecimal, multiplyDecimal, roundDecimal, storedDecimal, sumDecimals, UNIT, ZERO, type Decimal } from './money';
import { checkbox, nextId, type NetSuiteRecordType, type StoreContext, type WriteOptions } from './record-common';
import { applyBody, emptyDraft, entityField, loadDraft, type TransactionDraft } from './transaction-draft';
import { itemSubtotal, storedTax, taxOn, writeLines } from './transaction-lines';

type TransactionRecordType = Exclude<NetSuiteRecordType, 'customer'>;

function precisionOf(context: StoreContext, currency: number): number {
  return Number(context.db.prepare('SELECT currencyprecision AS p FROM currency WHERE id = ?').get(currency)?.p ?? 2);
}

/** What other documents have applied to an invoice, leaving out voided ones and `except`. */
function appliedTo(context: StoreContext, invoice: number, except?: number): Decimal {
  const rows = context.db
    .prepare(`SELECT l.foreignamount FROM ns_transactionlink l JOIN ns_transaction n ON n.id = l.nextdoc
      WHERE l.previousdoc = ? AND n.voided = 'F' AND n.id IS NOT ?`)
    .all(invoice, except ?? null);
  return sumDecimals(rows.map((row) => storedDecimal(row.foreignamount) ?? ZERO));
}

/** What `settle` computes: the total (tax included), the tax line and the currency's decimals. */
interface Settled {
  total: Decimal;
  tax: { item: number; amount: Decimal } | undefined;
  digits: number;
}

/** Checks a draft against the other records and computes its lines' amounts, its tax and its total. */
function settle(context: StoreContext, recordType: TransactionRecordType, draft: TransactionDraft): Settled {
  const { db } = context;
  const key = entityField(recordType);
  if (draft.entity === null) throw missingField(key, 'Customer');
  const customer = db.prepare('SELECT currency, subsidiary FROM customer WHERE id = ?').get(draft.entity);
  draft.currency ??= Number(customer?.currency ?? 1);
  draft.subsidiary ??= customer?.subsidiary === null || customer?.subsidiary === undefined ? null : Number(customer.subsidiary);
  draft.trandate ??= context.today();
  if (draft.type === 'CustInvc') draft.duedate ??= draft.trandate;
  const digits = precisionOf(context, draft.currency);

  let total: Decimal;
  let tax: Settled['tax'];
  if (draft.type === 'CustPymt') {
    if (draft.payment === null) throw missingField('payment', 'Payment Amount');
    if (draft.payment < 0n) throw badRequest('USER_ERROR', 'The payment amount cannot be negative.', { path: 'payment' });
    draft.payment = roundDecimal(draft.payment, digits);
    draft.undepfunds ??= draft.account === null;
    total = draft.payment;
  } else {
    if (draft.lines.length === 0) throw missingField('item', 'Items');
    draft.lines.forEach((line, position) => {
      const path = `item.items[${line.index ?? position}]`;
      if (line.item === null) throw missingField(`${path}.item`, 'Item');
      const quantity = line.quantity ?? UNIT;
      if (line.amountGiven && line.amount !== null) {
        line.amount = roundDecimal(line.amount, digits);
        if (line.rate === null) line.rate = divideDecimal(line.amount, quantity) ?? null;
      } else {
        line.amount = line.rate === null ? ZERO : multiplyDecimal(quantity, line.rate, digits);
      }
      line.quantity = quantity;
    });
    total = itemSubtotal(draft);
    const taxed = draft.voided ? undefined : storedTax(db, draft.id);
    if (taxed !== undefined) {
      tax = { item: taxed.item, amount: taxOn(total, taxed.rate, digits) };
      total += tax.amount;
    }
  }

  if (draft.type === 'CustInvc' && draft.id !== undefined) {
    const links = db.prepare(`SELECT COUNT(*) AS n FROM ns_transactionlink l JOIN ns_transaction n ON n.id = l.nextdoc WHERE l.previousdoc = ? AND n.voided = 'F'`).get(draft.id);
    if (Number(links?.n) > 0) {
      const stored = db.prepare('SELECT entity, currency FROM ns_transaction WHERE id = ?').get(draft.id);
      if (draft.voided) throw badRequest('USER_ERROR', 'You cannot void an invoice that has payments or credits applied to it.', { path: 'voided' });
      if (Number(stored?.entity) !== draft.entity) throw badRequest('USER_ERROR', 'You cannot change the customer of an invoice that has payments applied.', { path: 'entity' });
      if (Number(stored?.currency) !== draft.currency) throw badRequest('USER_ERROR', 'You cannot change the currency of an invoice that has payments applied.', { path: 'currency' });
      if (total < appliedTo(context, draft.id)) throw badRequest('USER_ERROR', 'The invoice total cannot be less than the amount already paid.', { path: 'item' });
    }
  }

  let applied = ZERO;
  for (const application of draft.applications) {
    const path = application.index === undefined ? 'apply' : `apply.items[${application.index}].doc`;
    const invoice = db.prepare('SELECT entity, currency, voided, foreigntotal, tranid FROM ns_transaction WHERE id = ?').get(application.doc);
    if (invoice === undefined) throw invalidReference(path, application.doc);
    if (Number(invoice.entity) !== draft.entity) {
      throw badRequest('USER_ERROR', `Invoice ${String(invoice.tranid)} belongs to another customer and cannot be applied.`, { path });
    }
    if (Number(invoice.currency) !== draft.currency) {
      throw badRequest('USER_ERROR', `Invoice ${String(invoice.tranid)} is in another currency than this ${recordType === 'customerPayment' ? 'payment' : 'credit memo'}.`, { path: 'currency' });
    }
    const due = (storedDecimal(invoice.foreigntotal) ?? ZERO) - appliedTo(context, application.doc, draft.id);
    application.amount = roundDecimal(application.amount ?? due, digits);
    if (draft.voided) continue;
    if (invoice.voided === 'T') throw badRequest('USER_ERROR', `Invoice ${String(invoice.tranid)} is voided.`, { path });
    if (application.amount <= 0n) throw badRequest('USER_ERROR', 'An applied amount must be greater than zero.', { path });
    if (application.amount > due) {
      throw badRequest('USER_ERROR', `The amount applied to invoice ${String(invoice.tranid)} (${formatDecimal(application.amount)}) exceeds its amount due (${formatDecimal(due)}).`, { path });
    }
    applied += application.amount;
  }
  if (applied > total) {
    throw badRequest('USER_ERROR', `The total applied (${formatDecimal(applied)}) exceeds the ${recordType === 'customerPayment' ? 'payment' : 'credit'} amount (${formatDecimal(total)}).`, { path: 'apply' });
  }
  return { total, tax, digits };
}

/** A direct void: the total and every line to 0, the memo `VOID`. */
function voidDraft(draft: TransactionDraft): void {
  draft.voided = true;
  draft.memo = 'VOID';
  if (draft.type === 'CustPymt') draft.payment = ZERO;
  for (const line of draft.lines) {
    line.amount = ZERO;
    line.amountGiven = true;
  }
}

/**
 * Re-derives a transaction's amount remaining, amount paid and status from the applications; when
 * they change and `bump` is given, its `lastmodifieddate` becomes `bump`. Returns whether they changed.
 */
export function deriveTransaction(context: StoreContext, id: number, bump: Stamp | undefined): boolean {
  const { db } = context;
  const row = db.prepare('SELECT type, foreigntotal, voided, undepfunds, status, foreignamountunpaid, foreignamountpaid FROM ns_transaction WHERE id = ?').get(id);
  if (row === undefined) return false;
  const voided = row.voided === 'T';
  const total = storedDecimal(row.foreigntotal) ?? ZERO;
  let status: string;
  let unpaid: string | null = null;
  let paid: string | null = null;
  if (row.type === 'CustPymt') {
    // Customer payment statuses are A (Unapproved Payment), R, B (Not Deposited) and C (Deposited): a
    // voided payment keeps its status; `voided` tells it apart.
    status = row.undepfunds === 'T' ? 'B' : 'C';
  } else {
    const applied = voided
      ? ZERO
      : row.type === 'CustInvc'
        ? appliedTo(context, id)
        : sumDecimals(db.prepare('SELECT foreignamount FROM ns_transactionlink WHERE nextdoc = ?').all(id).map((link) => storedDecimal(link.foreignamount) ?? ZERO));
    const remaining = voided ? ZERO : total - applied;
    status = voided ? 'V' : remaining > 0n ? 'A' : 'B';
    unpaid = formatDecimal(remaining);
    paid = formatDecimal(applied);
  }
  if (status === row.status && unpaid === row.foreignamountunpaid && paid === row.foreignamountpaid) return false;
  db.prepare('UPDATE ns_transaction SET status = ?, foreignamountunpaid = ?, foreignamountpaid = ?, lastmodifieddate = COALESCE(?, lastmodifieddate) WHERE id = ?').run(status, unpaid, paid, bump ?? null, id);
  return true;
}

function invoicesAppliedBy(context: StoreContext, id: number): number[] {
  return context.db.prepare('SELECT previousdoc FROM ns_transactionlink WHERE nextdoc = ?').all(id).map((row) => Number(row.previousdoc));
}

/**
 * Creates (`id` undefined) or changes a transaction from a REST body; returns its ID.
 * `replace` names the sublists to replace rather than merge; `voiding` voids it as well (see above).
 * Throws `NetSuiteSimulatorError`.
 */
export function writeTransaction(
  context: StoreContext,
  recordType: TransactionRecordType,
  input: unknown,
  id: number | undefined,
  options: WriteOptions = {},
  voiding = false,
): number {
  const { db } = context;
  const stored = id === undefined ? undefined : loadDraft(db, emptyDraft(recordType).type, id);
  if (stored?.voided) {
    // Voiding again changes nothing; anything else on a voided transaction is refused.
    const keys = typeof input === 'object' && input !== null ? Object.entries(input) : [];
    if ((keys.length === 1 && keys[0]?.[0] === 'voided' && keys[0][1] === true) || (voiding && keys.length === 0)) return stored.id ?? 0;
    throw badRequest('USER_ERROR', 'A voided transaction cannot be changed.');
  }
  const draft = stored ?? emptyDraft(recordType);
  applyBody(db, recordType, draft, input, options.replace ?? new Set());
  if (voiding || draft.voided) voidDraft(draft);
  const { total, tax, digits } = settle(context, recordType, draft);
  if (draft.externalid !== null) {
    const clash = db.prepare('SELECT id FROM ns_transaction WHERE type = ? AND externalid = ? AND id IS NOT ?').get(draft.type, draft.externalid, draft.id ?? null);
    if (clash !== undefined) throw badRequest('DUP_RCRD', `A ${recordType} with external ID ${draft.externalid} already exists.`, { path: 'externalId' });
  }

  const now = options.timestamps?.lastModified ?? context.now();
  const newId = draft.id ?? options.id ?? nextId(db, 'ns_transaction');
  const before = stored === undefined ? [] : invoicesAppliedBy(context, newId);
  const header = [draft.type, draft.tranid ?? String(newId), draft.trandate, draft.duedate, draft.entity, draft.currency, draft.subsidiary, formatDecimal(total),
    checkbox(draft.voided), draft.memo, draft.externalid, draft.account, draft.undepfunds === null ? null : checkbox(draft.undepfunds),
    draft.createddate ?? options.timestamps?.created ?? now, now, newId];
  if (stored === undefined) {
    db.prepare(`INSERT INTO ns_transaction (type, tranid, trandate, duedate, entity, currency, subsidiary, foreigntotal, voided, memo, externalid,
      account, undepfunds, createddate, lastmodifieddate, id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`).run(...header);
  } else {
    db.prepare(`UPDATE ns_transaction SET type = ?, tranid = ?, trandate = ?, duedate = ?, entity = ?, currency = ?, subsidiary = ?, foreigntotal = ?,
      voided = ?, memo = ?, externalid = ?, account = ?, undepfunds = ?, createddate = ?, lastmodifieddate = ? WHERE id = ?`).run(...header);
  }
  writeLines(db, { id: newId, draft, total, tax, digits });
  db.prepare('DELETE FROM ns_transactionlink WHERE nextdoc = ?').run(newId);
  const insertLink = db.prepare(`INSERT INTO ns_transactionlink (previousdoc, previoustype, nextdoc, nextline, nexttype, foreignamount, linktype, linkdate)
    VALUES (?, 'CustInvc', ?, ?, ?, ?, 'Payment', ?)`);
  draft.applications.forEach((application, index) => {
    insertLink.run(application.doc, newId, index + 1, draft.type, formatDecimal(application.amount ?? ZERO), draft.trandate);
  });

  const bump = options.timestamps === undefined ? now : undefined;
  deriveTransaction(context, newId, undefined);
  for (const invoice of new Set([...before, ...draft.applications.map((application) => application.doc)])) deriveTransaction(context, invoice, bump);
  return newId;
}

/** Deletes a transaction; an invoice with applications is refused, a payment's invoices are re-derived. */
export function deleteTransaction(context: StoreContext, id: number): void {
  const { db } = context;
  const links = db.prepare('SELECT COUNT(*) AS n FROM ns_transactionlink WHERE previousdoc = ?').get(id);
  if (Number(links?.n) > 0) throw badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
  const invoices = invoicesAppliedBy(context, id);
  db.prepare('DELETE FROM ns_transactionlink WHERE nextdoc = ?').run(id);
  db.prepare('DELETE FROM ns_transactionline WHERE "transaction" = ?').run(id);
  db.prepare('DELETE FROM ns_derivedline WHERE "transaction" = ?').run(id);
  db.prepare('DELETE FROM ns_transaction WHERE id = ?').run(id);
  for (const invoice of new Set(invoices)) deriveTransaction(context, invoice, context.now());
}

/**
 * Voids a transaction as NetSuite's direct void does (see above). A simulator entry point: NetSuite's REST
 * record service has no void operation (people void in the UI, scripts with `N/transaction`).
 * Voiding again changes nothing; an invoice with payments or credits applied is refused.
 */
export function voidTransaction(context: StoreContext, recordType: TransactionRecordType, id: number, options: WriteOptions = {}): void {
  inTransaction(context.db, () => writeTransaction(context, recordType, {}, id, options, true));
}

/**
 * Gives an invoice legacy tax (a tax item and a rate in percent on its header), or takes it away
 * (`undefined`): NetSuite computes the tax on the item lines, adds a tax line and raises the total.
 */
export function setTransactionTax(context: StoreContext, id: number, tax: { item: number; rate: Decimal } | undefined, options: WriteOptions = {}): void {
  const { db } = context;
  const row = db.prepare("SELECT id FROM ns_transaction WHERE id = ? AND type = 'CustInvc'").get(id);
  if (row === undefined) throw invalidReference('id', id);
  if (tax !== undefined && db.prepare("SELECT id FROM item WHERE id = ? AND itemtype = 'TaxItem'").get(tax.item) === undefined) {
    throw invalidReference('taxItem', tax.item);
  }
  inTransaction(db, () => {
    db.prepare('UPDATE ns_transaction SET taxitem = ?, taxrate = ? WHERE id = ?').run(tax?.item ?? null, tax === undefined ? null : formatDecimal(tax.rate), id);
    writeTransaction(context, 'invoice', {}, id, options);
  });
}
