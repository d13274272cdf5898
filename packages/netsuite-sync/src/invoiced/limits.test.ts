/**
 * The Invoiced client's time limits and redirects, against real loopback servers: a request has an
 * overall deadline (headers, body, retries and waits together), a long `Retry-After` is not waited for,
 * and a redirect is never followed, so another host neither gets the API key nor supplies data.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { answerJson, endlessBody, neverAnswers, redirectTo, testServers, timed } from '../internal/test-servers';
import { InvoicedApiError, InvoicedRateLimitError, InvoicedTimeoutError } from './errors';
import { API_KEY, API_KEY_BASIC, customerJson, makeClient } from './test-support';

const serve = testServers();

describe('deadline', () => {
  it('fails a request the server never answers when the deadline passes, and closes its connection', async () => {
    const server = await serve(neverAnswers());
    const client = makeClient({ baseUrl: server.url, timeoutMs: 5000, deadlineMs: 250 });
    const { error, ms } = await timed(() => client.customers.retrieve(1));
    expect(error).toBeInstanceOf(InvoicedTimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'INVOICED_DEADLINE_EXCEEDED', method: 'GET', path: '/customers/1' });
    expect((error as Error).message).toBe('Invoiced GET /customers/1 did not complete within its deadline of 250 ms (1 attempt).');
    expect((error as InvoicedTimeoutError).resolution).toContain('deadlineMs');
    expect(ms).toBeGreaterThanOrEqual(240);
    expect(ms).toBeLessThan(1500);
    await server.requests[0]?.closed;
    expect(client.stats.inFlight).toBe(0);
  });

  it('fails a body that never ends when the deadline passes, and stops reading it', async () => {
    const server = await serve(endlessBody());
    const client = makeClient({ baseUrl: server.url, timeoutMs: 5000, deadlineMs: 250 });
    const { error, ms } = await timed(() => client.customers.list().toArray());
    expect(error).toMatchObject({ name: 'InvoicedTimeoutError', kind: 'timeout', code: 'INVOICED_DEADLINE_EXCEEDED' });
    expect(ms).toBeLessThan(1500);
    await server.requests[0]?.closed;
    expect(server.requests).toHaveLength(1);
  });

  it('bounds a write and its retries by the deadline', async () => {
    const server = await serve(neverAnswers());
    const client = makeClient({ baseUrl: server.url, timeoutMs: 100, deadlineMs: 250, retries: { retries: 10, minDelayMs: 1, maxDelayMs: 5 } });
    const { error, ms } = await timed(() => client.customers.create({ name: 'Acme' }));
    expect(server.requests.length).toBeGreaterThan(1);
    expect(ms).toBeLessThan(1500);
    // The deadline passes during an attempt (the cause is the attempt before's timeout), or, on a loaded
    // machine, no back-off fits before it and the last attempt's own timeout is thrown at once.
    expect(error).toBeInstanceOf(InvoicedTimeoutError);
    const { code, cause } = error as InvoicedTimeoutError;
    expect(['INVOICED_DEADLINE_EXCEEDED', 'INVOICED_TIMEOUT']).toContain(code);
    if (code === 'INVOICED_DEADLINE_EXCEEDED') expect(cause).toMatchObject({ code: 'INVOICED_TIMEOUT' });
  });

  it('does not count the wait for a concurrency slot before the first attempt', async () => {
    const server = await serve((request, response) => {
      setTimeout(() => answerJson(customerJson())(request, response), 150);
    });
    const client = makeClient({ baseUrl: server.url, concurrency: 1, deadlineMs: 300 });
    const results = await Promise.all([client.customers.retrieve(1), client.customers.retrieve(2), client.customers.retrieve(3)]);
    expect(results).toHaveLength(3);
  });

  it('validates deadlineMs', () => {
    for (const deadlineMs of [0, -1, Number.NaN, 2 ** 31]) {
      expect(() => makeClient({ deadlineMs })).toThrow(ConfigurationError);
    }
  });
});

describe('Retry-After', () => {
  it('fails at once with the rate-limit error when Retry-After is longer than maxRetryAfterMs', async () => {
    const server = await serve(answerJson({ type: 'rate_limit_error', message: 'Slow down' }, 429, { 'retry-after': '3600' }));
    const { error, ms } = await timed(() => createWithDefaults(server.url));
    expect(error).toBeInstanceOf(InvoicedRateLimitError);
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 3_600_000 });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1000);
  });

  it('fails at once when waiting for Retry-After would pass the deadline', async () => {
    const server = await serve(answerJson({ type: 'rate_limit_error', message: 'Slow down' }, 429, { 'retry-after': '5' }));
    const client = makeClient({ baseUrl: server.url, deadlineMs: 1000, retries: { retries: 4, maxRetryAfterMs: 10_000 } });
    const { error, ms } = await timed(() => client.customers.retrieve(1));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 5000 });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(800);
  });
});

/** A create with the client's default retry policy (the one callers get). */
function createWithDefaults(baseUrl: string): Promise<unknown> {
  return makeClient({ baseUrl, retries: undefined }).customers.create({ name: 'Acme' });
}

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('refuses a %i to another host: it receives nothing and its answer is not used', async (status) => {
    const elsewhere = await serve(answerJson(customerJson({ id: 1, name: 'Not from Invoiced' })));
    const server = await serve(redirectTo(`${elsewhere.url}/customers/1?token=abc123`, status));
    const error = await makeClient({ baseUrl: server.url }).customers.retrieve(1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedApiError);
    expect(error).toMatchObject({ kind: 'invalid_response', code: 'INVOICED_REDIRECT_NOT_FOLLOWED', status });
    expect((error as Error).message).toBe(
      `Invoiced GET /customers/1 answered with a redirect (${status}) to ${elsewhere.url}; redirects are not followed.`,
    );
    expect((error as InvoicedApiError).resolution).toContain('baseUrl');
    expect(JSON.stringify((error as InvoicedApiError).toJSON())).not.toContain('abc123');
    expect(elsewhere.requests).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.authorization).toBe(`Basic ${API_KEY_BASIC}`);
  });

  it('refuses a redirect in the middle of a list, and one within the same host too', async () => {
    const server = await serve((request, response) => {
      if (request.url?.includes('page=2')) redirectTo('/customers?page=3', 302)(request, response);
      else answerJson([customerJson({ id: 1 })], 200, { link: `<${serverUrl()}/customers?page=2>; rel="next"` })(request, response);
    });
    const serverUrl = () => server.url;
    const error = await makeClient({ baseUrl: server.url }).customers.list({ perPage: 1 }).toArray().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'invalid_response', code: 'INVOICED_REDIRECT_NOT_FOLLOWED', status: 302 });
    expect(server.requests.map((request) => request.url)).toEqual(['/customers?page=1&per_page=1', '/customers?page=2']);
    expect(JSON.stringify(server.requests)).not.toContain(API_KEY);
  });
});
