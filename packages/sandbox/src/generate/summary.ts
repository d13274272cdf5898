/**
 * Counts and per-currency totals of a set of books, for tests and the sandbox's command line. Totals are
 * read back from the records' decimal strings and added up with BigInt, so they are exact at any size and
 * check the generator rather than repeat its arithmetic.
 */
import type { BookApplication, BookLine, Books, InvoicedBooks, NetSuiteBooks } from '../books';
import { currencyExponent, formatBigMinor, parseMinor, roundProduct } from './money';

/** Totals of one currency in NetSuite books, as decimal strings in that currency. */
export interface NetSuiteCurrencySummary {
  customers: number;
  invoices: number;
  payments: number;
  creditMemos: number;
  /** Sum of non-voided invoice totals. */
  invoiced: string;
  /** Cash non-voided payments applied to invoices (their applications less their credits). */
  paid: string;
  /** Credit memos applied to invoices, by themselves or inside payments (`credits`). */
  credited: string;
  /** `invoiced - paid - credited`. */
  open: string;
  /** Non-voided payment amounts neither applied to any invoice nor refunded. */
  unappliedPayments: string;
  /** Credit memo totals neither applied to any invoice nor refunded. */
  unappliedCredits: string;
}

/** Totals of one currency (lower case, as Invoiced writes it) in Invoiced books. */
export interface InvoicedCurrencySummary {
  customers: number;
  invoices: number;
  drafts: number;
  payments: number;
  /** Sum of non-draft invoice totals. */
  invoiced: string;
  /** Cash payments applied to invoices (credit notes applied by payments not included). */
  paid: string;
  /** Sum of payment amounts. */
  received: string;
}

/** What {@link summarizeBooks} returns. */
export interface BooksSummary {
  seed: number;
  netsuite: {
    customers: number;
    inactiveCustomers: number;
    personCustomers: number;
    invoices: number;
    voidedInvoices: number;
    payments: number;
    voidedPayments: number;
    creditMemos: number;
    byCurrency: Record<string, NetSuiteCurrencySummary>;
  };
  invoiced: {
    customers: number;
    invoices: number;
    drafts: number;
    payments: number;
    byCurrency: Record<string, InvoicedCurrencySummary>;
  };
}

/**
 * Counts and per-currency totals of a set of books, totals as decimal strings in each currency (computed
 * with BigInt, so any size adds up exactly). Useful in tests and in the sandbox's command line.
 * @example
 * summarizeBooks(generateBooks({ seed: 7 })).netsuite.byCurrency.JPY?.open; // e.g. "1234567"
 */
export function summarizeBooks(books: Books): BooksSummary {
  const ns = books.netsuite;
  const nsByCurrency = summarizeNetSuite(ns);
  const ivd = books.invoiced;
  const invoicedByCurrency = summarizeInvoiced(ivd, ns.currencies);
  return {
    seed: books.seed,
    netsuite: {
      customers: ns.customers.length,
      inactiveCustomers: ns.customers.filter((customer) => customer.isInactive === true).length,
      personCustomers: ns.customers.filter((customer) => customer.isPerson).length,
      invoices: ns.invoices.length,
      voidedInvoices: ns.invoices.filter((invoice) => invoice.voided === true).length,
      payments: ns.payments.length,
      voidedPayments: ns.payments.filter((payment) => payment.voided === true).length,
      creditMemos: ns.creditMemos.length,
      byCurrency: nsByCurrency,
    },
    invoiced: {
      customers: ivd.customers.length,
      invoices: ivd.invoices.length,
      drafts: ivd.invoices.filter((invoice) => invoice.draft).length,
      payments: ivd.payments.length,
      byCurrency: invoicedByCurrency,
    },
  };
}

