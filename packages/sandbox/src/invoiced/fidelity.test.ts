/**
 * The simulated Invoiced held to Invoiced's published contract: the API reference (Invoiced/api
 * `source/index.html.md.erb`, `source/includes/_payments.md.erb`), the official SDKs and the service's own
 * routes (see docs/fidelity.md for the exact sources of each rule).
 */
import { describe, expect, it } from 'vitest';
import type { InvoicedErrorBody } from './errors';
import type { InvoicedInvoiceRecord, InvoicedPaymentRecord } from './records';
import { API_KEY, basic, createHarness, links, type ErrorAnswer } from './test-support';

/** A customer with an open invoice of 100.00 and a payment of 60.00 applied to it. */
function arrange() {
  const harness = createHarness();
  const { state } = harness;
  const acme = state.insert('customers', { name: 'Acme', currency: 'usd' });
  const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 100 }] });
  const payment = state.insert('payments', { customer: acme.id, amount: 60, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 60 }] });
  return { ...harness, acme, invoice, payment };
}

describe('Invoiced payments: applied_to only when asked for', () => {
  it('leaves applied_to out of a retrieved payment unless the query says include=applied_to', async () => {
    const { call, payment, invoice } = arrange();
    const plain = await call<Record<string, unknown>>('GET', `/payments/${payment.id}`);
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('applied_to');
    expect(plain.body).toMatchObject({ id: payment.id, amount: 60, balance: 0 });
    const asked = await call<InvoicedPaymentRecord>('GET', `/payments/${payment.id}?include=applied_to`);
    expect(asked.body.applied_to).toEqual([{ type: 'invoice', invoice: invoice.id, amount: 60 }]);
  });

  it('reads include as a comma-separated list', async () => {
    const { call, payment } = arrange();
    const answer = await call<InvoicedPaymentRecord>('GET', `/payments/${payment.id}?include=customerName,applied_to`);
    expect(answer.body.applied_to).toHaveLength(1);
  });

  it('leaves applied_to out of every listed payment unless the list asks for it', async () => {
    const { call } = arrange();
    const plain = await call<Record<string, unknown>[]>('GET', '/payments');
    expect(plain.body).toHaveLength(1);
    expect(plain.body[0]).not.toHaveProperty('applied_to');
    const asked = await call<InvoicedPaymentRecord[]>('GET', '/payments?include=applied_to&per_page=1');
    expect(asked.body[0]?.applied_to).toHaveLength(1);
  });

  it('answers a create, an update and a void with applied_to only when their query asks for it', async () => {
    const { call, acme, invoice } = arrange();
    const body = { customer: acme.id, amount: 10, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 10 }] };
    const created = await call<Record<string, unknown>>('POST', '/payments', { body });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('applied_to');
    const createdAsked = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', { body });
    expect(createdAsked.body.applied_to).toEqual([{ type: 'invoice', invoice: invoice.id, amount: 10 }]);
    const updated = await call<Record<string, unknown>>('PATCH', `/payments/${createdAsked.body.id}`, { body: { notes: 'n' } });
    expect(updated.body).not.toHaveProperty('applied_to');
    const updatedAsked = await call<InvoicedPaymentRecord>('PATCH', `/payments/${createdAsked.body.id}?include=applied_to`, { body: { notes: 'm' } });
    expect(updatedAsked.body.applied_to).toHaveLength(1);
    const voided = await call<Record<string, unknown>>('DELETE', `/payments/${createdAsked.body.id}`);
    expect(voided.body).not.toHaveProperty('applied_to');
  });
});

describe('Invoiced payments: voided by DELETE /payments/{id}', () => {
  it('voids the payment, answers 200 with it, and the invoice it paid owes again', async () => {
    const { call, state, payment, invoice, advance, now } = arrange();
    advance(10);
    const answer = await call<InvoicedPaymentRecord>('DELETE', `/payments/${payment.id}?include=applied_to`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: payment.id, object: 'payment', voided: true, amount: 60, balance: 60, applied_to: [], updated_at: now() });
    expect(state.get('payments', payment.id)?.voided).toBe(true);
    expect(state.get('invoices', invoice.id)).toMatchObject({ balance: 100, paid: false });
  });

  it('answers a second DELETE with 400: the payment has already been voided', async () => {
    const { call, payment } = arrange();
    await call('DELETE', `/payments/${payment.id}`);
    const again: ErrorAnswer = await call('DELETE', `/payments/${payment.id}`);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ type: 'invalid_request', message: 'This payment has already been voided.' });
  });

  it('has no POST /payments/{id}/void: it is an unknown route, answered 404', async () => {
    const { call, state, payment } = arrange();
    const answer: ErrorAnswer = await call('POST', `/payments/${payment.id}/void`);
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ type: 'invalid_request', message: `Request was not recognized: POST /payments/${payment.id}/void` });
    expect(state.get('payments', payment.id)?.voided).toBe(false);
  });

  it('still voids invoices and credit notes through POST /{resource}/{id}/void', async () => {
    const { call, state, acme } = arrange();
    const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'Other', unit_cost: 5 }] });
    const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Refund', unit_cost: 5 }] });
    expect((await call<InvoicedInvoiceRecord>('POST', `/invoices/${invoice.id}/void`)).body.status).toBe('voided');
    expect((await call('POST', `/credit_notes/${note.id}/void`)).status).toBe(200);
  });

  it('refuses to edit a voided payment, naming voided', async () => {
    const { call, payment } = arrange();
    await call('DELETE', `/payments/${payment.id}`);
    const answer: ErrorAnswer = await call('PATCH', `/payments/${payment.id}`, { body: { notes: 'late' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ type: 'invalid_request', message: 'The payment is voided and cannot be edited.', param: 'voided' });
  });

  it('answers an unknown payment 404 Payment was not found, with no param', async () => {
    const { call } = arrange();
    const answer: ErrorAnswer = await call('DELETE', '/payments/999');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ type: 'invalid_request', message: 'Payment was not found: 999' });
  });
});

