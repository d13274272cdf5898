/**
 * An account's own shape over HTTP: classifications, forms and custom fields written through REST,
 * refused when a reference is unknown or inactive, when a value has the wrong type, or when a mandatory
 * field is left empty; read back by GET and SuiteQL. The `state` API may leave mandatory fields empty.
 */
import { describe, expect, it } from 'vitest';
import { NetSuiteShapeError, type NetSuiteAccountShape } from './account-shape';
import { createHarness, errorOf, idFromLocation, itemsOf, smallBooks, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';
const SUITEQL = '/services/rest/query/v1/suiteql';
const STRICT = { 'X-NetSuite-PropertyNameValidation': 'Error' };

const SHAPE: NetSuiteAccountShape = {
  subsidiaries: [{ id: '2', name: 'Honeycomb UK', currency: '3' }],
  classes: [{ id: '1', name: 'Consulting' }, { id: '2', name: 'Retired', inactive: true }],
  departments: [{ id: '5', name: 'Sales' }, { id: '6', name: 'Support' }],
  locations: [{ id: '7', name: 'Berlin' }],
  employees: [{ id: '30', name: 'Sam Rep' }],
  customFields: [
    { scriptId: 'custbody_po_number', label: 'PO Number', type: 'text', appliesTo: ['invoice'], mandatory: true },
    { scriptId: 'custbody_review_date', label: 'Review Date', type: 'date', appliesTo: ['invoice', 'creditMemo'] },
    { scriptId: 'custbody_region', label: 'Region', type: 'select', selectRecordType: 'department', appliesTo: ['invoice'] },
    { scriptId: 'custbody_priority', label: 'Priority', type: 'integer', appliesTo: ['invoice'] },
    { scriptId: 'custbody_rush', label: 'Rush', type: 'checkbox', appliesTo: ['invoice'] },
    { scriptId: 'custcol_project', label: 'Project Code', type: 'text', appliesTo: ['invoice'], mandatory: true },
    { scriptId: 'custentity_segment', label: 'Segment', type: 'text', appliesTo: ['customer'] },
  ],
};

function arrange(shape: NetSuiteAccountShape = SHAPE): { harness: TestHarness; customer: string } {
  const harness = createHarness({ shape });
  const customer = String(harness.service.state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  return { harness, customer };
}

const line = (extra: Record<string, unknown> = {}) => ({ item: { id: '1' }, amount: 100, custcol_project: 'P-1', ...extra });
const invoice = (customer: string, extra: Record<string, unknown> = {}) => ({ entity: { id: customer }, custbody_po_number: 'PO-9', item: { items: [line()] }, ...extra });
const post = (harness: TestHarness, type: string, body: unknown) => harness.call('POST', `${RECORDS}/${type}`, { body, headers: STRICT });
const suiteql = async (harness: TestHarness, q: string) => harness.call('POST', SUITEQL, { body: { q }, headers: { prefer: 'transient' } });

describe('mandatory fields of the account shape', () => {
  it('refuses a create without a mandatory custom field, naming its label and path, and writes nothing', async () => {
    const { harness, customer } = arrange();
    const response = await post(harness, 'invoice', invoice(customer, { custbody_po_number: undefined }));
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'custbody_po_number', detail: 'Error while accessing a resource. Please enter value(s) for: PO Number' });
    const empty = await post(harness, 'invoice', invoice(customer, { custbody_po_number: '' }));
    expect(errorOf(empty)['o:errorPath']).toBe('custbody_po_number');
    expect(harness.service.state.count('invoice')).toBe(0);
  });

  it('needs a mandatory line field on each item line, and refuses clearing a mandatory field on update', async () => {
    const { harness, customer } = arrange();
    const missing = await post(harness, 'invoice', invoice(customer, { item: { items: [line(), { item: { id: '1' }, amount: 5 }] } }));
    expect(errorOf(missing)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'item.items[1].custcol_project' });
    expect(errorOf(missing).detail).toContain('Project Code');
    const created = await post(harness, 'invoice', invoice(customer));
    expect(created.status).toBe(204);
    const id = idFromLocation(created);
    const cleared = await harness.call('PATCH', `${RECORDS}/invoice/${id}`, { body: { custbody_po_number: null } });
    expect(errorOf(cleared)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'custbody_po_number' });
    const other = await harness.call('PATCH', `${RECORDS}/invoice/${id}`, { body: { memo: 'fine' } });
    expect(other.status).toBe(204);
  });

  it('makes class mandatory on transactions when the accounting preference says so, not on customers', async () => {
    const { harness, customer } = arrange({ classes: [{ id: '1', name: 'Consulting' }], mandatory: { class: true } });
    const body = { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 10 }] } };
    const refused = await post(harness, 'invoice', body);
    expect(errorOf(refused)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'class', detail: 'Error while accessing a resource. Please enter value(s) for: Class' });
    const payment = await post(harness, 'customerPayment', { customer: { id: customer }, payment: 5 });
    expect(errorOf(payment)['o:errorPath']).toBe('class');
    expect((await post(harness, 'invoice', { ...body, class: { id: '1' } })).status).toBe(204);
    expect((await post(harness, 'customer', { companyName: 'Globex', subsidiary: { id: '1' } })).status).toBe(204);
  });

  it('checks a PUT eid: that creates, and mandatory entity fields on customers', async () => {
    const shape: NetSuiteAccountShape = { customFields: [...(SHAPE.customFields ?? []), { scriptId: 'custentity_tier', label: 'Tier', type: 'integer', appliesTo: ['customer'], mandatory: true }] };
    const { harness, customer } = arrange(shape);
    const put = await harness.call('PUT', `${RECORDS}/invoice/eid:inv-1`, { body: invoice(customer, { custbody_po_number: undefined }), headers: STRICT });
    expect(errorOf(put)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'custbody_po_number' });
    expect((await harness.call('PUT', `${RECORDS}/invoice/eid:inv-1`, { body: invoice(customer) })).status).toBe(204);
    expect((await harness.call('PUT', `${RECORDS}/invoice/eid:inv-1`, { body: { memo: 'again' } })).status).toBe(204);
    const refused = await post(harness, 'customer', { companyName: 'Globex', subsidiary: { id: '1' } });
    expect(errorOf(refused)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'custentity_tier', detail: 'Error while accessing a resource. Please enter value(s) for: Tier' });
    const created = await post(harness, 'customer', { companyName: 'Globex', subsidiary: { id: '1' }, custentity_tier: 2 });
    expect(harness.service.state.get('customer', idFromLocation(created))).toMatchObject({ custentity_tier: 2 });
  });

  it("applies the preferred form, shows it as the record's customForm, and requires what the form makes mandatory", async () => {
    const { harness, customer } = arrange({
      customForms: [
        { id: '120', recordType: 'invoice', name: 'Acme Invoice', preferred: true, mandatory: ['otherRefNum'] },
        { id: '121', recordType: 'invoice', name: 'Plain Invoice' },
        { id: '130', recordType: 'creditMemo', name: 'Acme Credit' },
      ],
    });
    const body = { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 10 }] } };
    const refused = await post(harness, 'invoice', body);
    expect(errorOf(refused)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'otherRefNum', detail: 'Error while accessing a resource. Please enter value(s) for: PO/Check Number' });
    const created = await post(harness, 'invoice', { ...body, otherRefNum: 'PO-1' });
    expect(harness.service.state.get('invoice', idFromLocation(created))).toMatchObject({ customForm: { id: '120', refName: 'Acme Invoice' }, otherRefNum: 'PO-1' });
    expect((await post(harness, 'invoice', { ...body, customForm: { id: '121' } })).status).toBe(204);
    const wrongType = await post(harness, 'invoice', { ...body, customForm: { id: '130' } });
    expect(errorOf(wrongType)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'customForm' });
  });

  it('lets the state API leave mandatory fields empty (a person importing), and REST then update other fields', async () => {
    const { harness, customer } = arrange({ ...SHAPE, mandatory: { department: true } });
    const record = harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount: 10 }] } });
    expect(record).not.toHaveProperty('custbody_po_number');
    expect(record).not.toHaveProperty('department');
    const patched = await harness.call('PATCH', `${RECORDS}/invoice/${String(record.id)}`, { body: { memo: 'imported' } });
    expect(patched.status).toBe(204);
    expect(harness.service.state.update('invoice', String(record.id), { custbody_po_number: null })).not.toHaveProperty('custbody_po_number');
  });
});

