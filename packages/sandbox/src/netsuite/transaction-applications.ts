/**
 * The checks on what a transaction applies or refunds (its `apply` and, on a payment, `credit` lines),
 * made before anything is stored; every refusal is a 400 `USER_ERROR` naming the line:
 *
 * - each document belongs to the transaction's customer, is in its currency and is not voided;
 * - each amount is above 0 and at most what the document has left (`leftOn`: an invoice's amount due, a
 *   credit memo's amount remaining, a payment's unapplied cash), counting what this transaction already
 *   uses of it as free;
 * - a payment applies credits and cash together to its invoices: with A the amount applied to invoices, C
 *   the credits applied and P the payment, C ≤ A ≤ P + C (*assumed*: the credits are used first and must
 *   all go to invoices; the cash is what is left, so any rest of the cash stays unapplied, never a credit);
 *   the cash applied (A − C) plus what refunds took of the payment must stay within P;
 * - a credit memo applies at most its total less what payments and refunds took of it;
 * - a refund refunds something (its total is what it applies).
 */
import { badRequest, invalidReference } from './errors';
import { formatDecimal, roundDecimal, ZERO, type Decimal } from './money';
import type { StoreContext } from './record-common';
import { TRANSACTION_TYPE_NAMES } from './statuses';
import { isUsed, leftOn, usedBy } from './transaction-balances';
import type { ApplicationDraft, TransactionDraft } from './transaction-draft';
import { prepared } from './statements';

const NOUNS: Readonly<Record<string, string>> = { CustInvc: 'invoice', CustPymt: 'payment', CustCred: 'credit memo', CustRfnd: 'refund' };
const LEFT: Readonly<Record<string, string>> = { CustInvc: 'amount due', CustPymt: 'unapplied amount', CustCred: 'amount remaining' };

/** Checks the lines of one sublist and settles their amounts (null = all that is left); returns their sum. */
function checkLines(context: StoreContext, draft: TransactionDraft, lines: ApplicationDraft[], sublist: 'apply' | 'credit', digits: number): Decimal {
  const { db } = context;
  const noun = NOUNS[draft.type] ?? 'transaction';
  let sum = ZERO;
  for (const line of lines) {
    const path = line.index === undefined ? sublist : `${sublist}.items[${line.index}].doc`;
    const doc = prepared(db, 'SELECT type, entity, currency, voided, tranid FROM ns_transaction WHERE id = ?').get(line.doc);
    if (doc === undefined) throw invalidReference(path, line.doc);
    const type = String(doc.type);
    const name = `${TRANSACTION_TYPE_NAMES[type] ?? type} ${String(doc.tranid)}`;
    if (Number(doc.entity) !== draft.entity) throw badRequest('USER_ERROR', `${name} belongs to another customer and cannot be applied.`, { path });
    if (Number(doc.currency) !== draft.currency) throw badRequest('USER_ERROR', `${name} is in another currency than this ${noun}.`, { path: 'currency' });
    const left = leftOn(context, line.doc, draft.id);
    line.amount = roundDecimal(line.amount ?? left, digits);
    if (draft.voided) continue;
    if (doc.voided === 'T') throw badRequest('USER_ERROR', `${name} is voided.`, { path });
    if (line.amount <= 0n) throw badRequest('USER_ERROR', 'An applied amount must be greater than zero.', { path });
    if (line.amount > left) {
      throw badRequest('USER_ERROR', `The amount applied to ${NOUNS[type] ?? type} ${String(doc.tranid)} (${formatDecimal(line.amount)}) exceeds its ${LEFT[type] ?? 'amount left'} (${formatDecimal(left)}).`, { path });
    }
    sum += line.amount;
  }
  return sum;
}

/**
 * Refuses changes to a stored document that others use (payments or credit memos applied to an invoice,
 * payments or refunds using a credit memo, refunds of a payment): voiding it, changing its customer or
 * currency, or bringing its total below what they use.
 */
export function checkUsedDocument(context: StoreContext, draft: TransactionDraft, total: Decimal): void {
  if (draft.id === undefined || draft.type === 'CustRfnd' || !isUsed(context, draft.id)) return;
  const stored = prepared(context.db, 'SELECT entity, currency FROM ns_transaction WHERE id = ?').get(draft.id);
  const noun = NOUNS[draft.type] ?? 'transaction';
  const what = draft.type === 'CustInvc' ? 'has payments or credits applied to it' : draft.type === 'CustCred' ? 'payments or refunds apply' : 'has been refunded';
  if (draft.voided) throw badRequest('USER_ERROR', `You cannot void ${draft.type === 'CustInvc' ? 'an' : 'a'} ${noun} that ${what}.`, { path: 'voided' });
  const settled = draft.type === 'CustInvc' ? 'has payments applied' : 'other transactions use';
  if (Number(stored?.entity) !== draft.entity) throw badRequest('USER_ERROR', `You cannot change the customer of ${draft.type === 'CustInvc' ? 'an' : 'a'} ${noun} that ${settled}.`, { path: 'entity' });
  if (Number(stored?.currency) !== draft.currency) throw badRequest('USER_ERROR', `You cannot change the currency of ${draft.type === 'CustInvc' ? 'an' : 'a'} ${noun} that ${settled}.`, { path: 'currency' });
  if (draft.type === 'CustInvc' && total < usedBy(context, draft.id)) throw badRequest('USER_ERROR', 'The invoice total cannot be less than the amount already paid.', { path: 'item' });
}

/**
 * Checks the `apply` (and `credit`) lines of a draft whose own total is `total` (a refund's is computed
 * here: what it applies). Returns the total.
 */
export function checkApplications(context: StoreContext, draft: TransactionDraft, total: Decimal, digits: number): Decimal {
  const applied = checkLines(context, draft, draft.applications, 'apply', digits);
  const credits = draft.type === 'CustPymt' ? checkLines(context, draft, draft.credits, 'credit', digits) : ZERO;
  if (draft.type === 'CustRfnd') {
    if (draft.voided) return ZERO;
    if (draft.applications.length === 0) throw badRequest('USER_ERROR', 'A refund must refund at least one credit memo or payment: apply one.', { path: 'apply' });
    return applied;
  }
  if (draft.voided) return total;
  const others = draft.id === undefined ? ZERO : usedBy(context, draft.id);
  if (draft.type === 'CustPymt') {
    if (credits > applied) {
      throw badRequest('USER_ERROR', `The credits applied (${formatDecimal(credits)}) exceed the total applied to invoices (${formatDecimal(applied)}).`, { path: 'credit' });
    }
    if (applied - credits > total) {
      const plus = credits > 0n ? ` plus the credits applied (${formatDecimal(credits)})` : '';
      throw badRequest('USER_ERROR', `The total applied (${formatDecimal(applied)}) exceeds the payment amount (${formatDecimal(total)})${plus}.`, { path: 'apply' });
    }
    if (applied - credits + others > total) {
      throw badRequest('USER_ERROR', `The payment amount (${formatDecimal(total)}) cannot be less than the cash applied (${formatDecimal(applied - credits)}) and refunded (${formatDecimal(others)}).`, { path: 'payment' });
    }
  } else if (draft.type === 'CustCred' && applied + others > total) {
    const also = others > 0n ? ` less what payments and refunds use of it (${formatDecimal(others)})` : '';
    throw badRequest('USER_ERROR', `The total applied (${formatDecimal(applied)}) exceeds the credit amount (${formatDecimal(total)})${also}.`, { path: 'apply' });
  }
  return total;
}
