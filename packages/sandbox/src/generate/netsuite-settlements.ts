/**
 * NetSuite credit memos and customer payments, drafted in generation order: which customer, which invoices
 * they settle and by how much, on which day. They settle the customer's oldest open invoices (never a copy
 * of an Invoiced invoice); voided payments are planned like the others but settle nothing; some payments
 * are copies of Invoiced payments (see `netsuite-copies.ts`). Internal IDs and records come later, once
 * every transaction's day is known (see `netsuite-numbering.ts`).
 */
import type { BookLine } from '../books';
import { DAY_MS, HOUR_S } from './calendar';
import { SERVICE_ITEMS } from './catalog';
import { formatMinor } from './money';
import type { CurrencyPricing } from './money';
import type { InvoicedCopies, PaymentCopy } from './netsuite-copies';
import type { InvoiceLedger } from './netsuite-invoices';
import type { GenerationContext } from './options';
import { cycleOf, every } from './proportions';
import { OpenInvoices, plan } from './settlement';
import type { Settlement } from './settlement';

/** What drafting payments and credit memos reads and updates. */
export interface SettlementContext {
  context: GenerationContext;
  pricing: CurrencyPricing;
  /** Currency index of each customer. */
  currencyOf: Int32Array;
  /** `modified` is raised as payments and credit memos apply to invoices. */
  invoices: InvoiceLedger;
  /** Open amount of each invoice in minor units, lowered as they are settled. */
  remaining: Float64Array;
  open: OpenInvoices;
}

/** A payment or credit memo before it is numbered. */
interface TransactionDraft {
  customer: number;
  day: number;
  /** Flat [invoice, minor] pairs. */
  apps: number[];
  modifiedMs: number;
}

export type MemoDraft = TransactionDraft & { lines: BookLine[] };
export type PaymentDraft = TransactionDraft & {
  amount: number;
  voided: boolean;
  memo: string | undefined;
  copy: PaymentCopy | undefined;
  /** Flat [credit memo (generation index), minor] pairs it applies, when any (see `netsuite-credits.ts`). */
  credits?: number[];
};

/** Credit memo drafts in generation order, their days, and which (in date order) carry an external ID. */
export interface CreditMemoDrafts {
  drafts: MemoDraft[];
  day: Int32Array;
  external: (position: number) => boolean;
}

/** Payment drafts in generation order, their days, and which (by generation index) go to undeposited funds. */
export interface PaymentDrafts {
  drafts: PaymentDraft[];
  day: Int32Array;
  undeposited: (index: number) => boolean;
}

/** Starts settling: every non-voided invoice open for its whole total, but copies of Invoiced invoices (settled from Invoiced only). */
export function createSettlementContext(context: GenerationContext, pricing: CurrencyPricing, currencyOf: Int32Array, invoices: InvoiceLedger): SettlementContext {
  const remaining = Float64Array.from(invoices.total);
  const eligible = (invoice: number) => invoices.voided[invoice] === 0 && invoices.copyOf[invoice] === -1;
  const open = new OpenInvoices(context.customerCount, invoices.order, invoices.customer, eligible, remaining);
  return { context, pricing, currencyOf, invoices, remaining, open };
}

/** Raises the lastModifiedDate of the invoices in `apps` to `ms`. */
function touch(modified: Float64Array, apps: readonly number[], ms: number): void {
  for (let a = 0; a < apps.length; a += 2) {
    const invoice = apps[a]!;
    if (modified[invoice]! < ms) modified[invoice] = ms;
  }
}

function settleAll(open: OpenInvoices, customer: number, apps: readonly number[]): void {
  for (let a = 0; a < apps.length; a += 2) open.settle(customer, apps[a]!, apps[a + 1]!);
}

/** The latest day of the invoices in `apps`, or `fallback` when later: a settlement is never dated before what it applies to. */
function lastDay(invoiceDay: Int32Array, apps: readonly number[], fallback: number): number {
  let day = fallback;
  for (let a = 0; a < apps.length; a += 2) day = Math.max(day, invoiceDay[apps[a]!]!);
  return day;
}

/**
 * Drafts the credit memos (randomness forked as `creditMemos`): fully applied, partially applied, split and
 * with unapplied credit in turn; an unapplied credit for anyone once nothing is open.
 */
