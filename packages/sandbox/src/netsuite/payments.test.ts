import { describe, expect, it } from 'vitest';
import { NetSuiteSimulatorError } from './errors';
import { createHarness, errorOf, idFromLocation, itemsOf, type Json, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

interface Books {
  harness: TestHarness;
  acme: string;
  globex: string;
  invoice: (amount: number, customer?: string, currency?: string) => string;
}

function arrange(): Books {
  const harness = createHarness();
  const { state } = harness.service;
  const acme = String(state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const globex = String(state.insert('customer', { companyName: 'Globex', subsidiary: { id: '1' } }).id);
  const invoice = (amount: number, customer = acme, currency = '1') =>
    String(state.insert('invoice', { entity: { id: customer }, currency: { id: currency }, item: { items: [{ item: { id: '1' }, amount }] } }).id);
  return { harness, acme, globex, invoice };
}

async function pay(harness: TestHarness, customer: string, amount: number, applications: [string, number][], extra: Record<string, unknown> = {}) {
  return harness.call('POST', `${RECORDS}/customerPayment`, {
    body: { customer: { id: customer }, payment: amount, apply: { items: applications.map(([doc, applied]) => ({ doc: { id: doc }, apply: true, amount: applied })) }, ...extra },
  });
}

function remaining(harness: TestHarness, invoice: string) {
  const record = harness.service.state.get('invoice', invoice);
  return { amountRemaining: record?.amountRemaining, amountPaid: record?.amountPaid, status: (record?.status as { id: string }).id };
}

describe('payments and invoice balances', () => {
  it('leaves an invoice open with the rest remaining after a partial payment', async () => {
    const { harness, acme, invoice } = arrange();
    const id = invoice(100);
    expect((await pay(harness, acme, 40, [[id, 40]])).status).toBe(204);
    expect(remaining(harness, id)).toEqual({ amountRemaining: 60, amountPaid: 40, status: 'A' });
    expect(harness.service.state.query(`SELECT foreignamountunpaid, status, BUILTIN.CF(status) AS cf FROM transaction WHERE id = ${id}`)).toEqual([{ foreignamountunpaid: '60', status: 'A', cf: 'CustInvc:A' }]);
  });

  it('splits one payment across two invoices, paying the first in full', async () => {
    const { harness, acme, invoice } = arrange();
    const first = invoice(100);
    const second = invoice(100);
    const payment = await pay(harness, acme, 150, [[first, 100], [second, 50]]);
    expect(remaining(harness, first)).toEqual({ amountRemaining: 0, amountPaid: 100, status: 'B' });
    expect(remaining(harness, second)).toEqual({ amountRemaining: 50, amountPaid: 50, status: 'A' });
    expect(harness.service.state.get('customerPayment', idFromLocation(payment))).toMatchObject({ payment: 150, applied: 150, unapplied: 0, status: { id: 'B', refName: 'Not Deposited' } });
    const links = harness.service.state.query(`SELECT previousdoc, foreignamount FROM NextTransactionLineLink WHERE nextdoc = ${idFromLocation(payment)} ORDER BY previousdoc`);
    expect(links).toEqual([{ previousdoc: first, foreignamount: '100' }, { previousdoc: second, foreignamount: '50' }]);
  });

  it('refuses to apply more than an invoice has remaining, and changes nothing', async () => {
    const { harness, acme, invoice } = arrange();
    const id = invoice(100);
    await pay(harness, acme, 70, [[id, 70]]);
    const response = await pay(harness, acme, 50, [[id, 50]]);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'apply.items[0].doc' });
    expect(remaining(harness, id)).toEqual({ amountRemaining: 30, amountPaid: 70, status: 'A' });
    expect(harness.service.state.count('customerPayment')).toBe(1);
  });

  it('refuses to apply more than the payment amount', async () => {
    const { harness, acme, invoice } = arrange();
    const response = await pay(harness, acme, 50, [[invoice(100), 60]]);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'apply' });
  });

  it("refuses to apply a payment to another customer's invoice, or one in another currency", async () => {
    const { harness, acme, globex, invoice } = arrange();
    const foreign = await pay(harness, acme, 10, [[invoice(100, globex), 10]]);
    expect(errorOf(foreign)).toMatchObject({ 'o:errorCode': 'USER_ERROR' });
    expect(errorOf(foreign).detail).toMatch(/another customer/);
    const euros = await pay(harness, acme, 10, [[invoice(100, acme, '2'), 10]]);
    expect(errorOf(euros)).toMatchObject({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'currency' });
  });

  it('refuses an application to a document that is not an invoice', async () => {
    const { harness, acme } = arrange();
    const response = await pay(harness, acme, 10, [['999', 10]]);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_CONTENT', 'o:errorPath': 'apply.items[0].doc' });
  });

  it('reopens the invoice when its payment is voided (in the UI: REST has no void), bumping the invoice lastModifiedDate', async () => {
    const { harness, acme, invoice } = arrange();
    const id = invoice(100);
    const payment = idFromLocation(await pay(harness, acme, 100, [[id, 100]]));
    expect(remaining(harness, id).status).toBe('B');
    harness.clock.advance(3600);
    harness.service.state.update('customerPayment', payment, { voided: true });
    expect(remaining(harness, id)).toEqual({ amountRemaining: 100, amountPaid: 0, status: 'A' });
    expect(harness.service.state.get('invoice', id)?.lastModifiedDate).toBe('2026-03-02T11:00:00Z');
    expect(harness.service.state.get('customerPayment', payment)).toMatchObject({ lastModifiedDate: '2026-03-02T11:00:00Z' });
    expect(harness.service.state.query(`SELECT COUNT(*) AS n FROM NextTransactionLineLink WHERE nextdoc = ${payment}`)).toEqual([{ n: '0' }]);
    const edit = await harness.call('PATCH', `${RECORDS}/customerPayment/${payment}`, { body: { memo: 'too late' } });
    expect(errorOf(edit)['o:errorCode']).toBe('USER_ERROR');
  });

  it('bumps lastModifiedDate only on the invoices whose balance a payment changed', async () => {
    const { harness, acme, invoice } = arrange();
    const paid = invoice(100);
    const untouched = invoice(100);
    harness.clock.advance(120);
    await pay(harness, acme, 25, [[paid, 25]]);
    expect(harness.service.state.get('invoice', paid)?.lastModifiedDate).toBe('2026-03-02T10:02:00Z');
    expect(harness.service.state.get('invoice', untouched)?.lastModifiedDate).toBe('2026-03-02T10:00:00Z');
  });

  it('re-derives invoices when a payment is re-applied or deleted', async () => {
    const { harness, acme, invoice } = arrange();
    const first = invoice(100);
    const second = invoice(100);
    const payment = idFromLocation(await pay(harness, acme, 100, [[first, 100]]));
    await harness.call('PATCH', `${RECORDS}/customerPayment/${payment}?replace=apply`, { body: { apply: { items: [{ doc: { id: second }, amount: 30 }] } } });
    expect([remaining(harness, first).amountRemaining, remaining(harness, second).amountRemaining]).toEqual([100, 70]);
    expect((await harness.call('DELETE', `${RECORDS}/customerPayment/${payment}`)).status).toBe(204);
    expect(remaining(harness, second)).toEqual({ amountRemaining: 100, amountPaid: 0, status: 'A' });
  });

  it("lists a payment's applications and the customer's other open invoices in its apply sublist", async () => {
    const { harness, acme, invoice } = arrange();
    const applied = invoice(100);
    const open = invoice(40);
    const payment = idFromLocation(await pay(harness, acme, 60, [[applied, 60]]));
    const record = (await harness.call('GET', `${RECORDS}/customerPayment/${payment}?expandSubResources=true`)).body;
    expect(itemsOf(record.apply as Json)).toMatchObject([
      { doc: { id: applied }, apply: true, amount: 60, due: 100, total: 100 },
      { doc: { id: open }, apply: false, due: 40, total: 40 },
    ]);
  });

  it('applies a credit memo to an invoice like a payment', () => {
    const { harness, acme, invoice } = arrange();
    const id = invoice(100);
    const memo = harness.service.state.insert('creditMemo', { entity: { id: acme }, item: { items: [{ item: { id: '1' }, amount: 30 }] }, apply: { items: [{ doc: { id }, amount: 20 }] } });
    expect(memo).toMatchObject({ total: 30, applied: 20, amountRemaining: 10, status: { id: 'A' } });
    expect(remaining(harness, id)).toEqual({ amountRemaining: 80, amountPaid: 20, status: 'A' });
  });

  it('refuses to delete an invoice that has payments applied', () => {
    const { harness, acme, invoice } = arrange();
    const id = invoice(100);
    harness.service.state.insert('customerPayment', { customer: { id: acme }, payment: 10, apply: { items: [{ doc: { id }, amount: 10 }] } });
    expect(() => harness.service.state.delete('invoice', id)).toThrow(NetSuiteSimulatorError);
  });
});
