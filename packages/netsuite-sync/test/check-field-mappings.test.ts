/**
 * The connection check proves `settings.netsuiteFields` against an account with a shape of its own (the
 * sandbox's custom fields, classes, employees, mandatory custom fields): mapped fields exist in the record
 * type's metadata catalog, take the values given, and every mandatory field is filled; a catalog the role
 * cannot read leaves the item unproved. Reads only: the check never writes.
 */
import { http, HttpResponse } from 'msw';
import type { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetSuiteAccountShape } from '@invoiced/netsuite-sync-sandbox';
import type { ConnectionCheckResult } from '../src/index';
import { checkWorld } from './support/check-world';

let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

const SHAPE: NetSuiteAccountShape = {
  classes: [
    { id: '3', name: 'Europe' },
    { id: '4', name: 'Retired', inactive: true },
  ],
  employees: [{ id: '21', name: 'Dana Rep' }],
  customFields: [
    { scriptId: 'custbody_region', label: 'Region', type: 'text', appliesTo: ['invoice'], mandatory: true },
    { scriptId: 'custcol_cost_center', label: 'Cost Center', type: 'text', appliesTo: ['invoice', 'creditMemo'] },
  ],
  mandatory: { class: true },
};

function world(shape: NetSuiteAccountShape = SHAPE) {
  const w = checkWorld({ shape });
  server = w.server;
  server.listen({ onUnhandledFrame: 'error' });
  const { sandbox } = w;
  /** Requests to NetSuite other than reads (GET, and SuiteQL's POST). */
  const writes = () => sandbox.netsuite.requests.filter((request) => request.method !== 'GET' && !request.path.endsWith('/suiteql')).map((request) => `${request.method} ${request.path}`);
  const catalogReads = () => sandbox.netsuite.requests.filter((request) => request.path.includes('/metadata-catalog/')).map((request) => request.path.split('/').pop());
  return { ...w, writes, catalogReads };
}

const item = (result: ConnectionCheckResult) => result.checks.find((check) => check.name === 'field mappings');
const fieldProblems = (result: ConnectionCheckResult) => result.problems.filter((problem) => problem.check === 'field mappings');

