/**
 * What the Invoiced side has beyond customers, invoices and cash payments: processed payments (a card or
 * ACH charge taken through Invoiced) and their refunds, and credit notes, some applied to invoices. Each
 * draws on a stream of its own (`invoiced:processed`, `invoiced:refunds`, `invoiced:creditNotes`), made
 * after the cash payments, so that with none asked for the books are exactly what they were without them.
 *
 * - Processed payments: exactly `Math.round(payments * processedShare)` of the cash payments, at random;
 *   their method becomes `credit_card` or `ach` and they lose their reference (the gateway gives one).
 * - Refunds: of a processed payment's charge, in part or in full in turn, never beyond what it has left.
 * - Credit notes: one in five a draft; the others in turn applied to the customer's oldest open invoice by
 *   a payment of 0 (added after the cash payments), applied inside a cash payment (not processed, dated on
 *   or after the credit note and the invoice), or left open; an application is the note's total or part of
 *   it, never more than the invoice has left after every cash payment and earlier credit note. When no
 *   invoice is open, the note stays open.
 */
import type { InvoicedBookCreditNote, InvoicedBookPayment } from '../books';
import { DAY_MS } from './calendar';
import { SERVICE_ITEMS } from './catalog';
import { currencyExponent, formatMinor, parseMinor, priceRange } from './money';
import type { GenerationContext, InvoicedCounts } from './options';
import { cycleOf, every } from './proportions';

/** What the extras read of the Invoiced side generated so far (customers, invoices, cash payments). */
export interface InvoicedBase {
  customerKeys: readonly string[];
  /** Upper-case currency of each customer. */
  currencyOf: readonly string[];
  invoiceKeys: readonly string[];
  invoiceCustomer: Int32Array;
  invoiceDay: Int32Array;
  invoiceTotal: Float64Array;
  isDraft: Uint8Array;
  payments: InvoicedBookPayment[];
  paymentCustomer: Int32Array;
  paymentDay: Int32Array;
  paymentApps: readonly number[][];
}

/** Credit notes and the payments of 0 that apply some of them. */
export interface InvoicedExtras {
  creditNotes: InvoicedBookCreditNote[];
  zeroPayments: InvoicedBookPayment[];
}

/** `floor(value * percent / 100)` kept within [1, value - 1] (value ≥ 2). */
function part(value: number, percent: number): number {
  return Math.min(value - 1, Math.max(1, Math.floor((value * percent) / 100)));
}

/** Marks processed payments and draws their refunds; changes `base.payments` in place. */
export function addProcessedPayments(context: GenerationContext, counts: InvoicedCounts, base: InvoicedBase): void {
  const payments = base.payments;
  const processedCount = Math.round(payments.length * counts.processedShare);
  if (processedCount === 0) return;
  const random = context.root.fork('invoiced:processed');
  const positions = Int32Array.from({ length: payments.length }, (_, index) => index);
  const processed: number[] = [];
  for (let d = 0; d < processedCount; d += 1) {
    const swap = random.int(d, payments.length - 1);
    const chosen = positions[swap]!;
    positions[swap] = positions[d]!;
    positions[d] = chosen;
    processed.push(chosen);
  }
  processed.sort((a, b) => a - b);
  for (const index of processed) {
    const { reference: _reference, ...rest } = payments[index]!;
    payments[index] = { ...rest, method: random.chance(0.7) ? 'credit_card' : 'ach', processed: true };
  }
  addRefunds(context, counts, base, processed);
}

function addRefunds(context: GenerationContext, counts: InvoicedCounts, base: InvoicedBase, processed: readonly number[]): void {
  if (counts.refunds === 0) return;
  const random = context.root.fork('invoiced:refunds');
  const kindOf = cycleOf(random, ['partial', 'full', 'partial'] as const);
  const left = new Map<number, number>();
  const exponentOf = (index: number) => currencyExponent(base.payments[index]!.currency);
  for (const index of processed) left.set(index, Number(parseMinor(base.payments[index]!.amount, exponentOf(index))));
  for (let r = 0; r < counts.refunds; r += 1) {
    const candidates = processed.filter((index) => left.get(index)! > 0);
    if (candidates.length === 0) return;
    const index = random.pick(candidates);
    const remaining = left.get(index)!;
    const amount = kindOf(r) === 'full' || remaining < 2 ? remaining : part(remaining, random.int(20, 80));
    left.set(index, remaining - amount);
    const payment = base.payments[index]!;
    base.payments[index] = { ...payment, refunds: [...(payment.refunds ?? []), formatMinor(amount, exponentOf(index))] };
  }
}

type NoteKind = 'zero' | 'cash' | 'open';

/** Open (non-draft, not fully paid) invoices and what is left of each, in minor units. */
function openBalances(base: InvoicedBase): Float64Array {
  const remaining = Float64Array.from(base.invoiceTotal);
  for (const apps of base.paymentApps) for (let a = 0; a < apps.length; a += 2) remaining[apps[a]!]! -= apps[a + 1]!;
  base.isDraft.forEach((draft, index) => {
    if (draft === 1) remaining[index] = 0;
  });
  return remaining;
}

