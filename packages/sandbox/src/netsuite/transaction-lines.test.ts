import { describe, expect, it } from 'vitest';
import type { NetSuiteBooks } from '../books';
import { createHarness, itemsOf, smallBooks, type TestHarness } from './test-support';

const SUITEQL = '/services/rest/query/v1/suiteql';

/** The small books, plus an inventory item with an average cost and an invoice with header tax. */
function taxedBooks(): NetSuiteBooks {
  const books = smallBooks();
  books.items.push({ id: '12', itemId: 'Widget', kind: 'inventory', averageCost: '40.125' });
  books.invoices.push({
    id: '304',
    tranId: 'INV-304',
    customerId: '201',
    currency: 'USD',
    tranDate: '2026-01-16',
    dueDate: '2026-02-15',
    lines: [
      { itemId: '12', quantity: '3', rate: '100', amount: '300.00' },
      { itemId: '10', quantity: '1', rate: '50', amount: '50.00', description: 'Setup' },
    ],
    // 8.25 % of 350.00 is 28.875: NetSuite rounds it half away from zero.
    tax: { itemId: '11', rate: '8.25', amount: '28.88' },
    lastModifiedDate: '2026-01-16T09:00:00Z',
  });
  return books;
}

function loaded(books = taxedBooks()): TestHarness {
  const harness = createHarness();
  harness.service.state.load(books);
  return harness;
}

const LINE_COLUMNS = 'tl.id, tl.linesequencenumber, tl.mainline, tl.taxline, tl.iscogs, tl.item, tl.itemtype, tl.accountinglinetype, tl.quantity, tl.rate, tl.foreignamount';
const linesOf = (harness: TestHarness, id: string) =>
  harness.service.state.query(`SELECT ${LINE_COLUMNS} FROM transactionline tl WHERE tl.transaction = ${id} ORDER BY tl.linesequencenumber`);

describe('transactionline', () => {
  it('shows an invoice as the ledger does: a debit main line, and item lines with negative amount and quantity and the rate as entered', () => {
    const harness = loaded(smallBooks());
    expect(linesOf(harness, '301')).toEqual([
      { id: '0', linesequencenumber: '0', mainline: 'T', taxline: 'F', iscogs: 'F', foreignamount: '300.5' },
      // iscogs is NULL (left out of the row) on the line of an item without cost, as on some lines in NetSuite.
      { id: '1', linesequencenumber: '1', mainline: 'F', taxline: 'F', item: '10', itemtype: 'Service', accountinglinetype: 'INCOME', quantity: '-2', rate: '150.25', foreignamount: '-300.5' },
    ]);
    // The REST record keeps the document's signs.
    expect(harness.service.state.get('invoice', '301')).toMatchObject({ item: { items: [{ line: 1, quantity: 2, rate: 150.25, amount: 300.5 }] } });
  });

  it("shows a credit memo's item lines as debits and its main line as the credit", () => {
    const harness = loaded(smallBooks());
    expect(linesOf(harness, '501').map((line) => [line.mainline, line.quantity, line.foreignamount])).toEqual([
      ['T', undefined, '-5'],
      ['F', '1', '5'],
    ]);
  });

  it('adds the tax line NetSuite computes on a taxed invoice, seen in SuiteQL only; the REST invoice shows subtotal, taxTotal and total', () => {
    const harness = loaded();
    const lines = linesOf(harness, '304');
    expect(lines.filter((line) => line.taxline === 'T')).toEqual([
      { id: '3', linesequencenumber: '3', mainline: 'F', taxline: 'T', iscogs: 'F', item: '11', itemtype: 'TaxItem', accountinglinetype: 'TAX', foreignamount: '-28.88' },
    ]);
    expect(lines[0]).toMatchObject({ mainline: 'T', foreignamount: '378.88' });
    const invoice = harness.service.state.get('invoice', '304');
    expect(invoice).toMatchObject({ subtotal: 350, taxTotal: 28.88, taxRate: 8.25, taxItem: { id: '11' }, total: 378.88, amountRemaining: 378.88 });
    expect((invoice?.item as { items: unknown[] }).items).toHaveLength(2);
    expect(harness.service.state.query('SELECT foreigntotal FROM transaction WHERE id = 304')).toEqual([{ foreigntotal: '378.88' }]);
  });

  it('adds a COGS line and an inventory asset line for an inventory item with an average cost, seen in SuiteQL only', () => {
    const harness = loaded();
    const cost = linesOf(harness, '304').filter((line) => line.iscogs === 'T');
    // 3 × 40.125 = 120.375, rounded to the currency.
    expect(cost).toEqual([
      { id: '4', linesequencenumber: '4', mainline: 'F', taxline: 'F', iscogs: 'T', item: '12', itemtype: 'InvtPart', accountinglinetype: 'COGS', foreignamount: '120.38' },
      { id: '5', linesequencenumber: '5', mainline: 'F', taxline: 'F', iscogs: 'T', item: '12', itemtype: 'InvtPart', accountinglinetype: 'ASSET', foreignamount: '-120.38' },
    ]);
    // Item lines and the tax line make the main line; the two cost lines cancel out.
    const sum = linesOf(harness, '304').filter((line) => line.mainline === 'F').reduce((total, line) => total + Number(line.foreignamount), 0);
    expect(sum).toBeCloseTo(-378.88, 6);
  });

  it('keeps transactionline.id unique only within a transaction and uniquekey over all lines, a line keeping its key across changes', () => {
    const harness = loaded();
    const keys = harness.service.state.query('SELECT tl.transaction, tl.id, tl.uniquekey FROM transactionline tl ORDER BY tl.uniquekey');
    expect(new Set(keys.map((row) => row.uniquekey)).size).toBe(keys.length);
    expect(keys.filter((row) => row.id === '1').length).toBeGreaterThan(1);

    const before = harness.service.state.query('SELECT tl.id, tl.uniquekey FROM transactionline tl WHERE tl.transaction = 304 ORDER BY tl.id');
    harness.service.state.update('invoice', '304', { memo: 'changed', item: { items: [{ item: { id: '10' }, quantity: 1, rate: 10 }] } });
    const after = harness.service.state.query('SELECT tl.id, tl.uniquekey, tl.foreignamount FROM transactionline tl WHERE tl.transaction = 304 ORDER BY tl.id');
    // Lines 0-2 (main and items) keep their keys; the new item line 3 takes a new one, and the tax line moves on.
    expect(after.slice(0, 3).map((row) => row.uniquekey)).toEqual(before.slice(0, 3).map((row) => row.uniquekey));
    const seen = new Set(keys.map((row) => row.uniquekey));
    expect(seen.has(String(after[3]?.uniquekey))).toBe(false);
    expect(after.find((row) => row.foreignamount === '-29.7')).toBeDefined(); // 8.25 % of 360.00
  });

  it('pages lines of many transactions by uniquekey, the way an integration reads them, without repeating or losing one', async () => {
    const harness = loaded();
    const all = harness.service.state.query("SELECT tl.uniquekey FROM transactionline tl WHERE tl.mainline = 'F' ORDER BY tl.uniquekey");
    const seen: unknown[] = [];
    let last = 0;
    for (;;) {
      const response = await harness.call('POST', `${SUITEQL}?limit=2&offset=0`, {
        body: { q: `SELECT * FROM (SELECT tl.uniquekey, tl.id FROM transactionline tl WHERE tl.mainline = 'F') WHERE uniquekey > ${last} ORDER BY uniquekey` },
        headers: { prefer: 'transient' },
      });
      const rows = itemsOf(response);
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => row.uniquekey));
      last = Number(rows.at(-1)?.uniquekey);
    }
    expect(seen).toEqual(all.map((row) => row.uniquekey));
  });

  it('refuses books whose tax amount is not what NetSuite computes, and keeps what was there', () => {
    const harness = loaded();
    const books = taxedBooks();
    const invoice = books.invoices.find((entry) => entry.id === '304');
    if (invoice?.tax !== undefined) invoice.tax.amount = '28.87';
    expect(() => harness.service.state.load(books)).toThrow(/INV-304|invoice 304/);
    expect(harness.service.state.get('invoice', '304')).toMatchObject({ taxTotal: 28.88 });
  });
});

