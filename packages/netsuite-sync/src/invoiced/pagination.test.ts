import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ResponseValidationError } from '../errors';
import { InvoicedPaginationError } from './errors';
import { parseLinkHeader } from './pagination';
import { API_KEY_BASIC, PRODUCTION, customerJson, invoiceJson, makeClient, useMswServer } from './test-support';

const server = useMswServer();

/** `count` customers with IDs 1..count. */
function customers(count: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => customerJson({ id: offset + index + 1 }));
}

/**
 * A server that pages `total` customers the way Invoiced does: `Link` with next/last (as absolute URLs)
 * and, optionally, `X-Total-Count`. Records the page URLs requested, in order.
 */
function pagedCustomers(total: number, options: { totalCount?: boolean; base?: string } = {}): URL[] {
  const base = options.base ?? PRODUCTION;
  const requested: URL[] = [];
  server.use(
    http.get(`${base}/customers`, ({ request }) => {
      const url = new URL(request.url);
      requested.push(url);
      const page = Number(url.searchParams.get('page') ?? '1');
      const perPage = Number(url.searchParams.get('per_page') ?? '100');
      const last = Math.max(1, Math.ceil(total / perPage));
      const link = (p: number, rel: string) => `<${base}/customers?page=${p}&per_page=${perPage}>; rel="${rel}"`;
      const links = [link(page, 'self'), link(1, 'first'), ...(page < last ? [link(page + 1, 'next')] : []), link(last, 'last')];
      const headers: Record<string, string> = { link: links.join(', ') };
      if (options.totalCount === true) headers['x-total-count'] = String(total);
      const start = (page - 1) * perPage;
      return HttpResponse.json(customers(Math.max(0, Math.min(perPage, total - start)), start), { headers });
    }),
  );
  return requested;
}

