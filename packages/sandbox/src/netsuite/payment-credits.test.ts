import { describe, expect, it } from 'vitest';
import { NetSuiteSimulatorError } from './errors';
import { createHarness, errorOf, idFromLocation, itemsOf, type Json, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

interface Arranged {
  harness: TestHarness;
  acme: string;
  globex: string;
  invoice: (amount: number, customer?: string, currency?: string) => string;
  creditMemo: (amount: number, customer?: string, currency?: string) => string;
}

function arrange(): Arranged {
  const harness = createHarness();
  const { state } = harness.service;
  const acme = String(state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const globex = String(state.insert('customer', { companyName: 'Globex', subsidiary: { id: '1' } }).id);
  const lines = (amount: number) => ({ items: [{ item: { id: '1' }, amount }] });
  const invoice = (amount: number, customer = acme, currency = '1') => String(state.insert('invoice', { entity: { id: customer }, currency: { id: currency }, item: lines(amount) }).id);
  const creditMemo = (amount: number, customer = acme, currency = '1') => String(state.insert('creditMemo', { entity: { id: customer }, currency: { id: currency }, item: lines(amount) }).id);
  return { harness, acme, globex, invoice, creditMemo };
}

type Pairs = [string, number][];
const items = (pairs: Pairs) => ({ items: pairs.map(([doc, amount]) => ({ doc: { id: doc }, apply: true, amount })) });

function pay(harness: TestHarness, customer: string, payment: number, apply: Pairs, credit: Pairs) {
  return harness.call('POST', `${RECORDS}/customerPayment`, { body: { customer: { id: customer }, payment, apply: items(apply), credit: items(credit) } });
}

function balance(harness: TestHarness, type: 'invoice' | 'creditMemo', id: string) {
  const record = harness.service.state.get(type, id);
  return { amountRemaining: record?.amountRemaining, status: (record?.status as { id: string }).id };
}

describe('customer payments applying credit memos (the credit sublist)', () => {
  it('applies a credit memo and cash to an invoice: the invoice, the credit memo and the payment show it', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const memo = creditMemo(30);
    const response = await pay(harness, acme, 70, [[inv, 100]], [[memo, 30]]);
    expect(response.status).toBe(204);
    const payment = idFromLocation(response);
    expect(balance(harness, 'invoice', inv)).toEqual({ amountRemaining: 0, status: 'B' });
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ total: 30, applied: 30, unapplied: 0, amountRemaining: 0, status: { id: 'B', refName: 'Fully Applied' } });
    const record = harness.service.state.get('customerPayment', payment);
    expect(record).toMatchObject({ payment: 70, total: 70, applied: 70, unapplied: 0 });
    expect(itemsOf(record?.credit as Json)).toMatchObject([{ doc: { id: memo }, apply: true, amount: 30, due: 30, total: 30, type: 'Credit Memo' }]);
  });

  it('records the credit as a link from the credit memo, and the invoice link carries cash and credit', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const memo = creditMemo(30);
    const payment = idFromLocation(await pay(harness, acme, 50, [[inv, 80]], [[memo, 30]]));
    const links = harness.service.state.query(`SELECT l.previousdoc, t.type, l.foreignamount FROM NextTransactionLineLink l
      JOIN transaction t ON t.id = l.previousdoc WHERE l.nextdoc = ${payment} ORDER BY l.previousdoc`);
    expect(links).toEqual([
      { previousdoc: inv, type: 'CustInvc', foreignamount: '80' },
      { previousdoc: memo, type: 'CustCred', foreignamount: '30' },
    ]);
    // Cash applied 50 of 50; the invoice has 20 left.
    expect(harness.service.state.get('customerPayment', payment)).toMatchObject({ applied: 50, unapplied: 0 });
    expect(balance(harness, 'invoice', inv)).toEqual({ amountRemaining: 20, status: 'A' });
    expect(harness.service.state.query(`SELECT foreignamountunpaid, BUILTIN.CF(status) AS cf FROM transaction WHERE id = ${memo}`)).toEqual([{ foreignamountunpaid: '0', cf: 'CustCred:B' }]);
  });

  it('takes a payment of 0 that only applies a credit memo to an invoice', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const memo = creditMemo(40);
    const payment = idFromLocation(await pay(harness, acme, 0, [[inv, 25]], [[memo, 25]]));
    expect(harness.service.state.get('customerPayment', payment)).toMatchObject({ payment: 0, applied: 0, unapplied: 0 });
    expect(balance(harness, 'creditMemo', memo)).toEqual({ amountRemaining: 15, status: 'A' });
    expect(balance(harness, 'invoice', inv)).toEqual({ amountRemaining: 75, status: 'A' });
  });

  it('leaves the rest of the cash unapplied when the invoices take less than payment + credits', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const payment = idFromLocation(await pay(harness, acme, 100, [[invoice(100), 60]], [[creditMemo(20), 20]]));
    expect(harness.service.state.get('customerPayment', payment)).toMatchObject({ applied: 40, unapplied: 60 });
  });

  it('refuses credits above the amount applied to invoices, and applications above payment + credits', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const memo = creditMemo(50);
    const tooMuchCredit = await pay(harness, acme, 0, [[inv, 20]], [[memo, 30]]);
    expect(tooMuchCredit.status).toBe(400);
    expect(errorOf(tooMuchCredit)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'credit' });
    const tooMuchApplied = await pay(harness, acme, 10, [[inv, 50]], [[memo, 30]]);
    expect(errorOf(tooMuchApplied)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'apply' });
    expect(errorOf(tooMuchApplied).detail).toMatch(/plus the credits applied \(30\)/);
    expect(harness.service.state.count('customerPayment')).toBe(0);
    expect(balance(harness, 'creditMemo', memo)).toEqual({ amountRemaining: 50, status: 'A' });
  });

  it("refuses a credit above the memo's amount remaining, another customer's or currency's memo, a voided one, a non-positive amount", async () => {
    const { harness, acme, globex, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const memo = creditMemo(30);
    const over = await pay(harness, acme, 0, [[inv, 31]], [[memo, 31]]);
    expect(errorOf(over)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'credit.items[0].doc' });
    expect(errorOf(over).detail).toMatch(/exceeds its amount remaining \(30\)/);
    const foreign = await pay(harness, acme, 0, [[inv, 5]], [[creditMemo(30, globex), 5]]);
    expect(errorOf(foreign).detail).toMatch(/another customer/);
    const euros = await pay(harness, acme, 0, [[inv, 5]], [[creditMemo(30, acme, '2'), 5]]);
    expect(errorOf(euros)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'currency' });
    const voided = creditMemo(30);
    harness.service.state.update('creditMemo', voided, { voided: true });
    expect(errorOf(await pay(harness, acme, 0, [[inv, 5]], [[voided, 5]])).detail).toMatch(/voided/);
    expect(errorOf(await pay(harness, acme, 10, [[inv, 10]], [[memo, -5]]))['o:errorCode']).toBe('USER_ERROR');
    // An invoice named in credit is not a credit memo.
    expect(errorOf(await pay(harness, acme, 0, [[inv, 5]], [[invoice(10), 5]]))).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'credit.items[0].doc' });
    expect(harness.service.state.count('customerPayment')).toBe(0);
  });

  it('merges credit lines by doc on PATCH and PUT eid:, counting what the payment already uses; replace=credit drops the others', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const inv = invoice(200);
    const first = creditMemo(30);
    const second = creditMemo(40);
    const put = (query: string, body: Json) => harness.call('PUT', `${RECORDS}/customerPayment/eid:PAY-1${query}`, { body });
    expect((await put('', { customer: { id: acme }, payment: 0, apply: items([[inv, 30]]), credit: items([[first, 30]]) })).status).toBe(204);
    const payment = String(harness.service.state.findByExternalId('customerPayment', 'PAY-1')?.id);
    // The payment already uses all 30 of the first memo: re-sending 30 is within its amount remaining.
    expect((await put('', { apply: items([[inv, 70]]), credit: items([[first, 30], [second, 40]]) })).status).toBe(204);
    expect(itemsOf(harness.service.state.get('customerPayment', payment)?.credit as Json).filter((line) => line.apply === true)).toMatchObject([
      { doc: { id: first }, amount: 30 },
      { doc: { id: second }, amount: 40 },
    ]);
    const patch = await harness.call('PATCH', `${RECORDS}/customerPayment/${payment}?replace=credit`, { body: { apply: items([[inv, 40]]), credit: items([[second, 40]]) } });
    expect(patch.status).toBe(204);
    expect(balance(harness, 'creditMemo', first)).toEqual({ amountRemaining: 30, status: 'A' });
    expect(balance(harness, 'creditMemo', second)).toEqual({ amountRemaining: 0, status: 'B' });
    expect(balance(harness, 'invoice', inv)).toEqual({ amountRemaining: 160, status: 'A' });
    // The unapplied first memo is listed again, apply: false.
    expect(itemsOf(harness.service.state.get('customerPayment', payment)?.credit as Json)).toMatchObject([
      { doc: { id: second }, apply: true, amount: 40, due: 40 },
      { doc: { id: first }, apply: false, due: 30, type: 'Credit Memo' },
    ]);
  });

  it("lists the customer's other open credit memos in the currency, apply: false, over HTTP", async () => {
    const { harness, acme, globex, invoice, creditMemo } = arrange();
    const inv = invoice(100);
    const open = creditMemo(15);
    creditMemo(20, globex);
    creditMemo(20, acme, '2');
    const payment = idFromLocation(await harness.call('POST', `${RECORDS}/customerPayment`, { body: { customer: { id: acme }, payment: 10, apply: items([[inv, 10]]) } }));
    const record = (await harness.call('GET', `${RECORDS}/customerPayment/${payment}?expandSubResources=true`)).body;
    expect(itemsOf(record.credit as Json)).toEqual([
      expect.objectContaining({ line: 1, doc: expect.objectContaining({ id: open }) as unknown, apply: false, due: 15, total: 15, type: 'Credit Memo', creditDate: '2026-03-02' }),
    ]);
    const collapsed = (await harness.call('GET', `${RECORDS}/customerPayment/${payment}`)).body;
    expect(collapsed.credit).toEqual({ links: [{ rel: 'self', href: expect.stringMatching(/\/customerPayment\/\d+\/credit$/) as unknown }] });
  });

  it('gives the credit back when the payment is voided or deleted, with a new lastModifiedDate', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const memo = creditMemo(30);
    const voided = idFromLocation(await pay(harness, acme, 0, [[invoice(100), 30]], [[memo, 30]]));
    harness.clock.advance(60);
    harness.service.state.update('customerPayment', voided, { voided: true });
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 30, status: { id: 'A' }, lastModifiedDate: '2026-03-02T10:01:00Z' });
    expect(harness.service.state.query(`SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = ${voided}`)).toEqual([{ n: '0' }]);
    const deleted = idFromLocation(await pay(harness, acme, 0, [[invoice(100), 20]], [[memo, 20]]));
    expect(balance(harness, 'creditMemo', memo)).toEqual({ amountRemaining: 10, status: 'A' });
    harness.clock.advance(60);
    expect((await harness.call('DELETE', `${RECORDS}/customerPayment/${deleted}`)).status).toBe(204);
    expect(harness.service.state.get('creditMemo', memo)).toMatchObject({ amountRemaining: 30, lastModifiedDate: '2026-03-02T10:02:00Z' });
  });

  it('refuses to delete or void a credit memo that a payment applies', async () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const memo = creditMemo(30);
    await pay(harness, acme, 0, [[invoice(100), 30]], [[memo, 30]]);
    const response = await harness.call('DELETE', `${RECORDS}/creditMemo/${memo}`);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', detail: 'This record cannot be deleted because it has dependent records.' });
    expect(() => harness.service.state.update('creditMemo', memo, { voided: true })).toThrow(NetSuiteSimulatorError);
    expect(harness.service.state.deletedRecords()).toEqual([]);
    expect(balance(harness, 'creditMemo', memo)).toEqual({ amountRemaining: 0, status: 'B' });
  });

  it("refuses a credit memo's own application beyond what a payment left of it", () => {
    const { harness, acme, invoice, creditMemo } = arrange();
    const memo = creditMemo(30);
    harness.service.state.insert('customerPayment', { customer: { id: acme }, payment: 0, apply: { items: [{ doc: { id: invoice(100) }, amount: 20 }] }, credit: { items: [{ doc: { id: memo }, amount: 20 }] } });
    expect(() => harness.service.state.update('creditMemo', memo, { apply: { items: [{ doc: { id: invoice(50) }, amount: 15 }] } })).toThrow(/exceeds its amount remaining|exceeds the credit amount/);
    harness.service.state.update('creditMemo', memo, { apply: { items: [{ doc: { id: invoice(50) }, amount: 10 }] } });
    expect(balance(harness, 'creditMemo', memo)).toEqual({ amountRemaining: 0, status: 'B' });
  });
});
