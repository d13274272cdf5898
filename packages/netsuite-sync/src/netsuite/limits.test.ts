/**
 * The NetSuite client's time limits and redirects, against real loopback servers: a request has an overall
 * deadline (headers, body, retries and waits together), a long `Retry-After` is not waited for, and a
 * redirect is never followed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { answerJson, endlessBody, neverAnswers, redirectTo, testServers, timed } from '../internal/test-servers';
import { NetSuiteApiError, NetSuiteRateLimitError, NetSuiteTimeoutError } from './errors';
import { TBA_CREDENTIALS, tbaClient } from './test-support';

const CUSTOMER = '/services/rest/record/v1/customer';
const serve = testServers();

describe('deadline', () => {
  it('fails a request the server never answers when the deadline passes, and closes its connection', async () => {
    const server = await serve(neverAnswers());
    const client = tbaClient({ baseUrl: server.url, timeoutMs: 5000, deadlineMs: 250 });
    const { error, ms } = await timed(() => client.request('GET', `${CUSTOMER}/1`));
    expect(error).toBeInstanceOf(NetSuiteTimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', code: 'DEADLINE_EXCEEDED', method: 'GET', path: `${CUSTOMER}/1` });
    expect((error as Error).message).toBe(`NetSuite GET ${CUSTOMER}/1 did not complete within its deadline of 250 ms (1 attempt).`);
    expect((error as NetSuiteTimeoutError).resolution).toContain('deadlineMs');
    expect(ms).toBeGreaterThanOrEqual(240);
    expect(ms).toBeLessThan(1500);
    await server.requests[0]?.closed;
    expect(client.stats.inFlight).toBe(0);
  });

  it('fails a body that never ends when the deadline passes, and stops reading it', async () => {
    const server = await serve(endlessBody());
    const client = tbaClient({ baseUrl: server.url, timeoutMs: 5000, deadlineMs: 250 });
    const { error, ms } = await timed(() => client.request('GET', `${CUSTOMER}/1`));
    expect(error).toMatchObject({ name: 'NetSuiteTimeoutError', kind: 'timeout', code: 'DEADLINE_EXCEEDED' });
    expect(ms).toBeLessThan(1500);
    // The client closed the connection: the server's response is gone, its writes stopped.
    await server.requests[0]?.closed;
    expect(server.requests).toHaveLength(1);
  });

  it('counts retries and their waits: attempts that time out are retried until the deadline', async () => {
    const server = await serve(neverAnswers());
    const client = tbaClient({ baseUrl: server.url, timeoutMs: 100, deadlineMs: 250, retries: { retries: 10, minDelayMs: 1, maxDelayMs: 5 } });
    const { error, ms } = await timed(() => client.request('GET', `${CUSTOMER}/1`));
    expect(server.requests.length).toBeGreaterThan(1);
    expect(ms).toBeLessThan(1500);
    // Usually the deadline passes during the third attempt, whose cause is the second's timeout; on a
    // loaded machine the second may end so late that no back-off fits before the deadline, and its own
    // timeout is thrown at once. Either way: a timeout, within the deadline.
    expect(error).toBeInstanceOf(NetSuiteTimeoutError);
    const { code, cause } = error as NetSuiteTimeoutError;
    expect(['DEADLINE_EXCEEDED', 'TIMEOUT']).toContain(code);
    if (code === 'DEADLINE_EXCEEDED') expect(cause).toMatchObject({ code: 'TIMEOUT' });
  });

  it('frees the concurrency slot of a request that ran out of time', async () => {
    let calls = 0;
    const server = await serve((request, response) => {
      calls += 1;
      if (calls === 1) return; // the first request hangs
      answerJson({ id: '2' })(request, response);
    });
    const client = tbaClient({ baseUrl: server.url, concurrency: 1, timeoutMs: 5000, deadlineMs: 200 });
    const hung = client.request('GET', `${CUSTOMER}/1`).catch((caught: unknown) => caught);
    const next = client.request('GET', `${CUSTOMER}/2`);
    expect(await hung).toBeInstanceOf(NetSuiteTimeoutError);
    await expect(next).resolves.toMatchObject({ data: { id: '2' } });
    expect(client.stats.inFlight).toBe(0);
  });

  it('validates deadlineMs', () => {
    for (const deadlineMs of [0, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => tbaClient({ deadlineMs })).toThrow(ConfigurationError);
    }
  });
});

describe('Retry-After', () => {
  it('fails at once with the rate-limit error when Retry-After is longer than maxRetryAfterMs', async () => {
    const server = await serve(answerJson({ 'o:errorDetails': [{ detail: 'Busy', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }] }, 429, { 'retry-after': '3600' }));
    const { error, ms } = await timed(() => tbaClient({ baseUrl: server.url }).request('GET', `${CUSTOMER}/1`));
    expect(error).toBeInstanceOf(NetSuiteRateLimitError);
    expect(error).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 3_600_000 });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1000);
  });

  it('fails at once when waiting for Retry-After would pass the deadline', async () => {
    const server = await serve(answerJson({}, 429, { 'retry-after': '5' }));
    const client = tbaClient({ baseUrl: server.url, deadlineMs: 1000, retries: { retries: 4, maxRetryAfterMs: 10_000 } });
    const { error, ms } = await timed(() => client.request('GET', `${CUSTOMER}/1`));
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 5000 });
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(800);
  });
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('refuses a %i to another host, which receives nothing', async (status) => {
    const elsewhere = await serve(answerJson({ id: '1', companyName: 'Not NetSuite' }));
    const server = await serve(redirectTo(`${elsewhere.url}/collect?token=abc123`, status));
    const client = tbaClient({ baseUrl: server.url });
    const error = await client.request('GET', `${CUSTOMER}/1`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetSuiteApiError);
    expect(error).toMatchObject({ kind: 'invalid_response', code: 'REDIRECT_NOT_FOLLOWED', status });
    expect((error as Error).message).toBe(
      `NetSuite GET ${CUSTOMER}/1 answered with a redirect (${status}) to ${elsewhere.url}; redirects are not followed.`,
    );
    expect((error as NetSuiteApiError).resolution).toContain('baseUrl');
    expect(JSON.stringify((error as NetSuiteApiError).toJSON())).not.toContain('abc123');
    expect(elsewhere.requests).toEqual([]);
    // Asked once (not retried), signed for its own host only.
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.authorization).toContain(`oauth_consumer_key="${TBA_CREDENTIALS.consumerKey}"`);
  });

  it('refuses a redirect of a write, and one within the same host too', async () => {
    const server = await serve(redirectTo('/services/rest/record/v1/customer/elsewhere', 307));
    const client = tbaClient({ baseUrl: server.url });
    await expect(client.records.create('customer', { companyName: 'Acme' })).rejects.toMatchObject({
      kind: 'invalid_response',
      code: 'REDIRECT_NOT_FOLLOWED',
      message: expect.stringContaining(`to ${server.url};`) as string,
    });
    expect(server.requests.map((request) => request.url)).toEqual([CUSTOMER]);
  });
});
