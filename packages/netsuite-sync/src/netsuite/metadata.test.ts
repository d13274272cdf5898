import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseValidationError } from '../errors';
import { NetSuiteInvalidRequestError, NetSuiteNotFoundError, NetSuitePermissionError } from './errors';
import { parseRecordCatalog } from './metadata';
import { errorBody, netSuiteError, rejectionOf, route, tbaClient, useMockServer, type ReceivedRequest } from './test-support';

const server = useMockServer();
const CATALOG = '/services/rest/record/v1/metadata-catalog';
const SUITEQL = '/services/rest/query/v1/suiteql';

const reference = (title?: string) => ({
  type: 'object',
  ...(title === undefined ? {} : { title }),
  properties: { id: { title: 'Internal identifier', type: 'string' }, refName: { title: 'Reference Name', type: 'string' }, externalId: { type: 'string' }, links: { type: 'array', readOnly: true, items: { type: 'object' } } },
});

/** An invoice catalog shaped like NetSuite's JSON Schema answer (shortened). */
const INVOICE_SCHEMA = {
  type: 'object',
  properties: {
    otherRefNum: { title: 'PO/Check Number', type: 'string', nullable: true },
    tranDate: { title: 'Date', type: 'string', format: 'date', nullable: true },
    createdDate: { title: 'Date Created', type: 'string', format: 'date-time', nullable: true, readOnly: true },
    amountPaid: { title: 'Amount Paid', type: 'number', format: 'double', nullable: true },
    number: { title: 'Document Number', type: 'integer', format: 'int64', nullable: true },
    isTaxable: { title: 'Taxable', type: 'boolean', nullable: true },
    class: reference(),
    salesRep: { $ref: '/services/rest/record/v1/metadata-catalog/employee' },
    approvalStatus: { type: 'object', properties: { id: { type: 'string', enum: ['1', '2', '3'] }, refName: { type: 'string' } } },
    custbody_region: { title: 'Region', type: 'string', nullable: true, 'x-ns-custom-field': true },
    CUSTBODY_PROJECT: { ...reference('Project'), 'x-ns-custom-field': true },
    billingAddress: { type: 'object', properties: { addr1: { type: 'string' } } },
    item: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { item: reference(), rate: { type: 'number' }, custcol_cost_center: { type: 'string', 'x-ns-custom-field': true }, department: reference() } } },
        totalResults: { type: 'integer' },
      },
    },
    oddity: { title: 42, type: 'string', readOnly: 'yes', 'x-ns-custom-field': 'maybe' },
  },
  $schema: 'https://json-schema.org/draft-06/hyper-schema#',
};

afterEach(() => {
  vi.useRealTimers();
});

describe('parseRecordCatalog', () => {
  const catalog = parseRecordCatalog('invoice', INVOICE_SCHEMA);

  it('tells each field kind: strings, dates, datetimes, numbers, integers, booleans, references, selects, sublists', () => {
    const kind = (name: string) => catalog.fields.get(name)?.kind;
    expect([kind('otherrefnum'), kind('trandate'), kind('createddate'), kind('amountpaid'), kind('number'), kind('istaxable')]).toEqual(['string', 'date', 'datetime', 'number', 'integer', 'boolean']);
    expect([kind('class'), kind('salesrep'), kind('approvalstatus'), kind('item'), kind('billingaddress')]).toEqual(['reference', 'reference', 'select', 'sublist', 'other']);
    expect(catalog.fields.get('approvalstatus')?.enum).toEqual(['1', '2', '3']);
  });

  it('keys fields by lower-case name, keeps the catalog spelling, and marks custom and read-only fields', () => {
    expect(catalog.fields.get('custbody_project')).toEqual({ name: 'CUSTBODY_PROJECT', title: 'Project', kind: 'reference', custom: true, readOnly: false });
    expect(catalog.fields.get('otherrefnum')).toEqual({ name: 'otherRefNum', title: 'PO/Check Number', kind: 'string', custom: false, readOnly: false });
    expect(catalog.fields.get('createddate')?.readOnly).toBe(true);
    expect(catalog.fields.get('custbody_region')?.custom).toBe(true);
  });

  it("reads the item sublist's line fields", () => {
    expect([...(catalog.lineFields?.keys() ?? [])]).toEqual(['item', 'rate', 'custcol_cost_center', 'department']);
    expect(catalog.lineFields?.get('custcol_cost_center')).toMatchObject({ kind: 'string', custom: true });
    expect(parseRecordCatalog('customer', { type: 'object', properties: { companyName: { type: 'string' } } }).lineFields).toBeUndefined();
  });

  it('ignores annotations of the wrong type instead of failing, and concludes nothing from them', () => {
    expect(catalog.fields.get('oddity')).toEqual({ name: 'oddity', kind: 'string', custom: false, readOnly: false });
  });

  it.each<[string, unknown]>([
    ['an HTML page', '<html>Maintenance</html>'],
    ['no properties', { type: 'object' }],
    ['properties that are not schemas', { type: 'object', properties: { memo: 'string' } }],
    ['the schema of something else than an object', { type: 'array', properties: {} }],
  ])('refuses %s with INVALID_METADATA_CATALOG', (_, body) => {
    expect(() => parseRecordCatalog('invoice', body)).toThrow(expect.objectContaining({ code: 'INVALID_METADATA_CATALOG', kind: 'invalid_response' }) as Error);
  });
});

