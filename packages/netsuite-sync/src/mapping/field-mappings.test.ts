import { describe, expect, it } from 'vitest';
import { netsuiteFieldsSchema, recordMappingSchema, subsidiarySettingSchema } from './field-mapping-schemas';
import { applyNetSuiteFields, invoicedFieldsFromNetSuite, mappedColumns, mergeMetadata, ruleHolds, subsidiaryFor, toNetSuiteValue } from './field-mappings';
import { MappingError } from './errors';

const mapping = (input: unknown) => recordMappingSchema.parse(input);
const field = (input: Record<string, unknown>) => mapping({ fields: [input] }).fields[0]!;

describe('netsuiteFieldsSchema', () => {
  it('fills defaults and accepts references, text, numbers, checkboxes and null', () => {
    const parsed = netsuiteFieldsSchema.parse({ invoice: { defaults: { class: { id: '3' }, custbody_region: 'EU', custbody_score: 2, custbody_ok: true, custbody_gone: null } } });
    expect(parsed.invoice).toEqual({
      defaults: { class: { id: '3' }, custbody_region: 'EU', custbody_score: 2, custbody_ok: true, custbody_gone: null },
      lineDefaults: {},
      rules: [],
      fields: [],
      required: [],
    });
  });

  it('refuses fields the sync writes itself, with the path of each', () => {
    const result = netsuiteFieldsSchema.safeParse({
      invoice: { defaults: { entity: { id: '1' } }, lineDefaults: { amount: 3 }, fields: [{ invoiced: 'metadata.x', netsuite: 'externalId' }] },
      customer: { rules: [{ when: {}, set: { subsidiary: { id: '2' } } }] },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['invoice.defaults.entity', 'invoice.lineDefaults.amount', 'invoice.fields.0.netsuite', 'customer.rules.0.set.subsidiary']));
  });

  it('refuses what a record type cannot have: payment metadata, payment read-back, lines on payments, lines back to Invoiced', () => {
    const result = netsuiteFieldsSchema.safeParse({
      customerPayment: {
        rules: [{ when: { metadata: { a: 'b' } }, set: {} }],
        fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_po' }, { invoiced: 'reference', netsuite: 'custbody_ref', direction: 'both' }],
        lineDefaults: { class: { id: '1' } },
      },
      invoice: { fields: [{ invoiced: 'metadata.k', netsuite: 'custcol_k', line: true }, { invoiced: 'number', netsuite: 'custbody_n', direction: 'to_invoiced' }] },
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('customerPayment.rules.0.when.metadata: Invoiced payments have no metadata'),
        expect.stringContaining('customerPayment.fields.0.invoiced: must be one of method'),
        expect.stringContaining('customerPayment.fields.1.direction'),
        expect.stringContaining('customerPayment.lineDefaults: a customerPayment has no item lines'),
        expect.stringContaining('invoice.fields.0.direction: item line mappings go to NetSuite only'),
        expect.stringContaining('invoice.fields.1.invoiced: number is written by the sync itself'),
      ]),
    );
  });

  it('takes a subsidiary as an ID or as rules', () => {
    expect(subsidiarySettingSchema.parse('2')).toBe('2');
    expect(subsidiarySettingSchema.parse([{ when: { currency: 'eur' }, subsidiary: '3' }, { subsidiary: '1' }])).toEqual([
      { when: { currency: 'eur' }, subsidiary: '3' },
      { when: {}, subsidiary: '1' },
    ]);
    expect(subsidiarySettingSchema.safeParse([]).success).toBe(false);
  });
});

