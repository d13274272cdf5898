/**
 * Fixtures of the generator's tests: the default books, money helpers written independently of the
 * generator (BigInt, no code shared with it), and the edge cases every set of books must contain. Not
 * exported by the package.
 */
import type { BookCustomer, BookInvoice, BookLine, Books } from '../books';
import { generateBooks } from './index';
// Independent money helpers: BigInt, no code shared with the generator.
export const EXPONENTS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, JPY: 0, KWD: 3, CHF: 2 };
export const exponentOf = (currency: string): number => {
  const exponent = EXPONENTS[currency.toUpperCase()];
  if (exponent === undefined) throw new Error(`no exponent for ${currency} in the test table`);
  return exponent;
};

/** `"12.30"` → [1230n, 2]. */
export function decimal(value: string): [bigint, number] {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new Error(`not a decimal: ${value}`);
  const fraction = match[3] ?? '';
  const digits = BigInt(match[2]! + fraction);
  return [match[1] === '-' ? -digits : digits, fraction.length];
}

/** Minor units of an amount that must have exactly the currency's decimals. */
export function minor(amount: string, currency: string): bigint {
  const exponent = exponentOf(currency);
  const pattern = exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`);
  if (!pattern.test(amount)) throw new Error(`${amount} is not a ${currency} amount`);
  return decimal(amount)[0];
}

/** quantity x rate in minor units, rounded half away from zero. */
export function product(quantity: string, rate: string, exponent: number): bigint {
  const [q, qScale] = decimal(quantity);
  const [r, rScale] = decimal(rate);
  const exact = q * r;
  const scale = qScale + rScale - exponent;
  if (scale <= 0) return exact * 10n ** BigInt(-scale);
  const divisor = 10n ** BigInt(scale);
  const abs = exact < 0n ? -exact : exact;
  const rounded = (abs + divisor / 2n) / divisor;
  return exact < 0n ? -rounded : rounded;
}

export const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);
export const lineTotal = (lines: readonly BookLine[], currency: string) => sum(lines.map((line) => minor(line.amount, currency)));
export const displayName = (customer: BookCustomer) => (customer.isPerson ? `${customer.firstName} ${customer.lastName}` : customer.companyName!);
export const DAY_MS = 86_400_000;
export const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

export const books = generateBooks();
export const ns = books.netsuite;
export const itemKind = (itemId: string) => ns.items.find((item) => item.id === itemId)?.kind;
export const invoiceById = new Map(ns.invoices.map((invoice) => [invoice.id, invoice]));
/** An invoice's total: its lines, plus the header tax NetSuite computes. */
export const invoiceTotal = (invoice: BookInvoice) => lineTotal(invoice.lines, invoice.currency) + (invoice.tax === undefined ? 0n : minor(invoice.tax.amount, invoice.currency));

/** What non-voided payments and credit memos applied to each invoice. */
export function settledByInvoice(b: Books): Map<string, bigint> {
  const settled = new Map<string, bigint>();
  const add = (invoiceId: string, amount: string, currency: string) => settled.set(invoiceId, (settled.get(invoiceId) ?? 0n) + minor(amount, currency));
  for (const payment of b.netsuite.payments) {
    if (payment.voided) continue;
    for (const application of payment.applications) add(application.invoiceId, application.amount, payment.currency);
  }
  for (const memo of b.netsuite.creditMemos) for (const application of memo.applications) add(application.invoiceId, application.amount, memo.currency);
  return settled;
}

/** Every edge case the sync must face, as named checks. */
export function edgeCases(b: Books): Record<string, boolean> {
  const { customers, invoices, payments, creditMemos, items } = b.netsuite;
  const companies = customers.filter((customer) => !customer.isPerson).map((customer) => customer.companyName!);
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const settled = settledByInvoice(b);
  const discountItem = items.find((item) => item.kind === 'discount')!.id;
  const taxItem = items.find((item) => item.kind === 'tax')!.id;
  const lines = invoices.flatMap((invoice) => invoice.lines.map((line) => ({ line, currency: invoice.currency })));
  const live = payments.filter((payment) => !payment.voided);
  const applied = (payment: (typeof payments)[number]) => sum(payment.applications.map((application) => minor(application.amount, payment.currency)));
  const jpyInvoices = invoices.filter((invoice) => invoice.currency === 'JPY');
  const nsNames = new Set(customers.map(displayName));
  const nsNamesNfc = new Set(customers.map((customer) => displayName(customer).normalize('NFC')));
  return {
    'apostrophe and ampersand name': companies.includes("O'Brien & Sons"),
    'NFC / NFD pair': companies.some(
      (a) => a === a.normalize('NFC') && a !== a.normalize('NFD') && companies.some((b2) => b2 !== a && b2 === a.normalize('NFD')),
    ),
    'case-only pair': companies.includes('ACME Corp') && companies.includes('Acme Corp'),
    'exact duplicate pair': companies.some((name, index) => companies.indexOf(name) !== index),
    'quotes in a name': companies.some((name) => name.includes('"')),
    'double space in a name': companies.some((name) => name.includes('  ') && name.trim() === name),
    'leading or trailing spaces': companies.some((name) => name !== name.trim()),
    'backslash in a name': companies.some((name) => name.includes('\\')),
    'person customer': customers.some((c) => c.isPerson && !!c.firstName && !!c.lastName && c.companyName === undefined),
    'inactive customer': customers.some((c) => c.isInactive === true),
    'customer with externalId': customers.some((c) => c.externalId !== undefined),
    'voided invoice': invoices.some((invoice) => invoice.voided === true),
    'partial payment': live.some((payment) =>
      payment.applications.some((application) => minor(application.amount, payment.currency) < invoiceTotal(byId.get(application.invoiceId)!)),
    ),
    'invoice left partly paid': invoices.some((invoice) => {
      const paid = settled.get(invoice.id) ?? 0n;
      return paid > 0n && paid < invoiceTotal(invoice);
    }),
    'split payment': live.some((payment) => new Set(payment.applications.map((application) => application.invoiceId)).size >= 2),
    'unapplied remainder': live.some((payment) => payment.applications.length > 0 && minor(payment.amount, payment.currency) > applied(payment)),
    'voided payment': payments.some((payment) => payment.voided === true && payment.applications.length > 0),
    'undeposited funds payment': payments.some((payment) => payment.undepFunds && payment.accountId === undefined),
    'bank account payment': payments.some((payment) => !payment.undepFunds && payment.accountId !== undefined),
    'credit memo applied': creditMemos.some((memo) => memo.applications.length > 0),
    'credit memo split over invoices': creditMemos.some((memo) => memo.applications.length >= 2),
    'credit memo with unapplied credit': creditMemos.some(
      (memo) => lineTotal(memo.lines, memo.currency) > sum(memo.applications.map((application) => minor(application.amount, memo.currency))),
    ),
    'discount line': lines.some(({ line, currency }) => line.itemId === discountItem && minor(line.amount, currency) < 0n && line.rate.startsWith('-')),
    'tax line': lines.some(({ line, currency }) => line.itemId === taxItem && minor(line.amount, currency) > 0n),
    'header tax NetSuite computes': invoices.some((invoice) => invoice.tax?.itemId === taxItem && minor(invoice.tax.amount, invoice.currency) > 0n),
    'inventory item line with an average cost': lines.some(({ line }) => items.some((item) => item.id === line.itemId && item.kind === 'inventory' && item.averageCost !== undefined)),
    'fractional quantity': lines.some(({ line }) => line.quantity.includes('.')),
    'line amount that needs rounding': lines.some(({ line, currency }) => {
      const [q, qScale] = decimal(line.quantity);
      const [r, rScale] = decimal(line.rate);
      return (q * r) % 10n ** BigInt(Math.max(0, qScale + rScale - exponentOf(currency))) !== 0n;
    }),
    'invoice with externalId': invoices.some((invoice) => /^invd-inv-\d+$/.test(invoice.externalId ?? '')),
    'payment with externalId': payments.some((payment) => /^invd-pay-\d+$/.test(payment.externalId ?? '')),
    'JPY invoice amounts without decimals':
      jpyInvoices.length > 0 && jpyInvoices.every((invoice) => invoice.lines.every((line) => /^-?\d+$/.test(line.amount))),
    'Invoiced customer named exactly like a NetSuite customer': b.invoiced.customers.some((customer) => nsNames.has(customer.name)),
    'Invoiced customer matching only after NFC normalization': b.invoiced.customers.some((customer) =>
      customers.some((c) => displayName(c) !== customer.name && displayName(c).normalize('NFC') === customer.name.normalize('NFC')),
    ),
    'Invoiced customer unknown to NetSuite': b.invoiced.customers.some((customer) => !nsNamesNfc.has(customer.name.normalize('NFC'))),
    'Invoiced draft invoice': b.invoiced.invoices.some((invoice) => invoice.draft),
    'Invoiced split payment': b.invoiced.payments.some((payment) => payment.appliedTo.length >= 2),
  };
}
