import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiFailureKind } from '../errors';
import type { Logger } from '../options';
import { Redactor } from './redact';
import { DEFAULT_RETRY } from './policy';
import { Transport, type FailureInfo } from './transport';

/** A transport whose every answer has `status`, and whose error factory gives errors of `kindOfError`. */
function transportWith(status: number, kindOfError: (info: FailureInfo) => ApiFailureKind, extra: { logger?: Logger; onUnauthorized?: () => boolean } = {}) {
  const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ error: 'no' }), { status, headers: { 'content-type': 'application/json' } })));
  const transport = new Transport({
    api: 'netsuite',
    baseUrl: 'https://example.test/api',
    fetch,
    timeoutMs: 1000,
    deadlineMs: 5000,
    retry: { ...DEFAULT_RETRY, retries: 2, minDelayMs: 0, maxDelayMs: 0 },
    concurrency: 1,
    redactor: new Redactor(),
    requestIdHeaders: [],
    toError: (info) => new ApiError('netsuite', `failed with ${info.context.status ?? '-'}`, { ...info.context, code: 'X', kind: kindOfError(info) }),
    authorize: () => ({}),
    ...extra,
  });
  return { transport, fetch };
}

describe('Transport classification', () => {
  it('retries by the kind of the error it throws, not the status alone', async () => {
    // The factory says a 400 of this service is a rate limit: the transport retries it like one.
    const { transport, fetch } = transportWith(400, () => 'rate_limit');
    await expect(transport.send({ method: 'POST', path: '/x' })).rejects.toMatchObject({ kind: 'rate_limit', status: 400 });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('does not retry a 503 its factory calls an invalid request', async () => {
    const { transport, fetch } = transportWith(503, () => 'invalid_request');
    await expect(transport.send({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps the default: the status decides through the factory (server errors of reads are retried)', async () => {
    const { transport, fetch } = transportWith(503, (info) => info.kind);
    const error: unknown = await transport.send({ method: 'GET', path: '/x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('server');
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it('logs the kind of each retried error', async () => {
    const warn = vi.fn();
    const { transport } = transportWith(429, (info) => info.kind, { logger: { warn } });
    await transport.send({ method: 'GET', path: '/x' }).catch(() => undefined);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ kind: 'rate_limit', status: 429 });
  });

  it('refreshes credentials once on an error of kind authentication', async () => {
    const onUnauthorized = vi.fn(() => true);
    const { transport, fetch } = transportWith(400, () => 'authentication', { onUnauthorized });
    await expect(transport.send({ method: 'GET', path: '/x' })).rejects.toMatchObject({ kind: 'authentication' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});

/** A transport over `fetch` with the given limits, whose errors carry the failure's kind. */
function limitedTransport(fetch: typeof globalThis.fetch, limits: { timeoutMs?: number; deadlineMs?: number; concurrency?: number; retries?: number; minDelayMs?: number; maxRetryAfterMs?: number } = {}) {
  return new Transport({
    api: 'invoiced',
    baseUrl: 'https://example.test',
    fetch,
    timeoutMs: limits.timeoutMs ?? 5000,
    deadlineMs: limits.deadlineMs ?? 200,
    retry: { ...DEFAULT_RETRY, retries: limits.retries ?? 2, minDelayMs: limits.minDelayMs ?? 1, maxDelayMs: limits.minDelayMs ?? 1, maxRetryAfterMs: limits.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs },
    concurrency: limits.concurrency ?? 1,
    redactor: new Redactor(),
    requestIdHeaders: [],
    toError: (info) =>
      new ApiError('invoiced', info.deadline === undefined ? `failed: ${info.kind}` : `deadline of ${info.deadline.deadlineMs} ms`, {
        ...info.context,
        code: info.deadline === undefined ? 'X' : 'DEADLINE',
        kind: info.kind,
        cause: info.cause,
      }),
    authorize: () => ({}),
  });
}

describe('Transport limits', () => {
  it('settles at the deadline even when a custom fetch ignores the signal, and frees the slot', async () => {
    let calls = 0;
    const fetch = vi.fn((request: Request) => {
      calls += 1;
      return calls === 1 ? new Promise<Response>(() => undefined) : Promise.resolve(Response.json({ url: request.url }));
    });
    const transport = limitedTransport(fetch as unknown as typeof globalThis.fetch, { deadlineMs: 100 });
    const started = performance.now();
    const hung = transport.send({ method: 'GET', path: '/hung' }).catch((caught: unknown) => caught);
    const next = transport.send({ method: 'GET', path: '/next' });
    expect(await hung).toMatchObject({ kind: 'timeout', code: 'DEADLINE' });
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(next).resolves.toMatchObject({ body: { url: 'https://example.test/next' } });
    expect(transport.stats.inFlight).toBe(0);
  });

  it('cancels the body stream of an answer that never ends', async () => {
    let cancelled: unknown;
    const fetch = () =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"items": ['));
            },
            cancel(reason) {
              cancelled = reason;
            },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
      );
    const error = await limitedTransport(fetch, { deadlineMs: 100, retries: 0 }).send({ method: 'GET', path: '/x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', code: 'DEADLINE' });
    expect(cancelled).toBeInstanceOf(Error);
  });

  it('times out one attempt on its body as well as its headers, and retries it', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response(new ReadableStream<Uint8Array>({ start: () => undefined }))));
    const error = await limitedTransport(fetch, { timeoutMs: 30, deadlineMs: 5000, retries: 1 }).send({ method: 'GET', path: '/x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'timeout', code: 'X' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('waits for a Retry-After within maxRetryAfterMs and the deadline', async () => {
    const fetch = vi.fn()
      .mockResolvedValueOnce(new Response('{}', { status: 429, headers: { 'retry-after': '0.08' } }))
      .mockResolvedValueOnce(Response.json({ ok: true }));
    const started = performance.now();
    await expect(limitedTransport(fetch, { deadlineMs: 2000 }).send({ method: 'GET', path: '/x' })).resolves.toMatchObject({ body: { ok: true } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('{}', { status: 429, headers: { 'retry-after': '2' } })));
    const error = await limitedTransport(fetch, { deadlineMs: 60_000, maxRetryAfterMs: 1000 }).send({ method: 'GET', path: '/x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 2000 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('does not start a back-off that would end past the deadline: the last error is thrown at once', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('{}', { status: 503 })));
    const started = performance.now();
    const error = await limitedTransport(fetch, { deadlineMs: 300, minDelayMs: 1000 }).send({ method: 'GET', path: '/x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'server', status: 503 });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('sends every request with redirect: manual and refuses the redirect it gets back', async () => {
    const fetch = vi.fn((request: Request) => {
      expect(request.redirect).toBe('manual');
      return Promise.resolve(new Response(null, { status: 302, headers: { location: 'https://elsewhere.test:8443/x?key=secret' } }));
    });
    const transport = new Transport({
      api: 'netsuite',
      baseUrl: 'https://example.test/api',
      fetch: fetch as unknown as typeof globalThis.fetch,
      timeoutMs: 1000,
      deadlineMs: 1000,
      retry: DEFAULT_RETRY,
      concurrency: 1,
      redactor: new Redactor(),
      requestIdHeaders: [],
      toError: (info) => new ApiError('netsuite', `redirect to ${info.redirect?.locationOrigin ?? '?'}`, { ...info.context, code: 'R', kind: info.kind }),
      authorize: () => ({}),
    });
    await expect(transport.send({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      kind: 'invalid_response',
      status: 302,
      message: 'redirect to https://elsewhere.test:8443',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
