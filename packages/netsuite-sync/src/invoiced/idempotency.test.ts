import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { InvoicedInvalidRequestError, InvoicedServerError } from './errors';
import { PRODUCTION, RATE_LIMIT_MESSAGE, customerJson, errorJson, invoiceJson, makeClient, useMswServer } from './test-support';

const server = useMswServer();

type Answer = 'ok' | 429 | 500 | 503 | 'drop';

/** A POST /invoices handler answering `answers` in turn and recording the key of every attempt. */
function scriptedInvoices(answers: readonly Answer[]): (string | null)[] {
  const keys: (string | null)[] = [];
  server.use(
    http.post(`${PRODUCTION}/invoices`, ({ request }) => {
      keys.push(request.headers.get('idempotency-key'));
      const answer = answers[keys.length - 1] ?? 'ok';
      if (answer === 'ok') return HttpResponse.json(invoiceJson(), { status: 201 });
      if (answer === 'drop') return HttpResponse.error();
      if (answer === 429) return HttpResponse.json(errorJson('rate_limit_error', RATE_LIMIT_MESSAGE), { status: 429 });
      return HttpResponse.json(errorJson('api_error', 'There was an error processing your request.'), { status: answer });
    }),
  );
  return keys;
}

describe('Idempotency-Key', () => {
  it('is sent on every POST and PATCH, and never on GET', async () => {
    const keys: Record<string, string | null> = {};
    server.use(
      http.post(`${PRODUCTION}/customers`, ({ request }) => {
        keys.create = request.headers.get('idempotency-key');
        return HttpResponse.json(customerJson());
      }),
      http.patch(`${PRODUCTION}/customers/1`, ({ request }) => {
        keys.update = request.headers.get('idempotency-key');
        return HttpResponse.json(customerJson());
      }),
      http.post(`${PRODUCTION}/invoices/1/void`, ({ request }) => {
        keys.void = request.headers.get('idempotency-key');
        return HttpResponse.json(invoiceJson({ status: 'voided' }));
      }),
      http.get(`${PRODUCTION}/customers/1`, ({ request }) => {
        keys.retrieve = request.headers.get('idempotency-key');
        return HttpResponse.json(customerJson());
      }),
    );
    const client = makeClient();
    await client.customers.create({ name: 'Acme' });
    await client.customers.update(1, { name: 'Acme Inc' });
    await client.invoices.void(1);
    await client.customers.retrieve(1);
    for (const key of [keys.create, keys.update, keys.void]) expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set([keys.create, keys.update, keys.void]).size).toBe(3);
    expect(keys.retrieve).toBeNull();
  });

  it('uses the key the caller passes', async () => {
    const keys = scriptedInvoices(['ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'netsuite-invoice-4711-v3' });
    expect(keys).toEqual(['netsuite-invoice-4711-v3']);
  });

  it.each([['short'], ['x'.repeat(65)], ['has space'], ['']])('refuses the key %j (6 to 64 characters)', async (key) => {
    const keys = scriptedInvoices(['ok']);
    await expect(makeClient().invoices.create({ customer: 1 }, { idempotencyKey: key })).rejects.toBeInstanceOf(ConfigurationError);
    expect(keys).toEqual([]);
  });

  it('gives concurrent writes different keys', async () => {
    const keys = scriptedInvoices(['ok', 'ok', 'ok', 'ok', 'ok']);
    const client = makeClient();
    await Promise.all(Array.from({ length: 5 }, () => client.invoices.create({ customer: 1 })));
    expect(new Set(keys).size).toBe(5);
  });

  it('reuses the same key after a 429', async () => {
    const keys = scriptedInvoices([429, 429, 'ok']);
    await makeClient().invoices.create({ customer: 1 });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('reuses the caller key after a 429', async () => {
    const keys = scriptedInvoices([429, 'ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'caller-key-1' });
    expect(keys).toEqual(['caller-key-1', 'caller-key-1']);
  });

  it('uses a new key after a 5xx, since Invoiced replays the cached error for that key', async () => {
    const keys = scriptedInvoices([500, 503, 'ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'caller-key-2' });
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe('caller-key-2');
    expect(new Set(keys).size).toBe(3);
  });

  it('uses a new key after a dropped connection', async () => {
    const keys = scriptedInvoices(['drop', 'ok']);
    await makeClient().invoices.create({ customer: 1 });
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('keeps the key after a dropped connection when asked, so Invoiced can replay a write that went through', async () => {
    const keys = scriptedInvoices(['drop', 'ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'ns-inv-42-abcdef', keepKeyAfterLostResponse: true });
    expect(keys).toEqual(['ns-inv-42-abcdef', 'ns-inv-42-abcdef']);
  });

  it('still uses a new key after a 5xx when asked to keep it after lost connections', async () => {
    const keys = scriptedInvoices([500, 'ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'ns-inv-43-abcdef', keepKeyAfterLostResponse: true });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe('ns-inv-43-abcdef');
    expect(keys[1]).not.toBe('ns-inv-43-abcdef');
  });

  it('keeps the key after a 5xx that follows a lost answer, since the lost attempt may have written the record', async () => {
    const keys = scriptedInvoices(['drop', 500, 'ok']);
    await makeClient().invoices.create({ customer: 1 }, { idempotencyKey: 'ns-inv-44-abcdef', keepKeyAfterLostResponse: true });
    expect(keys).toEqual(['ns-inv-44-abcdef', 'ns-inv-44-abcdef', 'ns-inv-44-abcdef']);
  });

  it('uses a new key after a timeout', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.patch(`${PRODUCTION}/invoices/7`, async ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        if (keys.length === 1) await new Promise((resolve) => setTimeout(resolve, 200));
        return HttpResponse.json(invoiceJson({ id: 7 }));
      }),
    );
    await makeClient({ timeoutMs: 40 }).invoices.update(7, { notes: 'x' });
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('keeps the key across 429s and changes it only on server failures in a mixed sequence', async () => {
    const keys = scriptedInvoices([429, 500, 429, 'drop', 'ok']);
    await makeClient({ retries: { retries: 5, minDelayMs: 1, maxDelayMs: 5 } }).invoices.create({ customer: 1 });
    const [a, b, c, d, e] = keys;
    expect(b).toBe(a);
    expect(c).not.toBe(b);
    expect(d).toBe(c);
    expect(e).not.toBe(d);
    expect(new Set(keys).size).toBe(3);
  });

  it('retries a POST after a 5xx because the key makes it safe', async () => {
    const keys = scriptedInvoices([500, 500, 500, 500]);
    const error = await makeClient().invoices.create({ customer: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedServerError);
    expect(keys).toHaveLength(4);
  });

  it('does not retry a 400', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post(`${PRODUCTION}/invoices`, ({ request }) => {
        keys.push(request.headers.get('idempotency-key'));
        return HttpResponse.json(errorJson('invalid_request', 'Customer is required', 'customer'), { status: 400 });
      }),
    );
    await expect(makeClient().invoices.create({ customer: 1 })).rejects.toBeInstanceOf(InvoicedInvalidRequestError);
    expect(keys).toHaveLength(1);
  });
});
