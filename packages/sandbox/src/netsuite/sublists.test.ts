import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, idFromLocation, itemsOf, type Json, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

function arrange(): { harness: TestHarness; customer: string; invoice: (amounts: number[], externalId?: string) => string } {
  const harness = createHarness();
  const customer = String(harness.service.state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
  const invoice = (amounts: number[], externalId?: string) =>
    String(
      harness.service.state.insert('invoice', {
        entity: { id: customer },
        ...(externalId === undefined ? {} : { externalId }),
        item: { items: amounts.map((amount) => ({ item: { id: '1' }, amount, description: `line of ${amount}` })) },
      }).id,
    );
  return { harness, customer, invoice };
}

function lines(harness: TestHarness, id: string): Json[] {
  return itemsOf(harness.service.state.get('invoice', id)?.item as Json);
}

const body = (customer: string, amounts: number[]) => ({ entity: { id: customer }, item: { items: amounts.map((amount) => ({ item: { id: '1' }, amount })) } });

describe('invoice item lines on update (Oracle: Updating a Sublist, Replacing a Sublist)', () => {
  it('PATCH adds lines given without a line number to the lines already there', async () => {
    const { harness, invoice } = arrange();
    const id = invoice([10, 20]);
    const response = await harness.call('PATCH', `${RECORDS}/invoice/${id}`, { body: { item: { items: [{ item: { id: '1' }, amount: 5 }] } } });
    expect(response.status).toBe(204);
    expect(lines(harness, id).map((line) => [line.line, line.amount])).toEqual([[1, 10], [2, 20], [3, 5]]);
    expect(harness.service.state.get('invoice', id)?.total).toBe(35);
  });

  it('PATCH updates the line a request line names by its line number and adds the others', async () => {
    const { harness, invoice } = arrange();
    const id = invoice([10, 20]);
    await harness.call('PATCH', `${RECORDS}/invoice/${id}`, { body: { item: { items: [{ line: 2, amount: 25 }, { item: { id: '1' }, amount: 5 }] } } });
    expect(lines(harness, id).map((line) => [line.line, line.amount, line.description])).toEqual([
      [1, 10, 'line of 10'],
      [2, 25, 'line of 20'],
      [3, 5, undefined],
    ]);
  });

  it('PATCH with replace=item keeps only the lines of the request; a line named by number keeps its other fields', async () => {
    const { harness, invoice } = arrange();
    const id = invoice([10, 20, 30]);
    const response = await harness.call('PATCH', `${RECORDS}/invoice/${id}?replace=item`, { body: { item: { items: [{ line: 2, amount: 22 }, { item: { id: '1' }, amount: 7 }] } } });
    expect(response.status).toBe(204);
    expect(lines(harness, id).map((line) => [line.line, line.amount, line.description])).toEqual([
      [2, 22, 'line of 20'],
      [4, 7, undefined],
    ]);
    expect(harness.service.state.get('invoice', id)?.total).toBe(29);
  });

  it('PUT eid: on an existing invoice is an update: it adds the body lines to those already there', async () => {
    const { harness, customer, invoice } = arrange();
    const id = invoice([10, 20], 'invd-inv-1');
    const response = await harness.call('PUT', `${RECORDS}/invoice/eid:invd-inv-1`, { body: body(customer, [10, 20]) });
    expect(response.status).toBe(204);
    expect(idFromLocation(response)).toBe(id);
    expect(lines(harness, id).map((line) => line.amount)).toEqual([10, 20, 10, 20]);
    expect(harness.service.state.get('invoice', id)?.total).toBe(60);
  });

  it('PUT eid: with replace=item leaves exactly the body lines, however often it is repeated', async () => {
    const { harness, customer, invoice } = arrange();
    const id = invoice([10, 20], 'invd-inv-1');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await harness.call('PUT', `${RECORDS}/invoice/eid:invd-inv-1?replace=item`, { body: body(customer, [15, 25]) });
      expect(response.status).toBe(204);
    }
    expect(lines(harness, id).map((line) => line.amount)).toEqual([15, 25]);
    expect(harness.service.state.get('invoice', id)?.total).toBe(40);
    expect(harness.service.state.count('invoice')).toBe(1);
  });

  it('creates a new invoice with its lines through PUT eid: and POST, with or without replace', async () => {
    const { harness, customer } = arrange();
    const put = await harness.call('PUT', `${RECORDS}/invoice/eid:invd-inv-9?replace=item`, { body: body(customer, [3, 4]) });
    const post = await harness.call('POST', `${RECORDS}/invoice?replace=item`, { body: body(customer, [5]) });
    expect([put.status, post.status]).toEqual([204, 204]);
    expect(lines(harness, idFromLocation(put)).map((line) => line.amount)).toEqual([3, 4]);
    expect(lines(harness, idFromLocation(post)).map((line) => line.amount)).toEqual([5]);
  });

  it('refuses a replace naming a sublist the record type does not have, naming the parameter', async () => {
    const { harness, invoice } = arrange();
    const id = invoice([10]);
    const response = await harness.call('PATCH', `${RECORDS}/invoice/${id}?replace=apply`, { body: { memo: 'x' } });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'replace' });
    expect(lines(harness, id)).toHaveLength(1);
  });
});

describe('payment apply lines on update (keyed by doc)', () => {
  function withPayment() {
    const { harness, customer, invoice } = arrange();
    const first = invoice([100]);
    const second = invoice([100]);
    const third = invoice([100]);
    const payment = String(
      harness.service.state.insert('customerPayment', {
        customer: { id: customer },
        externalId: 'invd-pay-1',
        payment: 300,
        apply: { items: [{ doc: { id: first }, apply: true, amount: 40 }, { doc: { id: second }, apply: true, amount: 50 }] },
      }).id,
    );
    const applied = () =>
      itemsOf(harness.service.state.get('customerPayment', payment)?.apply as Json)
        .filter((line) => line.apply === true)
        .map((line) => [(line.doc as Json).id, line.amount]);
    return { harness, customer, first, second, third, payment, applied };
  }

  it('PATCH merges by doc: a doc left out stays applied, apply: false unapplies, a new doc is added', async () => {
    const { harness, first, second, third, payment, applied } = withPayment();
    const response = await harness.call('PATCH', `${RECORDS}/customerPayment/${payment}`, {
      body: { apply: { items: [{ doc: { id: second }, apply: false }, { doc: { id: third }, apply: true, amount: 30 }] } },
    });
    expect(response.status).toBe(204);
    expect(applied()).toEqual([[first, 40], [third, 30]]);
  });

  it('PUT eid: on an existing payment merges its applications unless the request says replace=apply', async () => {
    const { harness, customer, first, third, applied } = withPayment();
    const put = (query: string) =>
      harness.call('PUT', `${RECORDS}/customerPayment/eid:invd-pay-1${query}`, {
        body: { customer: { id: customer }, payment: 300, apply: { items: [{ doc: { id: third }, apply: true, amount: 60 }] } },
      });
    expect((await put('')).status).toBe(204);
    expect(applied().map(([doc]) => doc)).toContain(first);
    expect((await put('?replace=apply')).status).toBe(204);
    expect(applied()).toEqual([[third, 60]]);
  });
});
