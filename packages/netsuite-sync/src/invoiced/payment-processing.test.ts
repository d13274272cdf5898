import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeClient, PRODUCTION, useMswServer } from './test-support';

const server = useMswServer();

const refund = (overrides: Record<string, unknown> = {}) => ({
  id: 5309,
  object: 'refund',
  charge: 46374,
  amount: 400,
  currency: 'usd',
  gateway: 'test',
  gateway_id: 'wx0c2B1he',
  status: 'succeeded',
  failure_message: null,
  created_at: 1606943682,
  updated_at: 1606943682,
  ...overrides,
});

describe('refunds and charges (read only)', () => {
  it('lists refunds page by page with the sort asked for, and retrieves one', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/refunds`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.search);
        if (url.searchParams.get('page') === '2') return HttpResponse.json([refund({ id: 5310, status: 'voided' })]);
        return HttpResponse.json([refund()], { headers: { Link: `<${PRODUCTION}/refunds?page=2&sort=id+ASC>; rel="next"` } });
      }),
      http.get(`${PRODUCTION}/refunds/5309`, () => HttpResponse.json(refund())),
    );
    const client = makeClient();
    const all = await client.refunds.list({ sort: 'id ASC' }).toArray();
    expect(all.map((entry) => [entry.id, entry.status])).toEqual([
      [5309, 'succeeded'],
      [5310, 'voided'],
    ]);
    expect(seen[0]).toContain('sort=id');
    await expect(client.refunds.retrieve(5309)).resolves.toMatchObject({ charge: 46374, amount: 400 });
  });

  it('retrieves a charge with the payment it made, and leaves payment undefined when Invoiced does not say it', async () => {
    const charge = { id: 46374, object: 'charge', customer: 401558, currency: 'usd', amount: 2000, amount_refunded: 400, refunded: false, status: 'succeeded', created_at: 1607152637, refunds: [] };
    server.use(
      http.get(`${PRODUCTION}/charges/46374`, () => HttpResponse.json({ ...charge, payment: 61 })),
      http.get(`${PRODUCTION}/charges/46375`, () => HttpResponse.json({ ...charge, id: 46375 })),
    );
    const client = makeClient();
    await expect(client.charges.retrieve(46374)).resolves.toMatchObject({ payment: 61, amount_refunded: 400 });
    expect((await client.charges.retrieve(46375)).payment).toBeUndefined();
  });

  it('refuses a refund Invoiced answers in another shape with a typed error naming the field', async () => {
    server.use(http.get(`${PRODUCTION}/refunds/1`, () => HttpResponse.json(refund({ id: 1, amount: 'lots' }))));
    const error: unknown = await makeClient().refunds.retrieve(1).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVOICED_INVALID_RESPONSE' });
    expect(String((error as Error).message)).toContain('amount');
  });

  it('refuses an ID that is not a positive integer before any request', async () => {
    await expect(makeClient().charges.retrieve(0)).rejects.toThrow(/Invalid id: must be a positive integer/);
  });
});
