/**
 * What flow 1 reads of a NetSuite invoice's lines: SuiteQL's `transactionline` holds the main line, tax
 * lines and COGS lines besides the item lines, signed as the ledger sees them, with an `id` unique only
 * within each transaction. Only item lines become Invoiced line items; NetSuite's tax becomes an Invoiced
 * tax, so the Invoiced invoice comes to the NetSuite total.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 57,
  start: '2026-11-12T08:00:00Z',
  books: { customers: 10, invoices: 60, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });

// 210 more invoices of 7 lines each for a customer whose name no other customer has: with the books'
// invoices, the first batch of 200 invoices has more than 1,000 lines, more than one SuiteQL page, and
// line ids 1..6 repeat in every invoice.
const nameOf = (customer: (typeof books.netsuite.customers)[number]) =>
  (customer.isPerson ? `${customer.firstName ?? ''} ${customer.lastName ?? ''}` : (customer.companyName ?? '')).normalize('NFC').trim().toLowerCase();
const soleName = books.netsuite.customers.find(
  (customer) => customer.isInactive !== true && books.netsuite.customers.filter((other) => nameOf(other) === nameOf(customer)).length === 1,
);
const service = books.netsuite.items.find((item) => item.kind === 'service');
const manyLines = Array.from({ length: 210 }, (_, index) => {
  const items = Array.from({ length: 7 }, (_, line) => ({ item: { id: service?.id }, quantity: line + 1, rate: 10 + index, description: `Line ${line + 1}` }));
  return String(sandbox.netsuite.state.insert('invoice', { entity: { id: soleName?.id }, item: { items } }).id);
});
const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: 'lines', clock, settings: { ...settings, phases: { writeInvoicedInvoices: false } } });

interface RestLine {
  item?: { refName?: string };
  quantity?: number;
  rate?: number;
  amount?: number;
}

/** The Invoiced invoice the sync made of a NetSuite invoice. */
async function invoicedCopy(netsuiteId: string) {
  const link = await store.findLinkByNetSuiteId('lines', 'invoice', netsuiteId);
  expect(link, `NetSuite invoice ${netsuiteId} was imported`).not.toBeNull();
  return sandbox.invoiced.state.get('invoices', Number(link?.invoicedId));
}

describe('engine: the lines of NetSuite invoices', () => {
  const open = books.netsuite.invoices.filter((invoice) => invoice.voided !== true && invoice.externalId === undefined);
  const taxed = open.filter((invoice) => invoice.tax !== undefined);
  const inventoryItem = books.netsuite.items.find((item) => item.kind === 'inventory')?.id;
  const withCogs = open.filter((invoice) => invoice.lines.some((line) => line.itemId === inventoryItem));

  it('imports an invoice with a tax line and COGS lines with exactly its item lines, its tax as an Invoiced tax, and its total', async () => {
    expect(taxed.length, 'the books have invoices with header tax').toBeGreaterThan(0);
    expect(withCogs.length, 'the books have invoices selling an inventory item').toBeGreaterThan(0);
    // What the model shows through SuiteQL: more lines than the item sublist.
    const sample = taxed[0]!;
    const kinds = sandbox.netsuite.state.query(`SELECT tl.taxline FROM transactionline tl WHERE tl.transaction = ${sample.id} AND tl.taxline = 'T'`);
    expect(kinds).toHaveLength(1);

    later();
    const run = await engine.sync();
    later();
    expect(run.recordErrors.filter((error) => error.code === 'TOTAL_MISMATCH')).toEqual([]);

    // The books' customers with the same name as another fail on purpose: their invoices are not the point.
    const linked = new Set((await store.listLinks('lines', 'customer')).map((link) => link.netsuiteId));
    const checked = [...new Set([...taxed, ...withCogs])].filter((invoice) => linked.has(invoice.customerId));
    expect(checked.filter((invoice) => invoice.tax !== undefined).length).toBeGreaterThan(0);
    expect(checked.filter((invoice) => withCogs.includes(invoice)).length).toBeGreaterThan(0);
    for (const invoice of checked) {
      const record = sandbox.netsuite.state.get('invoice', invoice.id);
      const lines = (record?.item as { items?: RestLine[] } | undefined)?.items ?? [];
      const copy = await invoicedCopy(invoice.id);
      const expected: [string | undefined, unknown][] = lines.map((line) => [line.item?.refName, expect.closeTo(Number(line.amount), 6)]);
      expect(copy?.items?.map((item) => [item.name, Number(item.amount)]), invoice.tranId).toEqual(expected);
      const tax = invoice.tax === undefined ? 0 : Number(invoice.tax.amount);
      expect((copy?.taxes ?? []).reduce((sum, entry) => sum + Number(entry.amount), 0), invoice.tranId).toBeCloseTo(tax, 6);
      expect(Number(copy?.total), invoice.tranId).toBeCloseTo(Number(record?.total), 6);
    }
  });

  it('reads every line once when the lines of a batch of invoices fill more than one page', async () => {
    expect(soleName).toBeDefined();
    expect((await store.findLinkByNetSuiteId('lines', 'customer', soleName?.id ?? ''))?.netsuiteId).toBe(soleName?.id);
    for (const id of manyLines) {
      const copy = await invoicedCopy(id);
      expect(copy?.items?.map((item) => item.description), id).toEqual(['Line 1', 'Line 2', 'Line 3', 'Line 4', 'Line 5', 'Line 6', 'Line 7']);
    }
  });
});
