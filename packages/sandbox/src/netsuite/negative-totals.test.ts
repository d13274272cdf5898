import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';
const DISCOUNT = { id: '3' };

/** A customer and an invoice of 100 less a discount line of 12.5. */
function arrange(): { harness: TestHarness; customer: string; invoice: string } {
  const harness = createHarness();
  const customer = String(harness.service.state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const lines = [
    { item: { id: '1' }, quantity: 1, rate: 100, amount: 100 },
    { item: DISCOUNT, quantity: 1, rate: -12.5, amount: -12.5, description: 'Discount 12.5%' },
  ];
  const invoice = String(harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: lines } }).id);
  return { harness, customer, invoice };
}

describe('a transaction total below zero', () => {
  it('refuses an invoice line change that leaves the discount larger than the lines (state API), and changes nothing', () => {
    const { harness, invoice } = arrange();
    const change = () => harness.service.state.update('invoice', invoice, { item: { items: [{ line: 1, quantity: 1, rate: 5, amount: 5 }] } });
    expect(change).toThrow(expect.objectContaining({ code: 'USER_ERROR', path: 'item' }));
    expect(harness.service.state.get('invoice', invoice)).toMatchObject({ total: 87.5, amountRemaining: 87.5, status: { id: 'A' } });
  });

  it('refuses a new invoice whose total is negative over REST with a 400 USER_ERROR, and writes nothing', async () => {
    const { harness, customer } = arrange();
    const body = { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 10 }, { item: DISCOUNT, amount: -10.01 }] } };
    const response = await harness.call('POST', `${RECORDS}/invoice`, { body });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'item', detail: 'The total cannot be negative.' });
    expect(harness.service.state.count('invoice')).toBe(1);
  });

  it('refuses a credit memo whose total is negative with the same error', () => {
    const { harness, customer } = arrange();
    const memo = () => harness.service.state.insert('creditMemo', { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 1 }, { item: DISCOUNT, amount: -2 }] } });
    expect(memo).toThrow(expect.objectContaining({ code: 'USER_ERROR', path: 'item', message: 'The total cannot be negative.' }));
  });

  it('takes a total of exactly 0 (a line fully discounted): the invoice is paid in full at once', () => {
    const { harness, invoice } = arrange();
    const changed = harness.service.state.update('invoice', invoice, { item: { items: [{ line: 1, quantity: 1, rate: 12.5, amount: 12.5 }] } });
    expect(changed).toMatchObject({ total: 0, amountRemaining: 0, status: { id: 'B' } });
  });
});