describe('Invoiced metadata limits, worded as Invoiced', () => {
  it('names metadata and says which limit a write exceeds', async () => {
    const { call } = arrange();
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`k${index}`, 'v']));
    const count: ErrorAnswer = await call('POST', '/customers', { body: { name: 'A', metadata: eleven } });
    expect(count.body).toEqual({ type: 'invalid_request', message: 'There can only be up to 10 metadata values. 11 values were provided.', param: 'metadata' });
    const key: ErrorAnswer = await call('POST', '/customers', { body: { name: 'A', metadata: { ['k'.repeat(41)]: 'v' } } });
    expect(key.body).toEqual({ type: 'invalid_request', message: `The \`${'k'.repeat(41)}\` metadata key exceeds the 40 character limit.`, param: 'metadata' });
    const value: ErrorAnswer = await call('POST', '/customers', { body: { name: 'A', metadata: { note: 'é'.repeat(128) } } });
    expect(value.body).toEqual({ type: 'invalid_request', message: 'The provided value for metadata.note exceeds the 255 character limit.', param: 'metadata' });
  });
});

describe('Invoiced routes and methods', () => {
  it('answers an unknown route 404 and a known path with another method 405, worded as Invoiced', async () => {
    const { call, payment } = arrange();
    expect((await call<InvoicedErrorBody>('GET', '/widgets')).body).toEqual({ type: 'invalid_request', message: 'Request was not recognized: GET /widgets' });
    const put: ErrorAnswer = await call('PUT', `/payments/${payment.id}`, { body: {} });
    expect(put.status).toBe(405);
    expect(put.body).toEqual({ type: 'invalid_request', message: `Method not allowed: PUT /payments/${payment.id}` });
  });
});

