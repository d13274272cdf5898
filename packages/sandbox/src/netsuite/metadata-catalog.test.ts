/**
 * The REST metadata catalog: the list of record types, and a type's JSON Schema with the account shape's
 * custom fields (`x-ns-custom-field`), every property nullable and no `required` list.
 */
import { describe, expect, it } from 'vitest';
import type { NetSuiteAccountShape } from './account-shape';
import { createHarness, errorOf, ORIGIN, type Json } from './test-support';

const CATALOG = '/services/rest/record/v1/metadata-catalog';
const SCHEMA = { accept: 'application/schema+json' };

const SHAPE: NetSuiteAccountShape = {
  departments: [{ id: '5', name: 'Sales' }],
  customFields: [
    { scriptId: 'custbody_po_number', label: 'PO Number', type: 'text', appliesTo: ['invoice'], mandatory: true },
    { scriptId: 'custbody_review_date', label: 'Review Date', type: 'date', appliesTo: ['invoice'] },
    { scriptId: 'custbody_amount_cap', label: 'Cap', type: 'currency', appliesTo: ['invoice'] },
    { scriptId: 'custbody_region', label: 'Region', type: 'select', selectRecordType: 'department', appliesTo: ['invoice'] },
    { scriptId: 'custcol_project', label: 'Project Code', type: 'text', appliesTo: ['invoice'] },
    { scriptId: 'custentity_segment', label: 'Segment', type: 'checkbox', appliesTo: ['customer'] },
  ],
};

describe('the metadata catalog', () => {
  it('lists the record types with their canonical and alternate links', async () => {
    const harness = createHarness({ shape: SHAPE });
    const response = await harness.call('GET', CATALOG);
    expect(response.status).toBe(200);
    const items = response.body.items as Json[];
    expect(items.map((item) => item.name)).toEqual(['customer', 'invoice', 'customerPayment', 'creditMemo', 'customerRefund']);
    expect(items[1]?.links).toEqual([
      { rel: 'canonical', href: `${ORIGIN}${CATALOG}/invoice`, mediaType: 'application/json' },
      { rel: 'alternate', href: `${ORIGIN}${CATALOG}/invoice`, mediaType: 'application/swagger+json' },
      { rel: 'alternate', href: `${ORIGIN}${CATALOG}/invoice`, mediaType: 'application/schema+json' },
    ]);
    const some = await harness.call('GET', `${CATALOG}?select=invoice,customer`);
    expect((some.body.items as Json[]).map((item) => item.name)).toEqual(['customer', 'invoice']);
  });

  it("gives a type's JSON Schema with the shape's custom fields, nullable, without requiredness", async () => {
    const harness = createHarness({ shape: SHAPE });
    const response = await harness.call('GET', `${CATALOG}/invoice`, { headers: SCHEMA });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/schema+json');
    const schema = response.body;
    expect(schema.type).toBe('object');
    expect(schema).not.toHaveProperty('required');
    const properties = schema.properties as Record<string, Json>;
    expect(properties.custbody_po_number).toEqual({ title: 'PO Number', type: 'string', nullable: true, 'x-ns-custom-field': true });
    expect(properties.custbody_review_date).toMatchObject({ type: 'string', format: 'date', 'x-ns-custom-field': true });
    expect(properties.custbody_amount_cap).toMatchObject({ type: 'number', format: 'double' });
    expect(properties.custbody_region).toMatchObject({ type: 'object', title: 'Region', 'x-ns-custom-field': true, properties: { id: { type: 'string' }, refName: { type: 'string' } } });
    expect(properties.class).toMatchObject({ type: 'object', title: 'Class', nullable: true, properties: { id: { type: 'string' }, refName: { type: 'string' } } });
    expect(properties.class).not.toHaveProperty('x-ns-custom-field');
    expect(properties.total).toMatchObject({ type: 'number', format: 'double', readOnly: true, nullable: true });
    expect(properties.status).toMatchObject({ type: 'object', properties: { id: { enum: ['A', 'B', 'D', 'E', 'V'] } } });
    expect(Object.values(properties).every((property) => property.nullable === true)).toBe(true);
    const line = ((properties.item?.properties as Record<string, Json>).items?.items as Json).properties as Record<string, Json>;
    expect(line.custcol_project).toEqual({ title: 'Project Code', type: 'string', nullable: true, 'x-ns-custom-field': true });
    expect(line.quantity).toMatchObject({ type: 'number', format: 'double' });
    expect(properties).not.toHaveProperty('custentity_segment');
    const customer = (await harness.call('GET', `${CATALOG}/customer`, { headers: SCHEMA })).body.properties as Record<string, Json>;
    expect(customer.custentity_segment).toMatchObject({ type: 'boolean', 'x-ns-custom-field': true });
    expect(customer).not.toHaveProperty('custbody_po_number');
  });

  it('has no custom fields without a shape', async () => {
    const harness = createHarness();
    const properties = (await harness.call('GET', `${CATALOG}/invoice`, { headers: SCHEMA })).body.properties as Record<string, Json>;
    expect(Object.keys(properties).filter((name) => name.startsWith('cust') && name !== 'customForm')).toEqual([]);
  });

  it('refuses OpenAPI (406), an unknown type (404), other methods (405) and unauthenticated requests (401)', async () => {
    const harness = createHarness({ shape: SHAPE });
    const swagger = await harness.call('GET', `${CATALOG}/invoice`, { headers: { accept: 'application/swagger+json' } });
    expect(swagger.status).toBe(406);
    expect(swagger.headers['content-type']).toBe('application/vnd.oracle.resource+json; type=error');
    expect(errorOf(swagger)['o:errorCode']).toBe('NOT_ACCEPTABLE');
    expect(swagger.body).toMatchObject({ status: 406, title: 'Not Acceptable' });
    const unknown = await harness.call('GET', `${CATALOG}/salesOrder`, { headers: SCHEMA });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)['o:errorCode']).toBe('INVALID_RCRD_TYPE');
    expect((await harness.call('POST', `${CATALOG}/invoice`, { headers: SCHEMA, body: {} })).status).toBe(405);
    expect((await harness.call('GET', CATALOG, { auth: false })).status).toBe(401);
  });
});
