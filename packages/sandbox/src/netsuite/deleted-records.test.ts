import { describe, expect, it } from 'vitest';
import { NetSuiteSimulatorError } from './errors';
import { createHarness, errorOf, itemsOf, smallBooks, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';
const SUITEQL = '/services/rest/query/v1/suiteql';

/**
 * The query an integration runs to follow deletions, `since` a wall clock of the account's time zone (the
 * harness's clock starts at 2026-03-02T10:00:00Z, 02:00 in Los Angeles).
 */
const deletedSince = (since: string) =>
  `SELECT d.recordid, d.type, d.name, TO_CHAR(d.deleteddate, 'YYYY-MM-DD"T"HH24:MI:SS') AS deleteddate FROM deletedrecord d WHERE d.deleteddate > TO_TIMESTAMP('${since}', 'YYYY-MM-DD HH24:MI:SS')`;

function suiteql(harness: TestHarness, q: string, query = '') {
  return harness.call('POST', `${SUITEQL}${query}`, { body: { q }, headers: { prefer: 'transient' } });
}

function loaded(): TestHarness {
  const harness = createHarness();
  harness.service.state.load(smallBooks());
  return harness;
}

/** What the books' invoices look like through SuiteQL. */
function invoiceStates(harness: TestHarness) {
  return harness.service.state.query(
    "SELECT id, foreignamountunpaid, BUILTIN.CF(status) AS status, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM transaction WHERE type = 'CustInvc' ORDER BY id",
  );
}

describe('DeletedRecord', () => {
  it('records REST deletions of a payment, an invoice and a customer, read back by date through SuiteQL', async () => {
    const harness = loaded();
    const { state } = harness.service;
    const customer = String(state.insert('customer', { companyName: 'Initech', entityId: 'CUST-900', subsidiary: { id: '1' } }).id);
    expect((await harness.call('DELETE', `${RECORDS}/customerPayment/401`)).status).toBe(204);
    harness.clock.advance(3600);
    expect((await harness.call('DELETE', `${RECORDS}/invoice/eid:invd-inv-302`)).status).toBe(204);
    harness.clock.advance(60);
    expect((await harness.call('DELETE', `${RECORDS}/customer/${customer}`)).status).toBe(204);

    const response = await suiteql(harness, `${deletedSince('2026-03-02 02:30:00')} ORDER BY d.deleteddate`);
    expect(response.status).toBe(200);
    expect(itemsOf(response)).toEqual([
      { links: [], recordid: '302', type: 'invoice', name: 'INV-302', deleteddate: '2026-03-02T03:00:00' },
      { links: [], recordid: customer, type: 'customer', name: 'CUST-900', deleteddate: '2026-03-02T03:01:00' },
    ]);
    const all = itemsOf(await suiteql(harness, `${deletedSince('2026-03-02 01:59:59')} ORDER BY d.deleteddate`));
    expect(all.map((row) => [row.recordid, row.type])).toEqual([['401', 'customerpayment'], ['302', 'invoice'], [customer, 'customer']]);
    // A deletion at the very second of `since` is not after it.
    expect(itemsOf(await suiteql(harness, deletedSince('2026-03-02 03:00:00'))).map((row) => row.recordid)).toEqual([customer]);
    expect(state.query('SELECT context, deletedby, iscustomrecord, iscustomlist, deleteddate FROM DeletedRecord WHERE recordid = 401')).toEqual([
      { context: 'webservices', deletedby: '-5', iscustomrecord: 'F', iscustomlist: 'F', deleteddate: '3/2/2026' },
    ]);
  });

  it('pages the deletions by offset, and wrapped and anchored on recordid as the SDK does', async () => {
    const harness = createHarness();
    const { state } = harness.service;
    const customers = ['A', 'B', 'C'].map((name) => String(state.insert('customer', { companyName: name, subsidiary: { id: '1' } }).id));
    for (const id of customers) expect((await harness.call('DELETE', `${RECORDS}/customer/${id}`)).status).toBe(204);
    const base = `${deletedSince('2026-01-01 00:00:00')} AND d.type IN ('invoice', 'customerpayment', 'customer')`;

    // Paged by offset, a query needs a unique order: NetSuite promises none otherwise.
    const first = await suiteql(harness, `${base} ORDER BY d.recordid`, '?limit=2&offset=0');
    expect(first.body).toMatchObject({ count: 2, hasMore: true, totalResults: 3 });
    const second = await suiteql(harness, `${base} ORDER BY d.recordid`, '?limit=2&offset=2');
    expect(second.body).toMatchObject({ count: 1, hasMore: false });
    expect([...itemsOf(first), ...itemsOf(second)].map((row) => row.recordid)).toEqual(customers);

    const anchored = itemsOf(await suiteql(harness, `SELECT * FROM (${base}) WHERE recordid > ${customers[0]} ORDER BY recordid`));
    expect(anchored.map((row) => row.recordid)).toEqual(customers.slice(1));
  });

  it('refuses to delete an invoice with a payment applied, and changes nothing', async () => {
    const harness = loaded();
    const before = invoiceStates(harness);
    harness.clock.advance(60);
    const response = await harness.call('DELETE', `${RECORDS}/invoice/301`);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/vnd.oracle.resource+json; type=error');
    expect(response.body).toMatchObject({ title: 'Bad Request', status: 400 });
    expect(errorOf(response)).toEqual({ detail: 'This record cannot be deleted because it has dependent records.', 'o:errorCode': 'USER_ERROR' });
    expect(invoiceStates(harness)).toEqual(before);
    expect(harness.service.state.query('SELECT previousdoc FROM NextTransactionLineLink WHERE nextdoc = 401 ORDER BY previousdoc')).toEqual([{ previousdoc: '301' }, { previousdoc: '302' }]);
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM deletedrecord')).toEqual([{ n: '0' }]);
  });

  it('refuses to delete an invoice with a credit memo or a voided payment applied, and a customer with transactions', async () => {
    const harness = loaded();
    harness.service.state.update('customerPayment', '401', { voided: true });
    for (const path of ['invoice/303', 'invoice/302', 'customer/202', 'customer/eid:invd-cust-1']) {
      const response = await harness.call('DELETE', `${RECORDS}/${path}`);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', detail: 'This record cannot be deleted because it has dependent records.' });
    }
    expect([harness.service.state.count('invoice'), harness.service.state.count('customer')]).toEqual([3, 2]);
    expect(harness.service.state.deletedRecords()).toEqual([]);
  });

  it('unapplies a deleted payment: its invoices get the amount back, reopen and count as modified', async () => {
    const harness = loaded();
    expect(invoiceStates(harness).slice(0, 2)).toEqual([
      { id: '301', foreignamountunpaid: '0', status: 'CustInvc:B', modified: '2026-01-10 01:00:00' },
      { id: '302', foreignamountunpaid: '50', status: 'CustInvc:A', modified: '2026-01-12 01:00:00' },
    ]);
    harness.clock.advance(7200);
    expect((await harness.call('DELETE', `${RECORDS}/customerPayment/401`)).status).toBe(204);
    expect(invoiceStates(harness)).toEqual([
      { id: '301', foreignamountunpaid: '300.5', status: 'CustInvc:A', modified: '2026-03-02 04:00:00' },
      { id: '302', foreignamountunpaid: '100', status: 'CustInvc:A', modified: '2026-03-02 04:00:00' },
      // not paid by the payment: untouched
      { id: '303', foreignamountunpaid: '25', status: 'CustInvc:A', modified: '2026-01-15 01:00:00' },
    ]);
    expect(harness.service.state.get('invoice', '301')).toMatchObject({ amountRemaining: 300.5, amountPaid: 0, status: { id: 'A', refName: 'Open' } });
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = 401')).toEqual([{ n: '0' }]);
    expect(harness.service.state.query('SELECT COUNT(*) AS n FROM PreviousTransactionLineLink WHERE previousdoc IN (301, 302)')).toEqual([{ n: '0' }]);
    const changed = harness.service.state.query("SELECT id FROM transaction WHERE lastmodifieddate > TO_TIMESTAMP('2026-03-02 03:59:59', 'YYYY-MM-DD HH24:MI:SS') ORDER BY id");
    expect(changed).toEqual([{ id: '301' }, { id: '302' }]);
    // Once the payment is gone the invoice has no dependent records and can be deleted.
    expect((await harness.call('DELETE', `${RECORDS}/invoice/301`)).status).toBe(204);
  });

  it('deletes through state as a person in the UI would: same rules, context userinterface', () => {
    const harness = loaded();
    const { state } = harness.service;
    let refused: unknown;
    try {
      state.delete('invoice', '301');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(NetSuiteSimulatorError);
    expect(refused).toMatchObject({ status: 400, code: 'USER_ERROR', message: 'This record cannot be deleted because it has dependent records.' });
    expect(() => state.delete('customerPayment', '999')).toThrow(expect.objectContaining({ status: 404, code: 'NONEXISTENT_ID' }));
    expect(state.deletedRecords()).toEqual([]);

    harness.clock.advance(90);
    state.delete('customerPayment', 401);
    state.delete('invoice', 'eid:invd-inv-302');
    expect(state.get('invoice', '302')).toBeUndefined();
    expect(state.get('invoice', '301')).toMatchObject({ status: { id: 'A' }, lastModifiedDate: '2026-03-02T10:01:30Z' });
    expect(state.deletedRecords()).toEqual([
      { recordId: '401', type: 'customerpayment', name: 'PYMT-401', deletedDate: '2026-03-02T10:01:30Z', context: 'userinterface', deletedBy: '-5' },
      { recordId: '302', type: 'invoice', name: 'INV-302', deletedDate: '2026-03-02T10:01:30Z', context: 'userinterface', deletedBy: '-5' },
    ]);
    expect(state.query("SELECT recordid, context FROM deletedrecord WHERE type = 'customerpayment'")).toEqual([{ recordid: '401', context: 'userinterface' }]);
  });

  it('never gives a deleted record’s ID to a new record; load and reset forget the deletions', () => {
    const harness = loaded();
    const { state } = harness.service;
    const customer = String(state.insert('customer', { companyName: 'Initech', subsidiary: { id: '1' } }).id);
    const invoice = String(state.insert('invoice', { entity: { id: customer }, item: { items: [{ item: { id: '10' }, amount: 5 }] } }).id);
    state.delete('invoice', invoice);
    state.delete('customer', customer);
    const next = state.insert('customer', { companyName: 'Umbrella', subsidiary: { id: '1' } });
    expect(Number(next.id)).toBe(Number(customer) + 1);
    expect(Number(state.insert('invoice', { entity: { id: next.id }, item: { items: [{ item: { id: '10' }, amount: 5 }] } }).id)).toBe(Number(invoice) + 1);
    expect(state.deletedRecords().map((entry) => entry.type)).toEqual(['invoice', 'customer']);
    state.load(smallBooks());
    expect(state.deletedRecords()).toEqual([]);
    state.delete('creditMemo', '501');
    expect(state.deletedRecords()).toMatchObject([{ recordId: '501', type: 'creditmemo', name: 'CM-501' }]);
    state.reset();
    expect(state.query('SELECT COUNT(*) AS n FROM deletedrecord')).toEqual([{ n: '0' }]);
  });
});