describe('applyNetSuiteFields', () => {
  const body = { externalId: 'invd-inv-1', entity: { id: '7' }, item: { items: [{ item: { id: '12' }, amount: 10 }, { item: { id: '90' }, amount: 1 }] } };
  const invoice = { id: 1, currency: 'eur', metadata: { po: 'PO-77', region: 'north' }, items: [{ name: 'Work', metadata: { project: '44' } }] };

  it('applies defaults, then each rule that holds in order, then field mappings; lines get line defaults and line mappings', () => {
    const rules = mapping({
      defaults: { class: { id: '1' }, custbody_region: 'ANY' },
      lineDefaults: { department: { id: '5' } },
      rules: [
        { when: { currency: 'EUR' }, set: { class: { id: '2' } } },
        { when: { currency: 'USD' }, set: { class: { id: '9' } } },
        { when: { metadata: { region: 'north' } }, set: { custbody_region: 'N' }, lines: { location: { id: '4' } } },
      ],
      fields: [
        { invoiced: 'metadata.po', netsuite: 'otherRefNum' },
        { invoiced: 'metadata.project', netsuite: 'custcol_project', type: 'ref', line: true, direction: 'to_netsuite' },
      ],
    });
    const result = applyNetSuiteFields('invoice', body, rules, invoice, { label: 'Invoice 1', currency: invoice.currency, metadata: invoice.metadata });
    expect(result).toEqual({
      externalId: 'invd-inv-1',
      entity: { id: '7' },
      class: { id: '2' },
      custbody_region: 'N',
      otherRefNum: 'PO-77',
      item: {
        items: [
          { item: { id: '12' }, amount: 10, department: { id: '5' }, location: { id: '4' }, custcol_project: { id: '44' } },
          { item: { id: '90' }, amount: 1, department: { id: '5' }, location: { id: '4' }, custcol_project: null },
        ],
      },
    });
    expect(body.item.items[0]).toEqual({ item: { id: '12' }, amount: 10 });
  });

  it('writes null for a mapped field without a value (so a cleared value is cleared in NetSuite), unless a default fills it', () => {
    const rules = mapping({ defaults: { custbody_b: 'fallback' }, fields: [{ invoiced: 'metadata.a', netsuite: 'custbody_a' }, { invoiced: 'metadata.b', netsuite: 'custbody_b' }] });
    expect(applyNetSuiteFields('invoice', {}, rules, { metadata: {} }, { label: 'x' })).toEqual({ custbody_a: null, custbody_b: 'fallback' });
  });

  it('tests the subsidiary and the customer the engine gives', () => {
    expect(ruleHolds({ subsidiary: '3' }, { subsidiary: '3' })).toBe(true);
    expect(ruleHolds({ subsidiary: '3' }, {})).toBe(false);
    expect(ruleHolds({ customer: '15' }, { customer: 15 })).toBe(true);
    expect(ruleHolds({ metadata: { tier: 'gold' } }, { metadata: { tier: 'silver' } })).toBe(false);
  });

  it('returns the body as it is without mappings for the type', () => {
    const same = { externalId: 'x' };
    expect(applyNetSuiteFields('customer', same, undefined, {}, { label: 'x' })).toBe(same);
  });
});

describe('toNetSuiteValue', () => {
  it('converts by type', () => {
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'number' }), '12.5', 'x')).toBe(12.5);
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'money' }), 3, 'x')).toBe(3);
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'boolean' }), 'Yes', 'x')).toBe(true);
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'boolean' }), 'false', 'x')).toBe(false);
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'ref' }), 42, 'x')).toEqual({ id: '42' });
    // A UNIX time is a day in the account's time zone: 2026-03-01T05:00Z is still February 28 in Los Angeles.
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'date' }), 1772341200, 'x', 'America/Los_Angeles')).toBe('2026-02-28');
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type: 'date' }), '2026-03-01', 'x')).toBe('2026-03-01');
    expect(toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a' }), '  ', 'x')).toBeNull();
  });

  it('refuses a value of the wrong kind as the record error FIELD_VALUE_INVALID, naming both fields', () => {
    const check = (type: string, value: unknown) => () => toNetSuiteValue(field({ invoiced: 'metadata.a', netsuite: 'custbody_a', type }), value, 'Invoice INV-9');
    for (const [type, value] of [['number', 'twelve'], ['boolean', 'maybe'], ['ref', 'Acme'], ['date', '03/01/2026'], ['text', { a: 1 }]] as const) {
      expect(check(type, value)).toThrow(MappingError);
      try {
        check(type, value)();
      } catch (error) {
        expect((error as MappingError).code).toBe('FIELD_VALUE_INVALID');
        expect((error as MappingError).message).toContain('Invoice INV-9: metadata.a is');
        expect((error as MappingError).message).toContain('custbody_a');
      }
    }
  });
});

