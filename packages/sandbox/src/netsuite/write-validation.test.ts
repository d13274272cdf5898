import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, idFromLocation, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';
const STRICT = { 'X-NetSuite-PropertyNameValidation': 'Error' };

function arrange(): { harness: TestHarness; customer: string; invoice: string } {
  const harness = createHarness();
  const customer = String(harness.service.state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const invoice = String(harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 100 }] } }).id);
  return { harness, customer, invoice };
}

const undepFundsOf = (harness: TestHarness, id: string) => harness.service.state.query(`SELECT undepfunds, account FROM transaction WHERE id = ${id}`)[0];

describe('unknown field names (X-NetSuite-PropertyNameValidation)', () => {
  it('drops an unknown field and writes the rest when the header is absent (NetSuite defaults to Warning)', async () => {
    const { harness } = arrange();
    const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Globex', subsidiary: { id: '1' }, nickname: 'gx' } });
    expect(response.status).toBe(204);
    expect(harness.service.state.get('customer', idFromLocation(response))).toMatchObject({ companyName: 'Globex' });
    expect(harness.service.state.get('customer', idFromLocation(response))).not.toHaveProperty('nickname');
  });

  it('refuses an unknown field with NONEXISTENT_FIELD under Error, in the body and in sublist lines, and writes nothing', async () => {
    const { harness, customer } = arrange();
    const top = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Globex', subsidiary: { id: '1' }, nickname: 'gx' }, headers: STRICT });
    expect(top.status).toBe(400);
    expect(errorOf(top)).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'nickname' });
    const line = await harness.call('POST', `${RECORDS}/invoice`, {
      body: { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 5, colour: 'red' }] } },
      headers: STRICT,
    });
    expect(errorOf(line)).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'item.items[0].colour' });
    expect([harness.service.state.count('customer'), harness.service.state.count('invoice')]).toEqual([1, 1]);
  });

  it('refuses a header value other than Error, Warning or Ignore, naming the header', async () => {
    const { harness } = arrange();
    const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Globex', subsidiary: { id: '1' } }, headers: { 'X-NetSuite-PropertyNameValidation': 'Strict' } });
    expect(response.status).toBe(400);
    expect(errorOf(response)['o:errorHeader']).toBe('X-NetSuite-PropertyNameValidation');
  });

  it('knows no voided field over REST: a void is a person\'s action, which only the state API simulates', async () => {
    const { harness, invoice } = arrange();
    const response = await harness.call('PATCH', `${RECORDS}/invoice/${invoice}`, { body: { voided: true }, headers: STRICT });
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'voided' });
    expect(harness.service.state.update('invoice', invoice, { voided: true }).status).toMatchObject({ refName: 'Voided' });
  });
});

describe('value types of the REST API Browser schema', () => {
  it.each([
    ['a string for a number', { payment: '50' }, 'payment'],
    ['a number for a string', { memo: 12 }, 'memo'],
    ['a date that is not YYYY-MM-DD', { tranDate: '03/01/2026' }, 'tranDate'],
    ['a boolean in a line for a number', { apply: { items: [{ doc: { id: 'INVOICE' }, apply: true, amount: true }] } }, 'apply.items[0].amount'],
    ['a string for the apply checkbox', { apply: { items: [{ doc: { id: 'INVOICE' }, apply: 'T', amount: 5 }] } }, 'apply.items[0].apply'],
    ['a reference that is not an object', { currency: '1' }, 'currency'],
    ['lines that are not an array', { apply: { items: { doc: { id: 'INVOICE' } } } }, 'apply.items'],
  ])('refuses %s with INVALID_CONTENT naming the path', async (_, fields, path) => {
    const { harness, customer, invoice } = arrange();
    const bodyText = JSON.stringify({ customer: { id: customer }, payment: 50, ...fields }).replace('INVOICE', invoice);
    const response = await harness.call('POST', `${RECORDS}/customerPayment`, { body: JSON.parse(bodyText) as unknown });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': path });
    expect(harness.service.state.count('customerPayment')).toBe(0);
  });

  it('refuses a reference to a record that does not exist with INVALID_CONTENT naming the field', async () => {
    const { harness, customer } = arrange();
    const response = await harness.call('POST', `${RECORDS}/invoice`, { body: { entity: { id: customer }, item: { items: [{ item: { id: '9999' }, amount: 1 }] } } });
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'item.items[0].item' });
  });
});

describe('fields NetSuite computes', () => {
  it('refuses a computed field over REST with INSUFFICIENT_PERMISSION naming it, and changes nothing', async () => {
    const { harness, invoice } = arrange();
    for (const [field, value] of [['total', 5], ['amountRemaining', 0], ['status', { id: 'B' }]] as const) {
      const response = await harness.call('PATCH', `${RECORDS}/invoice/${invoice}`, { body: { memo: 'x', [field]: value } });
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INSUFFICIENT_PERMISSION', 'o:errorPath': field });
    }
    expect(harness.service.state.get('invoice', invoice)).toMatchObject({ total: 100, amountRemaining: 100 });
    expect(harness.service.state.get('invoice', invoice)).not.toHaveProperty('memo');
  });

  it('lets the state API pass a record read back from it, ignoring its computed fields', () => {
    const { harness, invoice } = arrange();
    const record = harness.service.state.get('invoice', invoice) ?? {};
    const { id: _id, ...copy } = record;
    expect(harness.service.state.insert('invoice', { ...copy, item: { items: [{ item: { id: '1' }, amount: 7 }] } })).toMatchObject({ total: 7 });
  });
});

describe('customerPayment.undepFunds, a { id } object in the 2026.1 schema', () => {
  it('accepts { id: "T" } for Undeposited Funds and { id: "F" } with an account', async () => {
    const { harness, customer } = arrange();
    const undeposited = await harness.call('POST', `${RECORDS}/customerPayment`, { body: { customer: { id: customer }, payment: 10, undepFunds: { id: 'T' } } });
    const deposited = await harness.call('POST', `${RECORDS}/customerPayment`, { body: { customer: { id: customer }, payment: 10, undepFunds: { id: 'F', refName: 'Account' }, account: { id: '1' } } });
    expect([undeposited.status, deposited.status]).toEqual([204, 204]);
    expect(undepFundsOf(harness, idFromLocation(undeposited))).toEqual({ undepfunds: 'T' });
    expect(undepFundsOf(harness, idFromLocation(deposited))).toEqual({ undepfunds: 'F', account: '1' });
  });

  it('refuses a boolean, an unknown id, and F without an account', async () => {
    const { harness, customer } = arrange();
    const post = (extra: Record<string, unknown>) => harness.call('POST', `${RECORDS}/customerPayment`, { body: { customer: { id: customer }, payment: 10, ...extra } });
    expect(errorOf(await post({ undepFunds: true }))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'undepFunds' });
    expect(errorOf(await post({ undepFunds: { id: 'Y' } }))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'undepFunds.id' });
    expect(errorOf(await post({ undepFunds: { id: 'F' } }))).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'account' });
    expect(harness.service.state.count('customerPayment')).toBe(0);
  });

  it('still takes a boolean through the state API, as books carry one', () => {
    const { harness, customer } = arrange();
    const payment = harness.service.state.insert('customerPayment', { customer: { id: customer }, payment: '10.50', undepFunds: true });
    expect(undepFundsOf(harness, String(payment.id))).toMatchObject({ undepfunds: 'T' });
  });
});