/** The oldest invoice of `customer` with something left, dated on or before `day`, or -1. */
function oldestOpen(base: InvoicedBase, remaining: Float64Array, customer: number, day: number): number {
  let found = -1;
  for (let k = 0; k < remaining.length; k += 1) {
    if (base.invoiceCustomer[k] !== customer || remaining[k]! < 1 || base.invoiceDay[k]! > day) continue;
    if (found < 0 || base.invoiceDay[k]! < base.invoiceDay[found]!) found = k;
  }
  return found;
}

/** Generates the credit notes; applies some inside cash payments (in place) and some by payments of 0. */
export function generateCreditNotes(context: GenerationContext, counts: InvoicedCounts, base: InvoicedBase): InvoicedExtras {
  const creditNotes: InvoicedBookCreditNote[] = [];
  const zeroPayments: InvoicedBookPayment[] = [];
  if (counts.creditNotes === 0) return { creditNotes, zeroPayments };
  const { days, startMs } = context;
  const random = context.root.fork('invoiced:creditNotes');
  const drafted = every(random, 5);
  const kindOf = cycleOf<NoteKind>(random, ['zero', 'cash', 'open']);
  const remaining = openBalances(base);
  const customerCount = base.customerKeys.length;
  const cashPayments = base.payments.length;
  for (let j = 0; j < counts.creditNotes; j += 1) {
    const draft = drafted(j);
    let kind: NoteKind = draft ? 'open' : kindOf(j);
    let customer = random.int(0, customerCount - 1);
    let day = random.int(0, days - 1);
    let invoice = -1;
    let payment = -1;
    let paymentDay = day;
    if (kind === 'cash') {
      // a cash payment (not processed) of a customer with an invoice still open, from a random start
      const start = random.int(0, Math.max(0, cashPayments - 1));
      for (let n = 0; n < cashPayments && payment < 0; n += 1) {
        const p = (start + n) % cashPayments;
        const record = base.payments[p]!;
        if (record.processed === true || record.appliedTo.some((applied) => 'creditNoteKey' in applied)) continue;
        const open = oldestOpen(base, remaining, base.paymentCustomer[p]!, base.paymentDay[p]!);
        if (open < 0) continue;
        payment = p;
        invoice = open;
      }
      if (payment >= 0) {
        customer = base.paymentCustomer[payment]!;
        paymentDay = base.paymentDay[payment]!;
        day = random.int(Math.max(0, paymentDay - 30), paymentDay);
      } else {
        kind = 'zero';
      }
    }
    if (kind === 'zero') {
      // the oldest open invoice of a customer that has one, from a random start
      const start = random.int(0, Math.max(0, customerCount - 1));
      for (let n = 0; n < customerCount && invoice < 0; n += 1) {
        const c = (start + n) % customerCount;
        invoice = oldestOpen(base, remaining, c, days - 1);
        if (invoice >= 0) customer = c;
      }
      if (invoice < 0) kind = 'open';
      else paymentDay = Math.min(days - 1, Math.max(day, base.invoiceDay[invoice]!) + random.int(0, 20));
    }
    const currency = base.currencyOf[customer]!;
    const exponent = currencyExponent(currency);
    const [low, high] = priceRange(currency, exponent);
    const items: InvoicedBookCreditNote['items'] = [];
    let total = 0;
    const lineCount = random.chance(0.3) ? 2 : 1;
    for (let l = 0; l < lineCount; l += 1) {
      const [name, description] = random.pick(SERVICE_ITEMS);
      const unitCost = random.int(low, Math.max(low, Math.floor(high / 5)));
      total += unitCost;
      items.push(random.chance(0.5) ? { name, description, quantity: '1', unitCost: formatMinor(unitCost, exponent) } : { name, quantity: '1', unitCost: formatMinor(unitCost, exponent) });
    }
    const key = `ivd-cn-${j + 1}`;
    creditNotes.push({
      key,
      customerKey: base.customerKeys[customer]!,
      number: `CN-${String(j + 1).padStart(4, '0')}`,
      currency: currency.toLowerCase(),
      date: (startMs + day * DAY_MS) / 1000,
      draft,
      items,
    });
    if (kind === 'open') continue;
    let amount = Math.min(total, remaining[invoice]!);
    if (amount >= 2 && random.chance(0.4)) amount = part(amount, random.int(20, 80));
    remaining[invoice]! -= amount;
    const application = { creditNoteKey: key, invoiceKey: base.invoiceKeys[invoice]!, amount: formatMinor(amount, exponent) };
    if (kind === 'cash') {
      const record = base.payments[payment]!;
      base.payments[payment] = { ...record, appliedTo: [...record.appliedTo, application] };
      continue;
    }
    zeroPayments.push({
      key: `ivd-pay-${cashPayments + zeroPayments.length + 1}`,
      customerKey: base.customerKeys[customer]!,
      currency: currency.toLowerCase(),
      date: (startMs + paymentDay * DAY_MS) / 1000,
      amount: formatMinor(0, exponent),
      method: 'other',
      appliedTo: [application],
    });
  }
  return { creditNotes, zeroPayments };
}
