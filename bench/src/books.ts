/**
 * The books of one size (credits and refunds included), the engine's settings for them, and the 1% of changes the `changed-1pct`
 * scenario makes between two syncs, as people would (through the sandbox's state APIs: no HTTP).
 */
import { settingsForBooks, type Books, type GenerateBooksOptions, type Sandbox } from '@invoiced/netsuite-sync-sandbox';

/**
 * The engine's settings for the books: the sandbox's, plus `refundAccount`, the books' first bank account
 * (a customer refund is paid from a bank account; the books' account 1 is Undeposited Funds).
 */
export function benchSettings(books: Books): Record<string, unknown> {
  return { ...settingsForBooks(books), refundAccount: refundAccountOf(books) };
}

/** The bank account refunds are paid from in the books. */
export function refundAccountOf(books: Books): string {
  const bank = books.netsuite.accounts.find((account) => account.kind === 'bank');
  if (bank === undefined) throw new Error('The books have no bank account to pay refunds from.');
  return bank.id;
}

/**
 * The generator's options for books of `invoices` NetSuite invoices.
 *
 * Credits and refunds come in the proportions of a business that bills by invoice and takes some payments
 * by card: one NetSuite payment in 20 also applies a credit memo (credit memos are 1 in 100 invoices, so
 * most of them are applied by a payment or left open), a customer refund for every 200 invoices (refunds
 * of overpayments and leftover credit are rare), a credit note for every 10 Invoiced invoices (corrections
 * issued on Invoiced), 30% of Invoiced payments taken through Invoiced (card or ACH) and a refund for one
 * in 10 of those (chargebacks and returns). Each is drawn from a stream of its own, so the other records
 * are the same as in books without them.
 */
export function bookOptions(invoices: number, seed: number): GenerateBooksOptions {
  const invoicedInvoices = Math.max(20, Math.round(invoices / 20));
  const invoicedPayments = Math.max(10, Math.round(invoices / 40));
  const processedShare = 0.3;
  return {
    seed,
    customers: Math.max(20, Math.round(invoices / 10)),
    invoices,
    payments: Math.round(invoices / 2),
    creditMemos: Math.round(invoices / 100),
    paymentCredits: 0.05,
    customerRefunds: Math.round(invoices / 200),
    invoiced: {
      customers: Math.max(10, Math.round(invoices / 100)),
      invoices: invoicedInvoices,
      payments: invoicedPayments,
      creditNotes: Math.round(invoicedInvoices / 10),
      processedShare,
      refunds: Math.round((invoicedPayments * processedShare) / 10),
    },
  };
}

/** Record counts of the books, for the report. */
export function describeBooks(books: Books, sandbox: Sandbox): Record<string, number> {
  const count = (where: string) => Number(sandbox.netsuite.state.query(`SELECT COUNT(*) AS n FROM transaction WHERE ${where}`)[0]?.n ?? 0);
  return {
    netsuiteCustomers: books.netsuite.customers.length,
    netsuiteInvoices: books.netsuite.invoices.length,
    netsuiteOpenInvoices: count("type = 'CustInvc' AND status = 'A'"),
    netsuitePayments: books.netsuite.payments.length,
    netsuiteCreditMemos: books.netsuite.creditMemos.length,
    invoicedCustomers: books.invoiced.customers.length,
    invoicedInvoices: books.invoiced.invoices.length,
    invoicedPayments: books.invoiced.payments.length,
    netsuitePaymentCredits: books.netsuite.payments.reduce((sum, payment) => sum + (payment.voided === true ? 0 : (payment.credits?.length ?? 0)), 0),
    netsuitePaymentsWithCredits: books.netsuite.payments.filter((payment) => payment.voided !== true && (payment.credits?.length ?? 0) > 0).length,
    netsuiteCustomerRefunds: books.netsuite.customerRefunds?.length ?? 0,
    netsuiteVoidedCustomerRefunds: books.netsuite.customerRefunds?.filter((refund) => refund.voided === true).length ?? 0,
    invoicedCreditNotes: books.invoiced.creditNotes?.length ?? 0,
    invoicedDraftCreditNotes: books.invoiced.creditNotes?.filter((note) => note.draft).length ?? 0,
    invoicedCreditNoteApplications: books.invoiced.payments.reduce((sum, payment) => sum + payment.appliedTo.filter((applied) => 'creditNoteKey' in applied).length, 0),
    invoicedProcessedPayments: books.invoiced.payments.filter((payment) => payment.processed === true).length,
    invoicedRefunds: books.invoiced.payments.reduce((sum, payment) => sum + (payment.refunds?.length ?? 0), 0),
  };
}

