/**
 * Metadata as Invoiced's backend keeps it (its metadata listener and storages): a write replaces the whole
 * map, a `null` value is refused, objects and arrays are kept as their JSON text, and numbers and booleans
 * as text. Payments have metadata too (their create and edit routes take it, and their list filters on it).
 */
import { describe, expect, it } from 'vitest';
import type { InvoicedCustomerRecord, InvoicedInvoiceRecord, InvoicedPaymentRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

function arrange() {
  const harness = createHarness();
  const acme = harness.state.insert('customers', { name: 'Acme', metadata: { netsuite_id: '42', region: 'emea' } });
  return { ...harness, acme };
}

describe('Invoiced metadata on update', () => {
  it('replaces the whole map: keys left out of a PATCH are gone', async () => {
    const { call, state, acme } = arrange();
    const answer = await call<InvoicedCustomerRecord>('PATCH', `/customers/${acme.id}`, { body: { metadata: { netsuite_id: '43' } } });
    expect(answer.status).toBe(200);
    expect(answer.body.metadata).toEqual({ netsuite_id: '43' });
    expect(state.get('customers', acme.id)?.metadata).toEqual({ netsuite_id: '43' });
  });

  it('keeps the map when a PATCH does not mention metadata, and empties it for {} or null', async () => {
    const { call, state, acme } = arrange();
    await call('PATCH', `/customers/${acme.id}`, { body: { notes: 'n' } });
    expect(state.get('customers', acme.id)?.metadata).toEqual({ netsuite_id: '42', region: 'emea' });
    await call('PATCH', `/customers/${acme.id}`, { body: { metadata: {} } });
    expect(state.get('customers', acme.id)?.metadata).toEqual({});
    state.update('customers', acme.id, { metadata: { a: 'b' } });
    const cleared = await call<InvoicedCustomerRecord>('PATCH', `/customers/${acme.id}`, { body: { metadata: null } });
    expect(cleared.body.metadata).toEqual({});
  });

  it('replaces the metadata of invoices, credit notes and line items the same way', async () => {
    const { call, state, acme } = arrange();
    const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 1, metadata: { line: '1', keep: 'x' } }], metadata: { a: '1', b: '2' } });
    const lineId = invoice.items[0]?.id;
    const answer = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, {
      body: { metadata: { b: '3' }, items: [{ id: lineId, metadata: { line: '2' } }] },
    });
    expect(answer.body.metadata).toEqual({ b: '3' });
    expect(answer.body.items[0]?.metadata).toEqual({ line: '2' });
    const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Refund', unit_cost: 1 }], metadata: { a: '1', b: '2' } });
    expect(state.update('credit_notes', note.id, { metadata: { c: '3' } }).metadata).toEqual({ c: '3' });
  });

  it('counts only the keys written, so ten keys can be swapped for ten others', async () => {
    const { call, state, acme } = arrange();
    const ten = (prefix: string) => Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`${prefix}${index}`, 'v']));
    state.update('customers', acme.id, { metadata: ten('old_') });
    const answer = await call<InvoicedCustomerRecord>('PATCH', `/customers/${acme.id}`, { body: { metadata: ten('new_') } });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body.metadata)).toHaveLength(10);
  });
});