describe('subsidiaryFor', () => {
  const rules = subsidiarySettingSchema.parse([{ when: { currency: 'gbp' }, subsidiary: '4' }, { when: { metadata: { region: 'emea' } }, subsidiary: '3' }]) as Exclude<ReturnType<typeof subsidiarySettingSchema.parse>, string>;

  it('gives the setting, or the first rule that holds', () => {
    expect(subsidiaryFor(undefined, {}, 'x')).toBeUndefined();
    expect(subsidiaryFor('2', {}, 'x')).toBe('2');
    expect(subsidiaryFor(rules, { currency: 'GBP', metadata: { region: 'emea' } }, 'x')).toBe('4');
    expect(subsidiaryFor(rules, { currency: 'eur', metadata: { region: 'emea' } }, 'x')).toBe('3');
  });

  it('is a record error when no rule holds', () => {
    expect(() => subsidiaryFor(rules, { currency: 'usd' }, 'Customer "Acme"')).toThrow(/^Customer "Acme": no subsidiary rule holds/);
    expect(() => subsidiaryFor(rules, { currency: 'usd' }, 'x')).toThrow(expect.objectContaining({ code: 'SUBSIDIARY_RULE_NOT_MATCHED' }));
  });
});

describe('read back to Invoiced', () => {
  const settings = netsuiteFieldsSchema.parse({
    invoice: {
      fields: [
        { invoiced: 'metadata.po', netsuite: 'custbody_po' },
        { invoiced: 'metadata.due', netsuite: 'custbody_due', type: 'date' },
        { invoiced: 'metadata.rush', netsuite: 'custbody_rush', type: 'boolean' },
        { invoiced: 'notes', netsuite: 'memo', direction: 'to_invoiced' },
        { invoiced: 'metadata.only_out', netsuite: 'custbody_out', direction: 'to_netsuite' },
      ],
    },
  });

  it('names the columns to read, dates as days', () => {
    expect(mappedColumns(settings, 'invoice')).toEqual([
      { column: 'custbody_po', date: false },
      { column: 'custbody_due', date: true },
      { column: 'custbody_rush', date: false },
      { column: 'memo', date: false },
    ]);
    expect(mappedColumns(settings, 'customerPayment')).toEqual([]);
  });

  it('maps a SuiteQL row to fields and metadata; empty values are removals', () => {
    expect(invoicedFieldsFromNetSuite(settings, 'invoice', { custbody_po: 'PO-1', custbody_due: '2026-04-01', custbody_rush: 'T', memo: 'hello' }, 'x')).toEqual({
      fields: { notes: 'hello' },
      metadata: { po: 'PO-1', due: '2026-04-01', rush: 'true' },
    });
    expect(invoicedFieldsFromNetSuite(settings, 'invoice', {}, 'x')).toEqual({ fields: { notes: null }, metadata: { po: null, due: null, rush: null } });
  });

  it('refuses a value too long for Invoiced metadata', () => {
    expect(() => invoicedFieldsFromNetSuite(settings, 'invoice', { custbody_po: 'x'.repeat(256) }, 'Invoice 7')).toThrow(expect.objectContaining({ code: 'FIELD_VALUE_INVALID' }));
  });

  it('merges mapped metadata into what Invoiced has, keeping other keys', () => {
    expect(mergeMetadata({ netsuite_id: '5', mine: 'keep', po: 'old', gone: 'x' }, { po: 'new', gone: null })).toEqual({ netsuite_id: '5', mine: 'keep', po: 'new' });
  });
});
