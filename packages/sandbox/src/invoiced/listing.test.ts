import type { InvoicedErrorBody } from './errors';
import { describe, expect, it } from 'vitest';
import type { InvoicedCustomerRecord, InvoicedInvoiceRecord } from './records';
import { createHarness, DAY, links } from './test-support';

describe('Invoiced list pagination', () => {
  it('reaches every record exactly once by following next links in order', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 23; index += 1) state.insert('customers', { name: `Customer ${index}` });
    const seen: number[] = [];
    let url: string | undefined = '/customers?page=1&per_page=5';
    let pages = 0;
    let lastLinks = new Map<string, string>();
    while (url !== undefined) {
      const answer = await call<InvoicedCustomerRecord[]>('GET', url);
      expect(answer.headers['x-total-count']).toBe('23');
      seen.push(...answer.body.map((customer) => customer.id));
      lastLinks = links(answer.headers.link);
      url = lastLinks.get('next');
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, index) => index + 1));
    expect(lastLinks.has('next')).toBe(false);
    expect(lastLinks.get('previous')).toBe('https://api.sandbox.invoiced.com/customers?page=4&per_page=5');
  });

  it('gives absolute self, first, previous, next and last links that keep the other parameters', async () => {
    const { call, state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme' });
    for (let index = 0; index < 7; index += 1) state.insert('invoices', { customer: customer.id });
    const answer = await call('GET', `/invoices?filter%5Bcustomer%5D=${customer.id}&sort=updated_at%20ASC&page=2&per_page=2`);
    const rel = links(answer.headers.link);
    const expected = (page: number) =>
      `https://api.sandbox.invoiced.com/invoices?filter%5Bcustomer%5D=${customer.id}&sort=updated_at%20ASC&page=${page}&per_page=2`;
    expect(Object.fromEntries(rel)).toEqual({ self: expected(2), first: expected(1), previous: expected(1), next: expected(3), last: expected(4) });
  });

  it('answers an empty page past the end, and a single page when nothing matches', async () => {
    const { call, state } = createHarness();
    state.insert('customers', { name: 'Only' });
    const past = await call<unknown[]>('GET', '/customers?page=3');
    expect(past.body).toEqual([]);
    expect([...links(past.headers.link).keys()]).toEqual(['self', 'first', 'previous', 'last']);
    const none = await call<unknown[]>('GET', '/customers?filter[name]=Nobody');
    expect(none.headers['x-total-count']).toBe('0');
    expect([...links(none.headers.link).keys()]).toEqual(['self', 'first', 'last']);
  });

  it('serves 100 per page by default and at most, lowering a larger per_page', async () => {
    const { call, state } = createHarness();
    for (let index = 0; index < 101; index += 1) state.insert('customers', { name: `C${index}` });
    expect((await call<unknown[]>('GET', '/customers')).body).toHaveLength(100);
    expect((await call<unknown[]>('GET', '/customers?per_page=101')).body).toHaveLength(100);
    expect((await call<unknown[]>('GET', '/customers?page=0')).body).toHaveLength(100);
  });
});

