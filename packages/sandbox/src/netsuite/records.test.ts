import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, idFromLocation, ORIGIN, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

async function createCustomer(harness: TestHarness, body: Record<string, unknown> = {}): Promise<string> {
  const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Acme Corp', subsidiary: { id: '1' }, ...body } });
  expect(response.status).toBe(204);
  return idFromLocation(response);
}

describe('record service: create and read', () => {
  it('creates a customer with 204 and a Location, and reads it back with references and timestamps', async () => {
    const harness = createHarness();
    const created = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Acme Corp', email: 'ap@acme.test', subsidiary: { id: '1' } } });
    expect(created.status).toBe(204);
    expect(created.hasBody).toBe(false);
    expect(created.headers.location).toMatch(new RegExp(`^${ORIGIN}/services/rest/record/v1/customer/\\d+$`));

    const read = await harness.call('GET', `${RECORDS}/customer/${idFromLocation(created)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: idFromLocation(created),
      companyName: 'Acme Corp',
      entityId: 'Acme Corp',
      email: 'ap@acme.test',
      isPerson: false,
      isInactive: false,
      subsidiary: { id: '1', refName: 'Parent Company' },
      currency: { id: '1', refName: 'US Dollar' },
      lastModifiedDate: '2026-03-02T10:00:00Z',
      links: [{ rel: 'self', href: created.headers.location }],
    });
  });

  it('creates an invoice whose lines are a link unless sub-resources are expanded', async () => {
    const harness = createHarness();
    const customer = await createCustomer(harness);
    const created = await harness.call('POST', `${RECORDS}/invoice`, {
      body: { entity: { id: customer }, tranDate: '2026-03-01', item: { items: [{ item: { id: '1' }, quantity: 3, rate: 19.99, description: 'Hours' }] } },
    });
    const id = idFromLocation(created);
    const plain = await harness.call('GET', `${RECORDS}/invoice/${id}`);
    expect(plain.body.item).toEqual({ links: [{ rel: 'self', href: `${ORIGIN}${RECORDS}/invoice/${id}/item` }] });
    expect(plain.body).toMatchObject({ total: 59.97, amountRemaining: 59.97, amountPaid: 0, status: { id: 'A', refName: 'Open' }, tranDate: '2026-03-01', dueDate: '2026-03-01', tranId: id });

    const expanded = await harness.call('GET', `${RECORDS}/invoice/${id}?expandSubResources=true`);
    expect(expanded.body.item).toMatchObject({ totalResults: 1, items: [{ line: 1, item: { id: '1', refName: 'Services' }, quantity: 3, rate: 19.99, amount: 59.97, description: 'Hours' }] });

    const some = await harness.call('GET', `${RECORDS}/invoice/${id}?fields=total,status`);
    expect(Object.keys(some.body).sort()).toEqual(['id', 'links', 'status', 'total']);
  });

  it('answers 404 NONEXISTENT_ID for an unknown record', async () => {
    const harness = createHarness();
    const response = await harness.call('GET', `${RECORDS}/invoice/999`);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/vnd.oracle.resource+json; type=error');
    expect(errorOf(response)?.['o:errorCode']).toBe('NONEXISTENT_ID');
  });
});

describe('record service: upserts and external IDs', () => {
  it('upserts by external ID: the second PUT updates the same record', async () => {
    const harness = createHarness();
    const first = await harness.call('PUT', `${RECORDS}/customer/eid:invd-cust-7`, { body: { companyName: 'First Name Co', subsidiary: { id: '1' } } });
    const second = await harness.call('PUT', `${RECORDS}/customer/eid:invd-cust-7`, { body: { companyName: 'Second Name Co', subsidiary: { id: '1' } } });
    expect([first.status, second.status]).toEqual([204, 204]);
    expect(second.headers.location).toBe(first.headers.location);
    expect(harness.service.state.count('customer')).toBe(1);
    expect(harness.service.state.findByExternalId('customer', 'invd-cust-7')).toMatchObject({ companyName: 'Second Name Co', externalId: 'invd-cust-7' });
    expect((await harness.call('GET', `${RECORDS}/customer/eid:invd-cust-7`)).body.companyName).toBe('Second Name Co');
  });

  it('refuses a second POST with an external ID already in use', async () => {
    const harness = createHarness();
    await createCustomer(harness, { externalId: 'dup-1' });
    const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Other', subsidiary: { id: '1' }, externalId: 'dup-1' } });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'DUP_RCRD', 'o:errorPath': 'externalId' });
    expect(harness.service.state.count('customer')).toBe(1);
  });

  it('refuses external IDs with characters other than letters, digits, _ and -', async () => {
    const harness = createHarness();
    const response = await harness.call('PUT', `${RECORDS}/customer/eid:bad%7Cid`, { body: { companyName: 'X', subsidiary: { id: '1' } } });
    expect(response.status).toBe(400);
    expect(errorOf(response)?.['o:errorCode']).toBe('USER_ERROR');
  });
});

describe('record service: validation', () => {
  it('refuses an unknown field with NONEXISTENT_FIELD naming it, under X-NetSuite-PropertyNameValidation: Error', async () => {
    const harness = createHarness();
    const response = await harness.call('POST', `${RECORDS}/customer`, {
      body: { companyName: 'Acme', subsidiary: { id: '1' }, nickname: 'ac' },
      headers: { 'X-NetSuite-PropertyNameValidation': 'Error' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ title: 'Bad Request', status: 400 });
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'nickname' });
  });

  it('requires a subsidiary when creating a customer', async () => {
    const harness = createHarness();
    const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Acme' } });
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'subsidiary' });
  });

  it('words a missing required field as NetSuite answers it live: "Error while accessing a resource. Please enter value(s) for: ..."', async () => {
    const harness = createHarness();
    const response = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'Acme' } });
    expect(errorOf(response)?.detail).toBe('Error while accessing a resource. Please enter value(s) for: Primary Subsidiary');
  });

  it('requires a company name, or a first and last name for a person', async () => {
    const harness = createHarness();
    const company = await harness.call('POST', `${RECORDS}/customer`, { body: { subsidiary: { id: '1' } } });
    expect(errorOf(company)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'companyName' });
    const person = await harness.call('POST', `${RECORDS}/customer`, { body: { isPerson: true, firstName: 'Ada', subsidiary: { id: '1' } } });
    expect(errorOf(person)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'lastName' });
    const complete = await harness.call('POST', `${RECORDS}/customer`, { body: { isPerson: true, firstName: 'Ada', lastName: 'Lovelace', subsidiary: { id: '1' } } });
    expect(complete.status).toBe(204);
  });

  it('requires an invoice to have an entity and item lines that name an item', async () => {
    const harness = createHarness();
    const customer = await createCustomer(harness);
    const noEntity = await harness.call('POST', `${RECORDS}/invoice`, { body: { item: { items: [{ item: { id: '1' }, amount: 5 }] } } });
    expect(errorOf(noEntity)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'entity' });
    const noLines = await harness.call('POST', `${RECORDS}/invoice`, { body: { entity: { id: customer } } });
    expect(errorOf(noLines)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'item' });
    const noItem = await harness.call('POST', `${RECORDS}/invoice`, { body: { entity: { id: customer }, item: { items: [{ amount: 5 }] } } });
    expect(errorOf(noItem)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'item.items[0].item' });
  });

  it('refuses references to records that do not exist with INVALID_CONTENT naming the field', async () => {
    const harness = createHarness();
    const customer = await createCustomer(harness);
    const badEntity = await harness.call('POST', `${RECORDS}/invoice`, { body: { entity: { id: '9999' }, item: { items: [{ item: { id: '1' }, amount: 5 }] } } });
    expect(errorOf(badEntity)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'entity' });
    const badItem = await harness.call('POST', `${RECORDS}/invoice`, { body: { entity: { id: customer }, item: { items: [{ item: { id: '77' }, amount: 5 }] } } });
    expect(errorOf(badItem)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'item.items[0].item' });
    const badSubsidiary = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'X', subsidiary: { id: '42' } } });
    expect(errorOf(badSubsidiary)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'subsidiary' });
  });

  it('refuses a body that is not JSON, and values of the wrong type', async () => {
    const harness = createHarness();
    const notJson = await harness.call('POST', `${RECORDS}/customer`, { body: '{"companyName": ' });
    expect(errorOf(notJson)?.['o:errorCode']).toBe('INVALID_CONTENT');
    const wrongType = await harness.call('POST', `${RECORDS}/customer`, { body: { companyName: 'X', subsidiary: { id: '1' }, isPerson: 'no' } });
    expect(errorOf(wrongType)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'isPerson' });
  });
});

describe('record service: changes', () => {
  it('patches a record with 204 and moves its lastModifiedDate to the clock', async () => {
    const harness = createHarness();
    const id = await createCustomer(harness);
    harness.clock.advance(60);
    const patched = await harness.call('PATCH', `${RECORDS}/customer/${id}`, { body: { email: 'billing@acme.test' } });
    expect(patched.status).toBe(204);
    expect(harness.service.state.get('customer', id)).toMatchObject({ email: 'billing@acme.test', companyName: 'Acme Corp', lastModifiedDate: '2026-03-02T10:01:00Z' });
  });

  it("answers a PATCH with no body and the updated record's URL in Location, as Oracle's 'Updating a Record Instance' shows", async () => {
    const harness = createHarness();
    const id = await createCustomer(harness, { externalId: 'acme-1' });
    const patched = await harness.call('PATCH', `${RECORDS}/customer/${id}`, { body: { email: 'billing@acme.test' } });
    expect(patched.status).toBe(204);
    expect(patched.hasBody).toBe(false);
    expect(patched.headers.location).toBe(`${ORIGIN}${RECORDS}/customer/${id}`);
    // Addressed by external ID, the answer still names the record by its internal ID, as an upsert's does.
    const byExternalId = await harness.call('PATCH', `${RECORDS}/customer/eid:acme-1`, { body: { email: 'ap@acme.test' } });
    expect(byExternalId.headers.location).toBe(`${ORIGIN}${RECORDS}/customer/${id}`);
  });

  it('merges invoice lines on PATCH, and replaces them with replace=item', async () => {
    const harness = createHarness();
    const customer = await createCustomer(harness);
    const invoice = harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: [{ item: { id: '1' }, quantity: 1, rate: 10 }] } });
    await harness.call('PATCH', `${RECORDS}/invoice/${String(invoice.id)}`, { body: { item: { items: [{ line: 1, quantity: 2 }, { item: { id: '1' }, amount: 5 }] } } });
    expect(harness.service.state.get('invoice', String(invoice.id))).toMatchObject({ total: 25, item: { items: [{ line: 1, amount: 20 }, { line: 2, amount: 5 }] } });
    await harness.call('PATCH', `${RECORDS}/invoice/${String(invoice.id)}?replace=item`, { body: { item: { items: [{ item: { id: '1' }, amount: 7 }] } } });
    expect(harness.service.state.get('invoice', String(invoice.id))).toMatchObject({ total: 7, item: { totalResults: 1 } });
  });

  it('deletes a record with 204, after which it is gone', async () => {
    const harness = createHarness();
    const id = await createCustomer(harness);
    expect((await harness.call('DELETE', `${RECORDS}/customer/${id}`)).status).toBe(204);
    expect((await harness.call('GET', `${RECORDS}/customer/${id}`)).status).toBe(404);
  });

  it('keeps amounts exact: three lines of 0.1 make a total of 0.3', async () => {
    const harness = createHarness();
    const customer = await createCustomer(harness);
    const line = { item: { id: '1' }, quantity: 1, rate: 0.1 };
    const invoice = harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: [line, line, line] } });
    expect(invoice.total).toBe(0.3);
    expect(harness.service.state.query(`SELECT foreigntotal FROM transaction WHERE id = ${String(invoice.id)}`)).toEqual([{ foreigntotal: '0.3' }]);
  });
});
