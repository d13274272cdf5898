import { describe, expect, it } from 'vitest';
import { createHarness, smallBooks } from './test-support';

describe('loading books', () => {
  it('loads customers, invoices, payments and credit memos with their IDs, references and derived balances', () => {
    const { service } = createHarness();
    service.state.load(smallBooks());
    expect(['customer', 'invoice', 'customerPayment', 'creditMemo'].map((type) => service.state.count(type as 'customer'))).toEqual([2, 3, 1, 1]);
    expect(service.state.get('customer', '202')).toMatchObject({ isPerson: true, firstName: 'Ada', lastName: "O'Brien", currency: { id: '2', refName: 'Euro' }, subsidiary: { refName: 'Honeycomb Holdings' } });
    expect(service.state.get('invoice', '301')).toMatchObject({ total: 300.5, amountRemaining: 0, status: { id: 'B' }, entity: { id: '201', refName: 'CUST-201 Acme Corp' } });
    expect(service.state.get('invoice', 'eid:invd-inv-302')).toMatchObject({ id: '302', amountRemaining: 50, status: { id: 'A' }, item: { items: [{ description: 'Retainer', item: { refName: 'Consulting' } }] } });
    expect(service.state.get('invoice', '303')).toMatchObject({ amountRemaining: 25 });
    expect(service.state.get('creditMemo', '501')).toMatchObject({ total: 5, amountRemaining: 0, status: { id: 'B' } });
    expect(service.state.get('customerPayment', '401')).toMatchObject({ undepFunds: { id: 'T' }, applied: 350.5, unapplied: 0 });
  });

  it("keeps the books' lastModifiedDate although loading payments changed the invoices' balances", () => {
    const { service } = createHarness();
    service.state.load(smallBooks());
    expect(service.state.get('invoice', '301')?.lastModifiedDate).toBe('2026-01-10T09:00:00Z');
    expect(service.state.get('customer', '201')?.lastModifiedDate).toBe('2026-01-05T08:00:00Z');
  });

  it('gives records created afterwards the next free internal ID, and currencies their symbols', () => {
    const { service } = createHarness();
    service.state.load(smallBooks());
    const invoice = service.state.insert('invoice', { entity: { id: '201' }, item: { items: [{ item: { id: '10' }, amount: 1 }] } });
    expect(invoice.id).toBe('502');
    expect(service.state.query('SELECT id, symbol FROM currency ORDER BY id')).toEqual([{ id: '1', symbol: 'USD' }, { id: '2', symbol: 'EUR' }]);
  });

  it('refuses inconsistent books and keeps what was there before', () => {
    const { service } = createHarness();
    service.state.load(smallBooks());
    const broken = smallBooks();
    broken.payments[0]?.applications.push({ invoiceId: '303', amount: '1' });
    expect(() => service.state.load(broken)).toThrow(/another customer/);
    expect(service.state.count('invoice')).toBe(3);
    expect(service.state.get('invoice', '302')).toMatchObject({ amountRemaining: 50 });
  });

  it('resets to an empty account with the default reference data', () => {
    const { service } = createHarness();
    service.state.load(smallBooks());
    service.state.reset();
    expect(service.state.count('invoice')).toBe(0);
    expect(service.state.count('customer')).toBe(0);
    expect(service.state.query("SELECT symbol FROM currency WHERE id = 1")).toEqual([{ symbol: 'USD' }]);
  });
});
