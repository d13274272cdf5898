/**
 * The records kept on Invoiced before a sync. Half of the customers carry the name of a NetSuite customer
 * (the most interesting names first), the rest are new; a share of the invoices are drafts; payments settle
 * non-draft invoices of their customer in full, in part or split. All randomness is forked as `invoiced`,
 * so these books depend on the NetSuite side only through the NetSuite customers they borrow names from
 * (generated first); credit notes, processed payments and refunds come from streams of their own (see
 * `invoiced-extras.ts`). Besides the books, the generation keeps what the NetSuite side needs to copy records
 * from them (`netsuite-copies.ts`).
 */
import type { BookCustomer, InvoicedBookCustomer, InvoicedBookInvoice, InvoicedBookPayment, InvoicedBooks } from '../books';
import type { Random } from '../random';
import { DAY_MS, orderByDay } from './calendar';
import { SERVICE_ITEMS, TERMS_DAYS } from './catalog';
import { addProcessedPayments, generateCreditNotes } from './invoiced-extras';
import type { InvoicedExtras } from './invoiced-extras';
import { currencyExponent, divRound, formatMinor, formatQuantity, priceRange } from './money';
import { NameBook, slug } from './names';
import { resolveInvoicedCounts } from './options';
import type { GenerateBooksOptions, GenerationContext, InvoicedCounts } from './options';
import { cycleOf } from './proportions';
import { OpenInvoices, plan } from './settlement';
import type { Settlement } from './settlement';

const INVOICED_METHODS = ['ach', 'cash', 'check', 'credit_card', 'wire_transfer', 'other'] as const;
/** Payment references by method; cash and other payments have none. */
const REFERENCE_PREFIXES: Partial<Record<InvoicedBookPayment['method'], string>> = { ach: 'ACH', check: 'CHK', credit_card: 'ch_', wire_transfer: 'WIRE' };

/** What each step of the Invoiced side reads: one generator, drawn from in step order. */
interface InvoicedContext {
  context: GenerationContext;
  counts: InvoicedCounts;
  random: Random;
}

/** Invoiced customers, the upper-case currency of each, and the NetSuite customer whose name each carries. */
export interface InvoicedCustomers {
  records: InvoicedBookCustomer[];
  currencyOf: string[];
  /** Index of the NetSuite customer whose name the customer carries, or -1 for a new one. */
  source: Int32Array;
}

/** A line of an Invoiced invoice in integers: service item index, quantity in hundredths, unit cost and amount in minor units. */
export interface InvoicedLine {
  item: number;
  quantity: number;
  unitCost: number;
  amount: number;
}

/** Invoiced invoices, and what payments (and NetSuite copies) need of them. */
export interface InvoicedInvoices {
  records: InvoicedBookInvoice[];
  customer: Int32Array;
  day: Int32Array;
  /** Days from the date to the due date. */
  terms: Int32Array;
  /** Total in minor units. */
  total: Float64Array;
  /** 1 for a draft. */
  isDraft: Uint8Array;
  lines: InvoicedLine[][];
}

/** Invoiced payments in integers. */
export interface InvoicedPayments {
  records: InvoicedBookPayment[];
  customer: Int32Array;
  day: Int32Array;
  /** Amount in minor units. */
  amount: Float64Array;
  /** Flat `[invoice, minor]` pairs of each payment. */
  apps: number[][];
}

/** The Invoiced books with what the NetSuite side needs to copy records from them. */
export interface InvoicedLedger {
  customers: InvoicedCustomers;
  invoices: InvoicedInvoices;
  payments: InvoicedPayments;
  /** Credit notes, and the payments of 0 applying some of them (after the cash payments). */
  extras: InvoicedExtras;
}

/** The books of an {@link InvoicedLedger} (`creditNotes` only when there are some). */
export function invoicedBooksOf(ledger: InvoicedLedger): InvoicedBooks {
  const { creditNotes, zeroPayments } = ledger.extras;
  const books: InvoicedBooks = { customers: ledger.customers.records, invoices: ledger.invoices.records, payments: [...ledger.payments.records, ...zeroPayments] };
  if (creditNotes.length > 0) books.creditNotes = creditNotes;
  return books;
}

/** Generates the Invoiced books, checking the `invoiced` option first; `nsCustomers` lends names. */
export function generateInvoiced(
  context: GenerationContext,
  sizes: GenerateBooksOptions['invoiced'],
  nsCustomers: readonly BookCustomer[],
): InvoicedLedger {
  const random = context.root.fork('invoiced');
  const invoiced: InvoicedContext = { context, counts: resolveInvoicedCounts(sizes), random };
  const customers = generateInvoicedCustomers(invoiced, nsCustomers);
  const invoices = generateInvoicedInvoices(invoiced, customers);
  const payments = generateInvoicedPayments(invoiced, customers, invoices);
  const base = {
    customerKeys: customers.records.map((customer) => customer.key), currencyOf: customers.currencyOf, invoiceKeys: invoices.records.map((invoice) => invoice.key),
    invoiceCustomer: invoices.customer, invoiceDay: invoices.day, invoiceTotal: invoices.total, isDraft: invoices.isDraft,
    payments: payments.records, paymentCustomer: payments.customer, paymentDay: payments.day, paymentApps: payments.apps,
  };
  addProcessedPayments(context, invoiced.counts, base);
  const extras = generateCreditNotes(context, invoiced.counts, base);
  return { customers, invoices, payments, extras };
}