/** Per-currency totals of the NetSuite books, each of their currencies included. */
function summarizeNetSuite(ns: NetSuiteBooks): Record<string, NetSuiteCurrencySummary> {
  type Sums = { invoiced: bigint; paid: bigint; credited: bigint; unappliedPayments: bigint; unappliedCredits: bigint; customers: number; invoices: number; payments: number; creditMemos: number };
  const sums = new Map<string, Sums>();
  const sumsOf = (currency: string): Sums => {
    let entry = sums.get(currency);
    if (!entry) {
      entry = { invoiced: 0n, paid: 0n, credited: 0n, unappliedPayments: 0n, unappliedCredits: 0n, customers: 0, invoices: 0, payments: 0, creditMemos: 0 };
      sums.set(currency, entry);
    }
    return entry;
  };
  for (const currency of ns.currencies) sumsOf(currency);
  const lineTotal = (lines: readonly BookLine[], exponent: number) => lines.reduce((total, line) => total + parseMinor(line.amount, exponent), 0n);
  const appliedTotal = (applications: readonly BookApplication[], exponent: number) =>
    applications.reduce((total, application) => total + parseMinor(application.amount, exponent), 0n);
  for (const customer of ns.customers) sumsOf(customer.currency).customers += 1;
  for (const invoice of ns.invoices) {
    const entry = sumsOf(invoice.currency);
    entry.invoices += 1;
    const exponent = currencyExponent(invoice.currency);
    // Header tax is NetSuite's, on top of the lines.
    if (!invoice.voided) entry.invoiced += lineTotal(invoice.lines, exponent) + (invoice.tax === undefined ? 0n : parseMinor(invoice.tax.amount, exponent));
  }
  // What refunds and payment credits take of each credit memo or payment.
  const taken = new Map<string, bigint>();
  const take = (docId: string, amount: string, currency: string) => taken.set(docId, (taken.get(docId) ?? 0n) + parseMinor(amount, currencyExponent(currency)));
  for (const refund of ns.customerRefunds ?? []) {
    if (refund.voided !== true) for (const application of refund.applications) take(application.docId, application.amount, refund.currency);
  }
  for (const payment of ns.payments) {
    const entry = sumsOf(payment.currency);
    entry.payments += 1;
    if (payment.voided) continue;
    const exponent = currencyExponent(payment.currency);
    const credits = (payment.credits ?? []).reduce((total, credit) => total + parseMinor(credit.amount, exponent), 0n);
    for (const credit of payment.credits ?? []) take(credit.creditMemoId, credit.amount, payment.currency);
    const cash = appliedTotal(payment.applications, exponent) - credits;
    entry.paid += cash;
    entry.credited += credits;
    entry.unappliedPayments += parseMinor(payment.amount, exponent) - cash - (taken.get(payment.id) ?? 0n);
  }
  for (const memo of ns.creditMemos) {
    const entry = sumsOf(memo.currency);
    const exponent = currencyExponent(memo.currency);
    const applied = appliedTotal(memo.applications, exponent);
    entry.creditMemos += 1;
    entry.credited += applied;
    entry.unappliedCredits += lineTotal(memo.lines, exponent) - applied - (taken.get(memo.id) ?? 0n);
  }
  const nsByCurrency: Record<string, NetSuiteCurrencySummary> = {};
  for (const [currency, entry] of sums) {
    const exponent = currencyExponent(currency);
    nsByCurrency[currency] = {
      customers: entry.customers,
      invoices: entry.invoices,
      payments: entry.payments,
      creditMemos: entry.creditMemos,
      invoiced: formatBigMinor(entry.invoiced, exponent),
      paid: formatBigMinor(entry.paid, exponent),
      credited: formatBigMinor(entry.credited, exponent),
      open: formatBigMinor(entry.invoiced - entry.paid - entry.credited, exponent),
      unappliedPayments: formatBigMinor(entry.unappliedPayments, exponent),
      unappliedCredits: formatBigMinor(entry.unappliedCredits, exponent),
    };
  }
  return nsByCurrency;
}

/** Per-currency totals (lower-case currencies) of the Invoiced books, each of `currencies` included. */
function summarizeInvoiced(ivd: InvoicedBooks, currencies: readonly string[]): Record<string, InvoicedCurrencySummary> {
  type InvoicedSums = { customers: number; invoices: number; drafts: number; payments: number; invoiced: bigint; paid: bigint; received: bigint };
  const invoicedSums = new Map<string, InvoicedSums>();
  const invoicedSumsOf = (currency: string): InvoicedSums => {
    let entry = invoicedSums.get(currency);
    if (!entry) {
      entry = { customers: 0, invoices: 0, drafts: 0, payments: 0, invoiced: 0n, paid: 0n, received: 0n };
      invoicedSums.set(currency, entry);
    }
    return entry;
  };
  for (const currency of currencies) invoicedSumsOf(currency.toLowerCase());
  for (const customer of ivd.customers) invoicedSumsOf(customer.currency).customers += 1;
  for (const invoice of ivd.invoices) {
    const entry = invoicedSumsOf(invoice.currency);
    entry.invoices += 1;
    if (invoice.draft) {
      entry.drafts += 1;
      continue;
    }
    const exponent = currencyExponent(invoice.currency);
    for (const item of invoice.items) entry.invoiced += roundProduct(item.quantity, item.unitCost, exponent);
  }
  for (const payment of ivd.payments) {
    const entry = invoicedSumsOf(payment.currency);
    const exponent = currencyExponent(payment.currency);
    entry.payments += 1;
    entry.received += parseMinor(payment.amount, exponent);
    for (const applied of payment.appliedTo) if (!('creditNoteKey' in applied)) entry.paid += parseMinor(applied.amount, exponent);
  }
  const invoicedByCurrency: Record<string, InvoicedCurrencySummary> = {};
  for (const [currency, entry] of invoicedSums) {
    const exponent = currencyExponent(currency);
    invoicedByCurrency[currency] = {
      customers: entry.customers,
      invoices: entry.invoices,
      drafts: entry.drafts,
      payments: entry.payments,
      invoiced: formatBigMinor(entry.invoiced, exponent),
      paid: formatBigMinor(entry.paid, exponent),
      received: formatBigMinor(entry.received, exponent),
    };
  }

  return invoicedByCurrency;
}
