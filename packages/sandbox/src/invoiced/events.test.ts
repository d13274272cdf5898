import { describe, expect, it } from 'vitest';
import type { InvoicedEvent } from './events';
import { diffPrevious, phpJsonEncode } from './event-diff';
import { createHarness, links } from './test-support';

const types = (events: readonly InvoicedEvent[]) => events.map((event) => event.type);

describe('events', () => {
  it('records created, updated (with previous), paid and deleted events through the API', async () => {
    const { call, state, advance, now } = createHarness();
    const customer = await call<{ id: number }>('POST', '/customers', { body: { name: 'Acme', currency: 'usd' } });
    advance(10);
    await call('PATCH', `/customers/${customer.body.id}`, { body: { name: 'Acme Inc', metadata: { netsuite_id: '7' } } });
    const invoice = await call<{ id: number }>('POST', '/invoices', { body: { customer: customer.body.id, items: [{ name: 'A', unit_cost: 100 }] } });
    await call('POST', '/payments', {
      body: { customer: customer.body.id, amount: 100, applied_to: [{ type: 'invoice', invoice: invoice.body.id, amount: 100 }] },
    });
    const events = state.events();
    expect(types(events)).toEqual(['customer.created', 'customer.updated', 'invoice.created', 'payment.created', 'invoice.paid']);
    expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5]);
    const updated = events[1] as InvoicedEvent;
    expect(updated.timestamp).toBe(now());
    expect(updated.data.object).toMatchObject({ id: customer.body.id, name: 'Acme Inc', object: 'customer' });
    // Empty metadata is PHP's empty array, a list: its old value whole.
    expect(updated.data.previous).toEqual({ name: 'Acme', metadata: {}, updated_at: expect.any(Number) as number });
    expect(updated.data.previous).not.toHaveProperty('currency');
    // Documents and payments carry the customer expanded, a payment its applied_to.
    expect((events[2] as InvoicedEvent).data.object.customer).toMatchObject({ id: customer.body.id, object: 'customer' });
    expect((events[3] as InvoicedEvent).data.object.applied_to).toEqual([{ type: 'invoice', invoice: invoice.body.id, amount: 100 }]);
    expect((events[4] as InvoicedEvent).data.previous).toMatchObject({ paid: false, balance: 100 });
    expect(events[0]?.data).not.toHaveProperty('previous');
  });

  it('records a payment void (DELETE) as payment.deleted after its documents, and no event for a no-op update', async () => {
    const { call, state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme', currency: 'usd' });
    const invoice = state.insert('invoices', { customer: customer.id, items: [{ name: 'A', unit_cost: 50 }] });
    const payment = state.insert('payments', { customer: customer.id, amount: 20, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 20 }] });
    const before = state.events().length;
    await call('PATCH', `/customers/${customer.id}`, { body: { name: 'Acme' } });
    expect(state.events()).toHaveLength(before);
    await call('DELETE', `/payments/${payment.id}`);
    const tail = state.events().slice(before);
    expect(types(tail)).toEqual(['invoice.updated', 'payment.deleted']);
    expect(tail[1]?.data.object).toMatchObject({ id: payment.id, voided: true });
    expect(tail[0]?.data.previous).toMatchObject({ balance: 30 });
  });

  it('records deletions with the object as it was, credit notes, and refund.created only for refunds', async () => {
    const { call, state } = createHarness();
    const customer = state.insert('customers', { name: 'Acme', currency: 'usd' });
    const invoice = state.insert('invoices', { customer: customer.id, items: [{ name: 'A', unit_cost: 10 }] });
    state.insert('credit_notes', { customer: customer.id, items: [{ name: 'C', unit_cost: 5 }] });
    await call('DELETE', `/invoices/${invoice.id}`);
    const processed = state.charge({ customer: customer.id, amount: 40 });
    const charged = state.events().length;
    state.refund(processed.charge.id, 10);
    const events = state.events();
    expect(types(events)).toEqual(['customer.created', 'invoice.created', 'credit_note.created', 'invoice.deleted', 'payment.created', 'refund.created']);
    expect(events[3]?.data.object).toMatchObject({ id: invoice.id, number: invoice.number });
    expect(events.length).toBe(charged + 1);
  });

  it('lists newest first with Link paging, related_to, type, dates and filter[type]; retrieves one; refuses writes', async () => {
    const { call, state, advance, now } = createHarness();
    const start = now();
    const acme = state.insert('customers', { name: 'Acme', currency: 'usd' });
    advance(100);
    const other = state.insert('customers', { name: 'Other', currency: 'usd' });
    state.insert('invoices', { customer: acme.id, items: [{ name: 'A', unit_cost: 10 }] });
    state.update('customers', other.id, { name: 'Other 2' });
    const page = await call<InvoicedEvent[]>('GET', '/events?per_page=2');
    expect(page.body.map((event) => event.id)).toEqual([4, 3]);
    expect(page.headers['x-total-count']).toBe('4');
    const next = links(page.headers.link).get('next') ?? '';
    expect((await call<InvoicedEvent[]>('GET', next)).body.map((event) => event.id)).toEqual([2, 1]);
    const related = await call<InvoicedEvent[]>('GET', `/events?related_to=customer,${acme.id}`);
    expect(related.body.map((event) => event.type)).toEqual(['invoice.created', 'customer.created']);
    expect((await call<InvoicedEvent[]>('GET', '/events?type=invoice')).body.map((event) => event.id)).toEqual([3]);
    expect((await call<InvoicedEvent[]>('GET', '/events?filter[type]=customer.updated')).body.map((event) => event.id)).toEqual([4]);
    expect((await call<InvoicedEvent[]>('GET', `/events?end_date=${start}`)).body.map((event) => event.id)).toEqual([1]);
    expect((await call<InvoicedEvent[]>('GET', `/events?start_date=${start + 100}`)).body).toHaveLength(3);
    expect((await call<{ message: string }>('GET', '/events?type=widget')).body.message).toBe('Object type not recognized: widget');
    expect((await call<InvoicedEvent>('GET', '/events/2')).body).toMatchObject({ id: 2, type: 'customer.created' });
    expect((await call('GET', '/events/99')).status).toBe(404);
    expect((await call('POST', '/events', { body: {} })).status).toBe(405);
  });

  it('forgets events on reset', () => {
    const { state } = createHarness();
    state.insert('customers', { name: 'Acme', currency: 'usd' });
    state.reset();
    expect(state.events()).toEqual([]);
    state.insert('customers', { name: 'Acme', currency: 'usd' });
    expect(state.events()[0]?.id).toBe(1);
  });
});

describe('event helpers', () => {
  it('diffs as Invoiced: added fields null, lists whole, objects by key, updated_at alone nothing', () => {
    expect(diffPrevious({ a: 1, updated_at: 1 }, { a: 1, updated_at: 2 })).toEqual({});
    expect(diffPrevious({ a: null, m: { x: '1' }, l: [1] }, { a: 'new', m: { x: '2', y: '3' }, l: [1, 2] })).toEqual({ a: null, m: { x: '1', y: null }, l: [1] });
    expect(diffPrevious({ n: 5 }, { n: 5.0 })).toEqual({});
  });

  it('encodes JSON as PHP json_encode does', () => {
    expect(phpJsonEncode({ url: 'https://x/y', name: 'Café' })).toBe('{"url":"https:\\/\\/x\\/y","name":"Caf\\u00e9"}');
  });
});
