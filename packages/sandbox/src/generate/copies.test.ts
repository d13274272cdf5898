import { describe, expect, it } from 'vitest';
import type { BookCustomer, Books } from '../books';
import { createSandbox } from '../sandbox';
import { generateBooks } from './index';
import { displayName, minor, sum } from './test-support';

/** How names are compared across the two sides: Unicode NFC, trimmed, whitespace collapsed, lower case. */
const key = (name: string) => name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const idOf = (externalId: string | undefined, prefix: string) => (externalId?.startsWith(prefix) === true ? Number(externalId.slice(prefix.length)) : undefined);

const SMALL = { customers: 10, invoices: 25, payments: 12, creditMemos: 0, invoiced: { customers: 5, invoices: 10, payments: 5 } };
const CASES: [string | number, Parameters<typeof generateBooks>[0]][] = [
  ...[1, 2, 3, 99, 'another seed'].map((seed): [string | number, Parameters<typeof generateBooks>[0]] => [seed, { seed }]),
  ...[201, 204, 209, 217, 230, 248].map((seed): [string | number, Parameters<typeof generateBooks>[0]] => [seed, { seed, ...SMALL }]),
  [7, { seed: 7, customers: 30, invoices: 300, payments: 150, invoiced: { customers: 40, invoices: 120, payments: 60, draftRatio: 0.1 } }],
];

/**
 * Checks every NetSuite record with an `invd-*` external ID against the Invoiced record with that ID,
 * with both sides loaded into a sandbox as a test would; returns how many of each kind were checked.
 */
function checkCopies(books: Books): { customers: number; invoices: number; payments: number } {
  const sandbox = createSandbox({ seed: 1 });
  // Loaded twice: the second load replaces the first on both sides, so IDs still start at 1.
  sandbox.load(books);
  const ids = sandbox.load(books);
  const invoiced = sandbox.invoiced.state;
  books.invoiced.invoices.forEach((invoice, index) => expect(ids.invoices.get(invoice.key)).toBe(index + 1));
  books.invoiced.payments.forEach((payment, index) => expect(ids.payments.get(payment.key)).toBe(index + 1));
  books.invoiced.customers.forEach((customer, index) => expect(ids.customers.get(customer.key)).toBe(index + 1));

  const ns = books.netsuite;
  const customersById = new Map(ns.customers.map((customer) => [customer.id, customer]));
  const itemsById = new Map(ns.items.map((item) => [item.id, item]));
  const holders = (name: string) => ns.customers.filter((customer) => key(displayName(customer)) === key(name));
  /** The NetSuite customer an Invoiced customer is: the only NetSuite customer of that name, active, written from it. */
  const expectSameCustomer = (nsCustomer: BookCustomer | undefined, invoicedCustomerId: number | null) => {
    const customer = invoiced.get('customers', invoicedCustomerId ?? 0);
    expect(customer).toBeDefined();
    expect(nsCustomer).toBeDefined();
    expect(holders(customer?.name ?? '')).toEqual([nsCustomer]);
    expect(nsCustomer?.isInactive).toBeUndefined();
    expect(nsCustomer?.externalId).toBe(`invd-cust-${invoicedCustomerId}`);
    expect(customer?.currency).toBe(nsCustomer?.currency.toLowerCase());
  };

  let customers = 0;
  for (const nsCustomer of ns.customers) {
    const id = idOf(nsCustomer.externalId, 'invd-cust-');
    if (nsCustomer.externalId === undefined) continue;
    expect(id).toBeDefined();
    expectSameCustomer(nsCustomer, id ?? 0);
    customers += 1;
  }

  const nsInvoiceIdOf = new Map<number, string>();
  let invoices = 0;
  for (const nsInvoice of ns.invoices) {
    const id = idOf(nsInvoice.externalId, 'invd-inv-');
    if (nsInvoice.externalId === undefined) continue;
    expect(id).toBeDefined();
    const invoice = invoiced.get('invoices', id ?? 0);
    expect(invoice).toBeDefined();
    if (invoice === undefined) continue;
    nsInvoiceIdOf.set(invoice.id, nsInvoice.id);
    expectSameCustomer(customersById.get(nsInvoice.customerId), invoice.customer);
    expect(nsInvoice.voided).toBeUndefined();
    expect(invoice.draft).toBe(false);
    expect([nsInvoice.currency.toLowerCase(), nsInvoice.tranId, nsInvoice.tranDate, nsInvoice.dueDate]).toEqual([invoice.currency, invoice.number, day(invoice.date), day(invoice.due_date ?? 0)]);
    expect(
      nsInvoice.lines.map((line) => ({ name: itemsById.get(line.itemId)?.itemId, description: line.description ?? null, quantity: Number(line.quantity), unit_cost: Number(line.rate), amount: Number(line.amount) })),
    ).toEqual(invoice.items.map((item) => ({ name: item.name, description: item.description, quantity: item.quantity, unit_cost: item.unit_cost, amount: item.amount })));
    expect(sum(nsInvoice.lines.map((line) => minor(line.amount, nsInvoice.currency)))).toBe(minor(invoice.total.toFixed(nsInvoice.currency === 'JPY' ? 0 : 2), nsInvoice.currency));
    invoices += 1;
  }

  let payments = 0;
  for (const nsPayment of ns.payments) {
    const id = idOf(nsPayment.externalId, 'invd-pay-');
    if (nsPayment.externalId === undefined) continue;
    expect(id).toBeDefined();
    const payment = invoiced.get('payments', id ?? 0);
    expect(payment).toBeDefined();
    if (payment === undefined) continue;
    expectSameCustomer(customersById.get(nsPayment.customerId), payment.customer);
    expect(nsPayment.voided).toBeUndefined();
    expect([nsPayment.currency.toLowerCase(), Number(nsPayment.amount), nsPayment.tranDate, nsPayment.memo ?? null]).toEqual([payment.currency, payment.amount, day(payment.date), payment.reference]);
    // Applied to the NetSuite copies of the Invoiced invoices it pays, by the same amounts.
    const applied = payment.applied_to.filter((entry) => entry.type === 'invoice').map((entry) => ({ invoiceId: nsInvoiceIdOf.get(entry.invoice ?? 0), amount: entry.amount }));
    expect(nsPayment.applications.map((application) => ({ invoiceId: application.invoiceId, amount: Number(application.amount) }))).toEqual(applied);
    payments += 1;
  }

  // Nothing else claims to come from Invoiced.
  const claimed = [...ns.customers, ...ns.invoices, ...ns.payments].filter((record) => record.externalId?.startsWith('invd-') === true);
  expect(claimed).toHaveLength(customers + invoices + payments);
  return { customers, invoices, payments };
}