describe('Invoiced list filters', () => {
  function arrange() {
    const harness = createHarness();
    const { state } = harness;
    const acme = state.insert('customers', { name: 'Acme', metadata: { netsuite_id: '10' } });
    const beta = state.insert('customers', { name: 'Beta', metadata: { netsuite_id: '20' } });
    const draft = state.insert('invoices', { customer: acme.id, draft: true, items: [{ name: 'D', unit_cost: 1 }] });
    const open = state.insert('invoices', { customer: acme.id, items: [{ name: 'O', unit_cost: 1 }] });
    const paid = state.insert('invoices', { customer: beta.id, items: [{ name: 'P', unit_cost: 1 }] });
    state.insert('payments', { customer: beta.id, amount: 1, applied_to: [{ type: 'invoice', invoice: paid.id, amount: 1 }] });
    return { ...harness, acme, beta, draft, open, paid };
  }
  const ids = (records: readonly { id: number }[]) => records.map((record) => record.id);

  it('matches booleans sent as 1/0 or true/false', async () => {
    const { call, draft, open, paid } = arrange();
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?filter[draft]=0')).body)).toEqual([open.id, paid.id]);
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?filter[draft]=true')).body)).toEqual([draft.id]);
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', '/invoices?filter[paid]=0&filter[closed]=0&filter[draft]=0')).body)).toEqual([open.id]);
    expect((await call<InvoicedErrorBody>('GET', '/invoices?filter[paid]=maybe')).body.param).toBe('filter[paid]');
  });

  it('matches IDs and strings exactly', async () => {
    const { call, beta, paid } = arrange();
    expect(ids((await call<InvoicedInvoiceRecord[]>('GET', `/invoices?filter[customer]=${beta.id}`)).body)).toEqual([paid.id]);
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', '/customers?filter[name]=acme')).body)).toEqual([]);
  });

  it('matches metadata exactly and leaves out records without the key', async () => {
    const { call, state, acme } = arrange();
    state.insert('customers', { name: 'No metadata' });
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', '/customers?metadata[netsuite_id]=10')).body)).toEqual([acme.id]);
    expect((await call<unknown[]>('GET', '/customers?metadata[netsuite_id]=1')).body).toEqual([]);
  });

  it('refuses an unknown filter, and an unknown parameter on the lists that check theirs', async () => {
    const { call } = arrange();
    expect((await call<InvoicedErrorBody>('GET', '/invoices?filter[netsuite_id]=1')).body).toEqual({ type: 'invalid_request', message: 'Invalid filter parameter: netsuite_id' });
    const unknown = await call<InvoicedErrorBody>('GET', '/customers?updatedAfter=5');
    expect(unknown.body).toMatchObject({ type: 'invalid_request', param: 'query' });
    expect(unknown.body.message).toMatch(/^The option 'updatedAfter' does not exist\. Defined options are: /);
  });

  it('treats updated_after as strictly greater, to the second', async () => {
    const { call, state, advance, now } = createHarness();
    const first = state.insert('customers', { name: 'First' });
    const cursor = now();
    advance(1);
    const second = state.insert('customers', { name: 'Second' });
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', `/customers?updated_after=${cursor}`)).body)).toEqual([second.id]);
    expect(ids((await call<InvoicedCustomerRecord[]>('GET', `/customers?updated_after=${cursor - 1}`)).body)).toEqual([first.id, second.id]);
    expect((await call<unknown[]>('GET', `/customers?updated_after=${cursor + 1}`)).body).toEqual([]);
  });

  it('filters on the document date with start_date and end_date, both inclusive', async () => {
    const { call, state, now } = createHarness();
    const customer = state.insert('customers', { name: 'Acme' });
    const day = (offset: number) => state.insert('invoices', { customer: customer.id, date: now() + offset * DAY }).id;
    const [before, start, inside, end, after] = [day(-1), day(0), day(1), day(2), day(3)];
    const answer = await call<InvoicedInvoiceRecord[]>('GET', `/invoices?start_date=${now()}&end_date=${now() + 2 * DAY}`);
    expect(ids(answer.body)).toEqual([start, inside, end]);
    expect(ids(answer.body)).not.toContain(before);
    expect(ids(answer.body)).not.toContain(after);
  });

  it('sorts by updated_at ASC or DESC with ties by ID, by id DESC, and by id ASC by default', async () => {
    const { call, state, advance } = createHarness();
    const a = state.insert('customers', { name: 'A' });
    const b = state.insert('customers', { name: 'B' });
    const c = state.insert('customers', { name: 'C' });
    advance(10);
    state.update('customers', a.id, { notes: 'touched' });
    const sorted = async (query: string) => ids((await call<InvoicedCustomerRecord[]>('GET', `/customers${query}`)).body);
    expect(await sorted('')).toEqual([a.id, b.id, c.id]);
    expect(await sorted('?sort=updated_at%20ASC')).toEqual([b.id, c.id, a.id]);
    expect(await sorted('?sort=updated_at+DESC')).toEqual([a.id, b.id, c.id]);
    expect(await sorted('?sort=id DESC')).toEqual([c.id, b.id, a.id]);
    expect(await sorted('?sort=name DESC')).toEqual([c.id, b.id, a.id]);
  });
});