describe('references and values of the account shape', () => {
  it('refuses an unknown class, department or location with INVALID_CONTENT and an inactive one with USER_ERROR', async () => {
    const { harness, customer } = arrange();
    expect(errorOf(await post(harness, 'invoice', invoice(customer, { class: { id: '99' } })))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'class' });
    expect(errorOf(await post(harness, 'invoice', invoice(customer, { class: { id: '2' } })))).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'class' });
    expect(errorOf(await post(harness, 'invoice', invoice(customer, { salesRep: { id: '31' } })))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'salesRep' });
    const onLine = await post(harness, 'invoice', invoice(customer, { item: { items: [line({ location: { id: '8' } })] } }));
    expect(errorOf(onLine)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'item.items[0].location' });
    harness.service.state.setInactive('department', '6', true);
    expect(errorOf(await post(harness, 'invoice', invoice(customer, { custbody_region: { id: '6' } })))).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'custbody_region' });
    expect(harness.service.state.count('invoice')).toBe(0);
  });

  it('type-checks custom field values', async () => {
    const { harness, customer } = arrange();
    const cases: [Record<string, unknown>, string][] = [
      [{ custbody_priority: 'high' }, 'custbody_priority'],
      [{ custbody_priority: 1.5 }, 'custbody_priority'],
      [{ custbody_review_date: '03/01/2026' }, 'custbody_review_date'],
      [{ custbody_rush: 'T' }, 'custbody_rush'],
      [{ custbody_po_number: 42 }, 'custbody_po_number'],
      [{ custbody_region: { id: '99' } }, 'custbody_region'],
    ];
    for (const [extra, path] of cases) {
      const response = await post(harness, 'invoice', invoice(customer, extra));
      expect(errorOf(response), JSON.stringify(extra)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': path });
    }
  });

  it('knows a custom field only on the record types it applies to, and no undefined one', async () => {
    const { harness, customer } = arrange();
    const memo = await post(harness, 'creditMemo', { entity: { id: customer }, custbody_po_number: 'x', item: { items: [{ item: { id: '1' }, amount: 5 }] } });
    expect(errorOf(memo)).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'custbody_po_number' });
    expect(errorOf(await post(harness, 'invoice', invoice(customer, { custbody_nope: 'x' })))).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'custbody_nope' });
    expect(errorOf(await post(harness, 'customer', { companyName: 'G', subsidiary: { id: '1' }, class: { id: '1' } }))).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'class' });
    expect(errorOf(await post(harness, 'customerPayment', { customer: { id: customer }, payment: 5, salesRep: { id: '30' } }))).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD' });
    const query = await suiteql(harness, 'SELECT custbody_nope FROM transaction');
    expect(query.status).toBe(400);
    expect(errorOf(query)['o:errorCode']).toBe('INVALID_PARAMETER');
  });
});