describe('generateBooks: NetSuite records written from Invoiced', () => {
  it.each(CASES)('are copies of the Invoiced records with those IDs (seed %s)', (_seed, options) => {
    checkCopies(generateBooks(options));
  });

  it('has copies of customers, invoices and payments across the seeds, fewer invoices than NetSuite slots allow', () => {
    const totals = CASES.map(([, options]) => checkCopies(generateBooks(options)));
    for (const kind of ['customers', 'invoices', 'payments'] as const) expect(totals.filter((total) => total[kind] > 0).length).toBeGreaterThanOrEqual(CASES.length - 2);
    const many = generateBooks({ seed: 7, invoices: 1000, invoiced: { invoices: 40 } });
    const copies = many.netsuite.invoices.filter((invoice) => invoice.externalId !== undefined);
    expect(copies.length).toBeGreaterThan(0);
    expect(copies.length).toBeLessThanOrEqual(many.invoiced.invoices.filter((invoice) => !invoice.draft).length);
  });

  it('never applies NetSuite payments or credit memos of its own to a copy of an Invoiced invoice', () => {
    for (const [, options] of CASES) {
      const { netsuite } = generateBooks(options);
      const copies = new Set(netsuite.invoices.filter((invoice) => invoice.externalId !== undefined).map((invoice) => invoice.id));
      const own = [...netsuite.payments.filter((payment) => payment.externalId === undefined), ...netsuite.creditMemos];
      expect(own.flatMap((record) => record.applications).filter((application) => copies.has(application.invoiceId))).toEqual([]);
    }
  });

  it('has no record written from Invoiced when the Invoiced books are empty', () => {
    const { netsuite } = generateBooks({ seed: 4, invoiced: { customers: 0, invoices: 0, payments: 0 } });
    expect([...netsuite.customers, ...netsuite.invoices, ...netsuite.payments].filter((record) => record.externalId !== undefined)).toEqual([]);
  });
});