describe('Invoiced metadata values', () => {
  it('refuses a null value as an invalid type, naming metadata', async () => {
    const { call, state, acme } = arrange();
    const answer: ErrorAnswer = await call('PATCH', `/customers/${acme.id}`, { body: { metadata: { region: null } } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'invalid_request',
      message: 'The provided value for metadata.region is an invalid type. Valid types are string, boolean, number, object, and array.',
      param: 'metadata',
    });
    expect(state.get('customers', acme.id)?.metadata).toEqual({ netsuite_id: '42', region: 'emea' });
  });

  it('keeps objects and arrays as their JSON text, written as PHP writes JSON', async () => {
    const { call } = arrange();
    const created = await call<InvoicedCustomerRecord>('POST', '/customers', {
      body: { name: 'Beta', metadata: { tags: ['a', 'b'], address: { city: 'Zürich', path: 'a/b' }, empty: {} } },
    });
    expect(created.status).toBe(201);
    // The answer to the write shows the values as sent (an empty object, decoded by PHP as an array, as
    // []); a later read shows them as stored.
    expect(created.body.metadata).toEqual({ tags: ['a', 'b'], address: { city: 'Zürich', path: 'a/b' }, empty: [] });
    const read = await call<InvoicedCustomerRecord>('GET', `/customers/${created.body.id}`);
    expect(read.body.metadata).toEqual({ tags: '["a","b"]', address: '{"city":"Z\\u00fcrich","path":"a\\/b"}', empty: '[]' });
  });

  it('keeps numbers and booleans as text: true as 1 and false as 0 on customers and documents', async () => {
    const { call, state } = arrange();
    const created = await call<InvoicedCustomerRecord>('POST', '/customers', {
      body: { name: 'Beta', metadata: { yes: true, no: false, count: 3, ratio: 0.1 + 0.2 } },
    });
    expect(state.get('customers', created.body.id)?.metadata).toEqual({ yes: '1', no: '0', count: '3', ratio: '0.3' });
  });

  it('measures the JSON text of an object against the 255-byte limit', async () => {
    const { call } = arrange();
    const answer: ErrorAnswer = await call('POST', '/customers', { body: { name: 'Beta', metadata: { list: Array.from({ length: 60 }, () => 'abc') } } });
    expect(answer.body).toEqual({ type: 'invalid_request', message: 'The provided value for metadata.list exceeds the 255 character limit.', param: 'metadata' });
  });

  it('accepts an empty key, which Invoiced does not check', async () => {
    const { call } = arrange();
    expect((await call('POST', '/customers', { body: { name: 'Beta', metadata: { '': 'v' } } })).status).toBe(201);
  });
});

describe('Invoiced payment metadata', () => {
  it('takes metadata on create and update, answers it and replaces it on update', async () => {
    const { call, state, acme } = arrange();
    const created = await call<InvoicedPaymentRecord>('POST', '/payments', { body: { customer: acme.id, amount: 5, metadata: { netsuite_id: '7', x: 'y' } } });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual({ netsuite_id: '7', x: 'y' });
    const updated = await call<InvoicedPaymentRecord>('PATCH', `/payments/${created.body.id}`, { body: { metadata: { netsuite_id: '8' } } });
    expect(updated.body.metadata).toEqual({ netsuite_id: '8' });
    expect(state.get('payments', created.body.id)?.metadata).toEqual({ netsuite_id: '8' });
    expect(state.insert('payments', { customer: acme.id, amount: 1 }).metadata).toEqual({});
  });

  it('keeps false as an empty text on payments, whose metadata has its own storage', () => {
    const { state, acme } = arrange();
    expect(state.insert('payments', { customer: acme.id, amount: 1, metadata: { yes: true, no: false } }).metadata).toEqual({ yes: '1', no: '' });
  });

  it('lists payments by metadata', async () => {
    const { call, state, acme } = arrange();
    state.insert('payments', { customer: acme.id, amount: 1, metadata: { netsuite_id: '1' } });
    const wanted = state.insert('payments', { customer: acme.id, amount: 2, metadata: { netsuite_id: '2' } });
    const answer = await call<InvoicedPaymentRecord[]>('GET', '/payments?metadata[netsuite_id]=2');
    expect(answer.status).toBe(200);
    expect(answer.body.map((payment) => payment.id)).toEqual([wanted.id]);
  });
});

describe('Invoiced metadata filter keys', () => {
  it('ignores a filter key outside letters, digits, _ and -, and a numeric key, as Invoiced does', async () => {
    const { call, state } = arrange();
    state.insert('customers', { name: 'Beta' });
    expect((await call<unknown[]>('GET', '/customers?metadata[a.b]=x')).body).toHaveLength(2);
    expect((await call<unknown[]>('GET', '/customers?metadata[12]=x')).body).toHaveLength(2);
    expect((await call<unknown[]>('GET', '/customers?metadata[]=x')).body).toHaveLength(2);
  });
});