describe('reading the account shape', () => {
  it('returns custom and classification fields by GET and SuiteQL', async () => {
    const { harness, customer } = arrange();
    const created = await post(
      harness,
      'invoice',
      invoice(customer, {
        class: { id: '1' },
        department: { id: '5' },
        location: { id: '7' },
        salesRep: { id: '30' },
        custbody_review_date: '2026-04-30',
        custbody_region: { id: '6' },
        custbody_priority: 3,
        custbody_rush: true,
        item: { items: [line({ class: { id: '1' } })] },
      }),
    );
    expect(created.status).toBe(204);
    const id = idFromLocation(created);
    const record = (await harness.call('GET', `${RECORDS}/invoice/${id}?expandSubResources=true`)).body;
    expect(record).toMatchObject({
      class: { id: '1', refName: 'Consulting' },
      department: { id: '5', refName: 'Sales' },
      location: { id: '7', refName: 'Berlin' },
      salesRep: { id: '30', refName: 'Sam Rep' },
      custbody_po_number: 'PO-9',
      custbody_review_date: '2026-04-30',
      custbody_region: { id: '6', refName: 'Support' },
      custbody_priority: 3,
      custbody_rush: true,
    });
    expect(itemsOf(record.item as Record<string, unknown>)[0]).toMatchObject({ class: { id: '1', refName: 'Consulting' }, custcol_project: 'P-1' });
    const rows = itemsOf(
      await suiteql(
        harness,
        `SELECT custbody_po_number, TO_CHAR(custbody_review_date, 'YYYY-MM-DD') AS review, custbody_region, BUILTIN.DF(custbody_region) AS region,
          custbody_priority, custbody_rush, class, BUILTIN.DF(t.department) AS dept, salesrep FROM transaction t WHERE id = ${id}`,
      ),
    );
    expect(rows[0]).toMatchObject({ custbody_po_number: 'PO-9', review: '2026-04-30', custbody_region: '6', region: 'Support', custbody_priority: '3', custbody_rush: 'T', class: '1', dept: 'Sales', salesrep: '30' });
    const lines = harness.service.state.query(`SELECT custcol_project, class FROM transactionline WHERE "transaction" = ${id} AND mainline = 'F'`);
    expect(lines).toEqual([{ custcol_project: 'P-1', class: '1' }]);
  });

  it('keeps entity fields on the customer, and lists the lists and custom fields in SuiteQL', async () => {
    const { harness } = arrange();
    const created = await post(harness, 'customer', { companyName: 'Globex', subsidiary: { id: '2' }, custentity_segment: 'SMB' });
    const id = idFromLocation(created);
    expect(harness.service.state.get('customer', id)).toMatchObject({ custentity_segment: 'SMB', subsidiary: { id: '2', refName: 'Honeycomb UK' }, currency: { id: '3' } });
    expect(harness.service.state.query(`SELECT custentity_segment, subsidiary FROM customer WHERE id = ${id}`)).toEqual([{ custentity_segment: 'SMB', subsidiary: '2' }]);
    expect(harness.service.state.query('SELECT id, name, isinactive FROM classification ORDER BY id')).toEqual([
      { id: '1', name: 'Consulting', isinactive: 'F' },
      { id: '2', name: 'Retired', isinactive: 'T' },
    ]);
    expect(harness.service.state.query('SELECT id, entityid, firstname, lastname, isinactive FROM employee')).toEqual([{ id: '30', entityid: 'Sam Rep', firstname: 'Sam', lastname: 'Rep', isinactive: 'F' }]);
    expect(harness.service.state.query("SELECT scriptid, name, fieldtype, fieldvaluetype, ismandatory, isinactive FROM customfield WHERE scriptid LIKE 'CUSTBODY_P%' ORDER BY scriptid")).toEqual([
      { scriptid: 'CUSTBODY_PO_NUMBER', name: 'PO Number', fieldtype: 'BODY', fieldvaluetype: 'Free-Form Text', ismandatory: 'T', isinactive: 'F' },
      { scriptid: 'CUSTBODY_PRIORITY', name: 'Priority', fieldtype: 'BODY', fieldvaluetype: 'Integer Number', ismandatory: 'F', isinactive: 'F' },
    ]);
  });

  it('keeps the shape across load() and reset(), and changes it with setShape()', () => {
    const { harness } = arrange();
    harness.service.state.load(smallBooks());
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM department')).toEqual([{ n: '2' }]);
    expect(harness.service.state.query('SELECT id FROM subsidiary ORDER BY id')).toEqual([{ id: '1' }, { id: '2' }]);
    expect(harness.service.state.query("SELECT custbody_po_number FROM transaction WHERE id = 301")).toEqual([{}]);
    harness.service.state.reset();
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM location')).toEqual([{ n: '1' }]);
    harness.service.state.setShape({});
    expect(harness.service.state.shape).toEqual({});
    expect(() => harness.service.state.query('SELECT custbody_po_number FROM transaction')).toThrow();
  });
});

