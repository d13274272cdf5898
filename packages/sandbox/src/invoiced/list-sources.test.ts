import { describe, expect, it } from 'vitest';
import { pageOf, PaginationCursors } from './cursors';
import { InvoicedDatabase } from './database';
import { LIST_SPECS } from './list-specs';
import { ListingCache, type ListSource } from './list-sources';
import { parseListQuery } from './listing';
import type { InvoicedInvoiceRecord, InvoicedResourceName } from './records';
import { RESOURCES } from './resources';
import { createHarness, DAY, START } from './test-support';

const ids = (records: readonly { id: number }[]) => records.map((record) => record.id);
const query = (name: InvoicedResourceName, search: string) => parseListQuery(new URL(`https://api.sandbox.invoiced.com/${name}?${search}`), LIST_SPECS[name]);

/** A few records of each collection, written straight to a database: invoices paid, past due, draft and not sent. */
function books(db: InvoicedDatabase) {
  db.touch();
  const customer = RESOURCES.customers.create(db, { name: 'Acme', email: 'ap@acme.test', payment_terms: 'NET 30', metadata: { erp: 'C-1' } });
  const item = (unitCost: number) => [{ name: 'Work', quantity: 1, unit_cost: unitCost }];
  const paid = RESOURCES.invoices.create(db, { customer, items: item(20), metadata: { erp: 'I-1' }, purchase_order: 'PO-1' });
  const due = RESOURCES.invoices.create(db, { customer, date: START - 40 * DAY, items: item(7.5) });
  const draft = RESOURCES.invoices.create(db, { customer, draft: true, items: item(3) });
  const open = RESOURCES.invoices.create(db, { customer, items: item(4) });
  const credit = RESOURCES.credit_notes.create(db, { customer, items: item(2.5), notes: 'returned' });
  RESOURCES.payments.create(db, {
    customer,
    amount: 20,
    reference: 'CHK-1',
    applied_to: [
      { type: 'invoice', invoice: paid, amount: 20 },
      { type: 'credit_note', credit_note: credit, invoice: due, amount: 2.5 },
    ],
  });
  return { paid, due, draft, open };
}

/** A collection's source whose answers are counted. */
function counted(db: InvoicedDatabase, name: InvoicedResourceName): { source: ListSource; renders: () => number } {
  const source = RESOURCES[name].source(db);
  let renders = 0;
  return {
    source: { ...source, records: () => source.records(), render: (record) => ((renders += 1), source.render(record)) },
    renders: () => renders,
  };
}