export function draftCreditMemos(settling: SettlementContext): CreditMemoDrafts {
  const { context, pricing, currencyOf, invoices, remaining, open } = settling;
  const { root, creditMemoCount, customerCount, days, startMs, beforeNow } = context;
  const { exponents, prices } = pricing;
  const { day: invoiceDay, modified: invoiceModified } = invoices;
  const cmRandom = root.fork('creditMemos');
  const cmKind = cycleOf<Settlement>(cmRandom, ['full', 'partial', 'split', 'unapplied']);
  const externalMemo = every(cmRandom, 3);
  const memoDrafts: MemoDraft[] = new Array<MemoDraft>(creditMemoCount);
  const memoDay = new Int32Array(creditMemoCount);
  for (let m = 0; m < creditMemoCount; m += 1) {
    const kind = cmKind(m);
    let customer = open.pick(cmRandom, kind === 'split' ? 2 : 1, 8);
    if (customer < 0 && kind === 'split') customer = open.pick(cmRandom, 1, 8);
    let apps: number[] = [];
    let unapplied: number;
    let startDay: number;
    if (customer >= 0) {
      const oldestDay = invoiceDay[open.open(customer, 0)]!;
      ({ apps, unapplied } = plan(kind === 'split' && open.openCount(customer) < 2 ? 'full' : kind, customer, open, remaining, cmRandom));
      settleAll(open, customer, apps);
      open.hold(customer, unapplied);
      startDay = lastDay(invoiceDay, apps, oldestDay);
    } else {
      // nothing is open any more: an unapplied credit for anyone
      customer = cmRandom.int(0, customerCount - 1);
      const [low, high] = prices[currencyOf[customer]!]!;
      unapplied = cmRandom.int(low, high);
      startDay = cmRandom.int(0, days - 1);
    }
    const exponent = exponents[currencyOf[customer]!]!;
    const lines: BookLine[] = [];
    const creditLine = (minor: number) => {
      const amount = formatMinor(minor, exponent);
      lines.push({ itemId: String(cmRandom.int(1, SERVICE_ITEMS.length)), description: 'Service credit', quantity: '1', rate: amount, amount });
    };
    // one line per application (the unapplied credit on the last line)
    for (let a = 0; a < apps.length; a += 2) creditLine(apps[a + 1]! + (a + 2 >= apps.length ? unapplied : 0));
    if (apps.length === 0) creditLine(unapplied);
    const day = Math.min(days - 1, startDay + cmRandom.int(0, 30));
    memoDay[m] = day;
    const modifiedMs = beforeNow(startMs + day * DAY_MS + cmRandom.int(6 * HOUR_S, 30 * HOUR_S) * 1000);
    touch(invoiceModified, apps, modifiedMs);
    memoDrafts[m] = { customer, day, apps, modifiedMs, lines };
  }
  return { drafts: memoDrafts, day: memoDay, external: externalMemo };
}

/**
 * Drafts the customer payments (randomness forked as `payments`): full, partial, split and with an unapplied
 * remainder (4:3:2:1), one in forty voided; a voided one settling nothing once nothing is open. One in eight
 * (not voided) is, while any is left, a copy of an Invoiced payment applied to copies of Invoiced invoices.
 */
export function draftPayments(settling: SettlementContext, copies: InvoicedCopies): PaymentDrafts {
  const { context, pricing, currencyOf, invoices, remaining, open } = settling;
  const { root, paymentCount, customerCount, days, startMs, beforeNow } = context;
  const { prices } = pricing;
  const { day: invoiceDay, modified: invoiceModified } = invoices;
  const payRandom = root.fork('payments');
  const payKind = cycleOf<Settlement>(payRandom, ['full', 'partial', 'split', 'full', 'unapplied', 'partial', 'full', 'split', 'full', 'partial']);
  const voidedPayment = every(payRandom, 40);
  const undeposited = every(payRandom, 3);
  const externalPayment = every(payRandom, 8);
  const paymentDrafts: PaymentDraft[] = new Array<PaymentDraft>(paymentCount);
  const paymentDay = new Int32Array(paymentCount);
  for (let p = 0; p < paymentCount; p += 1) {
    const kind = payKind(p);
    let voided = voidedPayment(p);
    const copy = externalPayment(p) && !voided ? copies.takePayment() : undefined;
    if (copy !== undefined) {
      paymentDay[p] = copy.day;
      const copyModifiedMs = beforeNow(startMs + copy.day * DAY_MS + payRandom.int(6 * HOUR_S, 30 * HOUR_S) * 1000);
      touch(invoiceModified, copy.apps, copyModifiedMs);
      paymentDrafts[p] = { customer: copy.customer, day: copy.day, apps: copy.apps, modifiedMs: copyModifiedMs, amount: copy.amount, voided: false, memo: copy.memo, copy };
      continue;
    }
    let customer = open.pick(payRandom, kind === 'split' ? 2 : 1, 8);
    if (customer < 0 && kind === 'split') customer = open.pick(payRandom, 1, 8);
    let apps: number[] = [];
    let amount: number;
    let startDay: number;
    if (customer >= 0) {
      const oldestDay = invoiceDay[open.open(customer, 0)]!;
      const planned = plan(kind === 'split' && open.openCount(customer) < 2 ? 'full' : kind, customer, open, remaining, payRandom);
      apps = planned.apps;
      amount = planned.unapplied;
      for (let a = 1; a < apps.length; a += 2) amount += apps[a]!;
      if (!voided) {
        settleAll(open, customer, apps);
        open.hold(customer, planned.unapplied);
      }
      startDay = lastDay(invoiceDay, apps, oldestDay);
    } else {
      // nothing is open any more: a payment entered by mistake and voided, settling nothing
      voided = true;
      customer = payRandom.int(0, customerCount - 1);
      const [low, high] = prices[currencyOf[customer]!]!;
      amount = payRandom.int(low, high);
      startDay = payRandom.int(0, days - 1);
    }
    const day = Math.min(days - 1, startDay + payRandom.int(0, 40));
    paymentDay[p] = day;
    let modifiedMs = startMs + day * DAY_MS + payRandom.int(6 * HOUR_S, 30 * HOUR_S) * 1000;
    if (voided) modifiedMs += payRandom.int(1, 10) * DAY_MS;
    modifiedMs = beforeNow(modifiedMs);
    touch(invoiceModified, apps, modifiedMs);
    const memo = payRandom.chance(0.2) ? `${payRandom.pick(['Check', 'ACH', 'Wire'])} #${payRandom.int(1000, 99_999)}` : undefined;
    paymentDrafts[p] = { customer, day, apps, modifiedMs, amount, voided, memo, copy: undefined };
  }
  return { drafts: paymentDrafts, day: paymentDay, undeposited };
}
