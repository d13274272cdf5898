import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ResponseValidationError } from '../errors';
import { NetSuiteConnectionError, NetSuiteServerError } from './errors';
import { created, errorBody, netSuiteError, rejectionOf, route, tbaClient, useMockServer, type ReceivedRequest } from './test-support';

const server = useMockServer();
const RECORDS = '/services/rest/record/v1';

const invoice = {
  links: [{ rel: 'self', href: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/invoice/1001' }],
  id: '1001',
  tranId: 'INV-1001',
  entity: { id: '7', refName: 'Acme Ltd' },
  tranDate: '2026-01-02',
  total: '1250.50',
  amountRemaining: 1250.5,
  status: { id: 'open', refName: 'Open' },
  custbody_region: 'EMEA',
  item: { items: [{ item: { id: '3' }, quantity: 2, rate: 625.25, amount: 1250.5, custcol_note: 'kept' }], totalResults: 1 },
};

describe('records.get', () => {
  it('reads a known type, validates it by its schema and keeps the fields the schema does not know', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('GET', `${RECORDS}/invoice/1001`, () => HttpResponse.json(invoice), { log }));
    const record = await tbaClient().records.get('invoice', '1001', { expandSubResources: true, fields: ['tranId', 'entity', 'item'] });
    expect(record).toMatchObject({ id: '1001', entity: { id: '7' }, total: 1250.5, custbody_region: 'EMEA' });
    expect(record.item?.items?.[0]).toMatchObject({ item: { id: '3' }, custcol_note: 'kept' });
    expect(Object.fromEntries(log[0]?.url.searchParams ?? [])).toEqual({ expandSubResources: 'true', fields: 'tranId,entity,item' });
  });

  it('sends no query parameters when none are asked for', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('GET', `${RECORDS}/salesOrder/5`, () => HttpResponse.json({ id: '5', anything: [1, 2] }), { log }));
    await expect(tbaClient().records.get('salesOrder', '5')).resolves.toEqual({ id: '5', anything: [1, 2] });
    expect(log[0]?.url.search).toBe('');
  });

  it('refuses an invoice without entity with a ResponseValidationError naming the path, not the values', async () => {
    const { entity: _entity, ...withoutEntity } = invoice;
    server.use(route('GET', `${RECORDS}/invoice/1001`, () => HttpResponse.json({ ...withoutEntity, memo: 'private-memo-text', total: 'not-a-number-4711' }, { headers: { 'x-n-operationid': 'op-inv' } })));
    const error = await rejectionOf(tbaClient().records.get('invoice', '1001'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    const validation = error as ResponseValidationError;
    expect(validation).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, requestId: 'op-inv', method: 'GET', path: `${RECORDS}/invoice/1001` });
    expect(validation.issues.map((issue) => issue.path).sort()).toEqual(['entity', 'total']);
    const shown = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify(validation.issues)}`;
    for (const value of ['private-memo-text', 'not-a-number-4711', 'INV-1001', 'EMEA']) expect(shown).not.toContain(value);
  });
});

describe('records.get customerPayment', () => {
  const payment = { id: '501', customer: { id: '7' }, tranDate: '2026-01-20', payment: 350.5, apply: { items: [{ doc: { id: '1001' }, apply: true, amount: 350.5 }] } };

  it('reads undepFunds as the reference-like object of the 2026.1 schema', async () => {
    server.use(route('GET', `${RECORDS}/customerPayment/501`, () => HttpResponse.json({ ...payment, undepFunds: { id: 'T', refName: 'Undep. Funds' } })));
    await expect(tbaClient().records.get('customerPayment', '501')).resolves.toMatchObject({ undepFunds: { id: 'T' } });
  });

  it('refuses a boolean undepFunds and a tranDate that is not a date, naming the paths', async () => {
    server.use(route('GET', `${RECORDS}/customerPayment/501`, () => HttpResponse.json({ ...payment, undepFunds: true, tranDate: '2026-01-20T00:00:00Z' })));
    const error = await rejectionOf(tbaClient().records.get('customerPayment', '501'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues.map((issue) => issue.path).sort()).toEqual(['tranDate', 'undepFunds']);
  });
});

describe('records.list', () => {
  it('pages through every record with offsets that are multiples of the limit, and stops when hasMore is false', async () => {
    const total = 2345;
    const pageSize = 500;
    const log: ReceivedRequest[] = [];
    const q = 'lastModifiedDate ON_OR_AFTER "2026-01-01T00:00:00Z" AND companyName START_WITH "O\'Brien"';
    server.use(
      route('GET', `${RECORDS}/customer`, (request) => {
        const limit = Number(request.url.searchParams.get('limit'));
        const offset = Number(request.url.searchParams.get('offset'));
        if (offset % limit !== 0) return netSuiteError(400, errorBody(400, 'INVALID_PARAMETER', 'offset must be a multiple of limit', { 'o:errorQueryParam': 'offset' }));
        const ids = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, index) => String(offset + index + 1));
        return HttpResponse.json({ links: [], count: ids.length, hasMore: offset + limit < total, offset, totalResults: total, items: ids.map((id) => ({ id, links: [] })) });
      }, { log }),
    );
    const ids: string[] = [];
    for await (const { id } of tbaClient().records.list('customer', { q, pageSize })) ids.push(id);
    expect(ids).toEqual(Array.from({ length: total }, (_, index) => String(index + 1)));
    expect(log.map((request) => [request.url.searchParams.get('offset'), request.url.searchParams.get('limit')])).toEqual(
      [0, 500, 1000, 1500, 2000].map((offset) => [String(offset), '500']),
    );
    expect(log.every((request) => request.url.searchParams.get('q') === q)).toBe(true);
  });

  it('asks for 1000 records per page by default and sends no q when there is no filter', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('GET', `${RECORDS}/invoice`, () => HttpResponse.json({ items: [{ id: '1' }], hasMore: false, count: 1, offset: 0 }), { log }));
    const ids: string[] = [];
    for await (const { id } of tbaClient().records.list('invoice')) ids.push(id);
    expect(ids).toEqual(['1']);
    expect(log[0]?.url.search).toBe('?limit=1000&offset=0');
  });

  it.each([0, 1001, 2.5])('refuses pageSize %s', async (pageSize) => {
    const iterator = tbaClient().records.list('invoice', { pageSize });
    await expect(iterator.next()).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('records.create', () => {
  it('posts the body and returns the new ID from Location', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('POST', `${RECORDS}/customer`, () => created('customer', '4321'), { log }));
    const body = { companyName: 'Acme "Quoted" & Co', subsidiary: { id: '1' } };
    await expect(tbaClient().records.create('customer', body)).resolves.toEqual({ id: '4321', location: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/4321' });
    expect(JSON.parse(log[0]?.body ?? '')).toEqual(body);
  });

  it('fails with MISSING_LOCATION when NetSuite does not say the new ID', async () => {
    server.use(route('POST', `${RECORDS}/customer`, () => new HttpResponse(null, { status: 204, headers: { 'x-n-operationid': 'op-nl' } })));
    const error = await rejectionOf(tbaClient().records.create('customer', { companyName: 'Acme' }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: 'MISSING_LOCATION', status: 204, requestId: 'op-nl', issues: [{ path: 'Location' }] });
  });

  it('is not repeated after a 500, since NetSuite may have created the record', async () => {
    let calls = 0;
    server.use(route('POST', `${RECORDS}/customer`, () => (calls++, netSuiteError(500, errorBody(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.')))));
    await expect(tbaClient().records.create('customer', { companyName: 'Acme' })).rejects.toBeInstanceOf(NetSuiteServerError);
    expect(calls).toBe(1);
  });

  it('is repeated after a 429, which NetSuite refuses before doing anything', async () => {
    let calls = 0;
    server.use(route('POST', `${RECORDS}/customer`, () => (++calls === 1 ? netSuiteError(429, errorBody(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.')) : created('customer', '9'))));
    await expect(tbaClient().records.create('customer', { companyName: 'Acme' })).resolves.toMatchObject({ id: '9' });
    expect(calls).toBe(2);
  });
});

describe('records.update, upsert and delete', () => {
  it('updates with PATCH and the given fields only', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('PATCH', `${RECORDS}/invoice/1001`, () => new HttpResponse(null, { status: 204 }), { log }));
    await expect(tbaClient().records.update('invoice', '1001', { memo: 'paid by wire' })).resolves.toBeUndefined();
    expect(JSON.parse(log[0]?.body ?? '')).toEqual({ memo: 'paid by wire' });
  });

  it('upserts with PUT to /{type}/eid:{externalId} and returns the ID from Location', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('PUT', `${RECORDS}/invoice/eid:invd-inv-42`, () => created('invoice', '1002'), { log }));
    await expect(tbaClient().records.upsert('invoice', 'invd-inv-42', { entity: { id: '7' } })).resolves.toMatchObject({ id: '1002' });
    expect(log.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([`PUT ${RECORDS}/invoice/eid:invd-inv-42`]);
  });

  it.each([
    ['a 500', () => netSuiteError(500, errorBody(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.'))],
    ['a dropped connection', () => HttpResponse.error()],
  ])('repeats an upsert after %s, since it cannot duplicate', async (_, failure) => {
    let calls = 0;
    server.use(route('PUT', `${RECORDS}/invoice/eid:invd-inv-42`, () => (++calls === 1 ? failure() : created('invoice', '1002'))));
    await expect(tbaClient().records.upsert('invoice', 'invd-inv-42', { entity: { id: '7' } })).resolves.toMatchObject({ id: '1002' });
    expect(calls).toBe(2);
  });

  it('surfaces a connection that keeps dropping as NetSuiteConnectionError after the retries', async () => {
    let calls = 0;
    server.use(route('PUT', `${RECORDS}/invoice/eid:x1`, () => (calls++, HttpResponse.error())));
    await expect(tbaClient().records.upsert('invoice', 'x1', {})).rejects.toBeInstanceOf(NetSuiteConnectionError);
    expect(calls).toBe(3);
  });

  it('sends the sublists to replace as one signed replace parameter on update and upsert', async () => {
    const log: ReceivedRequest[] = [];
    const refusals: string[] = [];
    server.use(
      route('PATCH', `${RECORDS}/customerPayment/77`, () => new HttpResponse(null, { status: 204 }), { log, refusals }),
      route('PUT', `${RECORDS}/invoice/eid:invd-inv-42`, () => created('invoice', '1002'), { log, refusals }),
    );
    await tbaClient().records.update('customerPayment', '77', { apply: { items: [] } }, { replace: ['apply'] });
    await tbaClient().records.upsert('invoice', 'invd-inv-42', { item: { items: [] } }, { replace: ['item', 'expCost'] });
    // The route checks each TBA signature over the query: a replace left out of the signature is a 401.
    expect(refusals).toEqual([]);
    expect(log.map((request) => request.url.search)).toEqual(['?replace=apply', '?replace=item%2CexpCost']);
    expect(log.map((request) => request.url.searchParams.get('replace'))).toEqual(['apply', 'item,expCost']);
  });

  it('sends no replace parameter without the option, or with an empty list', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('PUT', `${RECORDS}/invoice/eid:invd-inv-42`, () => created('invoice', '1002'), { log }));
    await tbaClient().records.upsert('invoice', 'invd-inv-42', { memo: 'x' });
    await tbaClient().records.upsert('invoice', 'invd-inv-42', { memo: 'x' }, { replace: [] });
    expect(log.map((request) => request.url.search)).toEqual(['', '']);
  });

  it('asks NetSuite to refuse unknown field names on every write, so a misspelled field is never dropped silently', async () => {
    const log: ReceivedRequest[] = [];
    server.use(
      route('POST', `${RECORDS}/customer`, () => created('customer', '1'), { log }),
      route('PATCH', `${RECORDS}/customer/1`, () => new HttpResponse(null, { status: 204 }), { log }),
      route('PUT', `${RECORDS}/customer/eid:c1`, () => created('customer', '1'), { log }),
    );
    await tbaClient().records.create('customer', { companyName: 'Acme' });
    await tbaClient().records.update('customer', '1', { email: 'a@b.test' });
    await tbaClient().records.upsert('customer', 'c1', { companyName: 'Acme' });
    expect(log.map((request) => request.headers.get('x-netsuite-propertynamevalidation'))).toEqual(['Error', 'Error', 'Error']);
  });

  it('deletes with DELETE', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('DELETE', `${RECORDS}/customer/42`, () => new HttpResponse(null, { status: 204 }), { log }));
    await expect(tbaClient().records.delete('customer', '42')).resolves.toBeUndefined();
    expect(log).toHaveLength(1);
  });
});

describe('record arguments', () => {
  const client = () => tbaClient();
  it.each([
    ['externalId a|b', () => client().records.upsert('invoice', 'a|b', {}), 'externalId'],
    ['externalId ../x', () => client().records.upsert('invoice', '../x', {}), 'externalId'],
    ['externalId with a space', () => client().records.upsert('invoice', 'a b', {}), 'externalId'],
    ['an empty externalId', () => client().records.upsert('invoice', '', {}), 'externalId'],
    ['id ../1', () => client().records.get('invoice', '../1'), 'id'],
    ['id 1/2', () => client().records.update('invoice', '1/2', {}), 'id'],
    ['id 12a', () => client().records.delete('invoice', '12a'), 'id'],
    ['id eid:a|b', () => client().records.get('invoice', 'eid:a|b'), 'id'],
    ['type in voice', () => client().records.get('in voice', '1'), 'type'],
    ['type ../customer', () => client().records.create('../customer', {}), 'type'],
    ['type customer?x=1', () => client().records.delete('customer?x=1', '1'), 'type'],
    // A record type the SDK has no schema for takes any sublist name at compile time, so these reach the runtime check.
    ['replace item,apply', () => client().records.update('salesOrder', '1', {}, { replace: ['item,apply'] }), 'replace'],
    ['replace with a space', () => client().records.upsert('salesOrder', 'x1', {}, { replace: ['item '] }), 'replace'],
    ['an empty replace name', () => client().records.upsert('salesOrder', 'x1', {}, { replace: [''] }), 'replace'],
  ])('refuses %s with a ConfigurationError before any request', async (_, call, path) => {
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', issues: [{ path }] });
  });
});
