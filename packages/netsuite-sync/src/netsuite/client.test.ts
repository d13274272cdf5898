import { delay, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../errors';
import { tokenBasedAuth } from './auth';
import { createNetSuiteClient, type NetSuiteClientOptions } from './client';
import {
  NetSuiteAuthenticationError,
  NetSuiteInvalidRequestError,
  NetSuiteRateLimitError,
  NetSuiteServerError,
  NetSuiteTimeoutError,
} from './errors';
import {
  ACCOUNT_ID,
  BASE_URL,
  CONCURRENCY_LIMIT_BODY,
  errorBody,
  FAST_RETRIES,
  netSuiteError,
  recordingLogger,
  rejectionOf,
  route,
  TBA_CREDENTIALS,
  tbaClient,
  tbaVerifier,
  useMockServer,
  wait,
  type ReceivedRequest,
} from './test-support';

const server = useMockServer();
const CUSTOMER = '/services/rest/record/v1/customer';
const SUITEQL = '/services/rest/query/v1/suiteql';

describe('createNetSuiteClient: host and realm', () => {
  it("sends a sandbox account's requests to its lower-case hyphenated host, signed with the upper-case realm", async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('GET', `${CUSTOMER}/7`, () => HttpResponse.json({ id: '7' }), { log }));
    const client = tbaClient();
    expect(client.baseUrl).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    await expect(client.request('GET', `${CUSTOMER}/7`)).resolves.toMatchObject({ status: 200, data: { id: '7' } });
    expect(log[0]?.url.origin).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    expect(log[0]?.headers.get('authorization')).toMatch(/^OAuth realm="1234567_SB1", /);
  });

  it.each(['https://proxy.example.test/netsuite', 'https://proxy.example.test/netsuite/'])('uses the baseUrl override %s and still signs with the account realm', async (baseUrl) => {
    const log: ReceivedRequest[] = [];
    server.use(route('GET', `${CUSTOMER}/7`, () => HttpResponse.json({ id: '7' }), { log, baseUrl: 'https://proxy.example.test/netsuite' }));
    const client = tbaClient({ baseUrl });
    expect(client.baseUrl).toBe('https://proxy.example.test/netsuite');
    await client.request('GET', `${CUSTOMER}/7`, { query: { fields: 'id' } });
    expect(log.map((request) => request.url.href)).toEqual([`https://proxy.example.test/netsuite${CUSTOMER}/7?fields=id`]);
  });

  it.each(['acme', '1234567.app.netsuite.com', 'https://1234567.suitetalk.api.netsuite.com', '1234567_XX1', ''])(
    'refuses the account ID %j at construction with INVALID_ACCOUNT_ID',
    (accountId) => {
      expect(() => tbaClient({ accountId })).toThrow(ConfigurationError);
      expect(() => tbaClient({ accountId })).toThrow(
        expect.objectContaining({ code: 'INVALID_ACCOUNT_ID', resolution: expect.stringContaining('Company Information') as unknown }) as Error,
      );
    },
  );

  it.each<[string, Partial<NetSuiteClientOptions>, string]>([
    ['concurrency 0', { concurrency: 0 }, 'concurrency'],
    ['a fractional concurrency', { concurrency: 2.5 }, 'concurrency'],
    ['timeoutMs -1', { timeoutMs: -1 }, 'timeoutMs'],
    ['no auth', { auth: undefined }, 'auth'],
    ['a non-http baseUrl', { baseUrl: 'ftp://example.test' }, 'baseUrl'],
    ['negative retries', { retries: -1 }, 'retries.retries'],
  ])('refuses %s with a ConfigurationError naming the option', (_, options, path) => {
    expect(() => tbaClient(options)).toThrow(ConfigurationError);
    expect(() => tbaClient(options)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path })] }) as Error);
  });
});

