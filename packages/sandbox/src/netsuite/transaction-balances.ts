/**
 * What each document has left to give, from the links in `ns_transactionlink` (`previousdoc` = the
 * document applied or refunded, `nextdoc` = the payment, credit memo or refund that uses it; links of a
 * voided `nextdoc` count for nothing), and the state derived from it:
 *
 * - an invoice: its total less what payments and credit memos applied to it (cash and credits together);
 * - a credit memo: its total less what it applied to invoices itself, what payments applied of it (their
 *   `credit` sublist) and what refunds paid out of it;
 * - a customer payment: its payment amount less the cash it applied to invoices (the invoices' amounts
 *   less the credits it applied) and what refunds paid out of it (its `unapplied`).
 *
 * `deriveTransaction` stores the results (`foreignamountunpaid` / `foreignamountpaid` and status of invoices
 * and credit memos, the private `unapplied` column of payments) and bumps `lastmodifieddate` when they change.
 */
import type { Stamp } from './dates';
import { formatDecimal, storedDecimal, sumDecimals, ZERO, type Decimal } from './money';
import type { StoreContext } from './record-common';
import { prepared } from './statements';

function sum(rows: readonly { foreignamount?: unknown }[]): Decimal {
  return sumDecimals(rows.map((row) => storedDecimal(row.foreignamount) ?? ZERO));
}

/** What other documents (not voided, not `except`) use of a document: applied to it, or applied or refunded of it. */
export function usedBy(context: StoreContext, doc: number, except?: number): Decimal {
  return sum(
    prepared(context.db, `SELECT l.foreignamount FROM ns_transactionlink l JOIN ns_transaction n ON n.id = l.nextdoc
        WHERE l.previousdoc = ? AND n.voided = 'F' AND n.id IS NOT ?`)
      .all(doc, except ?? null),
  );
}

/** Whether documents that are not voided use this one. */
export function isUsed(context: StoreContext, doc: number): boolean {
  const row = prepared(context.db, `SELECT COUNT(*) AS n FROM ns_transactionlink l JOIN ns_transaction n ON n.id = l.nextdoc WHERE l.previousdoc = ? AND n.voided = 'F'`)
    .get(doc);
  return Number(row?.n) > 0;
}

/**
 * What a stored transaction gives by its own links: a credit memo what it applied to invoices, a payment
 * the cash it applied (the amounts applied to invoices less the credits it applied); 0 when voided.
 */
export function givenBy(context: StoreContext, id: number): Decimal {
  const row = prepared(context.db, 'SELECT type, voided FROM ns_transaction WHERE id = ?').get(id);
  if (row === undefined || row.voided === 'T') return ZERO;
  const links = prepared(context.db, 'SELECT previoustype, foreignamount FROM ns_transactionlink WHERE nextdoc = ?').all(id);
  const invoices = sum(links.filter((link) => link.previoustype === 'CustInvc'));
  return row.type === 'CustPymt' ? invoices - sum(links.filter((link) => link.previoustype === 'CustCred')) : invoices;
}

/**
 * What a stored document has left for `except` (the transaction being written) to apply or refund: an
 * invoice its amount due, a credit memo its amount remaining, a payment its unapplied cash, each counting
 * what `except` already uses of it as still free.
 */
export function leftOn(context: StoreContext, doc: number, except: number | undefined): Decimal {
  const row = prepared(context.db, 'SELECT type, foreigntotal FROM ns_transaction WHERE id = ?').get(doc);
  if (row === undefined) return ZERO;
  const total = storedDecimal(row.foreigntotal) ?? ZERO;
  const own = row.type === 'CustInvc' ? ZERO : givenBy(context, doc);
  return total - own - usedBy(context, doc, except);
}

/**
 * Re-derives a transaction's amount remaining, amount paid and status (an invoice's, a credit memo's) or
 * unapplied amount (a payment's) from the links; when they change and `bump` is given, its
 * `lastmodifieddate` becomes `bump`. Returns whether they changed.
 */
export function deriveTransaction(context: StoreContext, id: number, bump: Stamp | undefined): boolean {
  const { db } = context;
  const row = prepared(db, 'SELECT type, foreigntotal, voided, undepfunds, status, foreignamountunpaid, foreignamountpaid, unapplied FROM ns_transaction WHERE id = ?').get(id);
  if (row === undefined) return false;
  const voided = row.voided === 'T';
  const total = storedDecimal(row.foreigntotal) ?? ZERO;
  let status: string;
  let unpaid: string | null = null;
  let paid: string | null = null;
  let unapplied: string | null = null;
  if (row.type === 'CustPymt') {
    // Customer payment statuses are A (Unapproved Payment), R, B (Not Deposited) and C (Deposited): a
    // voided payment keeps its status; `voided` tells it apart.
    status = row.undepfunds === 'T' ? 'B' : 'C';
    unapplied = formatDecimal(voided ? ZERO : total - givenBy(context, id) - usedBy(context, id));
  } else if (row.type === 'CustRfnd') {
    status = voided ? 'V' : 'R';
  } else {
    const applied = voided ? ZERO : givenBy(context, id) + usedBy(context, id);
    const remaining = voided ? ZERO : total - applied;
    status = voided ? 'V' : remaining > 0n ? 'A' : 'B';
    unpaid = formatDecimal(remaining);
    paid = formatDecimal(applied);
  }
  if (status === row.status && unpaid === row.foreignamountunpaid && paid === row.foreignamountpaid && unapplied === row.unapplied) return false;
  prepared(db, 'UPDATE ns_transaction SET status = ?, foreignamountunpaid = ?, foreignamountpaid = ?, unapplied = ?, lastmodifieddate = COALESCE(?, lastmodifieddate) WHERE id = ?').run(
    status,
    unpaid,
    paid,
    unapplied,
    bump ?? null,
    id,
  );
  return true;
}