/**
 * Customers: even positions take a NetSuite customer's name, the most interesting ones first (names stay
 * unique on the Invoiced side; a NetSuite name held by two customers is still ambiguous there).
 */
function generateInvoicedCustomers({ context, counts, random }: InvoicedContext, nsCustomers: readonly BookCustomer[]): InvoicedCustomers {
  const { currencies } = context;
  const customerCount = counts.customers;
  const names = new NameBook(random.fork('names'));
  for (const customer of nsCustomers) {
    names.claim(customer.isPerson ? `${customer.firstName!} ${customer.lastName!}` : customer.companyName!);
  }
  const interesting = [0, 5, 10, 2, 3].filter((index) => index < nsCustomers.length);
  const customers: InvoicedBookCustomer[] = [];
  const currencyOf: string[] = [];
  const sourceOf = new Int32Array(customerCount).fill(-1);
  let matched = 0;
  const used = new Set<string>();
  // the NFD name is taken in NFC: equal to it only once both sides are normalized
  const invoicedName = (source: BookCustomer) => (source.isPerson ? `${source.firstName!} ${source.lastName!}` : source.companyName!.normalize('NFC'));
  for (let j = 0; j < customerCount; j += 1) {
    const key = `ivd-cust-${j + 1}`;
    let customer: InvoicedBookCustomer;
    let source: BookCustomer | undefined;
    if (j % 2 === 0 && nsCustomers.length > 0) {
      let index = interesting[matched] ?? random.int(0, nsCustomers.length - 1);
      matched += 1;
      // a few neighbours if the name is taken already, else a new customer
      for (let probe = 0; probe < 16 && used.has(invoicedName(nsCustomers[index]!)); probe += 1) index = (index + 1) % nsCustomers.length;
      if (!used.has(invoicedName(nsCustomers[index]!))) {
        source = nsCustomers[index]!;
        sourceOf[j] = index;
      }
    }
    if (source) {
      customer = {
        key,
        name: invoicedName(source),
        type: source.isPerson ? 'person' : 'company',
        currency: source.currency.toLowerCase(),
      };
      if (source.email !== undefined) customer.email = source.email;
    } else {
      const person = random.chance(0.3) ? names.person() : undefined;
      const name = person ? `${person.firstName} ${person.lastName}` : names.company();
      customer = {
        key,
        name,
        type: person ? 'person' : 'company',
        currency: random.pick(currencies).toLowerCase(),
        email: `ap+${j + 1}@${slug(name) || 'customer'}.example`,
      };
    }
    used.add(customer.name);
    currencyOf.push(customer.currency.toUpperCase());
    customers.push(customer);
  }
  return { records: customers, currencyOf, source: sourceOf };
}

/** Invoices: exactly round(n * draftRatio) drafts, at random positions. */
function generateInvoicedInvoices({ context, counts, random }: InvoicedContext, { records: customers, currencyOf }: InvoicedCustomers): InvoicedInvoices {
  const { days, startMs } = context;
  const { customers: customerCount, invoices: invoiceCount, draftRatio } = counts;
  const draftCount = Math.round(invoiceCount * draftRatio);
  const positions = Int32Array.from({ length: invoiceCount }, (_, index) => index);
  const isDraft = new Uint8Array(invoiceCount);
  for (let d = 0; d < draftCount; d += 1) {
    const swap = random.int(d, invoiceCount - 1);
    const chosen = positions[swap]!;
    positions[swap] = positions[d]!;
    positions[d] = chosen;
    isDraft[chosen] = 1;
  }
  const invoiceCustomer = new Int32Array(invoiceCount);
  const invoiceDay = new Int32Array(invoiceCount);
  const invoiceTerms = new Int32Array(invoiceCount);
  const invoiceTotal = new Float64Array(invoiceCount);
  const invoiceLines: InvoicedLine[][] = [];
  const invoices: InvoicedBookInvoice[] = [];
  for (let k = 0; k < invoiceCount; k += 1) {
    const customer = k < customerCount ? k : random.int(0, customerCount - 1);
    const currency = currencyOf[customer]!;
    const exponent = currencyExponent(currency);
    const [low, high] = priceRange(currency, exponent);
    const day = random.int(0, days - 1);
    invoiceCustomer[k] = customer;
    invoiceDay[k] = day;
    const items: InvoicedBookInvoice['items'] = [];
    const lines: InvoicedLine[] = [];
    let total = 0;
    const itemCount = random.int(1, 4);
    for (let l = 0; l < itemCount; l += 1) {
      const service = random.pick(SERVICE_ITEMS);
      const [name, description] = service;
      const quantity = random.chance(0.8) ? random.int(1, 10) * 100 : random.int(1, 16) * 25;
      const unitCost = random.int(low, high);
      const amount = divRound(quantity * unitCost, 100);
      total += amount;
      lines.push({ item: SERVICE_ITEMS.indexOf(service), quantity, unitCost, amount });
      items.push(random.chance(0.5)
        ? { name, description, quantity: formatQuantity(quantity), unitCost: formatMinor(unitCost, exponent) }
        : { name, quantity: formatQuantity(quantity), unitCost: formatMinor(unitCost, exponent) });
    }
    invoiceTotal[k] = total;
    invoiceLines.push(lines);
    const date = (startMs + day * DAY_MS) / 1000;
    const terms = random.pick(TERMS_DAYS);
    invoiceTerms[k] = terms;
    invoices.push({
      key: `ivd-inv-${k + 1}`,
      customerKey: customers[customer]!.key,
      number: `IVD-${String(k + 1).padStart(4, '0')}`,
      currency: currency.toLowerCase(),
      date,
      dueDate: date + terms * 86_400,
      draft: isDraft[k] === 1,
      items,
    });
  }
  return { records: invoices, customer: invoiceCustomer, day: invoiceDay, terms: invoiceTerms, total: invoiceTotal, isDraft, lines: invoiceLines };
}

