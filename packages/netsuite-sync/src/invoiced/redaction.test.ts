import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../options';
import { createInvoicedClient } from './client';
import { API_KEY, API_KEY_BASIC, PRODUCTION, customerJson, errorJson, makeClient, useMswServer } from './test-support';

const server = useMswServer();

/** Every form the key could leak in. */
const FORBIDDEN = [API_KEY, API_KEY_BASIC, Buffer.from(API_KEY).toString('base64'), encodeURIComponent(API_KEY)];

function everyRendering(error: unknown): string[] {
  const renderings: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    renderings.push(JSON.stringify(current) ?? '', inspect(current, { depth: 10 }));
    if (current instanceof Error) {
      renderings.push(String(current), current.stack ?? '', current.message);
      current = current.cause;
    } else {
      current = undefined;
    }
  }
  return renderings;
}

function expectNoKey(texts: readonly string[]): void {
  for (const text of texts) {
    for (const form of FORBIDDEN) expect(text).not.toContain(form);
  }
}

function recordingLogger(): { logger: Logger; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record = (level: string) => (...args: unknown[]) => calls.push([level, ...args]);
  return { logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, calls };
}

describe('secret redaction', () => {
  it('keeps the API key out of every error, cause and log line', async () => {
    const { logger, calls } = recordingLogger();
    const errors: unknown[] = [];
    const keysSeen: (string | null)[] = [];
    const capture = async (promise: Promise<unknown>) => {
      await promise.then(
        () => errors.push(new Error('expected a failure')),
        (error: unknown) => errors.push(error),
      );
    };
    const echo = `Invalid API key: ${API_KEY} (Basic ${API_KEY_BASIC})`;
    server.use(
      http.get(`${PRODUCTION}/customers/401`, ({ request }) => {
        keysSeen.push(request.headers.get('authorization'));
        return HttpResponse.json(errorJson('invalid_request', echo, API_KEY), { status: 401 });
      }),
      http.get(`${PRODUCTION}/customers/500`, () =>
        HttpResponse.json(errorJson('api_error', `Crashed handling key ${API_KEY}. Correlation ID: abc-123-def`), { status: 500 }),
      ),
      http.get(`${PRODUCTION}/customers/400`, () => HttpResponse.json(errorJson(API_KEY, echo, API_KEY_BASIC), { status: 400 })),
      http.get(`${PRODUCTION}/customers/drop`, () => HttpResponse.error()),
      http.get(`${PRODUCTION}/customers/slow`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return HttpResponse.json(customerJson());
      }),
      http.get(`${PRODUCTION}/customers/garbled`, () => new HttpResponse(`{"api_key": "${API_KEY}"`, { status: 200 })),
      http.get(`${PRODUCTION}/customers/7`, () => HttpResponse.json(customerJson({ id: undefined, name: API_KEY, number: API_KEY_BASIC }))),
      http.get(`${PRODUCTION}/customers`, () =>
        HttpResponse.json([customerJson()], { headers: { link: `<https://evil.example.test/customers?api_key=${API_KEY}>; rel="next"` } }),
      ),
    );

    const client = makeClient({ logger, timeoutMs: 40 });
    await capture(client.request('GET', '/customers/401'));
    await capture(client.request('GET', '/customers/500'));
    await capture(client.request('GET', '/customers/400'));
    await capture(client.request('GET', '/customers/drop'));
    await capture(client.request('GET', '/customers/slow'));
    await capture(client.request('GET', '/customers/garbled'));
    await capture(client.customers.retrieve(7));
    await capture(client.customers.list().toArray());

    // A fetch that puts the key and the Authorization header into its own error and cause chain.
    const leakyFetch: typeof fetch = (input) => {
      const request = input instanceof Request ? input : new Request(input);
      const inner = new Error(`socket closed for ${API_KEY}`);
      return Promise.reject(new TypeError(`proxy refused ${request.headers.get('authorization') ?? ''}`, { cause: inner }));
    };
    await capture(makeClient({ logger, fetch: leakyFetch }).customers.create({ name: 'Acme' }));

    // Bad options that include the key.
    await capture(
      Promise.resolve().then(() =>
        createInvoicedClient({ apiKey: API_KEY, baseUrl: `https://${API_KEY}:x@proxy.test`, concurrency: 50 }),
      ),
    );

    expect(keysSeen).toEqual([`Basic ${API_KEY_BASIC}`]);
    expect(errors).toHaveLength(10);
    expect(errors.map((error) => (error as Error).name)).toEqual([
      'InvoicedAuthenticationError',
      'InvoicedServerError',
      'InvoicedInvalidRequestError',
      'InvoicedConnectionError',
      'InvoicedTimeoutError',
      'ResponseValidationError',
      'ResponseValidationError',
      'InvoicedPaginationError',
      'InvoicedConnectionError',
      'ConfigurationError',
    ]);
    // The echoed key reached the error path and was masked there, not dropped by accident.
    expect((errors[0] as Error).message).toContain('[REDACTED]');
    expect((errors[8] as Error).cause).toBeInstanceOf(Error);

    for (const error of errors) expectNoKey(everyRendering(error));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.some(([level]) => level === 'warn')).toBe(true);
    expectNoKey(calls.map((call) => `${JSON.stringify(call)} ${inspect(call, { depth: 10 })}`));
  });

  it('keeps the key out of the client object itself', () => {
    const client = makeClient();
    expectNoKey([inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client)]);
  });
});
