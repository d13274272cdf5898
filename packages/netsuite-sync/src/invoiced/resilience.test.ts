import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../options';
import { InvoicedConnectionError, InvoicedRateLimitError, InvoicedTimeoutError } from './errors';
import { PRODUCTION, RATE_LIMIT_MESSAGE, customerJson, errorJson, makeClient, useMswServer, waitFor } from './test-support';

const server = useMswServer();

function rateLimited(): Response {
  return HttpResponse.json(errorJson('rate_limit_error', RATE_LIMIT_MESSAGE), { status: 429 });
}

function recordingLogger(): { logger: Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { logger: { warn: (_message, fields) => warnings.push(fields ?? {}) }, warnings };
}

describe('rate limits', () => {
  it('retries a 429 until it succeeds, logging each retry', async () => {
    let attempts = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/1`, () => {
        attempts += 1;
        return attempts <= 2 ? rateLimited() : HttpResponse.json(customerJson({ id: 1 }));
      }),
    );
    const { logger, warnings } = recordingLogger();
    await expect(makeClient({ logger }).customers.retrieve(1)).resolves.toMatchObject({ id: 1 });
    expect(attempts).toBe(3);
    expect(warnings).toEqual([
      expect.objectContaining({ kind: 'rate_limit', status: 429, attempt: 1 }),
      expect.objectContaining({ kind: 'rate_limit', status: 429, attempt: 2 }),
    ]);
  });

  it('backs off exponentially between attempts', async () => {
    const at: number[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers/1`, () => {
        at.push(performance.now());
        return at.length <= 3 ? rateLimited() : HttpResponse.json(customerJson({ id: 1 }));
      }),
    );
    const client = makeClient({ retries: { retries: 3, minDelayMs: 25, maxDelayMs: 1000, factor: 2 } });
    await client.customers.retrieve(1);
    const gaps = at.slice(1).map((time, index) => time - (at[index] ?? 0));
    // Jitter multiplies each delay by 1 to 2: at least 25, 50 and 100 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(24);
    expect(gaps[1]).toBeGreaterThanOrEqual(49);
    expect(gaps[2]).toBeGreaterThanOrEqual(99);
  });

  it('throws InvoicedRateLimitError with Invoiced\'s text once retries run out', async () => {
    let attempts = 0;
    server.use(
      http.post(`${PRODUCTION}/customers`, () => {
        attempts += 1;
        return rateLimited();
      }),
    );
    const error = await makeClient().customers.create({ name: 'Acme' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedRateLimitError);
    expect((error as Error).message).toContain('You can only make 20 concurrent requests at a time');
    expect(attempts).toBe(4);
  });
});

