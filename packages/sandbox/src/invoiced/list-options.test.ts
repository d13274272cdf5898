/**
 * List options as Invoiced's list routes treat them: `sort` terms need a direction and name a field of the
 * object (others are dropped, not refused); invoices and credit notes check no option at all, while
 * customers and payments refuse an option they do not define; a legacy date bound that is not a positive
 * number is ignored.
 */
import { describe, expect, it } from 'vitest';
import type { InvoicedErrorBody } from './errors';
import type { InvoicedCustomerRecord, InvoicedInvoiceRecord } from './records';
import { createHarness, DAY } from './test-support';

const ids = (records: readonly { id: number }[]) => records.map((record) => record.id);

/** Three customers whose names, IDs and updated_at run in different orders. */
function arrange() {
  const harness = createHarness();
  const { state } = harness;
  const b = state.insert('customers', { name: 'beta' });
  const a = state.insert('customers', { name: 'Alpha' });
  const c = state.insert('customers', { name: 'gamma' });
  harness.advance(10);
  state.update('customers', b.id, { notes: 'touched' });
  return { ...harness, a, b, c };
}

describe('Invoiced list sort', () => {
  it('ignores a sort term without ASC or DESC, sorting by ID', async () => {
    const { call, a, b, c } = arrange();
    const answer = await call<InvoicedCustomerRecord[]>('GET', '/customers?sort=updated_at');
    expect(answer.status).toBe(200);
    expect(ids(answer.body)).toEqual([b.id, a.id, c.id]);
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', '/customers?sort=updated_at ASC')).body)).toEqual([a.id, c.id, b.id]);
  });

  it('drops a term naming no field of the object, or with the field in another case, without refusing', async () => {
    const { call, a, b, c } = arrange();
    for (const sort of ['bogus DESC', 'UPDATED_AT DESC', 'name  DESC', 'address1 DESC']) {
      const answer = await call<InvoicedCustomerRecord[]>('GET', `/customers?sort=${encodeURIComponent(sort)}`);
      expect(answer.status).toBe(200);
      expect(ids(answer.body)).toEqual([b.id, a.id, c.id]);
    }
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', '/customers?sort=bogus DESC,name DESC')).body)).toEqual([c.id, b.id, a.id]);
  });

  it('sorts by any field of the object it models, several terms in order, ties by ID', async () => {
    const { call, state, a, b, c } = arrange();
    // Text compares without regard to case (assumed: the database's usual case-insensitive collation).
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', '/customers?sort=name asc')).body)).toEqual([a.id, b.id, c.id]);
    const first = state.insert('invoices', { customer: a.id, items: [{ name: 'X', unit_cost: 5 }] });
    const second = state.insert('invoices', { customer: b.id, items: [{ name: 'X', unit_cost: 9 }] });
    const third = state.insert('invoices', { customer: a.id, items: [{ name: 'X', unit_cost: 7 }] });
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?sort=total DESC')).body)).toEqual([second.id, third.id, first.id]);
    // Acme (a) has the higher customer ID: its invoices first, by total.
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?sort=customer DESC,total ASC')).body)).toEqual([first.id, third.id, second.id]);
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?sort=status ASC')).body)).toEqual([first.id, second.id, third.id]);
  });

  it('refuses, in its own words, a sort by a field Invoiced has and the sandbox does not model', async () => {
    const { call } = arrange();
    const answer = await call<InvoicedErrorBody>('GET', '/invoices?sort=sent ASC');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'invalid_request', param: 'sort' });
    expect(answer.body.message).toMatch(/sandbox does not simulate/);
  });
});