describe('Invoiced idempotency keys: POST and PATCH only', () => {
  it.each(['GET', 'DELETE'])('refuses an Idempotency-Key on %s with 400, doing nothing', async (method) => {
    const { call, state, payment } = arrange();
    const answer: ErrorAnswer = await call(method, `/payments/${payment.id}`, { headers: { 'idempotency-key': 'void-key-001' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'invalid_request',
      message: `Unsupported method: ${method}. Idempotency keys can only be used with POST and PATCH requests.`,
    });
    expect(state.get('payments', payment.id)?.voided).toBe(false);
  });

  it('words a key of the wrong length as Invoiced does, without a param', async () => {
    const { call } = arrange();
    const short: ErrorAnswer = await call('POST', '/customers', { body: { name: 'A' }, headers: { 'idempotency-key': 'abcde' } });
    expect(short.body).toEqual({ type: 'invalid_request', message: 'Idempotency key is too short. Must be at least 6 characters long.' });
    const long: ErrorAnswer = await call('POST', '/customers', { body: { name: 'A' }, headers: { 'idempotency-key': 'k'.repeat(65) } });
    expect(long.body).toEqual({ type: 'invalid_request', message: 'Idempotency key is too long. Must be no longer than 64 characters.' });
  });

  it('replays the status and body of the first answer, and no header of its own', async () => {
    const { call } = arrange();
    const headers = { 'idempotency-key': 'create-once-1' };
    const first = await call('POST', '/customers', { body: { name: 'A' }, headers });
    const replay = await call('POST', '/customers', { body: { name: 'B' }, headers });
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(Object.keys(replay.headers).sort()).toEqual(Object.keys(first.headers).sort());
  });
});

describe('Invoiced request bodies', () => {
  it("accepts a form-encoded body with bracketed fields, as the reference's curl examples send", async () => {
    const { call, state, acme, invoice } = arrange();
    const form = `customer=${acme.id}&amount=40&method=check&reference=1450&applied_to%5B0%5D%5Btype%5D=invoice&applied_to%5B0%5D%5Bamount%5D=40&applied_to%5B0%5D%5Binvoice%5D=${invoice.id}`;
    const answer = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', {
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ amount: 40, method: 'check', reference: '1450', applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 40 }] });
    expect(state.get('invoices', invoice.id)?.balance).toBe(0);
  });

  it('reads a JSON body only when it is sent as application/json', async () => {
    const { call, state } = arrange();
    const answer: ErrorAnswer = await call('POST', '/customers', { body: '{"name":"Acme"}', headers: { 'content-type': 'text/plain' } });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('name');
    expect(state.count('customers')).toBe(1);
    expect((await call('POST', '/customers', { body: '{"name":"Acme"}', headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
  });
});

describe('Invoiced authentication', () => {
  it('accepts an OAuth access token as Authorization: Bearer, and the API key as Basic user name', async () => {
    const { call, state } = arrange();
    const token = state.issueAccessToken();
    expect((await call('GET', '/payments', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await call('GET', '/payments', { headers: { authorization: basic() } })).status).toBe(200);
  });

  it('refuses a bearer token it did not issue, the API key included', async () => {
    const { call } = arrange();
    const answer: ErrorAnswer = await call('GET', '/payments', { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe('invalid_request');
  });

  it('words the refusal of a missing, wrong or misplaced API key as Invoiced does', async () => {
    const { call } = arrange();
    const missing: ErrorAnswer = await call('GET', '/payments', { anonymous: true });
    expect(missing.body.message).toBe('Missing API key! HINT: You can pass in your API key as the username parameter using HTTP Basic Auth.');
    const wrong: ErrorAnswer = await call('GET', '/payments', { headers: { authorization: basic('sk_live_abcdefghij') } });
    expect(wrong.body.message).toBe('We could not authenticate you with the API Key: sk_************hij');
    const withPassword: ErrorAnswer = await call('GET', '/payments', { headers: { authorization: basic('acme-co', 'secret') } });
    expect(withPassword.body.message).toBe('We did not find an account matching the username: acme-co');
    expect(withPassword.headers['www-authenticate']).toBe('Basic realm="Invoiced"');
  });
});

describe('Invoiced pagination', () => {
  it('names its links self, first, previous, next and last, as the reference shows', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 7; index += 1) state.insert('customers', { name: `C${index}` });
    const answer = await call('GET', '/customers?per_page=2&page=2');
    const rel = links(answer.headers.link);
    expect([...rel.keys()]).toEqual(['self', 'first', 'previous', 'next', 'last']);
    expect(rel.get('self')).toBe('https://api.sandbox.invoiced.com/customers?page=2&per_page=2');
    expect(rel.get('previous')).toBe('https://api.sandbox.invoiced.com/customers?page=1&per_page=2');
    expect(rel.get('last')).toBe('https://api.sandbox.invoiced.com/customers?page=4&per_page=2');
  });

  it('gives no next link on the last page, and leaves the default per_page out of links', async () => {
    const { call, state } = createHarness();
    state.insert('customers', { name: 'Only' });
    const rel = links((await call('GET', '/customers')).headers.link);
    expect([...rel.keys()]).toEqual(['self', 'first', 'last']);
    expect(rel.get('self')).toBe('https://api.sandbox.invoiced.com/customers?page=1');
  });

  it('serves at most 100 per page: a larger per_page is lowered to 100, not refused', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 101; index += 1) state.insert('customers', { name: `C${index}` });
    const answer = await call<unknown[]>('GET', '/customers?per_page=500');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(100);
    expect(links(answer.headers.link).get('next')).toBe('https://api.sandbox.invoiced.com/customers?page=2');
  });

  it('reads page and per_page as integers the way Invoiced does: 0 or less is the first page or the default size', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 3; index += 1) state.insert('customers', { name: `C${index}` });
    expect((await call<unknown[]>('GET', '/customers?page=0&per_page=0')).body).toHaveLength(3);
    expect((await call<unknown[]>('GET', '/customers?page=-2&per_page=2')).body).toHaveLength(2);
  });

  it('pages by cursor when sorted by ID: a record deleted after page 1 was read does not shift page 2', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 6; index += 1) state.insert('customers', { name: `C${index}` });
    const first = await call<{ id: number }[]>('GET', '/customers?per_page=2');
    expect(first.body.map((customer) => customer.id)).toEqual([1, 2]);
    state.delete('customers', 1);
    const second = await call<{ id: number }[]>('GET', '/customers?per_page=2&page=2');
    expect(second.body.map((customer) => customer.id)).toEqual([3, 4]);
  });

  it('refuses a page 10,000 records deep unless the page before it was read, as Invoiced pages by cursor there', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 10_001; index += 1) state.insert('customers', { name: `C${index}` });
    const early: ErrorAnswer = await call('GET', '/customers?page=101');
    expect(early.status).toBe(400);
    expect(early.body).toEqual({ type: 'invalid_request', message: 'You must retrieve all preceding page numbers before retrieving this page.' });
    expect((await call('GET', '/customers?page=100')).status).toBe(200);
    const deep = await call<{ id: number }[]>('GET', '/customers?page=101');
    expect(deep.body.map((customer) => customer.id)).toEqual([10_001]);
    // Sorted by another field, Invoiced pages by offset at any depth.
    expect((await call('GET', '/customers?page=101&sort=updated_at%20ASC')).status).toBe(200);
  });
});