/** `count` items of `list`, evenly spread (deterministic). */
function spread<T>(list: readonly T[], count: number): T[] {
  const picked: T[] = [];
  const step = list.length / count;
  for (let index = 0; index < count && index < list.length; index += 1) {
    const item = list[Math.floor(index * step)];
    if (item !== undefined) picked.push(item);
  }
  return picked;
}

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const laterDay = (day: string, days: number): string => new Date(Date.parse(`${/^\d{4}-\d\d-\d\d$/.test(day) ? day : '2026-12-01'}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** What {@link changeOnePercent} changed. */
export interface Changes {
  /** NetSuite invoices the sync imported, edited in NetSuite (memo, due date): each must be updated on Invoiced. */
  readonly netsuiteInvoices: number;
  /** Invoiced invoices the sync wrote to NetSuite, edited on Invoiced (due date): each must be upserted in NetSuite. */
  readonly invoicedInvoices: number;
  /** One write per changed record. */
  readonly expectedWrites: number;
}

/**
 * Edits 1% of the NetSuite invoices (by the books' invoice count, chosen among those the first sync
 * imported) and 1% of the Invoiced invoices (at least one, among the open ones the first sync wrote to NetSuite,
 * that is whose NetSuite copy changed since `firstSyncStartedMs`).
 */
export function changeOnePercent(sandbox: Sandbox, books: Books, firstSyncStartedMs: number): Changes {
  const { netsuite, invoiced } = sandbox;
  const invoicedInvoices = invoiced.state.list('invoices');
  const imported = invoicedInvoices
    .filter((invoice) => invoice.status !== 'voided' && typeof invoice.metadata.netsuite_id === 'string')
    .map((invoice) => text(invoice.metadata.netsuite_id))
    .sort((a, b) => Number(a) - Number(b));
  const netsuiteChanged = spread(imported, Math.max(1, Math.round(books.netsuite.invoices.length / 100)));
  for (const id of netsuiteChanged) {
    const dueDate = text(netsuite.state.get('invoice', id)?.dueDate);
    netsuite.state.update('invoice', id, { memo: 'Changed by the bench', dueDate: laterDay(dueDate, 14) });
  }

  // The simulator shows datetimes in the account's time zone through SuiteQL: compare the records' UTC times.
  const written = new Set(
    netsuite.state
      .query("SELECT id, externalid FROM transaction WHERE type = 'CustInvc' AND externalid LIKE 'invd-inv-%'")
      .filter((row) => Date.parse(text(netsuite.state.get('invoice', text(row.id))?.lastModifiedDate)) >= Math.floor(firstSyncStartedMs / 1000) * 1000)
      .map((row) => Number(text(row.externalid).slice('invd-inv-'.length))),
  );
  // A closed invoice (paid in full) takes no edit until it is reopened, as on Invoiced.
  const eligible = invoicedInvoices.filter((invoice) => written.has(invoice.id) && !invoice.draft && invoice.status !== 'voided' && invoice.closed !== true);
  const invoicedChanged = spread(eligible, Math.max(1, Math.round(invoicedInvoices.length / 100)));
  for (const invoice of invoicedChanged) {
    const due = invoice.due_date ?? invoice.date ?? Math.floor(Date.now() / 1000);
    invoiced.state.update('invoices', invoice.id, { due_date: due + 14 * 86_400 });
  }
  return { netsuiteInvoices: netsuiteChanged.length, invoicedInvoices: invoicedChanged.length, expectedWrites: netsuiteChanged.length + invoicedChanged.length };
}