describe('token-based signing through the client', () => {
  it("signs every query parameter, including values with spaces, quotes, !'()*, + & = % and unicode, and repeated keys", async () => {
    const log: ReceivedRequest[] = [];
    const refusals: string[] = [];
    server.use(route('GET', CUSTOMER, () => HttpResponse.json({ items: [], hasMore: false }), { log, refusals }));
    const q = `companyName START_WITH "O'Brien (UK)!*" AND x IS 'a+b&c=d%20' ü € 漢字 🙂`;
    await tbaClient().request('GET', CUSTOMER, { query: { q, limit: 10, offset: 20, tag: ['b', 'a'], empty: '' } });
    expect(refusals).toEqual([]);
    const url = log[0]?.url;
    expect(url?.search).toContain("q=companyName%20START_WITH%20%22O%27Brien%20%28UK%29%21%2A%22");
    expect(url?.searchParams.get('q')).toBe(q);
    expect(url?.searchParams.getAll('tag')).toEqual(['b', 'a']);
    expect(log[0]?.headers.get('authorization')).not.toMatch(/limit|offset|tag|q=/);
  });

  it('signs a SuiteQL POST with limit and offset but not its JSON body', async () => {
    const refusals: string[] = [];
    server.use(route('POST', SUITEQL, () => HttpResponse.json({ items: [], hasMore: false }), { refusals }));
    await tbaClient().request('POST', SUITEQL, { query: { limit: 5, offset: 10 }, body: { q: 'SELECT id FROM customer' }, headers: { Prefer: 'transient' } });
    expect(refusals).toEqual([]);
  });

  it('percent-encodes consumer and token secrets in the signing key', async () => {
    const credentials = { ...TBA_CREDENTIALS, consumerSecret: 'cs&+/= ü!secret', tokenSecret: "ts%20'()*&secret" };
    const refusals: string[] = [];
    server.use(route('GET', `${CUSTOMER}/1`, () => HttpResponse.json({ id: '1' }), { refusals, verify: tbaVerifier({ credentials }) }));
    await createNetSuiteClient({ accountId: ACCOUNT_ID, auth: tokenBasedAuth(credentials), retries: FAST_RETRIES }).request('GET', `${CUSTOMER}/1`);
    expect(refusals).toEqual([]);
  });

  it('signs each retry anew (NetSuite refuses a reused nonce)', async () => {
    const refusals: string[] = [];
    let calls = 0;
    server.use(route('GET', `${CUSTOMER}/1`, () => (++calls === 1 ? netSuiteError(503, errorBody(503, 'UNEXPECTED_ERROR', 'busy')) : HttpResponse.json({ id: '1' })), { refusals }));
    await expect(tbaClient().request('GET', `${CUSTOMER}/1`)).resolves.toMatchObject({ data: { id: '1' } });
    expect({ calls, refusals }).toEqual({ calls: 2, refusals: [] });
  });

  it('is checked by a test server that refuses an unsigned query parameter or a wrong realm', async () => {
    const refusals: string[] = [];
    server.use(route('GET', `${CUSTOMER}/1`, () => HttpResponse.json({ id: '1' }), { refusals }));
    const addUnsignedParameter: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      url.searchParams.append('unsigned', 'x');
      return fetch(new Request(url, request));
    };
    await expect(tbaClient({ fetch: addUnsignedParameter, retries: 0 }).request('GET', `${CUSTOMER}/1`)).rejects.toBeInstanceOf(NetSuiteAuthenticationError);
    await expect(tbaClient({ accountId: '1234567_SB2', baseUrl: BASE_URL }).request('GET', `${CUSTOMER}/1`)).rejects.toBeInstanceOf(NetSuiteAuthenticationError);
    expect(refusals).toEqual(['signature mismatch', 'wrong realm 1234567_SB2']);
  });

  it('surfaces a bad signature as INVALID_LOGIN with a resolution naming the realm and the Login Audit Trail, without retrying', async () => {
    const log: ReceivedRequest[] = [];
    const refusals: string[] = [];
    server.use(route('GET', `${CUSTOMER}/1`, () => HttpResponse.json({ id: '1' }), { log, refusals }));
    const auth = tokenBasedAuth({ ...TBA_CREDENTIALS, tokenSecret: 'ts-wrong-secret-0000000000000000' });
    const error = await rejectionOf(tbaClient({ auth, retries: { ...FAST_RETRIES, retries: 4 } }).request('GET', `${CUSTOMER}/1`));
    expect(error).toBeInstanceOf(NetSuiteAuthenticationError);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN', status: 401, requestId: 'op-401', method: 'GET', path: `${CUSTOMER}/1` });
    expect((error as NetSuiteAuthenticationError).resolution).toContain('realm 1234567_SB1');
    expect((error as NetSuiteAuthenticationError).resolution).toContain('Login Audit Trail');
    expect(refusals).toEqual(['signature mismatch']);
    expect(log).toHaveLength(1);
  });
});

