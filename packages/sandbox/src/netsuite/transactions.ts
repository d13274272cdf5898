/**
 * Writing invoices, customer payments, credit memos and customer refunds: the checks NetSuite makes
 * (`transaction-applications.ts`; here, that an invoice's or credit memo's total is not below 0, whatever
 * its lines: a discount line may outweigh other lines only down to a total of 0), storage in
 * `ns_transaction` / `ns_transactionline` / `ns_transactionlink` (and the lines NetSuite adds, see
 * `transaction-lines.ts`), and the state derived from applications (`transaction-balances.ts`),
 * re-derived on every change.
 *
 * Voiding is NetSuite's direct void (the Void button, or `N/transaction` `void()`, with the accounting
 * preference "Void Transactions Using Reversing Journals" off: with it on, NetSuite refuses to void
 * invoices, credit memos and customer payments at all). The transaction stays, with `voided = 'T'`, its
 * total and every line at 0 and the memo `VOID`; a voided payment or refund applies nothing, so its
 * invoices reopen and its credit memos and payments get their amounts back. A payment keeps its status
 * (`B` Not Deposited or `C` Deposited: customer payments have no voided status), an invoice, credit memo
 * or refund gets `V`.
 */
import { inTransaction } from './database';
import { badRequest, invalidReference, missingField } from './errors';
import { divideDecimal, formatDecimal, multiplyDecimal, roundDecimal, UNIT, ZERO, type Decimal } from './money';
import { checkbox, nextId, type StoreContext, type TransactionRecordType, type WriteOptions } from './record-common';
import { bodyFieldsOf, lineFieldsOf, mandatoryFields, preferredForm, requireMandatory, storeExtras } from './shape-fields';
import { checkApplications, checkUsedDocument } from './transaction-applications';
import { deriveTransaction } from './transaction-balances';
import { applyBody, emptyDraft, entityField, loadDraft, type TransactionDraft } from './transaction-draft';
import { itemSubtotal, storedTax, taxOn, writeLines } from './transaction-lines';
import { prepared } from './statements';

function precisionOf(context: StoreContext, currency: number): number {
  return Number(prepared(context.db, 'SELECT currencyprecision AS p FROM currency WHERE id = ?').get(currency)?.p ?? 2);
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
  const customer = prepared(db, 'SELECT currency, subsidiary FROM customer WHERE id = ?').get(draft.entity);
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
  } else if (draft.type === 'CustRfnd') {
    if (draft.account === null) throw missingField('account', 'Account');
    total = ZERO; // what it refunds, below
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
    // Lines may be negative (a discount), the total may not (*assumed* for REST: Oracle names the error
    // "The total cannot be negative"); 0, a document fully discounted, is taken.
    if (total < 0n) throw badRequest('USER_ERROR', 'The total cannot be negative.', { path: 'item' });
  }

  checkUsedDocument(context, draft, total);
  total = checkApplications(context, draft, total, digits);
  return { total, tax, digits };
}

/**
 * The fields of the account's shape (`shape-fields.ts`): a new transaction without a form gets its type's
 * preferred form; a REST write must give every mandatory field a value on create (on each added item
 * line, for line fields) and may not clear one; the `state` API may leave them empty (a person's import).
 */
