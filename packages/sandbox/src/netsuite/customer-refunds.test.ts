import { describe, expect, it } from 'vitest';
import { NetSuiteSimulatorError } from './errors';
import { createHarness, errorOf, idFromLocation, itemsOf, type Json, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

interface Arranged {
  harness: TestHarness;
  acme: string;
  globex: string;
  creditMemo: (amount: number, customer?: string, currency?: string) => string;
  payment: (amount: number, customer?: string, currency?: string) => string;
}

function arrange(): Arranged {
  const harness = createHarness();
  const { state } = harness.service;
  const acme = String(state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const globex = String(state.insert('customer', { companyName: 'Globex', subsidiary: { id: '1' } }).id);
  const creditMemo = (amount: number, customer = acme, currency = '1') =>
    String(state.insert('creditMemo', { entity: { id: customer }, currency: { id: currency }, item: { items: [{ item: { id: '1' }, amount }] } }).id);
  const payment = (amount: number, customer = acme, currency = '1') => String(state.insert('customerPayment', { customer: { id: customer }, currency: { id: currency }, payment: amount }).id);
  return { harness, acme, globex, creditMemo, payment };
}

type Pairs = [string, number][];
const apply = (pairs: Pairs) => ({ items: pairs.map(([doc, amount]) => ({ doc: { id: doc }, apply: true, amount })) });

function refund(harness: TestHarness, customer: string, pairs: Pairs, extra: Json = {}) {
  return harness.call('POST', `${RECORDS}/customerRefund`, { body: { customer: { id: customer }, account: { id: '1' }, apply: apply(pairs), ...extra } });
}

describe('customer refunds', () => {
  it('refunds part of a credit memo, then the rest: its amount remaining and status follow', async () => {
    const { harness, acme, creditMemo } = arrange();
    const memo = creditMemo(50);
    const first = await refund(harness, acme, [[memo, 20]], { externalId: 'RF-1', tranId: 'CHK-1', memo: 'part', tranDate: '2026-03-01' });
    expect(first.status).toBe(204);
    expect(first.headers.location).toMatch(/\/customerRefund\/\d+$/);
    const id = idFromLocation(first);
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 30, applied: 20, status: { id: 'A' } });
    const record = (await harness.call('GET', `${RECORDS}/customerRefund/${id}?expandSubResources=true`)).body;
    expect(record).toMatchObject({
      id,
      tranId: 'CHK-1',
      tranDate: '2026-03-01',
      externalId: 'RF-1',
      memo: 'part',
      total: 20,
      customer: { id: acme },
      currency: { id: '1', refName: 'US Dollar' },
      account: { id: '1', refName: '1000 Checking' },
      status: { id: 'R', refName: 'Refunded' },
    });
    expect(itemsOf(record.apply as Json)).toEqual([
      expect.objectContaining({ doc: { id: memo, refName: expect.stringMatching(/^Credit Memo #/) as unknown }, apply: true, amount: 20, due: 50, total: 50, type: 'Credit Memo' }),
    ]);
    await refund(harness, acme, [[memo, 30]]);
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 0, status: { id: 'B', refName: 'Fully Applied' } });
  });

  it("refunds a payment's unapplied cash, in part and in full", async () => {
    const { harness, acme, payment } = arrange();
    const pay = payment(80);
    await refund(harness, acme, [[pay, 30]]);
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ payment: 80, applied: 0, unapplied: 50 });
    const rest = idFromLocation(await refund(harness, acme, [[pay, 50]]));
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ unapplied: 0 });
    expect(harness.service.state.get('customerRefund', rest)).toMatchObject({ total: 50 });
    expect(itemsOf(harness.service.state.get('customerRefund', rest)?.apply as Json)).toMatchObject([{ doc: { id: pay }, apply: true, amount: 50, due: 50, total: 80, type: 'Payment' }]);
  });

  it("lists the customer's other credit memos and payments with something left, apply: false", async () => {
    const { harness, acme, globex, creditMemo, payment } = arrange();
    const memo = creditMemo(10);
    const open = payment(25);
    payment(40, globex);
    creditMemo(10, acme, '2');
    const id = idFromLocation(await refund(harness, acme, [[memo, 10]]));
    expect(itemsOf(harness.service.state.get('customerRefund', id)?.apply as Json)).toMatchObject([
      { doc: { id: memo }, apply: true, amount: 10 },
      { doc: { id: open }, apply: false, due: 25, type: 'Payment' },
    ]);
  });

  it('refuses too much, a voided doc, another customer or currency, nothing applied, a missing account; nothing is written', async () => {
    const { harness, acme, globex, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(20);
    const over = await refund(harness, acme, [[memo, 51]]);
    expect(errorOf(over)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'apply.items[0].doc' });
    expect(errorOf(await refund(harness, acme, [[pay, 21]])).detail).toMatch(/exceeds its unapplied amount \(20\)/);
    expect(errorOf(await refund(harness, acme, [[creditMemo(5, globex), 5]])).detail).toMatch(/another customer/);
    expect(errorOf(await refund(harness, acme, [[payment(5, acme, '2'), 5]]))).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'currency' });
    const voided = creditMemo(5);
    harness.service.state.update('creditMemo', voided, { voided: true });
    expect(errorOf(await refund(harness, acme, [[voided, 5]])).detail).toMatch(/voided/);
    expect(errorOf(await refund(harness, acme, []))).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'apply' });
    const noAccount = await harness.call('POST', `${RECORDS}/customerRefund`, { body: { customer: { id: acme }, apply: apply([[memo, 5]]) } });
    expect(errorOf(noAccount)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'account' });
    // Only credit memos and payments can be refunded.
    const invoice = String(harness.service.state.insert('invoice', { entity: { id: acme }, item: { items: [{ item: { id: '1' }, amount: 5 }] } }).id);
    expect(errorOf(await refund(harness, acme, [[invoice, 5]]))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'apply.items[0].doc' });
    expect(harness.service.state.count('customerRefund')).toBe(0);
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 50 });
  });

  it('checks the body against the schema like the other types: unknown, read-only and wrongly typed fields', async () => {
    const { harness, acme, creditMemo } = arrange();
    const memo = creditMemo(5);
    const strict = { 'X-NetSuite-PropertyNameValidation': 'Error' };
    const body = { customer: { id: acme }, account: { id: '1' }, apply: apply([[memo, 5]]) };
    expect(errorOf(await harness.call('POST', `${RECORDS}/customerRefund`, { body: { ...body, payment: 5 }, headers: strict }))).toMatchObject({ 'o:errorCode': 'NONEXISTENT_FIELD', 'o:errorPath': 'payment' });
    expect(errorOf(await harness.call('POST', `${RECORDS}/customerRefund`, { body: { ...body, total: 5 } }))).toMatchObject({ 'o:errorCode': 'INSUFFICIENT_PERMISSION', 'o:errorPath': 'total' });
    expect(errorOf(await harness.call('POST', `${RECORDS}/customerRefund`, { body: { ...body, memo: 5 } }))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'memo' });
    expect((await harness.call('POST', `${RECORDS}/customerRefund`, { body: { ...body, payment: 5 } })).status).toBe(204);
  });

  it('merges apply lines by doc on PATCH and PUT eid:, and replace=apply keeps only the request lines', async () => {
    const { harness, acme, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(40);
    const put = (query: string, body: Json) => harness.call('PUT', `${RECORDS}/customerRefund/eid:RF-9${query}`, { body });
    expect((await put('', { customer: { id: acme }, account: { id: '1' }, apply: apply([[memo, 50]]) })).status).toBe(204);
    const id = String(harness.service.state.findByExternalId('customerRefund', 'RF-9')?.id);
    expect((await put('', { apply: apply([[pay, 40]]) })).status).toBe(204);
    expect(harness.service.state.get('customerRefund', id)).toMatchObject({ total: 90 });
    expect((await harness.call('PATCH', `${RECORDS}/customerRefund/${id}?replace=apply`, { body: { apply: apply([[pay, 15]]) } })).status).toBe(204);
    expect(harness.service.state.get('customerRefund', id)).toMatchObject({ total: 15 });
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 50, status: { id: 'A' } });
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ unapplied: 25 });
    expect(itemsOf(harness.service.state.get('customerRefund', id)?.apply as Json).filter((line) => line.apply === true)).toHaveLength(1);
  });

  it('shows the refund in SuiteQL: the transaction row and one link per refunded doc', async () => {
    const { harness, acme, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(40);
    const id = idFromLocation(await refund(harness, acme, [[memo, 20], [pay, 15]], { externalId: 'RF-2', tranId: 'CHK-2', tranDate: '2026-03-01' }));
    expect(harness.service.state.query(`SELECT type, recordtype, foreigntotal, entity, externalid, tranid, trandate, status, BUILTIN.CF(status) AS cf, BUILTIN.DF(status) AS df,
      BUILTIN.DF(type) AS typename, voided, account FROM transaction WHERE id = ${id}`)).toEqual([
      { type: 'CustRfnd', recordtype: 'customerrefund', foreigntotal: '35', entity: acme, externalid: 'RF-2', tranid: 'CHK-2', trandate: '3/1/2026', status: 'R', cf: 'CustRfnd:R', df: 'Customer Refund : Refunded', typename: 'Customer Refund', voided: 'F', account: '1' },
    ]);
    expect(harness.service.state.query(`SELECT l.previousdoc, l.previoustype, l.nexttype, l.foreignamount, t.type FROM NextTransactionLineLink l JOIN transaction t ON t.id = l.previousdoc
      WHERE l.nextdoc = ${id} ORDER BY l.previousdoc`)).toEqual([
      { previousdoc: memo, previoustype: 'CustCred', nexttype: 'CustRfnd', foreignamount: '20', type: 'CustCred' },
      { previousdoc: pay, previoustype: 'CustPymt', nexttype: 'CustRfnd', foreignamount: '15', type: 'CustPymt' },
    ]);
    // The main line is the credit to the bank account: negative, as a payment's is positive.
    expect(harness.service.state.query(`SELECT mainline, foreignamount FROM transactionline WHERE "transaction" = ${id}`)).toEqual([{ mainline: 'T', foreignamount: '-35' }]);
  });

  it('voiding a refund gives the amounts back; the refund keeps its row with status V and total 0', async () => {
    const { harness, acme, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(40);
    const id = idFromLocation(await refund(harness, acme, [[memo, 50], [pay, 40]]));
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ unapplied: 0 });
    harness.clock.advance(60);
    const voided = harness.service.state.update('customerRefund', id, { voided: true });
    expect(voided).toMatchObject({ total: 0, status: { id: 'V', refName: 'Voided' }, memo: 'VOID' });
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 50, status: { id: 'A' }, lastModifiedDate: '2026-03-02T10:01:00Z' });
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ unapplied: 40, lastModifiedDate: '2026-03-02T10:01:00Z' });
    expect(harness.service.state.query(`SELECT voided, foreigntotal, BUILTIN.CF(status) AS cf FROM transaction WHERE id = ${id}`)).toEqual([{ voided: 'T', foreigntotal: '0', cf: 'CustRfnd:V' }]);
    expect(harness.service.state.query(`SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = ${id}`)).toEqual([{ n: '0' }]);
  });

  it('deleting a refund gives the amounts back and leaves a DeletedRecord row of type customerrefund', async () => {
    const { harness, acme, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(40);
    const id = idFromLocation(await refund(harness, acme, [[memo, 10], [pay, 5]], { tranId: 'CHK-7' }));
    expect((await harness.call('DELETE', `${RECORDS}/customerRefund/${id}`)).status).toBe(204);
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 50 });
    expect(harness.service.state.get('customerPayment', pay)).toMatchObject({ unapplied: 40 });
    expect(harness.service.state.deletedRecords()).toMatchObject([{ recordId: id, type: 'customerrefund', name: 'CHK-7', context: 'webservices' }]);
    expect(harness.service.state.query(`SELECT recordid, type FROM deletedrecord`)).toEqual([{ recordid: id, type: 'customerrefund' }]);
    expect((await harness.call('GET', `${RECORDS}/customerRefund/${id}`)).status).toBe(404);
  });

  it('refuses to delete or void a credit memo or payment that a refund uses', async () => {
    const { harness, acme, creditMemo, payment } = arrange();
    const memo = creditMemo(50);
    const pay = payment(40);
    await refund(harness, acme, [[memo, 10], [pay, 5]]);
    expect(errorOf(await harness.call('DELETE', `${RECORDS}/creditMemo/${memo}`))['o:errorCode']).toBe('USER_ERROR');
    expect(errorOf(await harness.call('DELETE', `${RECORDS}/customerPayment/${pay}`))['o:errorCode']).toBe('USER_ERROR');
    expect(() => harness.service.state.update('customerPayment', pay, { voided: true })).toThrow(NetSuiteSimulatorError);
    expect(() => harness.service.state.update('creditMemo', memo, { voided: true })).toThrow(NetSuiteSimulatorError);
    // Nor bring the payment below what it applied and refunded.
    expect(() => harness.service.state.update('customerPayment', pay, { payment: 4 })).toThrow(/cannot be less than/);
  });

  it('works through the state API and the collection: list, count, findByExternalId, q', async () => {
    const { harness, acme, creditMemo } = arrange();
    const inserted = harness.service.state.insert('customerRefund', { customer: { id: acme }, account: { id: '1' }, externalId: 'RF-S', apply: apply([[creditMemo(12), 12]]) });
    expect(inserted).toMatchObject({ total: 12, status: { id: 'R' } });
    expect(harness.service.state.count('customerRefund')).toBe(1);
    expect(harness.service.state.list('customerRefund')).toHaveLength(1);
    expect(harness.service.state.findByExternalId('customerRefund', 'RF-S')?.id).toBe(inserted.id);
    const page = await harness.call('GET', `${RECORDS}/customerRefund?q=${encodeURIComponent('total GREATER 10')}`);
    expect(itemsOf(page).map((item) => item.id)).toEqual([inserted.id]);
    harness.service.state.delete('customerRefund', 'eid:RF-S');
    expect(harness.service.state.deletedRecords()).toMatchObject([{ type: 'customerrefund', context: 'userinterface' }]);
  });
});