describe('checking a shape', () => {
  it.each<[string, unknown, string]>([
    ['a line field on a customer', { customFields: [{ scriptId: 'custcol_x', label: 'X', type: 'text', appliesTo: ['customer'] }] }, 'custcol_x cannot apply to customer'],
    ['an entity field on an invoice', { customFields: [{ scriptId: 'custentity_x', label: 'X', type: 'text', appliesTo: ['invoice'] }] }, 'custentity_x cannot apply to invoice'],
    ['a body field on a customer', { customFields: [{ scriptId: 'custbody_x', label: 'X', type: 'text', appliesTo: ['customer'] }] }, 'custbody_x cannot apply to customer'],
    ['a select without its list', { customFields: [{ scriptId: 'custbody_x', label: 'X', type: 'select', appliesTo: ['invoice'] }] }, 'needs the list it selects from'],
    ['a script ID without a prefix', { customFields: [{ scriptId: 'po_number', label: 'X', type: 'text', appliesTo: ['invoice'] }] }, 'customFields.0.scriptId'],
    ['an ID that is not digits', { classes: [{ id: 'C1', name: 'X' }] }, 'classes.0.id: an internal ID is digits'],
    ['subsidiary 1', { subsidiaries: [{ id: '1', name: 'X' }] }, 'subsidiary 1 is the parent'],
    ['a form making an unmodelled field mandatory', { customForms: [{ id: '9', recordType: 'customerPayment', name: 'F', mandatory: ['otherRefNum'] }] }, 'cannot make otherRefNum mandatory'],
  ])('refuses %s', (_, shape, message) => {
    expect(() => createHarness({ shape: shape as NetSuiteAccountShape })).toThrow(NetSuiteShapeError);
    expect(() => createHarness({ shape: shape as NetSuiteAccountShape })).toThrow(message);
    const { harness } = arrange({});
    expect(() => harness.service.state.setShape(shape as NetSuiteAccountShape)).toThrow(NetSuiteShapeError);
  });
});
