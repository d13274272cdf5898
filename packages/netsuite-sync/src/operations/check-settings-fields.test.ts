import { describe, expect, it } from 'vitest';
import { recordMappingSchema, type RecordMapping } from '../mapping/field-mapping-schemas';
import type { CatalogField, CatalogFieldKind, RecordCatalog } from '../netsuite/metadata';
import { fieldMappingProblems } from './check-settings-fields-analysis';

function field(name: string, kind: CatalogFieldKind, extra: Partial<CatalogField> = {}): [string, CatalogField] {
  return [name.toLowerCase(), { name, kind, custom: /^cust/.test(name), readOnly: false, ...extra }];
}

/** An invoice catalog built by hand: a few standard fields, custom ones, and item lines. */
const INVOICE: RecordCatalog = {
  type: 'invoice',
  fields: new Map([
    field('otherRefNum', 'string', { title: 'PO/Check Number' }),
    field('memo', 'string'),
    field('class', 'reference'),
    field('department', 'reference'),
    field('salesRep', 'reference'),
    field('approvalStatus', 'select', { enum: ['1', '2'] }),
    field('isTaxable', 'boolean'),
    field('discountRate', 'number'),
    field('tranId', 'string'),
    field('saleseffectivedate', 'date'),
    field('amountPaid', 'number', { readOnly: true }),
    field('item', 'sublist'),
    field('billingAddress', 'other'),
    field('custbody_region', 'string', { title: 'Region' }),
    field('custbody_approved', 'boolean', { title: 'Approved' }),
  ]),
  lineFields: new Map([field('item', 'reference'), field('rate', 'number'), field('class', 'reference'), field('custcol_cost_center', 'string', { title: 'Cost Center' })]),
};

const WRITES = { writes: true, reads: true };
const mapping = (input: Record<string, unknown>): RecordMapping => recordMappingSchema.parse(input);
const run = (input: Record<string, unknown>, mandatory: readonly string[] = [], use = WRITES) => fieldMappingProblems('invoice', mapping(input), INVOICE, new Set(mandatory), use);
const codes = (problems: ReturnType<typeof run>) => problems.map((problem) => problem.code);

