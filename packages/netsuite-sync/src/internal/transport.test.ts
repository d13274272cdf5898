import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiFailureKind } from '../errors';
import type { Logger } from '../options';
import { Redactor } from './redact';
import { DEFAULT_RETRY, Transport, type FailureInfo } from './transport';

/** A transport whose every answer has `status`, and whose error factory gives errors of `kindOfError`. */
function transportWith(status: number, kindOfError: (info: FailureInfo) => ApiFailureKind, extra: { logger?: Logger; onUnauthorized?: () => boolean } = {}) {
  const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ error: 'no' }), { status, headers: { 'content-type': 'application/json' } })));
  const transport = new Transport({
    api: 'netsuite',
    baseUrl: 'https://example.test/api',
    fetch,
    timeoutMs: 1000,
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
