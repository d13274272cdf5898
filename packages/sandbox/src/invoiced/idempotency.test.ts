import { describe, expect, it } from 'vitest';
import type { InvoicedCustomerRecord } from './records';
import { copyOf } from './idempotency';
import { createHarness, DAY, type ErrorAnswer } from './test-support';

const key = (value: string) => ({ 'idempotency-key': value });

describe('Invoiced idempotency keys', () => {
  it('replays the first answer to a key, even when the second body differs', async () => {
    const { call, state } = createHarness();
    const first = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Acme' }, headers: key('create-acme-1') });
    const second = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Something else' }, headers: key('create-acme-1') });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(state.count('customers')).toBe(1);
    expect(state.idempotencyLog()).toEqual([
      { key: 'create-acme-1', method: 'POST', path: '/customers', replayed: false },
      { key: 'create-acme-1', method: 'POST', path: '/customers', replayed: true },
    ]);
  });

  it('replays errors too: a request that failed fails again with the same key, even once fixed', async () => {
    const { call, state } = createHarness();
    const failed: ErrorAnswer = await call('POST', '/customers', { body: { email: 'no-name@acme.test' }, headers: key('key-error-1') });
    expect(failed.status).toBe(400);
    const fixed: ErrorAnswer = await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('key-error-1') });
    expect(fixed.status).toBe(400);
    expect(fixed.body).toEqual(failed.body);
    expect(state.count('customers')).toBe(0);
  });

  it('replays on PATCH and void as well, without applying the write twice', async () => {
    const { call, state, advance } = createHarness();
    const customer = state.insert('customers', { name: 'Acme' });
    const first = await call<InvoicedCustomerRecord>('PATCH', `/customers/${customer.id}`, { body: { notes: 'one' }, headers: key('patch-key-1') });
    advance(5);
    const replay = await call<InvoicedCustomerRecord>('PATCH', `/customers/${customer.id}`, { body: { notes: 'two' }, headers: key('patch-key-1') });
    expect(replay.body).toEqual(first.body);
    expect(state.get('customers', customer.id)?.notes).toBe('one');
  });

  it('executes anew under a different key', async () => {
    const { call, state } = createHarness();
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('key-one-1') });
    const second = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Acme' }, headers: key('key-two-2') });
    expect(second.body.id).toBe(2);
    expect(state.idempotencyLog().map((entry) => entry.replayed)).toEqual([false, false]);
    expect(state.count('customers')).toBe(2);
  });

  it('forgets a key after 24 hours by the clock', async () => {
    const { call, state, advance } = createHarness();
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('daily-key-1') });
    advance(DAY - 1);
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('daily-key-1') });
    expect(state.count('customers')).toBe(1);
    advance(1);
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('daily-key-1') });
    expect(state.count('customers')).toBe(2);
    expect(state.idempotencyLog().map((entry) => entry.replayed)).toEqual([false, true, false]);
  });

  it('refuses the header on GET, and keeps nothing for it', async () => {
    const { call, state } = createHarness();
    expect((await call('GET', '/customers', { headers: key('read-key-1') })).status).toBe(400);
    expect(state.idempotencyLog()).toEqual([]);
  });

  it('ignores the header on a request made with an OAuth bearer token, as Invoiced does', async () => {
    const { call, state } = createHarness();
    const authorization = `Bearer ${state.issueAccessToken()}`;
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: { ...key('token-key-1'), authorization } });
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: { ...key('token-key-1'), authorization } });
    expect(state.count('customers')).toBe(2);
    expect((await call('GET', '/customers', { headers: { ...key('token-key-2'), authorization } })).status).toBe(200);
  });

  it.each([
    ['5 characters', 'abcde'],
    ['65 characters', 'k'.repeat(65)],
  ])('refuses a key of %s without doing the write', async (_label, value) => {
    const { call, state } = createHarness();
    const answer: ErrorAnswer = await call('POST', '/customers', { body: { name: 'Acme' }, headers: key(value) });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^Idempotency key is too (short|long)\./);
    expect(state.count('customers')).toBe(0);
  });

  it('accepts keys of exactly 6 and 64 characters', async () => {
    const { call } = createHarness();
    expect((await call('POST', '/customers', { body: { name: 'A' }, headers: key('k'.repeat(6)) })).status).toBe(201);
    expect((await call('POST', '/customers', { body: { name: 'B' }, headers: key('k'.repeat(64)) })).status).toBe(201);
  });

  it('forgets kept answers on reset', async () => {
    const { call, state } = createHarness();
    await call('POST', '/customers', { body: { name: 'Acme' }, headers: key('reset-key-1') });
    state.reset();
    const again = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Acme' }, headers: key('reset-key-1') });
    expect(again.body.id).toBe(1);
    expect(state.idempotencyLog()).toEqual([{ key: 'reset-key-1', method: 'POST', path: '/customers', replayed: false }]);
  });
});

describe('the copy of a kept body', () => {
  it('is what structuredClone makes, for JSON-like bodies and anything else', () => {
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const withProtoKey = JSON.parse('{"metadata":{"__proto__":"x","ok":"y"}}') as unknown;
    const bodies: unknown[] = [
      { id: 1, name: 'Acme', total: 12.5, paid: false, notes: null, gone: undefined, items: [{ amount: -0 }, 'x', 3n], metadata: { netsuite_id: '42' } },
      [1, [2, [3]], { a: [] }],
      // eslint-disable-next-line no-sparse-arrays -- a hole, which structuredClone keeps
      [1, , 3],
      nullPrototype,
      withProtoKey,
      { at: new Date(0), map: new Map([[1, 2]]) },
      'text',
      7,
      null,
      undefined,
    ];
    for (const body of bodies) {
      const copied = copyOf(body);
      expect(copied).toStrictEqual(structuredClone(body));
      if (typeof body === 'object' && body !== null) expect(copied).not.toBe(body);
    }
    expect(Object.keys(copyOf(withProtoKey) as { metadata: object }).length).toBe(1);
    expect(Object.hasOwn((copyOf(withProtoKey) as { metadata: object }).metadata, '__proto__')).toBe(true);
    expect(() => copyOf({ run: () => 1 })).toThrow();
  });

  it('does not change when the answer it was taken from does', () => {
    const body = { id: 1, items: [{ amount: 5 }] };
    const copied = copyOf(body) as typeof body;
    body.items[0]!.amount = 6;
    expect(copied.items[0]!.amount).toBe(5);
  });
});