function checkShapeFields(context: StoreContext, recordType: TransactionRecordType, draft: TransactionDraft, creating: boolean, rest: boolean): void {
  const { db } = context;
  if (creating && (draft.extras.customform === undefined || draft.extras.customform === null)) {
    const form = preferredForm(db, recordType);
    if (form !== null) draft.extras.customform = form;
  }
  if (!rest) return;
  const form = draft.extras.customform;
  requireMandatory(mandatoryFields(db, recordType, bodyFieldsOf(db, recordType), form), draft.extras, draft.given, creating);
  const lineMandatory = mandatoryFields(db, recordType, lineFieldsOf(db, recordType), form, true);
  if (lineMandatory.length === 0) return;
  draft.lines.forEach((line, position) => {
    if (line.given === undefined) return;
    requireMandatory(lineMandatory, line.extras, line.given, line.added === true, `item.items[${line.index ?? position}]`);
  });
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

/** The documents a transaction applies or refunds (invoices, credit memos, payments). */
function docsUsedBy(context: StoreContext, id: number): number[] {
  return prepared(context.db, 'SELECT previousdoc FROM ns_transactionlink WHERE nextdoc = ?').all(id).map((row) => Number(row.previousdoc));
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
  checkShapeFields(context, recordType, draft, stored === undefined, options.origin?.rest === true);
  if (voiding || draft.voided) voidDraft(draft);
  const { total, tax, digits } = settle(context, recordType, draft);
  if (draft.externalid !== null) {
    const clash = prepared(db, 'SELECT id FROM ns_transaction WHERE type = ? AND externalid = ? AND id IS NOT ?').get(draft.type, draft.externalid, draft.id ?? null);
    if (clash !== undefined) throw badRequest('DUP_RCRD', `A ${recordType} with external ID ${draft.externalid} already exists.`, { path: 'externalId' });
  }

  const now = options.timestamps?.lastModified ?? context.now();
  const newId = draft.id ?? options.id ?? nextId(db, 'ns_transaction');
  const before = stored === undefined ? [] : docsUsedBy(context, newId);
  const header = [draft.type, draft.tranid ?? String(newId), draft.trandate, draft.duedate, draft.entity, draft.currency, draft.subsidiary, formatDecimal(total),
    checkbox(draft.voided), draft.memo, draft.externalid, draft.account, draft.undepfunds === null ? null : checkbox(draft.undepfunds),
    draft.createddate ?? options.timestamps?.created ?? now, now, newId];
  if (stored === undefined) {
    prepared(db, `INSERT INTO ns_transaction (type, tranid, trandate, duedate, entity, currency, subsidiary, foreigntotal, voided, memo, externalid,
      account, undepfunds, createddate, lastmodifieddate, id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`).run(...header);
  } else {
    prepared(db, `UPDATE ns_transaction SET type = ?, tranid = ?, trandate = ?, duedate = ?, entity = ?, currency = ?, subsidiary = ?, foreigntotal = ?,
      voided = ?, memo = ?, externalid = ?, account = ?, undepfunds = ?, createddate = ?, lastmodifieddate = ? WHERE id = ?`).run(...header);
  }
  storeExtras(db, 'ns_transaction', 'id = ?', [newId], draft.extras);
  writeLines(db, { id: newId, draft, total, tax, digits });
  // One link per line of `apply` then `credit`: previousdoc = the document applied or refunded (an invoice's
  // link carries all a payment applies to it, cash and credits), nextdoc = this transaction.
  prepared(db, 'DELETE FROM ns_transactionlink WHERE nextdoc = ?').run(newId);
  const insertLink = prepared(db, `INSERT INTO ns_transactionlink (previousdoc, previoustype, nextdoc, nextline, nexttype, foreignamount, linktype, linkdate)
    VALUES (?, (SELECT type FROM ns_transaction WHERE id = ?), ?, ?, ?, ?, 'Payment', ?)`);
  const lines = [...draft.applications, ...draft.credits];
  lines.forEach((application, index) => {
    insertLink.run(application.doc, application.doc, newId, index + 1, draft.type, formatDecimal(application.amount ?? ZERO), draft.trandate);
  });

  const bump = options.timestamps === undefined ? now : undefined;
  deriveTransaction(context, newId, undefined);
  for (const doc of new Set([...before, ...lines.map((application) => application.doc)])) deriveTransaction(context, doc, bump);
  return newId;
}

/**
 * Deletes a transaction; one that others apply or refund (an invoice with payments, a credit memo a payment
 * or refund uses, a refunded payment; voided ones included) is refused, the documents it used re-derived.
 */
export function deleteTransaction(context: StoreContext, id: number): void {
  const { db } = context;
  const links = prepared(db, 'SELECT COUNT(*) AS n FROM ns_transactionlink WHERE previousdoc = ?').get(id);
  if (Number(links?.n) > 0) throw badRequest('USER_ERROR', 'This record cannot be deleted because it has dependent records.');
  const docs = docsUsedBy(context, id);
  prepared(db, 'DELETE FROM ns_transactionlink WHERE nextdoc = ?').run(id);
  prepared(db, 'DELETE FROM ns_transactionline WHERE "transaction" = ?').run(id);
  prepared(db, 'DELETE FROM ns_derivedline WHERE "transaction" = ?').run(id);
  prepared(db, 'DELETE FROM ns_transaction WHERE id = ?').run(id);
  for (const doc of new Set(docs)) deriveTransaction(context, doc, context.now());
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
  const row = prepared(db, "SELECT id FROM ns_transaction WHERE id = ? AND type = 'CustInvc'").get(id);
  if (row === undefined) throw invalidReference('id', id);
  if (tax !== undefined && prepared(db, "SELECT id FROM item WHERE id = ? AND itemtype = 'TaxItem'").get(tax.item) === undefined) {
    throw invalidReference('taxItem', tax.item);
  }
  inTransaction(db, () => {
    prepared(db, 'UPDATE ns_transaction SET taxitem = ?, taxrate = ? WHERE id = ?').run(tax?.item ?? null, tax === undefined ? null : formatDecimal(tax.rate), id);
    writeTransaction(context, 'invoice', {}, id, options);
  });
}