describe('fieldMappingProblems', () => {
  it('passes mappings that fit the catalog, field names in any case', () => {
    const problems = run({
      defaults: { class: { id: '3' }, CUSTBODY_REGION: 'EU', isTaxable: false, discountRate: 2.5, saleseffectivedate: '2026-01-31', memo: null },
      lineDefaults: { custcol_cost_center: 'CC-1' },
      rules: [{ when: { currency: 'eur' }, set: { department: { id: '4' }, approvalStatus: { id: '2' } }, lines: { class: { id: '5' } } }],
      fields: [
        { invoiced: 'metadata.po', netsuite: 'otherRefNum' },
        { invoiced: 'metadata.approved', netsuite: 'custbody_approved', type: 'boolean' },
        { invoiced: 'metadata.rep', netsuite: 'salesRep', type: 'ref', direction: 'to_netsuite' },
        { invoiced: 'metadata.cc', netsuite: 'custcol_cost_center', line: true, direction: 'to_netsuite' },
      ],
    });
    expect(problems).toEqual([]);
  });

  it('reports a field the record type does not have, in a default, a rule, a line default and a mapping, naming the setting path', () => {
    const problems = run({
      defaults: { custbody_nope: 'x' },
      lineDefaults: { custcol_missing: 'y' },
      rules: [{ set: { custbody_gone: 'z' } }],
      fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }],
    });
    expect(codes(problems)).toEqual(['MAPPED_FIELD_NOT_FOUND', 'MAPPED_FIELD_NOT_FOUND', 'MAPPED_FIELD_NOT_FOUND', 'MAPPED_FIELD_NOT_FOUND']);
    expect(problems.map((problem) => problem.message.split(' ')[0])).toEqual([
      'settings.netsuiteFields.invoice.defaults.custbody_nope',
      'settings.netsuiteFields.invoice.lineDefaults.custcol_missing',
      'settings.netsuiteFields.invoice.rules[0].set.custbody_gone',
      'settings.netsuiteFields.invoice.fields[0]',
    ]);
    expect(problems[1]?.message).toContain('the item lines of NetSuite');
    expect(problems[3]?.message).toContain('maps metadata.po to custbody_po');
    expect(problems[0]?.resolution).toContain('Transaction Body Fields');
  });

  it('checks a read-back mapping even when the type is not written, and nothing else then', () => {
    const problems = run({ defaults: { custbody_nope: 'x' }, fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po', direction: 'to_invoiced' }] }, ['custbody_region'], { writes: false, reads: true });
    expect(codes(problems)).toEqual(['MAPPED_FIELD_NOT_FOUND']);
    expect(problems[0]?.message).toContain('fields[0]');
    expect(run({ fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po', direction: 'to_netsuite' }] }, [], { writes: false, reads: true })).toEqual([]);
  });

  it('reports a read-only field set by a default or written by a mapping, but not one only read back', () => {
    expect(codes(run({ defaults: { amountPaid: 5 } }))).toEqual(['MAPPED_FIELD_READ_ONLY']);
    expect(codes(run({ fields: [{ invoiced: 'metadata.paid', netsuite: 'amountPaid', type: 'money' }] }))).toEqual(['MAPPED_FIELD_READ_ONLY']);
    expect(run({ fields: [{ invoiced: 'metadata.paid', netsuite: 'amountPaid', type: 'money', direction: 'to_invoiced' }] })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a reference given as text', { class: '3' }],
    ['a select given as a number', { approvalStatus: 2 }],
    ['a checkbox given as text', { custbody_approved: 'T' }],
    ['a number given as text', { discountRate: '2.5' }],
    ['text given as a number', { memo: 42 }],
    ['text given as a reference', { custbody_region: { id: '1' } }],
    ['a day not written YYYY-MM-DD', { saleseffectivedate: '01/31/2026' }],
    ['a sublist given a value', { billingAddress: null, item: 'x' }],
  ])('reports %s as MAPPED_VALUE_WRONG_TYPE', (_, defaults) => {
    const problems = run({ defaults });
    expect(codes(problems)).toEqual(['MAPPED_VALUE_WRONG_TYPE']);
    expect(problems[0]?.message).toMatch(/^settings\.netsuiteFields\.invoice\.defaults\.\w+ is .*, but \w+ of NetSuite's invoice takes /);
  });

  it("reports a select value its enum does not list as MAPPED_REFERENCE_NOT_FOUND, and concludes nothing of a subrecord's value", () => {
    expect(codes(run({ defaults: { approvalStatus: { id: '9' } } }))).toEqual(['MAPPED_REFERENCE_NOT_FOUND']);
    expect(run({ defaults: { billingAddress: 'anything' } })).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['text', 'class', "'ref'"],
    ['ref', 'memo', "'text'"],
    ['boolean', 'discountRate', "'number'"],
    ['number', 'custbody_approved', "'boolean'"],
    ['date', 'otherRefNum', "'text'"],
    ['money', 'saleseffectivedate', "'date'"],
  ])('reports a mapping of type %s to %s as MAPPED_VALUE_WRONG_TYPE, suggesting the type that fits', (type, netsuite, fitting) => {
    const problems = run({ fields: [{ invoiced: 'metadata.x', netsuite, type, direction: 'to_netsuite' }] });
    expect(codes(problems)).toEqual(['MAPPED_VALUE_WRONG_TYPE']);
    expect(problems[0]?.message).toContain(`maps metadata.x to ${netsuite} as type ${type}`);
    expect(problems[0]?.resolution).toContain(`type to ${fitting}`);
  });

  it('reports a mandatory custom field of the type that no default or unconditional rule fills', () => {
    const [problem, ...rest] = run({}, ['custbody_region', 'custentity_other']);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'REQUIRED_FIELD_NOT_FILLED' });
    expect(problem?.message).toBe(
      "settings.netsuiteFields.invoice.defaults.custbody_region: custbody_region (Region) is a mandatory custom field of NetSuite's invoice, but neither the defaults nor a rule without conditions fills it: every invoice written would be refused.",
    );
    expect(problem?.resolution).toMatch(/^Add a default: set settings\.netsuiteFields\.invoice\.defaults\.custbody_region/);
    expect(problem?.resolution).toContain('Transaction Body Fields');
    expect(run({ defaults: { custbody_region: 'EU' } }, ['custbody_region'])).toEqual([]);
    expect(run({ rules: [{ set: { custbody_region: 'EU' } }] }, ['custbody_region'])).toEqual([]);
    expect(run({ rules: [{ when: { metadata: {} }, set: { custbody_region: 'EU' } }] }, ['custbody_region'])).toEqual([]);
  });

  it('reports a required field that only a mapping or a conditional rule fills, saying which records would be refused', () => {
    const [problem] = run({ rules: [{ when: { currency: 'EUR' }, set: { custbody_region: 'EU' } }], fields: [{ invoiced: 'metadata.region', netsuite: 'custbody_region', direction: 'to_netsuite' }] }, ['custbody_region']);
    expect(problem?.code).toBe('REQUIRED_FIELD_NOT_FILLED');
    expect(problem?.message).toContain('only settings.netsuiteFields.invoice.rules[0] and settings.netsuiteFields.invoice.fields[0] (metadata.region) fill it: invoices without that value, or outside that rule, would be refused');
    expect(problem?.resolution).toContain('Add a default');
  });

  it('reports a default emptied by a later unconditional rule, and a mandatory item line field without a line default', () => {
    expect(codes(run({ defaults: { custbody_region: 'EU' }, rules: [{ set: { custbody_region: null } }] }, ['custbody_region']))).toEqual(['REQUIRED_FIELD_NOT_FILLED']);
    const [line] = run({}, ['custcol_cost_center']);
    expect(line?.message).toMatch(/^settings\.netsuiteFields\.invoice\.lineDefaults\.custcol_cost_center: custcol_cost_center \(Cost Center\) of item lines is a mandatory custom field/);
    expect(run({ lineDefaults: { custcol_cost_center: 'CC' } }, ['custcol_cost_center'])).toEqual([]);
  });

  it("reports the settings' required fields the defaults do not fill, and one the catalog does not know", () => {
    const problems = run({ required: ['class', 'nonsense'] });
    expect(codes(problems)).toEqual(['MAPPED_FIELD_NOT_FOUND', 'REQUIRED_FIELD_NOT_FILLED']);
    expect(problems[0]?.message).toContain('settings.netsuiteFields.invoice.required[1] declares required nonsense');
    expect(problems[1]?.message).toBe(
      "settings.netsuiteFields.invoice.defaults.class: class is required by settings.netsuiteFields.invoice.required[0], but neither the defaults nor a rule without conditions fills it: every invoice written would be refused.",
    );
    expect(problems[1]?.resolution).toContain('Make Classes/Departments/Locations Mandatory');
    expect(run({ required: ['class'], defaults: { class: { id: '3' } } })).toEqual([]);
  });

  it('proves nothing of item lines the catalog does not describe, and nothing required of a type not written', () => {
    const noLines: RecordCatalog = { ...INVOICE, lineFields: undefined };
    expect(fieldMappingProblems('invoice', mapping({ lineDefaults: { custcol_anything: 'x' } }), noLines, new Set(), WRITES)).toEqual([]);
    expect(run({ required: ['class'] }, ['custbody_region'], { writes: false, reads: true })).toEqual([]);
  });
});