describe('checkConnection proves the field mappings against the account', () => {
  it('lists a mandatory custom field, a declared required class and a mapping to a field that does not exist, writes nothing, and passes once corrected', async () => {
    const w = world();
    const wrong = await w.check({
      ...w.good,
      netsuiteFields: { invoice: { required: ['class'], fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_nope' }] } },
    });
    expect(wrong.ok).toBe(false);
    expect(wrong.settings).toBe('refuted');
    expect(item(wrong)?.ok).toBe(false);
    const problems = fieldProblems(wrong);
    expect(problems.map((problem) => problem.code).toSorted()).toEqual(['MAPPED_FIELD_NOT_FOUND', 'REQUIRED_FIELD_NOT_FILLED', 'REQUIRED_FIELD_NOT_FILLED']);
    expect(problems.map((problem) => problem.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^settings\.netsuiteFields\.invoice\.fields\[0\] maps metadata\.po to custbody_nope, but NetSuite's invoice has no such field/),
        expect.stringMatching(/^settings\.netsuiteFields\.invoice\.defaults\.custbody_region: custbody_region \(Region\) is a mandatory custom field of NetSuite's invoice/),
        expect.stringMatching(/^settings\.netsuiteFields\.invoice\.defaults\.class: class \(Class\) is required by settings\.netsuiteFields\.invoice\.required\[0\]/),
      ]),
    );
    expect(problems.every((problem) => problem.side === 'netsuite' && problem.resolution.length > 0)).toBe(true);
    expect(w.writes()).toEqual([]);

    const corrected = await w.check({
      ...w.good,
      netsuiteFields: { invoice: { required: ['class'], defaults: { class: { id: '3' }, custbody_region: 'EU' }, fields: [{ invoiced: 'metadata.po', netsuite: 'otherRefNum' }] } },
    });
    expect(fieldProblems(corrected)).toEqual([]);
    expect(item(corrected)).toMatchObject({ ok: true, detail: expect.stringContaining('invoice') as string });
    expect(corrected.ok).toBe(true);
    expect(w.writes()).toEqual([]);
  });

  it('finds the mandatory custom field without any mapping, and reads each catalog a custom body field may be on once per client', async () => {
    const w = world();
    const result = await w.check(w.good);
    expect(fieldProblems(result).map((problem) => problem.code)).toEqual(['REQUIRED_FIELD_NOT_FILLED']);
    await w.check(w.good);
    // customfield does not say which records a field applies to: each transaction type's catalog does.
    expect(w.catalogReads().toSorted()).toEqual(['creditMemo', 'customerPayment', 'customerRefund', 'invoice']);
  });

  it('passes an account without mandatory custom fields or mappings without reading any catalog', async () => {
    const w = world({});
    const result = await w.check(w.good);
    expect(item(result)).toMatchObject({ ok: true, detail: 'No field mappings, and no mandatory custom field on the records written.' });
    expect(w.catalogReads()).toEqual([]);
  });

  it('reports classes and sales reps that do not exist or are inactive, and values of the wrong type', async () => {
    const w = world();
    const result = await w.check({
      ...w.good,
      netsuiteFields: {
        invoice: { defaults: { custbody_region: 'EU', class: { id: '4' }, salesRep: { id: '99' } }, lineDefaults: { custcol_cost_center: 7 } },
        customer: { defaults: { custentity_tier: 'gold' } },
      },
    });
    const byCode = fieldProblems(result).map((problem) => `${problem.code} ${problem.message.split(' ')[0] ?? ''}`);
    expect(byCode.toSorted()).toEqual([
      'MAPPED_FIELD_NOT_FOUND settings.netsuiteFields.customer.defaults.custentity_tier',
      'MAPPED_REFERENCE_INACTIVE settings.netsuiteFields.invoice.defaults.class',
      'MAPPED_REFERENCE_NOT_FOUND settings.netsuiteFields.invoice.defaults.salesRep',
      'MAPPED_VALUE_WRONG_TYPE settings.netsuiteFields.invoice.lineDefaults.custcol_cost_center',
    ]);
    expect(fieldProblems(result).find((problem) => problem.code === 'MAPPED_REFERENCE_INACTIVE')?.message).toContain('class 4 (Retired), which is inactive');
  });

  it.each<[string, number, string]>([
    ['the role cannot read the catalog', 403, 'INSUFFICIENT_PERMISSION'],
    ['NetSuite has no catalog endpoint', 404, 'NONEXISTENT_ID'],
  ])('leaves the item unproved, not refuted, when %s, even with a mapping the catalog would refute', async (_, status, code) => {
    const w = world();
    server?.use(
      http.get(`${w.sandbox.netsuite.baseUrl}/services/rest/record/v1/metadata-catalog/:type`, () =>
        HttpResponse.json({ title: 'Refused', status, 'o:errorDetails': [{ detail: 'Not available to this role.', 'o:errorCode': code }] }, { status }),
      ),
    );
    const result = await w.check({ ...w.good, netsuiteFields: { invoice: { fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_nope' }] } } });
    expect(result.settings).toBe('unproved');
    expect(item(result)?.ok).toBe(false);
    expect(fieldProblems(result).map((problem) => problem.code)).toEqual(['METADATA_CATALOG_UNREADABLE']);
    expect(fieldProblems(result)[0]?.message).toContain('the metadata catalog of invoice, creditMemo, customerPayment, customerRefund: NetSuite GET');
    expect(fieldProblems(result)[0]?.resolution).toContain('Setup > REST Web Services');
  });

  it('leaves the item unproved when the role cannot read the custom field definitions', async () => {
    const refused = world();
    server?.use(
      http.post(`${refused.sandbox.netsuite.baseUrl}/services/rest/query/v1/suiteql`, async ({ request }) => {
        const body = (await request.clone().json()) as { q?: string };
        if (!/\bFROM\s+customfield\b/i.test(body.q ?? '')) return undefined;
        return HttpResponse.json(
          { title: 'Bad Request', status: 400, 'o:errorDetails': [{ detail: "Invalid search query. Search error occurred: Record 'customfield' was not found.", 'o:errorCode': 'INVALID_PARAMETER' }] },
          { status: 400 },
        );
      }),
    );
    const blind = await refused.check(refused.good);
    expect(blind.settings).toBe('unproved');
    expect(fieldProblems(blind).map((problem) => problem.code)).toEqual(['CUSTOM_FIELDS_UNREADABLE']);
  });

  it('proves every subsidiary a subsidiary rule names, each problem naming its rule', async () => {
    const w = world();
    const result = await w.check({
      ...w.good,
      netsuiteFields: { invoice: { defaults: { custbody_region: 'EU' } } },
      subsidiary: [
        { when: { currency: 'EUR' }, subsidiary: '4242' },
        { subsidiary: w.good.subsidiary ?? '1' },
      ],
    });
    expect(result.problems.map((problem) => `${problem.check}:${problem.code}`)).toEqual(['subsidiary:SUBSIDIARY_NOT_FOUND']);
    expect(result.problems[0]?.message).toMatch(/^settings\.subsidiary\[0\] is 4242, but NetSuite has no subsidiary/);
  });
});
