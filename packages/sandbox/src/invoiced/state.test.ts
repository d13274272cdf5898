import { describe, expect, it } from 'vitest';
import type { InvoicedBooks } from '../books';
import { generateBooks } from '../generate';
import { InvoicedRequestError } from './errors';
import { createHarness, START } from './test-support';

const books: InvoicedBooks = {
  customers: [
    { key: 'acme', name: 'Acme Corp', type: 'company', email: 'ap@acme.test', currency: 'usd', metadata: { netsuite_id: '101' } },
    { key: 'yoko', name: 'Yoko Tanaka', type: 'person', currency: 'jpy' },
  ],
  invoices: [
    {
      key: 'acme-1',
      customerKey: 'acme',
      number: 'INV-1001',
      currency: 'usd',
      date: START - 86_400,
      dueDate: START + 86_400 * 29,
      draft: false,
      items: [{ name: 'Consulting', description: 'March', quantity: '1.5', unitCost: '120.10' }],
    },
    { key: 'acme-draft', customerKey: 'acme', number: 'INV-1002', currency: 'usd', date: START, draft: true, items: [] },
    { key: 'yoko-1', customerKey: 'yoko', number: 'INV-1003', currency: 'jpy', date: START, draft: false, items: [{ name: 'Paper', quantity: '3', unitCost: '1200' }] },
  ],
  payments: [
    { key: 'pay-1', customerKey: 'acme', currency: 'usd', date: START, amount: '200.00', method: 'check', reference: '5531', appliedTo: [{ invoiceKey: 'acme-1', amount: '180.15' }] },
    { key: 'pay-2', customerKey: 'yoko', currency: 'jpy', date: START, amount: '1200', method: 'wire_transfer', appliedTo: [{ invoiceKey: 'yoko-1', amount: '1200' }] },
  ],
};

describe('InvoicedState.load', () => {
  it('loads hand-written books and returns their IDs by key', () => {
    const { state } = createHarness();
    const ids = state.load(books);
    expect(Object.fromEntries(ids.customers)).toEqual({ acme: 1, yoko: 2 });
    expect(Object.fromEntries(ids.invoices)).toEqual({ 'acme-1': 1, 'acme-draft': 2, 'yoko-1': 3 });
    expect(Object.fromEntries(ids.payments)).toEqual({ 'pay-1': 1, 'pay-2': 2 });

    expect(state.get('customers', 1)).toMatchObject({ name: 'Acme Corp', email: 'ap@acme.test', metadata: { netsuite_id: '101' } });
    expect(state.get('customers', 2)).toMatchObject({ type: 'person', currency: 'jpy' });
    expect(state.get('invoices', 1)).toMatchObject({ number: 'INV-1001', total: 180.15, balance: 0, status: 'paid' });
    expect(state.get('invoices', 1)?.items[0]).toMatchObject({ description: 'March', quantity: 1.5, unit_cost: 120.1, amount: 180.15 });
    expect(state.get('invoices', 2)?.status).toBe('draft');
    expect(state.get('invoices', 3)).toMatchObject({ total: 3600, balance: 2400 });
    expect(state.get('payments', 1)).toMatchObject({ amount: 200, balance: 19.85, method: 'check', reference: '5531' });
  });

  it('accepts generated books: every payment fits the invoices it settles', () => {
    for (const seed of [1, 2, 3]) {
      const { state } = createHarness();
      const books = generateBooks({ seed, invoiced: { customers: 10, invoices: 60, payments: 40 } }).invoiced;
      const ids = state.load(books);
      expect([ids.customers.size, ids.invoices.size, ids.payments.size]).toEqual([books.customers.length, books.invoices.length, books.payments.length]);
    }
  });

  it('refuses books that refer to a key they do not define', () => {
    const { state } = createHarness();
    const broken: InvoicedBooks = { ...books, invoices: [{ ...books.invoices[0]!, customerKey: 'ghost' }], payments: [] };
    expect(() => state.load(broken)).toThrow(/no customer with key "ghost"/);
  });

  it('says which record of the books the simulated API refused', () => {
    const { state } = createHarness();
    const broken: InvoicedBooks = {
      ...books,
      payments: [{ ...books.payments[0]!, appliedTo: [{ invoiceKey: 'acme-1', amount: '999.00' }] }],
    };
    expect(() => state.load(broken)).toThrow(/payment "pay-1".*exceeds/);
  });
});

describe('InvoicedState', () => {
  it('inserts, gets, updates, lists, counts and deletes records without HTTP', () => {
    const { state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme' });
    expect(state.get('customers', customer.id)).toEqual(customer);
    expect(state.update('customers', customer.id, { email: 'ap@acme.test' }).email).toBe('ap@acme.test');
    state.insert('customers', { name: 'Beta' });
    expect(state.list('customers').map((record) => record.name)).toEqual(['Acme', 'Beta']);
    expect(state.count('customers')).toBe(2);
    expect(state.delete('customers', customer.id)).toBe(true);
    expect(state.delete('customers', customer.id)).toBe(false);
    expect(state.get('customers', customer.id)).toBeUndefined();
  });

  it('hands out copies, so changing an answer does not change the account', () => {
    const { state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme', metadata: { a: '1' } });
    customer.metadata.a = 'changed';
    expect(state.get('customers', customer.id)?.metadata).toEqual({ a: '1' });
  });

  it('throws InvoicedRequestError for writes the API would refuse', () => {
    const { state } = createHarness();
    expect(() => state.insert('payments', { amount: 5, metadata: { a: null } })).toThrow(InvoicedRequestError);
    expect(() => state.update('invoices', 99, {})).toThrow(/Invoice was not found: 99/);
  });

  it('starts IDs and numbers again after reset', () => {
    const { state } = createHarness();
    state.insert('customers', { name: 'Acme' });
    state.reset();
    expect(state.count('customers')).toBe(0);
    expect(state.insert('customers', { name: 'Again' })).toMatchObject({ id: 1, number: 'CUST-00001' });
  });
});
