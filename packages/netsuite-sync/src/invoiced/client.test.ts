import { http, HttpResponse } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { createInvoicedClient } from './client';
import type { InvoicedClientOptions } from './options';
import type { InvoicedCustomer, InvoicedInvoice, InvoicedPayment } from './schemas';
import {
  API_KEY,
  API_KEY_BASIC,
  PRODUCTION,
  SANDBOX,
  creditNoteJson,
  customerJson,
  invoiceJson,
  makeClient,
  paymentJson,
  useMswServer,
} from './test-support';

const server = useMswServer();

function configurationError(options: unknown): ConfigurationError {
  try {
    createInvoicedClient(options as InvoicedClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected createInvoicedClient to throw');
}

describe('createInvoicedClient authentication', () => {
  it('sends HTTP Basic with the API key as user name and an empty password', async () => {
    let authorization: string | null = null;
    server.use(
      http.get(`${PRODUCTION}/customers/15444`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json(customerJson());
      }),
    );
    await makeClient().customers.retrieve(15444);
    expect(authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`);
    expect(authorization).toBe(`Basic ${API_KEY_BASIC}`);
  });

  it('asks for JSON and sends JSON bodies', async () => {
    let seen: { accept: string | null; contentType: string | null; body: unknown } | undefined;
    server.use(
      http.post(`${PRODUCTION}/customers`, async ({ request }) => {
        seen = {
          accept: request.headers.get('accept'),
          contentType: request.headers.get('content-type'),
          body: await request.json(),
        };
        return HttpResponse.json(customerJson(), { status: 201 });
      }),
    );
    await makeClient().customers.create({ name: 'Acme', currency: 'USD', metadata: { netsuite_id: '4711' } });
    expect(seen).toEqual({
      accept: 'application/json',
      contentType: 'application/json',
      body: { name: 'Acme', currency: 'usd', metadata: { netsuite_id: '4711' } },
    });
  });
});

describe('createInvoicedClient environments', () => {
  it('calls production by default', async () => {
    server.use(http.get(`${PRODUCTION}/customers/1`, () => HttpResponse.json(customerJson({ id: 1 }))));
    const client = makeClient();
    expect(client.environment).toBe('production');
    expect(client.baseUrl).toBe(PRODUCTION);
    await expect(client.customers.retrieve(1)).resolves.toMatchObject({ id: 1 });
  });

  it('calls the sandbox with sandbox: true', async () => {
    server.use(http.get(`${SANDBOX}/customers/2`, () => HttpResponse.json(customerJson({ id: 2 }))));
    const client = makeClient({ sandbox: true });
    expect(client.environment).toBe('sandbox');
    await expect(client.customers.retrieve(2)).resolves.toMatchObject({ id: 2 });
  });

  it('lets baseUrl win over sandbox and keeps its path prefix', async () => {
    server.use(
      http.get('https://proxy.example.test/invoiced/customers/3', () => HttpResponse.json(customerJson({ id: 3 }))),
    );
    const client = makeClient({ sandbox: true, baseUrl: 'https://proxy.example.test/invoiced/' });
    expect(client.environment).toBe('custom');
    expect(client.baseUrl).toBe('https://proxy.example.test/invoiced');
    await expect(client.customers.retrieve(3)).resolves.toMatchObject({ id: 3 });
  });
});

describe('createInvoicedClient option validation', () => {
  it.each([
    ['a missing apiKey', {}, 'apiKey'],
    ['an empty apiKey', { apiKey: '' }, 'apiKey'],
    ['an apiKey with a colon', { apiKey: `${API_KEY}:x` }, 'apiKey'],
    ['a concurrency of 0', { apiKey: API_KEY, concurrency: 0 }, 'concurrency'],
    ['a concurrency above 20', { apiKey: API_KEY, concurrency: 21 }, 'concurrency'],
    ['a fractional concurrency', { apiKey: API_KEY, concurrency: 2.5 }, 'concurrency'],
    ['a zero timeout', { apiKey: API_KEY, timeoutMs: 0 }, 'timeoutMs'],
    ['a negative timeout', { apiKey: API_KEY, timeoutMs: -5 }, 'timeoutMs'],
    ['a baseUrl that is not a URL', { apiKey: API_KEY, baseUrl: 'api.invoiced.com' }, 'baseUrl'],
    ['a baseUrl with another scheme', { apiKey: API_KEY, baseUrl: 'ftp://api.invoiced.com' }, 'baseUrl'],
    ['a baseUrl with credentials', { apiKey: API_KEY, baseUrl: `https://${API_KEY}@api.invoiced.com` }, 'baseUrl'],
    ['a fetch that is not a function', { apiKey: API_KEY, fetch: 'fetch' }, 'fetch'],
  ])('refuses %s, naming the field', (_label, options, field) => {
    const error = configurationError(options);
    expect(error.issues.map((issue) => issue.path)).toContain(field);
    expect(error.code).toBe('INVOICED_INVALID_OPTIONS');
    expect(error.message).toContain(field);
  });

  it('refuses bad retry options through the shared resolver', () => {
    const error = configurationError({ apiKey: API_KEY, retries: { retries: -1 } });
    expect(error.issues.map((issue) => issue.path)).toEqual(['retries.retries']);
  });

  it('never repeats the API key in the error', () => {
    const error = configurationError({ apiKey: `${API_KEY}:x`, concurrency: 99, baseUrl: `https://${API_KEY}@x.test` });
    const rendered = `${String(error)} ${JSON.stringify(error)} ${error.stack ?? ''}`;
    expect(rendered).not.toContain(API_KEY);
    expect(rendered).not.toContain(API_KEY_BASIC);
    expect(error.issues).toHaveLength(3);
  });

  it('defaults concurrency to 10', async () => {
    let inFlight = 0;
    let peak = 0;
    server.use(
      http.get(`${PRODUCTION}/customers/:id`, async ({ params }) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 15));
        inFlight -= 1;
        return HttpResponse.json(customerJson({ id: Number(params.id) }));
      }),
    );
    const client = makeClient();
    await Promise.all(Array.from({ length: 25 }, (_, index) => client.customers.retrieve(index + 1)));
    expect(peak).toBe(10);
    expect(client.stats.peakInFlight).toBe(10);
  });
});

