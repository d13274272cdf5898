import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { invoicedEventTarget } from './event-schema';
import { makeClient, PRODUCTION, useMswServer } from './test-support';

const server = useMswServer();

const event = (id: number, type: string, object: Record<string, unknown>) => ({ id, type, timestamp: 1_760_000_000 + id, data: { object } });

describe('client.events', () => {
  it('lists events from a time window and of a type, following the pages, with IDs as strings', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get(`${PRODUCTION}/events`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.searchParams);
        if (url.searchParams.get('page') === '2') return HttpResponse.json([event(7, 'invoice.deleted', { id: 70, object: 'invoice' })]);
        return HttpResponse.json([event(9, 'invoice.deleted', { id: 90 })], { headers: { Link: `<${PRODUCTION}/events?page=2&start_date=1760000000&filter%5Btype%5D=invoice.deleted>; rel="next"` } });
      }),
    );
    const client = makeClient();
    const all = await client.events.list({ since: 1_760_000_000, until: new Date(1_760_000_100_000), type: 'invoice.deleted' }).toArray();
    expect(all.map((entry) => [entry.id, entry.type, entry.data.object.id])).toEqual([
      ['9', 'invoice.deleted', 90],
      ['7', 'invoice.deleted', 70],
    ]);
    expect(seen[0]?.get('start_date')).toBe('1760000000');
    expect(seen[0]?.get('end_date')).toBe('1760000100');
    expect(seen[0]?.get('filter[type]')).toBe('invoice.deleted');
  });

  it('keeps an event whose object it does not know, and retrieves one event', async () => {
    server.use(http.get(`${PRODUCTION}/events/12`, () => HttpResponse.json(event(12, 'subscription.created', { plan: 'gold', items: [1, 2] }))));
    const retrieved = await makeClient().events.retrieve(12);
    expect(retrieved).toMatchObject({ id: '12', type: 'subscription.created', data: { object: { plan: 'gold' } } });
    expect(invoicedEventTarget(retrieved)).toBeNull();
  });

  it('refuses a bad type or a time in milliseconds before any request', () => {
    const client = makeClient();
    expect(() => client.events.list({ type: 'deleted' })).toThrow(ConfigurationError);
    expect(() => client.events.list({ since: Date.now() })).toThrow(/milliseconds/);
  });
});

describe('invoicedEventTarget', () => {
  it.each([
    ['customer.updated', { id: 5 }, { entity: 'customer', sourceId: '5' }],
    ['invoice.paid', { id: 6, object: 'invoice' }, { entity: 'invoice', sourceId: '6' }],
    ['invoice.paid', { id: 6 }, null],
    ['invoice.viewed', { id: 61, object: 'invoice_view' }, null],
    ['toString.created', { id: 62 }, null],
    ['credit_note.deleted', { id: 7 }, { entity: 'creditNote', sourceId: '7' }],
    ['payment.created', { id: 8 }, { entity: 'payment', sourceId: '8' }],
    ['refund.created', { id: 9 }, { entity: 'refund', sourceId: '9' }],
    ['transaction.updated', { id: 10, payment: 11 }, { entity: 'payment', sourceId: '11' }],
    ['transaction.created', { id: 10, payment: null }, null],
    ['estimate.created', { id: 12 }, null],
    ['invoice.updated', { id: 'abc' }, null],
    ['invoice.updated', {}, null],
  ])('%s of %j names %j', (type, object, expected) => {
    expect(invoicedEventTarget({ type, data: { object } })).toEqual(expected);
  });
});
