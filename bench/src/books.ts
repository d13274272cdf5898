/**
 * The books of one size, the engine's settings for them, and the 1% of changes the `changed-1pct`
 * scenario makes between two syncs, as people would (through the sandbox's state APIs: no HTTP).
 */
import type { Books, GenerateBooksOptions, Sandbox } from '@invoiced/netsuite-sync-sandbox';

/** The generator's options for books of `invoices` NetSuite invoices. */
export function bookOptions(invoices: number, seed: number): GenerateBooksOptions {
  return {
    seed,
    customers: Math.max(20, Math.round(invoices / 10)),
    invoices,
    payments: Math.round(invoices / 2),
    creditMemos: Math.round(invoices / 100),
    invoiced: { customers: Math.max(10, Math.round(invoices / 100)), invoices: Math.max(20, Math.round(invoices / 20)), payments: Math.max(10, Math.round(invoices / 40)) },
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
 * imported) and 1% of the Invoiced invoices (at least one, among those the first sync wrote to NetSuite,
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

  const since = new Date(firstSyncStartedMs).toISOString().replace('T', ' ').slice(0, 19);
  const written = new Set(
    netsuite.state
      .query("SELECT externalid, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM transaction WHERE type = 'CustInvc' AND externalid LIKE 'invd-inv-%'")
      .filter((row) => text(row.modified) >= since)
      .map((row) => Number(text(row.externalid).slice('invd-inv-'.length))),
  );
  const eligible = invoicedInvoices.filter((invoice) => written.has(invoice.id) && !invoice.draft && invoice.status !== 'voided');
  const invoicedChanged = spread(eligible, Math.max(1, Math.round(invoicedInvoices.length / 100)));
  for (const invoice of invoicedChanged) {
    const due = invoice.due_date ?? invoice.date ?? Math.floor(Date.now() / 1000);
    invoiced.state.update('invoices', invoice.id, { due_date: due + 14 * 86_400 });
  }
  return { netsuiteInvoices: netsuiteChanged.length, invoicedInvoices: invoicedChanged.length, expectedWrites: netsuiteChanged.length + invoicedChanged.length };
}