describe('voids', () => {
  it('voids a payment as NetSuite does: voided, amount 0, memo VOID, its status kept (there is no voided status), nothing applied, its invoices open again', () => {
    const harness = loaded(smallBooks());
    harness.clock.advance(3600);
    const payment = harness.service.state.update('customerPayment', '401', { voided: true });
    expect(payment).toMatchObject({ payment: 0, total: 0, applied: 0, unapplied: 0, memo: 'VOID', status: { id: 'B', refName: 'Not Deposited' } });
    expect((payment.apply as { items: { apply: boolean }[] }).items.filter((line) => line.apply)).toEqual([]);
    expect(harness.service.state.query('SELECT voided, foreigntotal, status, BUILTIN.CF(status) AS cf, memo FROM transaction WHERE id = 401')).toEqual([
      { voided: 'T', foreigntotal: '0', status: 'B', cf: 'CustPymt:B', memo: 'VOID' },
    ]);
    expect(harness.service.state.query("SELECT COUNT(*) AS n FROM transaction WHERE BUILTIN.CF(status) LIKE 'CustPymt:V%'")).toEqual([{ n: '0' }]);
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = 401')).toEqual([{ n: '0' }]);
    expect(harness.service.state.get('invoice', '301')).toMatchObject({ amountRemaining: 300.5, status: { id: 'A' }, lastModifiedDate: '2026-03-02T11:00:00Z' });
  });

  it('voids an invoice: status V, its total and lines at 0, and no tax or cost lines', () => {
    const harness = loaded();
    const invoice = harness.service.state.update('invoice', '304', { voided: true });
    expect(invoice).toMatchObject({ status: { id: 'V', refName: 'Voided' }, total: 0, amountRemaining: 0, memo: 'VOID' });
    expect(linesOf(harness, '304').map((line) => [line.mainline, line.taxline, line.iscogs, line.foreignamount])).toEqual([
      ['T', 'F', 'F', '0'],
      ['F', 'F', 'F', '0'],
      ['F', 'F', undefined, '0'],
    ]);
  });

  it('loads a voided payment of the books as NetSuite shows it: amount 0, nothing applied', () => {
    const books = smallBooks();
    const payment = books.payments[0];
    if (payment !== undefined) payment.voided = true;
    const harness = loaded(books);
    expect(harness.service.state.get('customerPayment', '401')).toMatchObject({ payment: 0, applied: 0, memo: 'VOID', lastModifiedDate: '2026-01-20T09:00:00Z' });
    expect(harness.service.state.get('invoice', '301')).toMatchObject({ amountRemaining: 300.5, status: { id: 'A' } });
  });
});