describe('Invoiced list sources', () => {
  it('keep as answered every field they read off the kept record', () => {
    const db = new InvoicedDatabase(() => new Date(START * 1000));
    books(db);
    for (const name of ['customers', 'invoices', 'credit_notes', 'payments'] as const) {
      const source = RESOURCES[name].source(db);
      const records = [...source.records()];
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        const answered = source.render(record) as Readonly<Record<string, unknown>>;
        for (const field of source.kept ?? []) expect([name, field, answered[field]]).toEqual([name, field, (record as Readonly<Record<string, unknown>>)[field]]);
      }
    }
  });

  it('select by kept fields without answering a record, and answer each record once for a derived field', () => {
    let nowMs = START * 1000;
    const db = new InvoicedDatabase(() => new Date(nowMs));
    const invoices = counted(db, 'invoices');
    db.touch();
    const customer = RESOURCES.customers.create(db, { name: 'Acme' });
    const items = [{ name: 'Work', quantity: 1, unit_cost: 10 }];
    for (let index = 0; index < 5; index += 1) RESOURCES.invoices.create(db, { customer, items, draft: index === 4, due_date: START + index * DAY });
    const cache = new ListingCache();
    const kept = cache.select(db, 'invoices', invoices.source, query('invoices', 'filter[draft]=0&updated_after=1&sort=updated_at%20ASC'));
    expect(ids(kept)).toEqual([1, 2, 3, 4]);
    expect(invoices.renders()).toBe(0);
    const pastDue = cache.select(db, 'invoices', invoices.source, query('invoices', 'filter[status]=past_due'));
    expect(pastDue).toEqual([]);
    expect(invoices.renders()).toBe(5);
    nowMs += 2 * DAY * 1000;
    // The clock moved: a derived field is read again, a kept one is not.
    expect(ids(cache.select(db, 'invoices', invoices.source, query('invoices', 'filter[status]=past_due')))).toEqual([1, 2]);
    expect(invoices.renders()).toBe(10);
    expect(cache.select(db, 'invoices', invoices.source, query('invoices', 'filter[draft]=0&updated_after=1&sort=updated_at%20ASC'))).toBe(kept);
    db.touch();
    expect(cache.select(db, 'invoices', invoices.source, query('invoices', 'filter[draft]=0&updated_after=1&sort=updated_at%20ASC'))).not.toBe(kept);
    expect(invoices.renders()).toBe(10);
  });

  it('find the records after a cursor in a list by ascending or descending ID, the cursor record gone or not', () => {
    const ascending = [2, 3, 5, 8, 13, 21].map((id) => ({ id }));
    const descending = [...ascending].reverse();
    const without = (list: readonly { id: number }[], id: number) => list.filter((record) => record.id !== id);
    const up = query('customers', 'per_page=2');
    const down = { ...up, sort: [{ field: 'id', descending: true }] };
    const cursors = new PaginationCursors();
    const page = (list: readonly { id: number }[], paged: typeof up, number: number) => ids(pageOf(cursors, 'customers', list, { ...paged, page: number }, 0));
    expect(page(ascending, up, 1)).toEqual([2, 3]);
    expect(page(without(ascending, 3), up, 2)).toEqual([5, 8]);
    expect(page(ascending, up, 3)).toEqual([13, 21]);
    expect(page(descending, down, 1)).toEqual([21, 13]);
    expect(page(without(descending, 13), down, 2)).toEqual([8, 5]);
    expect(page(descending, down, 3)).toEqual([3, 2]);
    expect(page(descending, down, 4)).toEqual([]);
  });

  it('answer a list sorted or filtered by a derived field as the clock and the payments make it', async () => {
    const { call, state, advance } = createHarness();
    const customer = state.insert('customers', { name: 'Acme', payment_terms: 'NET 30' });
    const item = (unitCost: number) => [{ name: 'Work', quantity: 1, unit_cost: unitCost }];
    const paid = state.insert('invoices', { customer: customer.id, items: item(20) });
    const due = state.insert('invoices', { customer: customer.id, date: START - 40 * DAY, items: item(7.5) });
    const draft = state.insert('invoices', { customer: customer.id, draft: true, items: item(3) });
    const open = state.insert('invoices', { customer: customer.id, items: item(4) });
    state.insert('payments', { customer: customer.id, amount: 22, applied_to: [{ type: 'invoice', invoice: paid.id, amount: 20 }, { type: 'invoice', invoice: due.id, amount: 2 }] });
    const list = async (search: string) => ids((await call<InvoicedInvoiceRecord[]>('GET', `/invoices?${search}`)).body);
    expect(await list('filter[status]=past_due')).toEqual([due.id]);
    expect(await list('filter[status]=not_sent')).toEqual([open.id]);
    expect(await list('filter[paid]=1')).toEqual([paid.id]);
    expect(await list('sort=balance%20DESC')).toEqual([due.id, open.id, draft.id, paid.id]);
    advance(31 * DAY);
    expect(await list('filter[status]=past_due')).toEqual([due.id, open.id]);
    expect(await list('filter[status]=not_sent')).toEqual([]);
    expect(await list('filter[draft]=0&sort=status%20ASC')).toEqual([paid.id, due.id, open.id]);
  });
});