describe('client.metadata.recordCatalog', () => {
  it('asks for the JSON Schema with Accept: application/schema+json, signed like any request', async () => {
    const log: ReceivedRequest[] = [];
    const refusals: string[] = [];
    server.use(route('GET', `${CATALOG}/invoice`, () => HttpResponse.json(INVOICE_SCHEMA), { log, refusals }));
    const catalog = await tbaClient().metadata.recordCatalog('invoice');
    expect(catalog.type).toBe('invoice');
    expect(catalog.fields.get('custbody_region')?.title).toBe('Region');
    expect(refusals).toEqual([]);
    expect(log[0]?.headers.get('accept')).toBe('application/schema+json');
  });

  it('keeps a catalog for metadataCacheTtlMs per client, reads it again after, and on refresh: true', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let reads = 0;
    server.use(route('GET', `${CATALOG}/invoice`, () => ((reads += 1), HttpResponse.json(INVOICE_SCHEMA))));
    const client = tbaClient({ metadataCacheTtlMs: 60_000 });
    const first = await client.metadata.recordCatalog('invoice');
    expect(await client.metadata.recordCatalog('invoice')).toBe(first);
    expect(reads).toBe(1);
    vi.setSystemTime(Date.now() + 59_000);
    await client.metadata.recordCatalog('invoice');
    expect(reads).toBe(1);
    vi.setSystemTime(Date.now() + 2_000);
    await client.metadata.recordCatalog('invoice');
    expect(reads).toBe(2);
    await client.metadata.recordCatalog('invoice', { refresh: true });
    expect(reads).toBe(3);
    await tbaClient().metadata.recordCatalog('invoice');
    expect(reads).toBe(4);
  });

  it('does not keep a failed read, and refuses a malformed catalog with a typed error', async () => {
    let reads = 0;
    server.use(
      route('GET', `${CATALOG}/invoice`, () => ((reads += 1), reads === 1 ? netSuiteError(403, errorBody(403, 'INSUFFICIENT_PERMISSION', 'Permission Violation')) : HttpResponse.json(INVOICE_SCHEMA))),
      route('GET', `${CATALOG}/creditMemo`, () => HttpResponse.json({ items: [] })),
    );
    const client = tbaClient();
    expect(await rejectionOf(client.metadata.recordCatalog('invoice'))).toBeInstanceOf(NetSuitePermissionError);
    await expect(client.metadata.recordCatalog('invoice')).resolves.toMatchObject({ type: 'invoice' });
    expect(reads).toBe(2);
    const malformed = await rejectionOf(client.metadata.recordCatalog('creditMemo'));
    expect(malformed).toBeInstanceOf(ResponseValidationError);
    expect(malformed).toMatchObject({ code: 'INVALID_METADATA_CATALOG', path: `${CATALOG}/creditMemo`, status: 200 });
  });

  it('answers a NetSuite without the endpoint with NetSuiteNotFoundError', async () => {
    server.use(route('GET', `${CATALOG}/invoice`, () => netSuiteError(404, errorBody(404, 'NONEXISTENT_ID', 'The record instance does not exist.'))));
    expect(await rejectionOf(tbaClient().metadata.recordCatalog('invoice'))).toBeInstanceOf(NetSuiteNotFoundError);
  });

  it('refuses a type that is not a record type name before any request', async () => {
    await expect(tbaClient().metadata.recordCatalog('../invoice')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('client.metadata.mandatoryCustomFields', () => {
  it("reads the script IDs of customfield rows with ismandatory = 'T', in lower case", async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('POST', SUITEQL, () => HttpResponse.json({ items: [{ scriptid: 'CUSTBODY_REGION', links: [] }, { scriptid: 'CUSTCOL_COST_CENTER', links: [] }], hasMore: false }), { log }));
    const found = await tbaClient().metadata.mandatoryCustomFields();
    expect([...found]).toEqual(['custbody_region', 'custcol_cost_center']);
    expect(JSON.parse(log[0]?.body ?? '{}')).toEqual({ q: "SELECT scriptid FROM customfield WHERE ismandatory = 'T' ORDER BY scriptid" });
  });

  it("passes on NetSuite's refusal of a role that cannot read customfield as a typed error", async () => {
    server.use(route('POST', SUITEQL, () => netSuiteError(400, errorBody(400, 'INVALID_PARAMETER', "Invalid search query. Search error occurred: Record 'customfield' was not found."))));
    const error = await rejectionOf(tbaClient().metadata.mandatoryCustomFields());
    expect(error).toBeInstanceOf(NetSuiteInvalidRequestError);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
  });
});
