/**
 * Settling invoices: which invoices of a customer are still open, and how a payment or credit memo applies
 * to them. Settlements start at a customer's oldest open invoice (what NetSuite's auto-apply does) and never
 * exceed what is open, nor, with unapplied remainders counted, what the customer still owes. Both sides of
 * the books use this: NetSuite payments and credit memos, and Invoiced payments.
 */
import type { Random } from '../random';

/**
 * Open (unsettled) invoices grouped by customer, oldest first. Settlements always start at a customer's
 * oldest open invoice, so the open ones of a customer are the contiguous run from its head.
 */
export class OpenInvoices {
  private readonly offsets: Int32Array;
  private readonly items: Int32Array;
  private readonly heads: Int32Array;
  private readonly totals: Float64Array;
  /** Unapplied amounts received per customer (payment remainders, unapplied credit). */
  private readonly held: Float64Array;
  private readonly pool: Int32Array;
  private poolSize = 0;

  /**
   * @param order invoice indexes sorted by date; those for which `eligible` is true are indexed.
   * @param remaining open amount per invoice in minor units, updated by {@link settle}.
   */
  constructor(
    customers: number,
    order: Int32Array,
    customerOf: Int32Array,
    eligible: (invoice: number) => boolean,
    private readonly remaining: Float64Array,
  ) {
    this.offsets = new Int32Array(customers + 1);
    for (const invoice of order) if (eligible(invoice)) this.offsets[customerOf[invoice]! + 1]! += 1;
    for (let c = 0; c < customers; c += 1) this.offsets[c + 1]! += this.offsets[c]!;
    this.items = new Int32Array(this.offsets[customers]!);
    this.heads = this.offsets.slice(0, customers);
    const fill = this.offsets.slice(0, customers);
    this.totals = new Float64Array(customers);
    this.held = new Float64Array(customers);
    for (const invoice of order) {
      if (!eligible(invoice)) continue;
      const customer = customerOf[invoice]!;
      this.items[fill[customer]!] = invoice;
      fill[customer]! += 1;
      this.totals[customer]! += remaining[invoice]!;
    }
    this.pool = new Int32Array(customers);
    for (let c = 0; c < customers; c += 1) if (this.offsets[c + 1]! > this.offsets[c]!) this.pool[this.poolSize++] = c;
  }

  /**
   * A random customer with at least `minOpen` open invoices and something left to pay, or -1 after `tries`
   * misses or when none is left. (What is left to pay only ever decreases, so spent customers leave the pool.)
   */
  pick(random: Random, minOpen: number, tries: number): number {
    for (let attempt = 0; attempt < tries && this.poolSize > 0; ) {
      const position = random.int(0, this.poolSize - 1);
      const customer = this.pool[position]!;
      const open = this.openCount(customer);
      if (open === 0 || this.available(customer) < 1) {
        this.pool[position] = this.pool[this.poolSize - 1]!;
        this.poolSize -= 1;
        continue;
      }
      if (open >= minOpen) return customer;
      attempt += 1;
    }
    return -1;
  }

  openCount(customer: number): number {
    const end = this.offsets[customer + 1]!;
    let head = this.heads[customer]!;
    while (head < end && this.remaining[this.items[head]!] === 0) head += 1;
    this.heads[customer] = head;
    return end - head;
  }

  /** The `n`-th oldest open invoice of `customer` (call {@link openCount} first). */
  open(customer: number, n: number): number {
    return this.items[this.heads[customer]! + n]!;
  }

  /**
   * What `customer` may still pay or be credited: its open invoices less what it already paid without
   * applying. Keeping every settlement within it means a customer's payments and credits never add up to
   * more than its invoices.
   */
  available(customer: number): number {
    return this.totals[customer]! - this.held[customer]!;
  }

  /** Records an application. */
  settle(customer: number, invoice: number, minor: number): void {
    this.remaining[invoice]! -= minor;
    this.totals[customer]! -= minor;
  }

  /** Records an unapplied amount. */
  hold(customer: number, minor: number): void {
    this.held[customer]! += minor;
  }
}

/** How a payment or credit memo settles invoices. */
export type Settlement = 'full' | 'partial' | 'split' | 'unapplied';

/** `floor(value * percent / 100)` kept within [1, value - 1] (value ≥ 2). */
function part(value: number, percent: number): number {
  return Math.min(value - 1, Math.max(1, Math.floor((value * percent) / 100)));
}

/**
 * Chooses applications on `customer`'s oldest open invoices for a settlement of `kind`; returns flat
 * `[invoice, minor, invoice, minor, ...]` pairs and the unapplied remainder. Nothing is settled yet.
 * Every application is at most the invoice's open amount, and applications plus remainder are at most
 * what the customer may still pay ({@link OpenInvoices.available}). A kind that cannot be honoured (a
 * partial settlement of an invoice with 1 minor unit open, a remainder when nothing else is owed) becomes a
 * full settlement.
 */
export function plan(kind: Settlement, customer: number, open: OpenInvoices, remaining: Float64Array, random: Random): { apps: number[]; unapplied: number } {
  let budget = open.available(customer);
  const apps: number[] = [];
  const apply = (invoice: number, amount: number) => {
    const applied = Math.min(amount, budget);
    if (applied > 0) {
      apps.push(invoice, applied);
      budget -= applied;
    }
  };
  const first = open.open(customer, 0);
  const firstRemaining = remaining[first]!;
  switch (kind) {
    case 'partial':
      if (firstRemaining < 2) break;
      apply(first, part(firstRemaining, random.int(20, 80)));
      return { apps, unapplied: 0 };
    case 'split': {
      const n = Math.min(open.openCount(customer), random.int(2, 4));
      for (let k = 0; k < n && budget > 0; k += 1) {
        const invoice = open.open(customer, k);
        const amount = remaining[invoice]!;
        const partial = k === n - 1 && amount >= 2 && random.chance(0.5);
        apply(invoice, partial ? part(amount, random.int(20, 80)) : amount);
      }
      return { apps, unapplied: 0 };
    }
    case 'unapplied': {
      if (budget < 2) break;
      // one in five applies nothing yet: an amount on account
      if (random.chance(0.2)) return { apps, unapplied: firstRemaining >= 2 ? Math.min(budget, part(firstRemaining, random.int(20, 90))) : 1 };
      // settle the oldest invoice, in full or in part, and keep something unapplied
      const whole = firstRemaining < 2 || random.chance(0.5);
      apply(first, Math.min(budget - 1, whole ? firstRemaining : part(firstRemaining, random.int(30, 90))));
      return { apps, unapplied: Math.min(budget, Math.max(1, Math.floor((apps[1]! * random.int(5, 50)) / 100))) };
    }
    case 'full':
      break;
  }
  apply(first, firstRemaining);
  return { apps, unapplied: 0 };
}