describe('concurrency', () => {
  it('never has more requests in flight than the cap', async () => {
    let inFlight = 0;
    let peak = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/:id`, async ({ params }) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
        return HttpResponse.json(customerJson({ id: Number(params.id) }));
      }),
    );
    const client = makeClient({ concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => client.customers.retrieve(index + 1)));
    expect(results.map((customer) => customer.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(peak).toBe(3);
  });

  it('keeps retries inside the cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen = new Map<string, number>();
    server.use(
      http.get(`${PRODUCTION}/customers/:id`, async ({ params }) => {
        const id = String(params.id);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return seen.get(id) === 1 ? rateLimited() : HttpResponse.json(customerJson({ id: Number(id) }));
      }),
    );
    const client = makeClient({ concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, index) => client.customers.retrieve(index + 1)));
    expect(peak).toBe(2);
    expect([...seen.values()].every((count) => count === 2)).toBe(true);
  });
});

describe('cancellation', () => {
  it('rejects a request aborted while it waits in the queue, without sending it', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const requested: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers/:id`, async ({ params }) => {
        requested.push(String(params.id));
        await gate;
        return HttpResponse.json(customerJson({ id: Number(params.id) }));
      }),
    );
    const client = makeClient({ concurrency: 1 });
    const first = client.customers.retrieve(1);
    const controller = new AbortController();
    const second = client.customers.retrieve(2, { signal: controller.signal });
    await waitFor(() => requested.length === 1 && client.stats.queued === 1);
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await expect(first).resolves.toMatchObject({ id: 1 });
    expect(requested).toEqual(['1']);
  });

  it('rejects a request aborted in flight, with the caller\'s reason, and does not retry it', async () => {
    let attempts = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/1`, async () => {
        attempts += 1;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return HttpResponse.json(customerJson());
      }),
    );
    const controller = new AbortController();
    const started = performance.now();
    const pending = makeClient().customers.retrieve(1, { signal: controller.signal });
    await waitFor(() => attempts === 1);
    const reason = new Error('sync cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(800);
    expect(attempts).toBe(1);
  });

  it('stops waiting for a retry when aborted during back-off', async () => {
    let attempts = 0;
    server.use(
      http.post(`${PRODUCTION}/customers`, () => {
        attempts += 1;
        return rateLimited();
      }),
    );
    const controller = new AbortController();
    const client = makeClient({ retries: { retries: 3, minDelayMs: 5000, maxDelayMs: 5000 } });
    const pending = client.customers.create({ name: 'Acme' }, { signal: controller.signal });
    await waitFor(() => attempts === 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(attempts).toBe(1);
  });

  it('stops a list between pages when aborted', async () => {
    let pages = 0;
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        pages += 1;
        const page = Number(new URL(request.url).searchParams.get('page'));
        return HttpResponse.json([customerJson({ id: page })], {
          headers: { link: `<${PRODUCTION}/customers?page=${page + 1}&per_page=100>; rel="next"` },
        });
      }),
    );
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const customer of makeClient().customers.list({ signal: controller.signal })) {
        seen.push(customer.id);
        if (seen.length === 3) controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3]);
    expect(pages).toBe(3);
  });
});

describe('timeouts and lost connections', () => {
  it('times out each attempt after timeoutMs and retries reads', async () => {
    let attempts = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/1`, async () => {
        attempts += 1;
        await new Promise((resolve) => setTimeout(resolve, 300));
        return HttpResponse.json(customerJson());
      }),
    );
    const error = await makeClient({ timeoutMs: 30, retries: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } })
      .customers.retrieve(1)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedTimeoutError);
    expect((error as Error).message).toContain('timed out after 30 ms');
    expect(attempts).toBe(2);
  });

  it('times out a body that stalls after the headers, cancelling its read and freeing the slot', async () => {
    // A custom fetch rather than msw: msw's emulated socket trips an assertion in Node's fetch when a
    // request is aborted mid-body, which a real socket does not (src/invoiced/limits.test.ts has both).
    let attempts = 0;
    let cancels = 0;
    const fetch = (request: Request) => {
      if (!request.url.endsWith('/customers/1')) return Promise.resolve(Response.json(customerJson({ id: 2 })));
      attempts += 1;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id": 1,'));
        },
        cancel() {
          cancels += 1;
        },
      });
      return Promise.resolve(new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    const client = makeClient({ fetch: fetch as typeof globalThis.fetch, concurrency: 1, timeoutMs: 40, retries: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } });
    const stalled = client.customers.retrieve(1).catch((caught: unknown) => caught);
    const next = client.customers.retrieve(2);
    expect(await stalled).toBeInstanceOf(InvoicedTimeoutError);
    expect(attempts).toBe(2);
    expect(cancels).toBe(2);
    await expect(next).resolves.toMatchObject({ id: 2 });
    expect(client.stats.inFlight).toBe(0);
  });

  it('retries a dropped connection, then reports it', async () => {
    let attempts = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/1`, () => {
        attempts += 1;
        return HttpResponse.error();
      }),
    );
    await expect(makeClient().customers.retrieve(1)).rejects.toBeInstanceOf(InvoicedConnectionError);
    expect(attempts).toBe(4);
  });
});