/** Payments on non-draft invoices of the same customer, never beyond what is left of an invoice. */
function generateInvoicedPayments(
  { context, counts, random }: InvoicedContext,
  { records: customers, currencyOf }: InvoicedCustomers,
  { records: invoices, customer: invoiceCustomer, day: invoiceDay, total: invoiceTotal, isDraft }: InvoicedInvoices,
): InvoicedPayments {
  const { days, startMs } = context;
  const { customers: customerCount, invoices: invoiceCount, payments: paymentCount } = counts;
  const remaining = Float64Array.from(invoiceTotal);
  const open = new OpenInvoices(customerCount, orderByDay(invoiceDay, invoiceCount, days), invoiceCustomer, (k) => isDraft[k] === 0, remaining);
  const kindOf = cycleOf<Settlement>(random, ['full', 'partial', 'split']);
  const payments: InvoicedBookPayment[] = [];
  const paymentCustomer = new Int32Array(paymentCount);
  const paymentDay = new Int32Array(paymentCount);
  const paymentAmount = new Float64Array(paymentCount);
  const paymentApps: number[][] = [];
  for (let p = 0; p < paymentCount; p += 1) {
    const kind = kindOf(p);
    let customer = open.pick(random, kind === 'split' ? 2 : 1, 8);
    if (customer < 0 && kind === 'split') customer = open.pick(random, 1, 8);
    let apps: number[] = [];
    let amount = 0;
    let startDay: number;
    if (customer >= 0) {
      apps = plan(kind === 'split' && open.openCount(customer) < 2 ? 'full' : kind, customer, open, remaining, random).apps;
      startDay = 0;
      for (let a = 0; a < apps.length; a += 2) {
        open.settle(customer, apps[a]!, apps[a + 1]!);
        amount += apps[a + 1]!;
        startDay = Math.max(startDay, invoiceDay[apps[a]!]!);
      }
    } else {
      // nothing is left open: a payment received on account, not applied yet
      customer = random.int(0, customerCount - 1);
      const [low, high] = priceRange(currencyOf[customer]!, currencyExponent(currencyOf[customer]!));
      amount = random.int(low, high);
      startDay = random.int(0, days - 1);
    }
    const currency = currencyOf[customer]!;
    const exponent = currencyExponent(currency);
    const method = random.pick(INVOICED_METHODS);
    const prefix = REFERENCE_PREFIXES[method];
    const reference = prefix === undefined ? undefined : `${prefix}${random.int(100_000, 999_999)}`;
    const appliedTo: InvoicedBookPayment['appliedTo'] = [];
    for (let a = 0; a < apps.length; a += 2) appliedTo.push({ invoiceKey: invoices[apps[a]!]!.key, amount: formatMinor(apps[a + 1]!, exponent) });
    const day = Math.min(days - 1, startDay + random.int(0, 30));
    paymentCustomer[p] = customer;
    paymentDay[p] = day;
    paymentAmount[p] = amount;
    paymentApps.push(apps);
    payments.push({
      key: `ivd-pay-${p + 1}`,
      customerKey: customers[customer]!.key,
      currency: currency.toLowerCase(),
      date: (startMs + day * DAY_MS) / 1000,
      amount: formatMinor(amount, exponent),
      method,
      ...(reference === undefined ? {} : { reference }),
      appliedTo,
    });
  }
  return { records: payments, customer: paymentCustomer, day: paymentDay, amount: paymentAmount, apps: paymentApps };
}