describe('client.request', () => {
  it('sends any method and path with an encoded query and returns the raw response', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${PRODUCTION}/customers/15444/balance`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ total_outstanding: 10 }, { headers: { 'x-request-id': 'req_123' } });
      }),
    );
    const response = await makeClient().request('GET', '/customers/15444/balance', {
      query: { currency: 'usd', note: 'a b&c', skip: undefined },
    });
    expect(url?.search).toBe('?currency=usd&note=a%20b%26c');
    expect(response).toMatchObject({ status: 200, body: { total_outstanding: 10 }, requestId: 'req_123' });
  });

  it('returns an undefined body for 204', async () => {
    server.use(http.delete(`${PRODUCTION}/customers/9`, () => new HttpResponse(null, { status: 204 })));
    await expect(makeClient().request('DELETE', '/customers/9')).resolves.toMatchObject({ status: 204, body: undefined });
  });

  it('refuses a path that does not start with a slash, and an idempotency key on GET', async () => {
    const client = makeClient();
    await expect(client.request('GET', 'customers')).rejects.toBeInstanceOf(ConfigurationError);
    await expect(client.request('GET', '//evil.test/customers')).rejects.toBeInstanceOf(ConfigurationError);
    await expect(client.request('GET', '/customers', { idempotencyKey: 'abcdefgh' })).rejects.toThrow(/POST and PATCH/);
  });
});

describe('resources', () => {
  it.each([
    ['customers', '/customers', customerJson()],
    ['invoices', '/invoices', invoiceJson()],
    ['payments', '/payments', paymentJson()],
    ['creditNotes', '/credit_notes', creditNoteJson()],
  ] as const)('%s: retrieve, create, update and list hit %s', async (name, path, record) => {
    const calls: string[] = [];
    server.use(
      http.get(`${PRODUCTION}${path}/5`, ({ request }) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json(record);
      }),
      http.post(`${PRODUCTION}${path}`, ({ request }) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json(record, { status: 201 });
      }),
      http.patch(`${PRODUCTION}${path}/5`, ({ request }) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json(record);
      }),
      http.get(`${PRODUCTION}${path}`, ({ request }) => {
        calls.push(`${request.method} ${new URL(request.url).pathname}`);
        return HttpResponse.json([record]);
      }),
    );
    const resource = makeClient()[name];
    const params = { customer: 15444, amount: 45, name: 'Acme' };
    await expect(resource.retrieve(5)).resolves.toMatchObject({ id: record.id });
    await expect(resource.create(params)).resolves.toMatchObject({ id: record.id });
    await expect(resource.update(5, { notes: 'x' })).resolves.toMatchObject({ id: record.id });
    await expect(resource.list().toArray()).resolves.toHaveLength(1);
    expect(calls).toEqual([`GET ${path}/5`, `POST ${path}`, `PATCH ${path}/5`, `GET ${path}`]);
  });

  it.each([
    ['invoices', '/invoices', invoiceJson({ status: 'voided' })],
    ['creditNotes', '/credit_notes', creditNoteJson({ status: 'voided' })],
  ] as const)('%s.void posts to %s/{id}/void', async (name, path, record) => {
    let hit = false;
    server.use(
      http.post(`${PRODUCTION}${path}/5/void`, () => {
        hit = true;
        return HttpResponse.json(record);
      }),
    );
    await makeClient()[name].void(5);
    expect(hit).toBe(true);
  });

  it('voids a payment with DELETE /payments/{id}, without an Idempotency-Key, and answers the voided payment', async () => {
    const seen: { method: string; path: string; include: string | null; key: string | null }[] = [];
    server.use(
      http.all(`${PRODUCTION}/payments/5*`, ({ request }) => {
        const url = new URL(request.url);
        seen.push({ method: request.method, path: url.pathname, include: url.searchParams.get('include'), key: request.headers.get('idempotency-key') });
        return request.method === 'DELETE' ? HttpResponse.json(paymentJson({ id: 5, voided: true, applied_to: [] })) : HttpResponse.json({ type: 'invalid_request', message: 'Request was not recognized' }, { status: 404 });
      }),
    );
    const voided = await makeClient().payments.void(5);
    expect(voided).toMatchObject({ id: 5, voided: true, applied_to: [] });
    expect(seen).toEqual([{ method: 'DELETE', path: '/payments/5', include: 'applied_to', key: null }]);
  });

  it('asks Invoiced for applied_to on every payment call: retrieve, create, update, list and void', async () => {
    const included: string[] = [];
    const record = paymentJson({ id: 5 });
    const note = (request: Request) => {
      included.push(`${request.method} ${new URL(request.url).searchParams.get('include')}`);
    };
    server.use(
      http.get(`${PRODUCTION}/payments/5`, ({ request }) => (note(request), HttpResponse.json(record))),
      http.patch(`${PRODUCTION}/payments/5`, ({ request }) => (note(request), HttpResponse.json(record))),
      http.delete(`${PRODUCTION}/payments/5`, ({ request }) => (note(request), HttpResponse.json({ ...record, voided: true }))),
      http.post(`${PRODUCTION}/payments`, ({ request }) => (note(request), HttpResponse.json(record, { status: 201 }))),
      http.get(`${PRODUCTION}/payments`, ({ request }) => (note(request), HttpResponse.json([record]))),
    );
    const payments = makeClient().payments;
    await payments.retrieve(5);
    await payments.create({ amount: 1 });
    await payments.update(5, { notes: 'n' });
    await payments.list({ updatedAfter: 0 }).toArray();
    await payments.void(5);
    expect(included).toEqual(['GET applied_to', 'POST applied_to', 'PATCH applied_to', 'GET applied_to', 'DELETE applied_to']);
  });

  it('has no void on customers', () => {
    expect('void' in makeClient().customers).toBe(false);
  });

  it('refuses IDs that are not positive integers before sending anything', async () => {
    const client = makeClient();
    await expect(client.invoices.retrieve(0)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(client.invoices.retrieve(1.5)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(client.invoices.void('1/../2' as unknown as number)).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('enforces Invoiced metadata limits before sending', async () => {
    const client = makeClient();
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`k${index}`, 'v']));
    await expect(client.customers.create({ name: 'A', metadata: eleven })).rejects.toThrow(/11 keys/);
    await expect(client.customers.create({ name: 'A', metadata: { ['k'.repeat(41)]: 'v' } })).rejects.toThrow(/40/);
    await expect(client.customers.update(1, { metadata: { netsuite_id: 'x'.repeat(256) } })).rejects.toThrow(/255/);
    await expect(
      client.invoices.create({ customer: 1, items: [{ name: 'x', metadata: eleven }] }),
    ).rejects.toThrow(/items\.0\.metadata/);
  });
});

describe('exported types', () => {
  it('types records from the schemas, with metadata as strings and open status unions', () => {
    expectTypeOf<InvoicedCustomer['id']>().toEqualTypeOf<number>();
    expectTypeOf<InvoicedCustomer['metadata']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<'paid'>().toExtend<InvoicedInvoice['status']>();
    expectTypeOf<InvoicedInvoice['items'][number]['unit_cost']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<InvoicedPayment['applied_to']>[number]['amount']>().toEqualTypeOf<number>();
    // Absent when Invoiced was not asked for it: never defaulted to "applied to nothing".
    expectTypeOf<undefined>().toExtend<InvoicedPayment['applied_to']>();
    expectTypeOf<InvoicedPayment['customer']>().toEqualTypeOf<number | null>();
    const client = makeClient();
    expectTypeOf<ReturnType<typeof client.invoices.retrieve>>().resolves.toEqualTypeOf<InvoicedInvoice>();
    // @ts-expect-error payments have no metadata, so their lists take no metadata filter
    expect(() => client.payments.list({ metadata: { netsuite_id: '1' } })).not.toThrow();
    // @ts-expect-error customers cannot be voided
    expect(client.customers.void).toBeUndefined();
  });
});