describe('request()', () => {
  it('returns status, data, Location, the ID in it and the request ID from x-n-operationid', async () => {
    server.use(
      route('GET', `${CUSTOMER}/7`, () => HttpResponse.json({ id: '7', companyName: 'Acme' }, { headers: { 'x-n-operationid': 'op-get-7' } })),
      route('POST', CUSTOMER, () => new HttpResponse(null, { status: 204, headers: { location: `${BASE_URL}${CUSTOMER}/1234`, 'x-n-operationid': 'op-post' } })),
    );
    const client = tbaClient();
    await expect(client.request('GET', `${CUSTOMER}/7`)).resolves.toMatchObject({
      status: 200,
      data: { id: '7', companyName: 'Acme' },
      location: undefined,
      id: undefined,
      requestId: 'op-get-7',
    });
    await expect(client.request('POST', CUSTOMER, { body: { companyName: 'Acme' } })).resolves.toMatchObject({
      status: 204,
      data: undefined,
      location: `${BASE_URL}${CUSTOMER}/1234`,
      id: '1234',
      requestId: 'op-post',
    });
  });

  it('sends a JSON body as application/json and asks for JSON', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('PATCH', `${CUSTOMER}/7`, () => new HttpResponse(null, { status: 204 }), { log }));
    await tbaClient().request('PATCH', `${CUSTOMER}/7`, { body: { companyName: 'Ünïcode "Co"' } });
    expect(log[0]?.headers.get('content-type')).toBe('application/json');
    expect(log[0]?.headers.get('accept')).toBe('application/json');
    expect(JSON.parse(log[0]?.body ?? '')).toEqual({ companyName: 'Ünïcode "Co"' });
  });

  it.each([`services${CUSTOMER}`, `${CUSTOMER}?limit=5`, `${CUSTOMER}/../employee`, ''])('refuses the path %j before sending anything', async (path) => {
    const error = await rejectionOf(tbaClient().request('GET', path));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('retries and governance', () => {
  it.each([5, 3])('never has more than concurrency=%i requests in flight', async (concurrency) => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.use(
      route('GET', /^\/services\/rest\/record\/v1\/customer\/\d+$/, async (request) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await delay(15);
        inFlight -= 1;
        return HttpResponse.json({ id: request.url.pathname.split('/').pop() });
      }),
    );
    const client = tbaClient({ concurrency });
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => client.request('GET', `${CUSTOMER}/${index}`)));
    expect(results.map((result) => result.data)).toEqual(Array.from({ length: 40 }, (_, index) => ({ id: String(index) })));
    expect(maxInFlight).toBe(concurrency);
    expect(client.stats).toEqual({ inFlight: 0, peakInFlight: concurrency, queued: 0 });
  });

  it("retries NetSuite's 429 CONCURRENCY_LIMIT_EXCEEDED with back-off until it succeeds", async () => {
    let calls = 0;
    server.use(route('GET', `${CUSTOMER}/1`, () => (++calls <= 2 ? netSuiteError(429, CONCURRENCY_LIMIT_BODY) : HttpResponse.json({ id: '1' }))));
    const logger = recordingLogger();
    await expect(tbaClient({ logger }).request('GET', `${CUSTOMER}/1`)).resolves.toMatchObject({ data: { id: '1' } });
    expect(calls).toBe(3);
    const retries = logger.calls.filter((call) => call.level === 'warn');
    expect(retries.map((call) => call.fields)).toEqual([
      expect.objectContaining({ attempt: 1, kind: 'rate_limit', code: 'CONCURRENCY_LIMIT_EXCEEDED', delayMs: expect.any(Number) as unknown }),
      expect.objectContaining({ attempt: 2, kind: 'rate_limit', code: 'CONCURRENCY_LIMIT_EXCEEDED', delayMs: expect.any(Number) as unknown }),
    ]);
    expect(retries.every((call) => ((call.fields as { delayMs: number }).delayMs) >= 1)).toBe(true);
  });

  it('gives up on 429 after retries + 1 attempts with NetSuiteRateLimitError', async () => {
    let calls = 0;
    server.use(route('POST', CUSTOMER, () => (calls++, netSuiteError(429, errorBody(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.')))));
    const error = await rejectionOf(tbaClient({ retries: { ...FAST_RETRIES, retries: 3 } }).request('POST', CUSTOMER, { body: {} }));
    expect(error).toBeInstanceOf(NetSuiteRateLimitError);
    expect(error).toMatchObject({ code: 'CONCURRENCY_LIMIT_EXCEEDED', status: 429 });
    expect(calls).toBe(4);
  });

  it('waits at least Retry-After before the next attempt', async () => {
    const times: number[] = [];
    server.use(route('GET', `${CUSTOMER}/1`, () => (times.push(performance.now()), times.length === 1 ? netSuiteError(429, errorBody(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'blocked'), { 'retry-after': '0.25' }) : HttpResponse.json({ id: '1' }))));
    await tbaClient().request('GET', `${CUSTOMER}/1`);
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(240);
  });

  it('retries 5xx for a GET, but not for a POST unless it is marked idempotent', async () => {
    const statuses = [502, 503, 200];
    let gets = 0;
    let posts = 0;
    server.use(
      route('GET', `${CUSTOMER}/1`, () => { const status = statuses[gets++] ?? 200; return status === 200 ? HttpResponse.json({ id: '1' }) : netSuiteError(status, errorBody(status, 'UNEXPECTED_ERROR', 'oops')); }),
      route('POST', CUSTOMER, () => (posts++, netSuiteError(500, errorBody(500, 'UNEXPECTED_ERROR', 'oops')))),
    );
    const client = tbaClient();
    await expect(client.request('GET', `${CUSTOMER}/1`)).resolves.toMatchObject({ data: { id: '1' } });
    expect(gets).toBe(3);
    await expect(client.request('POST', CUSTOMER, { body: {} })).rejects.toBeInstanceOf(NetSuiteServerError);
    expect(posts).toBe(1);
    await expect(client.request('POST', CUSTOMER, { body: {}, idempotent: true })).rejects.toBeInstanceOf(NetSuiteServerError);
    expect(posts).toBe(1 + 3);
  });

  it.each([
    ['USER_ERROR', 'Invalid value for the field currency.', 'currency'],
    ['NONEXISTENT_FIELD', 'Record field custbody_x does not exist.', 'custbody_x'],
  ])('never retries 400 %s and keeps its details and error path', async (code, detail, errorPath) => {
    let calls = 0;
    server.use(route('PUT', `${CUSTOMER}/eid:c-1`, () => (calls++, netSuiteError(400, errorBody(400, code, detail, { 'o:errorPath': errorPath })))));
    const error = await rejectionOf(tbaClient().request('PUT', `${CUSTOMER}/eid:c-1`, { body: {} }));
    expect(error).toBeInstanceOf(NetSuiteInvalidRequestError);
    expect(error).toMatchObject({ code, status: 400, detail, errorPath, details: [{ code, detail, path: errorPath, queryParam: undefined }] });
    expect((error as Error).message).toContain(detail);
    expect(calls).toBe(1);
  });
});

describe('cancellation and timeouts', () => {
  it('rejects at once with the abort reason when aborted while queued, and never sends the request', async () => {
    const log: ReceivedRequest[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    server.use(route('GET', /^\/services\/rest\/record\/v1\/customer\/\d$/, async () => (await released, HttpResponse.json({ id: '1' })), { log }));
    const client = tbaClient({ concurrency: 1 });
    const first = client.request('GET', `${CUSTOMER}/1`);
    const controller = new AbortController();
    const second = client.request('GET', `${CUSTOMER}/2`, { signal: controller.signal });
    await vi.waitFor(() => expect(client.stats.queued).toBe(1));
    const reason = new Error('user cancelled');
    const started = performance.now();
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(250);
    release();
    await first;
    await wait(20);
    expect(log.map((request) => request.url.pathname)).toEqual([`${CUSTOMER}/1`]);
    expect(client.stats).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('rejects with the abort reason when aborted in flight', async () => {
    server.use(route('GET', `${CUSTOMER}/1`, async () => (await delay(2000), HttpResponse.json({ id: '1' }))));
    const controller = new AbortController();
    const pending = tbaClient().request('GET', `${CUSTOMER}/1`, { signal: controller.signal });
    await wait(30);
    const reason = new Error('shutting down');
    const started = performance.now();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('stops retrying when aborted during the back-off wait', async () => {
    let calls = 0;
    server.use(route('GET', `${CUSTOMER}/1`, () => (calls++, netSuiteError(503, errorBody(503, 'UNEXPECTED_ERROR', 'busy')))));
    const controller = new AbortController();
    const pending = tbaClient({ retries: { retries: 5, minDelayMs: 250, maxDelayMs: 250 } }).request('GET', `${CUSTOMER}/1`, { signal: controller.signal });
    await vi.waitFor(() => expect(calls).toBe(1));
    await wait(20);
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await wait(300);
    expect(calls).toBe(1);
  });

  it('fails with NetSuiteTimeoutError after retrying a GET that never answers in time', async () => {
    let calls = 0;
    server.use(route('GET', `${CUSTOMER}/1`, async () => (calls++, await delay(500), HttpResponse.json({ id: '1' }))));
    const started = performance.now();
    const error = await rejectionOf(tbaClient({ timeoutMs: 50 }).request('GET', `${CUSTOMER}/1`));
    expect(error).toBeInstanceOf(NetSuiteTimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined, method: 'GET', path: `${CUSTOMER}/1` });
    expect(calls).toBe(FAST_RETRIES.retries + 1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('does not repeat a POST that timed out (it may have been applied)', async () => {
    let calls = 0;
    server.use(route('POST', CUSTOMER, async () => (calls++, await delay(300), new HttpResponse(null, { status: 204 }))));
    await expect(tbaClient({ timeoutMs: 50 }).request('POST', CUSTOMER, { body: {} })).rejects.toBeInstanceOf(NetSuiteTimeoutError);
    expect(calls).toBe(1);
  });
});