describe('Invoiced list options', () => {
  it('ignores options an invoice or credit note list does not know, since those lists check none', async () => {
    const { call, state, a } = arrange();
    state.insert('invoices', { customer: a.id });
    state.insert('credit_notes', { customer: a.id });
    expect((await call<unknown[]>('GET', '/invoices?updatedAfter=5&netsuite=1')).body).toHaveLength(1);
    expect((await call<unknown[]>('GET', '/credit_notes?foo=bar')).body).toHaveLength(1);
  });

  it('answers an invoice list without Link or X-Total-Count for any paginate other than offset', async () => {
    const { call, state, a } = arrange();
    state.insert('invoices', { customer: a.id });
    const answer = await call<unknown[]>('GET', '/invoices?paginate=bogus');
    expect(answer.status).toBe(200);
    expect(answer.headers.link).toBeUndefined();
    expect(answer.headers['x-total-count']).toBeUndefined();
    expect((await call<InvoicedErrorBody>('GET', '/customers?paginate=bogus')).status).toBe(400);
  });

  it('ignores a start_date or end_date on invoices that is not a positive number', async () => {
    const { call, state, a, now } = arrange();
    state.insert('invoices', { customer: a.id, date: now() - DAY });
    state.insert('invoices', { customer: a.id, date: now() });
    for (const query of ['start_date=yesterday', 'end_date=0', 'end_date=-5', 'start_date=']) {
      const answer = await call<unknown[]>('GET', `/invoices?${query}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(2);
    }
    expect((await call<unknown[]>('GET', `/invoices?start_date=${now()}`)).body).toHaveLength(1);
  });

  it('refuses a start_date on payments that is not numeric, and ignores one that is not positive', async () => {
    const { call, state, a } = arrange();
    state.insert('payments', { customer: a.id, amount: 5 });
    expect((await call<InvoicedErrorBody>('GET', '/payments?start_date=yesterday')).body).toMatchObject({ param: 'query' });
    expect((await call<unknown[]>('GET', '/payments?end_date=0')).body).toHaveLength(1);
  });

  it("refuses a customer list option Invoiced does not define, listing the customer list's options", async () => {
    const { call } = arrange();
    const one = await call<InvoicedErrorBody>('GET', '/customers?start_date=5');
    expect(one.body).toEqual({
      type: 'invalid_request',
      param: 'query',
      message:
        "The option 'start_date' does not exist. Defined options are: 'advanced_filter', 'automation', 'balance', 'exclude', 'expand', 'filter', 'include', 'late_fee_schedule_id', 'metadata', 'open_balance', 'owner', 'page', 'paginate', 'payment_source', 'per_page', 'sort', 'updated_after', 'updated_before'.",
    });
    const two = await call<InvoicedErrorBody>('GET', '/customers?zeta=1&beta=2');
    expect(two.body.message).toMatch(/^The options 'beta', 'zeta' do not exist\. Defined options are: 'advanced_filter', /);
  });

  it('refuses, in its own words, an option Invoiced defines and the sandbox does not model', async () => {
    const { call } = arrange();
    const answer = await call<InvoicedErrorBody>('GET', '/customers?owner=5');
    expect(answer.body).toMatchObject({ type: 'invalid_request', param: 'query' });
    expect(answer.body.message).toMatch(/sandbox does not simulate/);
    expect((await call<InvoicedErrorBody>('GET', '/invoices?advanced_filter=x')).body.message).toMatch(/sandbox does not simulate/);
  });

  it('pages by cursor when a sort term without direction leaves ID alone, and by offset under id DESC', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 6; index += 1) state.insert('customers', { name: `C${index}` });
    await call('GET', '/customers?sort=updated_at&per_page=2');
    await call('GET', '/customers?sort=id DESC&per_page=2');
    state.delete('customers', 1);
    state.delete('customers', 6);
    const byCursor = await call<{ id: number }[]>('GET', '/customers?sort=updated_at&per_page=2&page=2');
    expect(ids(byCursor.body)).toEqual([3, 4]);
    // `id DESC` gets `id ASC` appended, so it is no longer a sort by ID alone: offset paging.
    const byOffset = await call<{ id: number }[]>('GET', '/customers?sort=id DESC&per_page=2&page=2');
    expect(ids(byOffset.body)).toEqual([3, 2]);
  });
});
