import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiError, NetSuiteSyncError, ResponseValidationError } from '../errors';
import {
  InvoicedApiError,
  InvoicedAuthenticationError,
  InvoicedConnectionError,
  InvoicedInvalidRequestError,
  InvoicedNotFoundError,
  InvoicedPermissionError,
  InvoicedRateLimitError,
  InvoicedServerError,
  InvoicedTimeoutError,
  correlationIdFromMessage,
} from './errors';
import {
  PRODUCTION,
  RATE_LIMIT_MESSAGE,
  customerJson,
  errorJson,
  invoiceJson,
  lineItemJson,
  makeClient,
  paymentJson,
  useMswServer,
} from './test-support';

const server = useMswServer();

async function failure(respond: () => Response | Promise<Response>, timeoutMs?: number): Promise<unknown> {
  server.use(http.get(`${PRODUCTION}/invoices/46225`, respond));
  const client = makeClient({ retries: { retries: 0 }, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  return client.invoices.retrieve(46225).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('Invoiced error classes', () => {
  it.each([
    [401, InvoicedAuthenticationError, 'INVOICED_AUTHENTICATION_FAILED', errorJson('invalid_request', 'Unauthorized')],
    [403, InvoicedPermissionError, 'INVOICED_PERMISSION_DENIED', errorJson('invalid_request', 'Forbidden')],
    [404, InvoicedNotFoundError, 'INVOICED_NOT_FOUND', errorJson('invalid_request', 'Invoice was not found: 46225', 'id')],
    [400, InvoicedInvalidRequestError, 'INVOICED_INVALID_REQUEST', errorJson('invalid_request', 'Unknown field', 'colour')],
    [422, InvoicedInvalidRequestError, 'INVOICED_INVALID_REQUEST', errorJson('invalid_request', 'Bad value', 'currency')],
    [429, InvoicedRateLimitError, 'INVOICED_RATE_LIMITED', errorJson('rate_limit_error', RATE_LIMIT_MESSAGE)],
    [500, InvoicedServerError, 'INVOICED_SERVER_ERROR', errorJson('api_error', 'There was an error.')],
    [503, InvoicedServerError, 'INVOICED_SERVER_ERROR', errorJson('api_error', 'Service unavailable')],
  ] as const)('maps %i to %o with its code, status, type, param and a resolution', async (status, Class, code, body) => {
    const error = await failure(() => HttpResponse.json(body, { status, headers: { 'x-request-id': 'req_42' } }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(InvoicedApiError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(NetSuiteSyncError);
    const apiError = error as InvoicedApiError;
    expect(apiError).toMatchObject({ code, status, api: 'invoiced', requestId: 'req_42', type: body.type, method: 'GET', path: '/invoices/46225' });
    expect(apiError.param).toBe((body as { param?: string }).param);
    expect(apiError.name).toBe(Class.name);
    expect(apiError.message).toContain(body.message);
    expect(apiError.resolution).toEqual(expect.any(String));
    expect(apiError.toJSON()).toMatchObject({ name: Class.name, code, status, api: 'invoiced', requestId: 'req_42' });
  });

  it('tells a 401 to check the key and whether it belongs to sandbox or production', async () => {
    const error = (await failure(() => HttpResponse.json(errorJson('invalid_request', 'Unauthorized'), { status: 401 }))) as InvoicedApiError;
    expect(error.resolution).toMatch(/API key/);
    expect(error.resolution).toMatch(/sandbox/);
    expect(error.resolution).toMatch(/production|api\.invoiced\.com/);
  });

  it('keeps param on invalid requests, in the message too', async () => {
    const error = (await failure(() =>
      HttpResponse.json(errorJson('invalid_request', 'Customer is required', 'customer'), { status: 400 }),
    )) as InvoicedInvalidRequestError;
    expect(error.param).toBe('customer');
    expect(error.message).toBe('Invoiced GET /invoices/46225 failed with 400: Customer is required (param: customer)');
  });

  it('reads the request ID from X-Correlation-Id', async () => {
    const error = await failure(() =>
      HttpResponse.json(errorJson('api_error', 'boom'), { status: 500, headers: { 'x-correlation-id': 'corr-77' } }),
    );
    expect(error).toMatchObject({ requestId: 'corr-77' });
  });

  it('reads a correlation ID from the text of a 500 when no header carries one', async () => {
    const error = await failure(() =>
      HttpResponse.json(
        errorJson('api_error', 'There was an error processing your request. Correlation ID: 9b2c4e1f-77aa-4c1e-9d1b-5f0c2a3b4d5e'),
        { status: 500 },
      ),
    );
    expect(error).toMatchObject({ requestId: '9b2c4e1f-77aa-4c1e-9d1b-5f0c2a3b4d5e', code: 'INVOICED_SERVER_ERROR' });
  });

  it('handles an error response whose body is not Invoiced\'s shape', async () => {
    const error = await failure(() => new HttpResponse('<html>Bad gateway</html>', { status: 502 }));
    expect(error).toBeInstanceOf(InvoicedServerError);
    expect(error).toMatchObject({ status: 502, type: undefined });
  });

  it('maps a timeout to InvoicedTimeoutError', async () => {
    const error = await failure(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return HttpResponse.json(invoiceJson());
    }, 20);
    expect(error).toBeInstanceOf(InvoicedTimeoutError);
    expect(error).toMatchObject({ code: 'INVOICED_TIMEOUT', status: undefined });
  });

  it('maps a dropped connection to InvoicedConnectionError with a sanitized cause', async () => {
    const error = await failure(() => HttpResponse.error());
    expect(error).toBeInstanceOf(InvoicedConnectionError);
    expect(error).toMatchObject({ code: 'INVOICED_CONNECTION_FAILED' });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Record<string, unknown>).request).toBeUndefined();
  });

  it('maps a 2xx body that is not JSON to ResponseValidationError', async () => {
    const error = await failure(() => new HttpResponse('{"id": 1,', { status: 200, headers: { 'content-type': 'application/json' } }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ api: 'invoiced', code: 'INVOICED_INVALID_RESPONSE', status: 200 });
  });

  it('finds correlation IDs in the usual spellings only', () => {
    expect(correlationIdFromMessage('correlation_id=abc-123-def')).toBe('abc-123-def');
    expect(correlationIdFromMessage('Correlation-Id: XYZ987')).toBe('XYZ987');
    expect(correlationIdFromMessage('Something failed')).toBeUndefined();
    expect(correlationIdFromMessage(undefined)).toBeUndefined();
  });
});

describe('response validation', () => {
  it('refuses a record missing a required field, naming the field but not the values', async () => {
    const secretish = 'Very Private Customer Name 8841';
    const error = await failure(() => HttpResponse.json(invoiceJson({ id: undefined, customer: secretish })));
    expect(error).toBeInstanceOf(ResponseValidationError);
    const validation = error as ResponseValidationError;
    expect(validation).toMatchObject({ api: 'invoiced', status: 200, code: 'INVOICED_INVALID_RESPONSE' });
    expect(validation.issues.map((issue) => issue.path).sort()).toEqual(['customer', 'id']);
    const rendered = `${validation.message} ${JSON.stringify(validation)} ${JSON.stringify(validation.issues)}`;
    expect(rendered).not.toContain(secretish);
    expect(rendered).not.toContain('8841');
  });

  it('reports nested paths inside line items and payment applications', async () => {
    const invoiceError = await failure(() => HttpResponse.json(invoiceJson({ items: [{ id: 1, quantity: 'two', unit_cost: 1, amount: 2 }] })));
    expect((invoiceError as ResponseValidationError).issues.map((issue) => issue.path)).toEqual(['items.0.quantity']);

    server.use(http.get(`${PRODUCTION}/payments/61`, () => HttpResponse.json(paymentJson({ applied_to: [{ type: 'invoice', invoice: 1 }] }))));
    const paymentError = await makeClient().payments.retrieve(61).catch((caught: unknown) => caught);
    expect((paymentError as ResponseValidationError).issues.map((issue) => issue.path)).toEqual(['applied_to.0.amount']);
  });

  it('keeps fields it does not model, at every level', async () => {
    server.use(
      http.get(`${PRODUCTION}/invoices/46225`, () =>
        HttpResponse.json(invoiceJson({ autopay: true, ship_to: { name: 'Dock 4' }, items: [lineItemJson({ period_start: 5 })] })),
      ),
    );
    const invoice = await makeClient().invoices.retrieve(46225);
    expect(invoice.autopay).toBe(true);
    expect(invoice.ship_to).toEqual({ name: 'Dock 4' });
    expect(invoice.items[0]?.period_start).toBe(5);
  });

  it('accepts statuses and methods Invoiced may add later, defaults absent metadata, and keeps an absent applied_to absent', async () => {
    server.use(
      http.get(`${PRODUCTION}/customers/1`, () => HttpResponse.json(customerJson({ id: 1, metadata: undefined }))),
      http.get(`${PRODUCTION}/payments/61`, () => HttpResponse.json(paymentJson({ method: 'crypto', applied_to: undefined }))),
      http.get(`${PRODUCTION}/invoices/46225`, () => HttpResponse.json(invoiceJson({ status: 'in_collections', metadata: { netsuite_id: 4711 } }))),
    );
    const client = makeClient();
    await expect(client.customers.retrieve(1)).resolves.toMatchObject({ metadata: {} });
    const payment = await client.payments.retrieve(61);
    expect(payment.method).toBe('crypto');
    // Not `[]`: a payment Invoiced did not say is applied is not a payment applied to nothing.
    expect(payment.applied_to).toBeUndefined();
    await expect(client.invoices.retrieve(46225)).resolves.toMatchObject({ status: 'in_collections', metadata: { netsuite_id: '4711' } });
  });
});
