/**
 * What NetSuite's credit memos and payments have left, used after they are drafted: credit memos applied
 * inside customer payments (the `credit` sublist), then customer refunds of what is left. Each draws on a
 * stream of its own (`paymentCredits`, `customerRefunds`), so that with none asked for the books are
 * exactly what they were without them.
 *
 * - Payment credits: `Math.round(payments * paymentCredits)` payments (not voided, not copies of Invoiced
 *   payments, applying something), taken in turn from a random start, each applying up to two open credit
 *   memos of its customer dated on or before it, for all or part of what it applies (most take part of what
 *   a memo has left, so that a memo serves several payments). The credit takes the
 *   place of cash: the applications stay as they were and the payment amount is lowered by the credit (a
 *   payment whose credits cover all it applies, and had nothing unapplied, is a payment of 0). A memo
 *   applied by a payment is modified when the payment is. Payments without a customer memo to apply are
 *   passed over, so fewer may get credits when memos are scarce.
 * - Customer refunds: each of what a credit memo has left or of a payment's unapplied cash (never of a
 *   voided payment or a copy), in full or in part in turn, one in four also of a second document of the same
 *   customer; one in twenty voided (it takes nothing, as NetSuite gives a voided refund's amounts back).
 *   Dated on or after what it refunds, which it modifies. Refunds stop when nothing is left to refund.
 */
import { DAY_MS, HOUR_S } from './calendar';
import { parseMinor } from './money';
import type { CreditMemoDrafts, PaymentDrafts, SettlementContext } from './netsuite-settlements';
import { cycleOf, every } from './proportions';

/** A customer refund before it is numbered. */
export interface RefundDraft {
  customer: number;
  day: number;
  /** Flat `[kind, index, minor]` triples: kind 0 a credit memo, 1 a payment, by generation index. */
  docs: number[];
  voided: boolean;
  modifiedMs: number;
}

/** Refund drafts in generation order and their days. */
export interface RefundDrafts {
  drafts: RefundDraft[];
  day: Int32Array;
}

/** `floor(value * percent / 100)` kept within [1, value - 1] (value ≥ 2). */
function part(value: number, percent: number): number {
  return Math.min(value - 1, Math.max(1, Math.floor((value * percent) / 100)));
}

const sumOf = (pairs: readonly number[]) => {
  let total = 0;
  for (let a = 1; a < pairs.length; a += 2) total += pairs[a]!;
  return total;
};

/** What each credit memo has left after its own applications, in minor units. */
export function memoCreditLeft(settling: SettlementContext, memos: CreditMemoDrafts): Float64Array {
  const { pricing, currencyOf } = settling;
  return Float64Array.from(memos.drafts, (draft) => {
    const exponent = pricing.exponents[currencyOf[draft.customer]!]!;
    const total = draft.lines.reduce((sum, line) => sum + Number(parseMinor(line.amount, exponent)), 0);
    return total - sumOf(draft.apps);
  });
}

/** Gives payments credits of open credit memos (see the module comment); lowers `memoLeft` by what they take. */
export function applyPaymentCredits(settling: SettlementContext, memos: CreditMemoDrafts, payments: PaymentDrafts, memoLeft: Float64Array): void {
  const { root, paymentCount, paymentCreditShare } = settling.context;
  const target = Math.round(paymentCount * paymentCreditShare);
  if (target === 0 || memos.drafts.length === 0) return;
  const random = root.fork('paymentCredits');
  const memosOf = new Map<number, number[]>();
  // each customer's memos, oldest first
  const byDay = memos.drafts.map((_, index) => index).sort((a, b) => memos.day[a]! - memos.day[b]! || a - b);
  for (const m of byDay) {
    const customer = memos.drafts[m]!.customer;
    const list = memosOf.get(customer) ?? [];
    list.push(m);
    memosOf.set(customer, list);
  }
  const start = random.int(0, paymentCount - 1);
  let given = 0;
  for (let n = 0; n < paymentCount && given < target; n += 1) {
    const draft = payments.drafts[(start + n) % paymentCount]!;
    if (draft.voided || draft.copy !== undefined || draft.apps.length === 0) continue;
    const open = (memosOf.get(draft.customer) ?? []).filter((m) => memoLeft[m]! > 0 && memos.day[m]! <= draft.day).slice(0, 2);
    if (open.length === 0) continue;
    const applied = sumOf(draft.apps);
    let budget = applied >= 2 && random.chance(0.5) ? part(applied, random.int(30, 90)) : applied;
    const credits: number[] = [];
    for (const m of open) {
      if (budget === 0) break;
      // most payments take part of what a memo has left, so that a memo serves several payments
      const have = memoLeft[m]!;
      const amount = Math.min(have, budget, have >= 2 && random.chance(0.7) ? part(have, random.int(20, 60)) : have);
      credits.push(m, amount);
      memoLeft[m]! -= amount;
      budget -= amount;
      const memo = memos.drafts[m]!;
      memo.modifiedMs = Math.max(memo.modifiedMs, draft.modifiedMs);
    }
    draft.credits = credits;
    draft.amount -= sumOf(credits);
    given += 1;
  }
}

