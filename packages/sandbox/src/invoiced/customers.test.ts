import { describe, expect, it } from 'vitest';
import type { InvoicedCustomerRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

describe('Invoiced customers', () => {
  it('creates a customer with Invoiced defaults and an automatic number', async () => {
    const { call, now } = createHarness();
    const answer = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Acme', currency: 'USD' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      id: 1,
      object: 'customer',
      name: 'Acme',
      number: 'CUST-00001',
      type: 'company',
      currency: 'usd',
      email: null,
      metadata: {},
      created_at: now(),
      updated_at: now(),
    });
  });

  it('numbers customers in sequence and skips numbers already taken by hand', async () => {
    const { call } = createHarness();
    await call('POST', '/customers', { body: { name: 'Taken', number: 'CUST-00002' } });
    const first = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'A' } });
    const second = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'B' } });
    expect([first.body.number, second.body.number]).toEqual(['CUST-00001', 'CUST-00003']);
    expect([first.body.id, second.body.id]).toEqual([2, 3]);
  });

  it('refuses a number another customer holds', async () => {
    const { call } = createHarness();
    await call('POST', '/customers', { body: { name: 'A', number: 'C-1' } });
    const answer: ErrorAnswer = await call('POST', '/customers', { body: { name: 'B', number: 'C-1' } });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('number');
  });

  it('retrieves a customer by ID and answers 404 for an unknown one', async () => {
    const { call, state } = createHarness();
    const created = state.insert('customers', { name: 'Acme', email: 'ap@acme.test' });
    const found = await call<InvoicedCustomerRecord>('GET', `/customers/${created.id}`);
    expect(found.body).toEqual(created);
    const missing: ErrorAnswer = await call('GET', '/customers/999');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ type: 'invalid_request', message: 'Customer was not found: 999' });
  });

  it('updates only the fields given, bumps updated_at and replaces metadata with the map sent', async () => {
    const { call, state, advance, now } = createHarness();
    const created = state.insert('customers', { name: 'Acme', email: 'ap@acme.test', metadata: { netsuite_id: '42', region: 'emea' } });
    advance(60);
    const answer = await call<InvoicedCustomerRecord>('PATCH', `/customers/${created.id}`, {
      body: { phone: '555-0100', metadata: { netsuite_id: '42', tier: 'gold' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: 'Acme', email: 'ap@acme.test', phone: '555-0100', updated_at: now() });
    expect(answer.body.created_at).toBe(now() - 60);
    expect(answer.body.metadata).toEqual({ netsuite_id: '42', tier: 'gold' });
  });

  it('lists customers by ascending ID', async () => {
    const { call, state } = createHarness();
    for (const name of ['A', 'B', 'C']) state.insert('customers', { name });
    const answer = await call<InvoicedCustomerRecord[]>('GET', '/customers');
    expect(answer.body.map((customer) => customer.name)).toEqual(['A', 'B', 'C']);
    expect(answer.headers['x-total-count']).toBe('3');
  });

  it('deletes a customer without documents and refuses one that has invoices', async () => {
    const { call, state } = createHarness();
    const lonely = state.insert('customers', { name: 'Lonely' });
    const busy = state.insert('customers', { name: 'Busy' });
    state.insert('invoices', { customer: busy.id, items: [{ name: 'Work', quantity: 1, unit_cost: 10 }] });
    expect((await call('DELETE', `/customers/${lonely.id}`)).status).toBe(204);
    expect((await call('DELETE', `/customers/${busy.id}`)).status).toBe(400);
    expect(state.count('customers')).toBe(1);
  });
});

describe('Invoiced request body validation', () => {
  it('requires a name on create', async () => {
    const { call } = createHarness();
    const answer: ErrorAnswer = await call('POST', '/customers', { body: { email: 'x@y.test' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'invalid_request', param: 'name' });
  });

  it.each([
    [{ name: 42 }, 'name'],
    [{ name: 'Acme', type: 'partnership' }, 'type'],
    [{ name: 'Acme', taxable: 'yes' }, 'taxable'],
    [{ name: 'Acme', currency: 'dollars' }, 'currency'],
  ])('refuses a wrong type in %j with param %s', async (body, param) => {
    const { call } = createHarness();
    const answer: ErrorAnswer = await call('POST', '/customers', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe(param);
  });

  it('refuses a body that is not a JSON object', async () => {
    const { call } = createHarness();
    expect((await call('POST', '/customers', { body: '{not json' })).status).toBe(400);
    expect((await call('POST', '/customers', { body: [{ name: 'Acme' }] })).status).toBe(400);
  });
});

describe('Invoiced metadata limits', () => {
  const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`key_${index}`, 'v']));
  const ten = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`key_${index}`, 'v']));

  it.each([
    ['11 keys', eleven],
    ['a 41-character key', { ['k'.repeat(41)]: 'v' }],
    ['a 256-character value', { netsuite_id: 'v'.repeat(256) }],
  ])('refuses %s with param metadata', async (_label, metadata) => {
    const { call } = createHarness();
    const answer: ErrorAnswer = await call('POST', '/customers', { body: { name: 'Acme', metadata } });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('metadata');
  });

  it('accepts the limits exactly: 10 keys, 40-character keys, 255-character values', async () => {
    const { call } = createHarness();
    const answer = await call('POST', '/customers', {
      body: { name: 'Acme', metadata: { ...Object.fromEntries(Object.entries(ten).slice(0, 9)), ['k'.repeat(40)]: 'v'.repeat(255) } },
    });
    expect(answer.status).toBe(201);
  });

  it('counts the metadata written on update, not what was there before', async () => {
    const { call, state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme', metadata: ten });
    const answer: ErrorAnswer = await call('PATCH', `/customers/${customer.id}`, { body: { metadata: eleven } });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('metadata');
    const smaller = await call('PATCH', `/customers/${customer.id}`, { body: { metadata: { one_more: 'v' } } });
    expect(smaller.status).toBe(200);
  });
});