describe('list pagination', () => {
  it('follows Link rel="next" across many pages, in order, 100 per page, with X-Total-Count', async () => {
    const requested = pagedCustomers(1050, { totalCount: true });
    const list = makeClient().customers.list();
    const ids = (await list.toArray()).map((customer) => customer.id);
    expect(ids).toEqual(Array.from({ length: 1050 }, (_, index) => index + 1));
    expect(requested.map((url) => url.searchParams.get('page'))).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    expect(requested.every((url) => url.searchParams.get('per_page') === '100')).toBe(true);
    expect(list.totalCount).toBe(1050);
    expect(list.pagesFetched).toBe(11);
  });

  it("asks for the next page (by the link the previous one gave) as soon as that page arrives, while its records are handed out, and never two at once", async () => {
    const requested = pagedCustomers(250);
    const list = makeClient().customers.list();
    const requestsAtFirstOfPage: number[] = [];
    let seen = 0;
    for await (const _ of list) {
      if (seen % 100 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        requestsAtFirstOfPage.push(requested.length);
      }
      seen += 1;
    }
    // At the first record of page 1 the request of page 2 is out; of page 3 (the last) nothing more.
    expect(requestsAtFirstOfPage).toEqual([2, 3, 3]);
    expect(requested.map((url) => url.searchParams.get('page'))).toEqual(['1', '2', '3']);
  });

  it('pages without X-Total-Count', async () => {
    pagedCustomers(250);
    const list = makeClient().customers.list({ perPage: 50 });
    expect(await list.toArray()).toHaveLength(250);
    expect(list.totalCount).toBeUndefined();
    expect(list.pagesFetched).toBe(5);
  });

  it('requests the next link exactly as given rather than computing the page', async () => {
    const requested: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        const url = new URL(request.url);
        requested.push(url.search);
        const cursor = url.searchParams.get('cursor');
        if (cursor === null) {
          return HttpResponse.json(customers(2), {
            headers: { link: `<${PRODUCTION}/customers?cursor=abc&per_page=100>; rel="next"` },
          });
        }
        if (cursor === 'abc') {
          return HttpResponse.json(customers(2, 2), {
            headers: { link: `<${PRODUCTION}/customers?cursor=def&per_page=100>; rel="next", <${PRODUCTION}/customers?page=1>; rel="first"` },
          });
        }
        return HttpResponse.json(customers(1, 4), { headers: { link: `<${PRODUCTION}/customers?page=1>; rel="first"` } });
      }),
    );
    const ids = (await makeClient().customers.list().toArray()).map((customer) => customer.id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(requested).toEqual(['?page=1&per_page=100', '?cursor=abc&per_page=100', '?cursor=def&per_page=100']);
  });

  it('without a Link header, computes the next page and stops at a short page', async () => {
    const pages: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/invoices`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        pages.push(String(page));
        const count = page < 3 ? 100 : 37;
        return HttpResponse.json(
          Array.from({ length: count }, (_, index) => invoiceJson({ id: (page - 1) * 100 + index + 1 })),
        );
      }),
    );
    const all = await makeClient().invoices.list().toArray();
    expect(all).toHaveLength(237);
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('without a Link header, stops at an empty page when the total is a multiple of per_page', async () => {
    const pages: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        const page = Number(new URL(request.url).searchParams.get('page'));
        pages.push(String(page));
        return HttpResponse.json(page <= 2 ? customers(10, (page - 1) * 10) : []);
      }),
    );
    expect(await makeClient().customers.list({ perPage: 10 }).toArray()).toHaveLength(20);
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('fetches a page only when iteration reaches it', async () => {
    const requested = pagedCustomers(300);
    const list = makeClient().customers.list();
    const seen: number[] = [];
    for await (const customer of list) {
      seen.push(customer.id);
      if (seen.length === 150) break;
    }
    expect(requested).toHaveLength(2);
  });

  it('follows next links below a baseUrl path prefix', async () => {
    const requested = pagedCustomers(120, { base: 'https://proxy.example.test/invoiced' });
    const client = makeClient({ baseUrl: 'https://proxy.example.test/invoiced' });
    expect(await client.customers.list().toArray()).toHaveLength(120);
    expect(requested.map((url) => url.pathname)).toEqual(['/invoiced/customers', '/invoiced/customers']);
  });

  it.each([
    ['another host', 'https://evil.example.test/customers?page=2'],
    ['plain http', 'http://api.invoiced.com/customers?page=2'],
    ['another port', 'https://api.invoiced.com:8443/customers?page=2'],
  ])('refuses a next link to %s and never sends the key there', async (_label, next) => {
    let foreignHits = 0;
    const foreign = new URL(next);
    server.use(
      http.get(`${PRODUCTION}/customers`, () => HttpResponse.json(customers(1), { headers: { link: `<${next}>; rel="next"` } })),
      http.get(`${foreign.origin}/customers`, ({ request }) => {
        foreignHits += request.headers.get('authorization')?.includes(API_KEY_BASIC) === true ? 1 : 0;
        return HttpResponse.json([]);
      }),
    );
    const error = await makeClient().customers.list().toArray().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvoicedPaginationError);
    expect(error).toMatchObject({ code: 'INVOICED_FOREIGN_NEXT_LINK', api: 'invoiced' });
    expect(foreignHits).toBe(0);
  });

  it('refuses a next link outside the baseUrl path prefix', async () => {
    server.use(
      http.get('https://proxy.example.test/invoiced/customers', () =>
        HttpResponse.json(customers(1), { headers: { link: '<https://proxy.example.test/admin/customers?page=2>; rel="next"' } }),
      ),
    );
    const client = makeClient({ baseUrl: 'https://proxy.example.test/invoiced' });
    await expect(client.customers.list().toArray()).rejects.toMatchObject({ code: 'INVOICED_FOREIGN_NEXT_LINK' });
  });

  it('stops with a typed error when next links loop back', async () => {
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page');
        const next = page === '1' ? 2 : 1;
        return HttpResponse.json(customers(1), { headers: { link: `<${PRODUCTION}/customers?page=${next}&per_page=100>; rel="next"` } });
      }),
    );
    await expect(makeClient().customers.list().toArray()).rejects.toMatchObject({ code: 'INVOICED_PAGINATION_LOOP' });
  });

  it('ends the list when the last page links next to itself, as the official Go SDK guards against', async () => {
    let requests = 0;
    server.use(
      http.get(`${PRODUCTION}/customers`, () => {
        requests += 1;
        const self = `<${PRODUCTION}/customers?page=1>`;
        return HttpResponse.json(customers(3), { headers: { link: `${self}; rel="self", ${self}; rel="next", ${self}; rel="last"` } });
      }),
    );
    await expect(makeClient().customers.list().toArray()).resolves.toHaveLength(3);
    expect(requests).toBe(1);
  });

  it('reads a next link to the page itself with its parameters in another order as that page', async () => {
    let requests = 0;
    server.use(
      http.get(`${PRODUCTION}/customers`, () => {
        requests += 1;
        return HttpResponse.json(customers(2), { headers: { link: `<${PRODUCTION}/customers?per_page=5&page=1>; rel="next"`, 'x-total-count': '2' } });
      }),
    );
    await expect(makeClient().customers.list({ perPage: 5 }).toArray()).resolves.toHaveLength(2);
    expect(requests).toBe(1);
  });

  it('refuses a next link to the page itself before the end of the list, rather than stop early or loop', async () => {
    server.use(
      http.get(`${PRODUCTION}/customers`, () =>
        HttpResponse.json(customers(5), { headers: { link: `<${PRODUCTION}/customers?page=1&per_page=5>; rel="next"`, 'x-total-count': '12' } }),
      ),
    );
    await expect(makeClient().customers.list({ perPage: 5 }).toArray()).rejects.toMatchObject({ code: 'INVOICED_PAGINATION_LOOP' });
  });

  it('recognizes a link back to an earlier page whatever the order of its parameters, without requesting it again', async () => {
    const requested: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        const url = new URL(request.url);
        requested.push(url.search);
        const back = url.searchParams.get('page') === '2';
        const next = back ? `${PRODUCTION}/customers?per_page=100&page=1` : `${PRODUCTION}/customers?page=2&per_page=100`;
        return HttpResponse.json(customers(100), { headers: { link: `<${next}>; rel="next"` } });
      }),
    );
    await expect(makeClient().customers.list().toArray()).rejects.toMatchObject({ code: 'INVOICED_PAGINATION_LOOP' });
    expect(requested).toEqual(['?page=1&per_page=100', '?page=2&per_page=100']);
  });

  it('stops with a typed error when computed pages repeat', async () => {
    server.use(http.get(`${PRODUCTION}/customers`, () => HttpResponse.json(customers(5))));
    await expect(makeClient().customers.list({ perPage: 5 }).toArray()).rejects.toMatchObject({ code: 'INVOICED_PAGINATION_LOOP' });
  });

  it('reports an invalid record with its index on the page', async () => {
    server.use(http.get(`${PRODUCTION}/customers`, () => HttpResponse.json([customerJson(), customerJson({ name: undefined })])));
    const error = await makeClient().customers.list().toArray().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues).toEqual([{ path: '1.name', message: expect.any(String) as string }]);
  });

  it("asks for the next page before checking this page's records: the check is not in the chain of pages", async () => {
    // Pages of 37, a size no other test asks for: what other tests left in flight is not counted.
    const requested: string[] = [];
    server.use(
      http.get(`${PRODUCTION}/customers`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('per_page') !== '37') return HttpResponse.json([]);
        const page = url.searchParams.get('page') ?? '1';
        requested.push(page);
        const headers = { link: page === '1' ? `<${PRODUCTION}/customers?page=2&per_page=37>; rel="next"` : `<${PRODUCTION}/customers?page=2&per_page=37>; rel="self"` };
        // The first page's last record is invalid: the list fails on it, once the second page is on its way.
        return HttpResponse.json(page === '1' ? [...customers(36), customerJson({ id: 37, name: undefined })] : customers(1, 37), { headers });
      }),
    );
    const error = await makeClient().customers.list({ perPage: 37 }).toArray().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseValidationError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requested).toEqual(['1', '2']);
  });

  it('refuses a page that is not an array', async () => {
    server.use(http.get(`${PRODUCTION}/customers`, () => HttpResponse.json({ data: [] })));
    await expect(makeClient().customers.list().toArray()).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe('list filters', () => {
  function capture(path: string): { url?: URL } {
    const seen: { url?: URL } = {};
    server.use(
      http.get(`${PRODUCTION}${path}`, ({ request }) => {
        seen.url = new URL(request.url);
        return HttpResponse.json([]);
      }),
    );
    return seen;
  }

  it('sends filter[key]=value, with booleans as 1 and 0', async () => {
    const seen = capture('/invoices');
    await makeClient().invoices.list({ filter: { paid: false, closed: true, customer: 1234, number: 'INV 1' } }).toArray();
    const params = seen.url?.searchParams;
    expect(params?.get('filter[paid]')).toBe('0');
    expect(params?.get('filter[closed]')).toBe('1');
    expect(params?.get('filter[customer]')).toBe('1234');
    expect(params?.get('filter[number]')).toBe('INV 1');
    expect(seen.url?.search).toContain('filter%5Bnumber%5D=INV%201');
  });

  it('sends metadata[key]=value', async () => {
    const seen = capture('/customers');
    await makeClient().customers.list({ metadata: { netsuite_id: '4711', 'account-rep': 'Jan' } }).toArray();
    expect(seen.url?.searchParams.get('metadata[netsuite_id]')).toBe('4711');
    expect(seen.url?.searchParams.get('metadata[account-rep]')).toBe('Jan');
  });

  it('sends sort and per_page', async () => {
    const seen = capture('/payments');
    await makeClient().payments.list({ sort: 'updated_at ASC', perPage: 25 }).toArray();
    expect(seen.url?.searchParams.get('sort')).toBe('updated_at ASC');
    expect(seen.url?.searchParams.get('per_page')).toBe('25');
  });

  it('sends updated_after as whole UNIX seconds from a Date, flooring milliseconds', async () => {
    const seen = capture('/invoices');
    await makeClient().invoices.list({ updatedAfter: new Date(1_700_000_000_999) }).toArray();
    expect(seen.url?.searchParams.get('updated_after')).toBe('1700000000');
  });

  it('sends updated_after from UNIX seconds, including 0', async () => {
    const seen = capture('/invoices');
    await makeClient().invoices.list({ updatedAfter: 1_700_000_000 }).toArray();
    expect(seen.url?.searchParams.get('updated_after')).toBe('1700000000');
    await makeClient().invoices.list({ updatedAfter: 0 }).toArray();
    expect(seen.url?.searchParams.get('updated_after')).toBe('0');
  });

  it('leaves out a record updated in the cursor second (strictly after), which an overlapping cursor catches', async () => {
    const records = [invoiceJson({ id: 1, updated_at: 99 }), invoiceJson({ id: 2, updated_at: 100 }), invoiceJson({ id: 3, updated_at: 101 })];
    server.use(
      http.get(`${PRODUCTION}/invoices`, ({ request }) => {
        const after = Number(new URL(request.url).searchParams.get('updated_after'));
        return HttpResponse.json(records.filter((record) => (record.updated_at as number) > after));
      }),
    );
    const client = makeClient();
    expect((await client.invoices.list({ updatedAfter: 100 }).toArray()).map((record) => record.id)).toEqual([3]);
    expect((await client.invoices.list({ updatedAfter: 100 - 5 }).toArray()).map((record) => record.id)).toEqual([1, 2, 3]);
  });

  it.each([
    ['an invalid Date', { updatedAfter: new Date('nope') }],
    ['negative seconds', { updatedAfter: -1 }],
    ['milliseconds passed as seconds', { updatedAfter: 1_700_000_000_000 }],
    ['perPage 0', { perPage: 0 }],
    ['perPage 101', { perPage: 101 }],
    ['a non-string metadata value', { metadata: { netsuite_id: 5 as unknown as string } }],
    ['an object filter value', { filter: { customer: {} as unknown as string } }],
    ['an empty sort', { sort: ' ' }],
  ])('throws ConfigurationError at once for %s', (_label, options) => {
    expect(() => makeClient().invoices.list(options)).toThrow(ConfigurationError);
  });
});

describe('parseLinkHeader', () => {
  it('reads relations in any order, quoted or not, and several per link', () => {
    const links = parseLinkHeader('<https://a.test/x?page=3>; rel="self", <https://a.test/x?page=4>; rel=next, <https://a.test/x?page=9>; rel="last end"');
    expect(links.get('next')).toBe('https://a.test/x?page=4');
    expect(links.get('last')).toBe('https://a.test/x?page=9');
    expect(links.get('end')).toBe('https://a.test/x?page=9');
    expect(parseLinkHeader(null).size).toBe(0);
  });
});