/** A document that can be refunded: kind 0 a credit memo, 1 a payment. */
interface Refundable {
  kind: 0 | 1;
  index: number;
  customer: number;
  day: number;
}

/** Drafts the customer refunds (see the module comment), once payment credits are known. */
export function draftCustomerRefunds(settling: SettlementContext, memos: CreditMemoDrafts, payments: PaymentDrafts, memoLeft: Float64Array): RefundDrafts {
  const { root, customerRefundCount, days, startMs, beforeNow } = settling.context;
  const drafts: RefundDraft[] = [];
  const refundDay = new Int32Array(customerRefundCount);
  if (customerRefundCount === 0) return { drafts, day: refundDay };
  const random = root.fork('customerRefunds');
  const kindOf = cycleOf(random, ['full', 'partial', 'partial', 'full'] as const);
  const voidedRefund = every(random, 20);
  const paymentLeft = Float64Array.from(payments.drafts, (draft) =>
    draft.voided || draft.copy !== undefined ? 0 : draft.amount - (sumOf(draft.apps) - sumOf(draft.credits ?? [])),
  );
  const left = (doc: Refundable) => (doc.kind === 0 ? memoLeft : paymentLeft)[doc.index]!;
  const pool: Refundable[] = [];
  memos.drafts.forEach((draft, index) => {
    if (memoLeft[index]! > 0) pool.push({ kind: 0, index, customer: draft.customer, day: draft.day });
  });
  payments.drafts.forEach((draft, index) => {
    if (paymentLeft[index]! > 0) pool.push({ kind: 1, index, customer: draft.customer, day: draft.day });
  });
  for (let r = 0; r < customerRefundCount; r += 1) {
    for (let p = pool.length - 1; p >= 0; p -= 1) if (left(pool[p]!) <= 0) pool.splice(p, 1);
    if (pool.length === 0) break;
    const first = random.pick(pool);
    const chosen = [first];
    if (random.chance(0.25)) {
      const second = pool.find((doc) => doc !== first && doc.customer === first.customer);
      if (second !== undefined) chosen.push(second);
    }
    const voided = voidedRefund(r);
    const docs: number[] = [];
    let startDay = 0;
    for (const doc of chosen) {
      const have = left(doc);
      const amount = kindOf(r) === 'full' || have < 2 ? have : part(have, random.int(20, 80));
      docs.push(doc.kind, doc.index, amount);
      if (!voided) (doc.kind === 0 ? memoLeft : paymentLeft)[doc.index]! -= amount;
      startDay = Math.max(startDay, doc.day);
    }
    const day = Math.min(days - 1, startDay + random.int(0, 30));
    let modifiedMs = startMs + day * DAY_MS + random.int(6 * HOUR_S, 30 * HOUR_S) * 1000;
    if (voided) modifiedMs += random.int(1, 10) * DAY_MS;
    modifiedMs = beforeNow(modifiedMs);
    for (const doc of chosen) {
      const draft = doc.kind === 0 ? memos.drafts[doc.index]! : payments.drafts[doc.index]!;
      draft.modifiedMs = Math.max(draft.modifiedMs, modifiedMs);
    }
    refundDay[drafts.length] = day;
    drafts.push({ customer: first.customer, day, docs, voided, modifiedMs });
  }
  return { drafts, day: refundDay.slice(0, drafts.length) };
}
