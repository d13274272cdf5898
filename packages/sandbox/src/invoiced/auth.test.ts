import { describe, expect, it } from 'vitest';
import { basic, createHarness, type ErrorAnswer } from './test-support';

describe('Invoiced Basic auth', () => {
  it('accepts the API key as user name with an empty password', async () => {
    const { call } = createHarness();
    const answer = await call('GET', '/customers');
    expect(answer.status).toBe(200);
  });

  it.each([
    ['another key', { authorization: basic('sk_test_someone_else') }],
    ['the right key with a password', { authorization: basic(undefined, 'secret') }],
    ['the API key as a Bearer token', { authorization: 'Bearer sk_test_sandbox_4Yb8Qn2Lw7' }],
    ['a malformed Basic header', { authorization: 'Basic !!!not-base64' }],
    ['credentials without a colon', { authorization: `Basic ${Buffer.from('sk_test_sandbox_4Yb8Qn2Lw7').toString('base64')}` }],
  ])('refuses %s with 401 invalid_request', async (_label, headers) => {
    const { call } = createHarness();
    const answer: ErrorAnswer = await call('GET', '/customers', { headers });
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe('invalid_request');
    expect(Object.keys(answer.body)).toEqual(['type', 'message']);
    expect(answer.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('refuses a request without credentials before doing any work', async () => {
    const { call, state } = createHarness();
    const answer: ErrorAnswer = await call('POST', '/customers', { anonymous: true, body: { name: 'Acme' } });
    expect(answer.status).toBe(401);
    expect(state.count('customers')).toBe(0);
  });

  it('refuses an unauthenticated idempotent write without keeping its answer for the key', async () => {
    const { call, state } = createHarness();
    const headers = { 'idempotency-key': 'key-auth-001' };
    expect((await call('POST', '/customers', { body: { name: 'Acme' }, headers: { ...headers, authorization: basic('wrong_key') } })).status).toBe(401);
    const retried = await call('POST', '/customers', { body: { name: 'Acme' }, headers });
    expect(retried.status).toBe(201);
    expect(state.idempotencyLog()).toEqual([{ key: 'key-auth-001', method: 'POST', path: '/customers', replayed: false }]);
  });

  it('refuses to start without an API key', async () => {
    const { createInvoicedService } = await import('./service');
    expect(() => createInvoicedService({ apiKey: '' })).toThrow(TypeError);
  });
});
