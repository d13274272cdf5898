import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, itemsOf, ORIGIN, type TestHarness } from './test-support';

const RECORDS = '/services/rest/record/v1';

function seedCustomers(harness: TestHarness, count: number): string[] {
  const ids: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    ids.push(String(harness.service.state.insert('customer', { companyName: `Customer ${index}`, subsidiary: { id: '1' }, externalId: `cust-${index}` }).id));
  }
  return ids;
}

async function listIds(harness: TestHarness, type: string, q: string): Promise<string[]> {
  const response = await harness.call('GET', `${RECORDS}/${type}?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return itemsOf(response).map((item) => String(item.id));
}

describe('record collections: paging', () => {
  it('pages with limit and offset, with hasMore and totalResults right on every page', async () => {
    const harness = createHarness();
    const ids = seedCustomers(harness, 5);
    const pages = [];
    for (const offset of [0, 2, 4]) pages.push((await harness.call('GET', `${RECORDS}/customer?limit=2&offset=${offset}`)).body);
    expect(pages.map((page) => [page.count, page.hasMore, page.totalResults, page.offset])).toEqual([
      [2, true, 5, 0],
      [2, true, 5, 2],
      [1, false, 5, 4],
    ]);
    expect(pages.flatMap((page) => itemsOf(page).map((item) => item.id))).toEqual(ids);
    expect(itemsOf(pages[0])[0]).toEqual({ links: [{ rel: 'self', href: expect.stringMatching(new RegExp(`/customer/${ids[0]}$`)) as unknown }], id: ids[0] });
    expect(pages[0]?.links).toContainEqual({ rel: 'next', href: expect.stringContaining('offset=2') as unknown });
  });

  it("gives a collection that fits on one page only a self link, as Oracle's 'Listing All Record Instances' shows", async () => {
    const harness = createHarness();
    seedCustomers(harness, 3);
    const page = (await harness.call('GET', `${RECORDS}/customer`)).body;
    expect(page.links).toEqual([{ rel: 'self', href: `${ORIGIN}${RECORDS}/customer?limit=1000&offset=0` }]);
  });

  it('links the first page of several to next and last, later pages also to previous and first, and the last page to no next', async () => {
    const harness = createHarness();
    seedCustomers(harness, 5);
    const relations = async (offset: number) => {
      const page = (await harness.call('GET', `${RECORDS}/customer?limit=2&offset=${offset}`)).body;
      return (page.links as { rel: string; href: string }[]).map(({ rel, href }) => `${rel}@${new URL(href).searchParams.get('offset') ?? ''}`);
    };
    // Oracle's "Collection Paging" (first page: next, last, self) and its customer paging use case (a middle page:
    // previous, first, next, last, self).
    expect(await relations(0)).toEqual(['next@2', 'last@4', 'self@0']);
    expect(await relations(2)).toEqual(['previous@0', 'first@0', 'next@4', 'last@4', 'self@2']);
    expect(await relations(4)).toEqual(['previous@2', 'first@0', 'self@4']);
  });

  it("keeps q in the self link only, as Oracle's customer paging use case shows: a client must page by offset, not follow next blindly", async () => {
    const harness = createHarness();
    seedCustomers(harness, 5);
    const q = 'companyName START_WITH "Customer"';
    const page = (await harness.call('GET', `${RECORDS}/customer?q=${encodeURIComponent(q)}&limit=2&offset=2`)).body;
    const links = page.links as { rel: string; href: string }[];
    expect(links.map(({ rel, href }) => [rel, new URL(href).searchParams.get('q')])).toEqual([
      ['previous', null],
      ['first', null],
      ['next', null],
      ['last', null],
      ['self', q],
    ]);
  });

  it('refuses a page beyond the 100,000th result or the 1,000th page, naming offset', async () => {
    const harness = createHarness();
    seedCustomers(harness, 1);
    for (const [limit, offset] of [[1000, 100_000], [500, 99_600], [1, 1000], [10, 10_000]]) {
      const response = await harness.call('GET', `${RECORDS}/customer?limit=${limit}&offset=${offset}`);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'offset' });
    }
    for (const [limit, offset] of [[1000, 99_000], [500, 99_500], [1, 999], [10, 9_990]]) {
      expect((await harness.call('GET', `${RECORDS}/customer?limit=${limit}&offset=${offset}`)).status).toBe(200);
    }
  });

  it('offers no next link to a page it would refuse, though more records match', async () => {
    const harness = createHarness();
    seedCustomers(harness, 1002);
    const page = (await harness.call('GET', `${RECORDS}/customer?limit=1&offset=999`)).body;
    expect(page).toMatchObject({ count: 1, hasMore: true, totalResults: 1002 });
    const relations = (page.links as { rel: string; href: string }[]).map(({ rel, href }) => `${rel}@${new URL(href).searchParams.get('offset') ?? ''}`);
    expect(relations).toEqual(['previous@998', 'first@0', 'self@999']);
    const earlier = (await harness.call('GET', `${RECORDS}/customer?limit=1&offset=0`)).body;
    expect(earlier.links).toContainEqual({ rel: 'last', href: expect.stringContaining('offset=999') as unknown });
  });

  it('refuses an offset that is not a multiple of the limit, naming the parameter', async () => {
    const harness = createHarness();
    seedCustomers(harness, 3);
    const response = await harness.call('GET', `${RECORDS}/customer?limit=2&offset=3`);
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'offset' });
  });

  it('refuses a limit above 1000 and defaults to 1000', async () => {
    const harness = createHarness();
    seedCustomers(harness, 2);
    const tooMany = await harness.call('GET', `${RECORDS}/customer?limit=1001`);
    expect(errorOf(tooMany)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'limit' });
    const fallback = await harness.call('GET', `${RECORDS}/customer`);
    expect(fallback.body.links).toContainEqual({ rel: 'self', href: expect.stringContaining('limit=1000') as unknown });
  });
});

describe('record collections: q filters', () => {
  it('filters by external ID, name prefix and emptiness, joined with AND and OR', async () => {
    const harness = createHarness();
    const [first, second, third] = seedCustomers(harness, 3);
    harness.service.state.update('customer', third ?? '', { email: 'ap@three.test' });
    expect(await listIds(harness, 'customer', 'externalId IS "cust-2"')).toEqual([second]);
    expect(await listIds(harness, 'customer', 'companyName START_WITH "customer"')).toEqual([first, second, third]);
    expect(await listIds(harness, 'customer', 'email EMPTY')).toEqual([first, second]);
    expect(await listIds(harness, 'customer', 'externalId IS "cust-1" OR externalId IS "cust-3"')).toEqual([first, third]);
    expect(await listIds(harness, 'customer', 'companyName START_WITH "Customer" AND email EMPTY_NOT')).toEqual([third]);
  });

  it('filters by lastModifiedDate with AFTER, ON_OR_AFTER and BEFORE, by day or by instant', async () => {
    const harness = createHarness();
    const [early] = seedCustomers(harness, 1);
    harness.clock.advance(86_400); // 2026-03-03T10:00:00Z
    const late = String(harness.service.state.insert('customer', { companyName: 'Late', subsidiary: { id: '1' } }).id);
    expect(await listIds(harness, 'customer', 'lastModifiedDate AFTER "2026-03-02"')).toContain(late);
    expect(await listIds(harness, 'customer', 'lastModifiedDate AFTER "2026-03-02"')).not.toContain(early);
    expect(await listIds(harness, 'customer', 'lastModifiedDate ON_OR_AFTER "2026-03-02"')).toContain(early);
    expect(await listIds(harness, 'customer', 'lastModifiedDate BEFORE "2026-03-03"')).toEqual([early]);
    expect(await listIds(harness, 'customer', 'lastModifiedDate AFTER "2026-03-02T10:00:00Z"')).not.toContain(early);
  });

  it('filters transactions by entity, status and tranId', async () => {
    const harness = createHarness();
    const [acme, globex] = seedCustomers(harness, 2);
    const line = { item: { id: '1' }, amount: 10 };
    const a = harness.service.state.insert('invoice', { entity: { id: acme }, tranId: 'INV-A', item: { items: [line] } });
    const b = harness.service.state.insert('invoice', { entity: { id: globex }, tranId: 'INV-B', item: { items: [line] } });
    harness.service.state.insert('customerPayment', { customer: { id: globex }, payment: 10, apply: { items: [{ doc: { id: b.id }, amount: 10 }] } });
    expect(await listIds(harness, 'invoice', `entity ANY_OF [${acme}, ${globex}]`)).toEqual([a.id, b.id]);
    expect(await listIds(harness, 'invoice', `entity IS ${globex}`)).toEqual([b.id]);
    expect(await listIds(harness, 'invoice', 'status IS "open"')).toEqual([a.id]);
    expect(await listIds(harness, 'invoice', 'status ANY_OF ["CustInvc:B"]')).toEqual([b.id]);
    expect(await listIds(harness, 'invoice', 'tranId IS "INV-A"')).toEqual([a.id]);
    expect(await listIds(harness, 'customerPayment', `customer IS ${globex}`)).toHaveLength(1);
  });

  it("groups conditions with parentheses, as Oracle's 'Record Collection Filtering' allows; AND binds tighter without them", async () => {
    const harness = createHarness();
    const [first, second, third] = seedCustomers(harness, 3);
    harness.service.state.update('customer', second ?? '', { email: 'ap@two.test' });
    harness.service.state.update('customer', third ?? '', { email: 'ap@three.test' });
    expect(await listIds(harness, 'customer', '(externalId IS "cust-1" OR externalId IS "cust-2") AND email EMPTY_NOT')).toEqual([second]);
    expect(await listIds(harness, 'customer', 'externalId IS "cust-1" OR externalId IS "cust-2" AND email EMPTY_NOT')).toEqual([first, second]);
    expect(await listIds(harness, 'customer', '((externalId IS "cust-1") OR (email EMPTY_NOT AND (externalId IS "cust-3")))')).toEqual([first, third]);
  });

  it('takes every number operator Oracle lists: ANY_OF, BETWEEN, WITHIN and the _NOT form of each', async () => {
    const harness = createHarness();
    const [customer] = seedCustomers(harness, 1);
    const [ten, twenty, thirty] = [10, 20, 30].map((amount) =>
      String(harness.service.state.insert('invoice', { entity: { id: customer }, item: { items: [{ item: { id: '1' }, amount }] } }).id),
    );
    expect(await listIds(harness, 'invoice', 'total BETWEEN [10, 20]')).toEqual([ten, twenty]);
    expect(await listIds(harness, 'invoice', 'total BETWEEN_NOT [10, 20]')).toEqual([thirty]);
    expect(await listIds(harness, 'invoice', 'total WITHIN 15, 30')).toEqual([twenty, thirty]);
    expect(await listIds(harness, 'invoice', 'total WITHIN_NOT [15, 30]')).toEqual([ten]);
    expect(await listIds(harness, 'invoice', 'total ANY_OF [10, 30]')).toEqual([ten, thirty]);
    expect(await listIds(harness, 'invoice', 'total ANY_OF_NOT [10, 30]')).toEqual([twenty]);
    expect(await listIds(harness, 'invoice', 'total GREATER_NOT 20')).toEqual([ten, twenty]);
    expect(await listIds(harness, 'invoice', 'total GREATER_OR_EQUAL_NOT 20')).toEqual([ten]);
    expect(await listIds(harness, 'invoice', 'total LESS_NOT 20')).toEqual([twenty, thirty]);
    expect(await listIds(harness, 'invoice', 'total LESS_OR_EQUAL_NOT 20')).toEqual([thirty]);
  });

  it('takes the _NOT form of every date operator', async () => {
    const harness = createHarness();
    const [early] = seedCustomers(harness, 1);
    harness.clock.advance(86_400); // 2026-03-03T10:00:00Z
    const late = String(harness.service.state.insert('customer', { companyName: 'Late', subsidiary: { id: '1' } }).id);
    expect(await listIds(harness, 'customer', 'lastModifiedDate ON_NOT "2026-03-02"')).toEqual([late]);
    expect(await listIds(harness, 'customer', 'lastModifiedDate AFTER_NOT "2026-03-02"')).toEqual([early]);
    expect(await listIds(harness, 'customer', 'lastModifiedDate ON_OR_AFTER_NOT "2026-03-03"')).toEqual([early]);
    expect(await listIds(harness, 'customer', 'lastModifiedDate BEFORE_NOT "2026-03-03"')).toEqual([late]);
    expect(await listIds(harness, 'customer', 'lastModifiedDate ON_OR_BEFORE_NOT "2026-03-02"')).toEqual([late]);
  });

  it('refuses ANY_OF on a text field (Oracle lists it for numbers, not strings), unbalanced parentheses and BETWEEN with one value', async () => {
    const harness = createHarness();
    seedCustomers(harness, 1);
    for (const q of ['externalId ANY_OF ["cust-1"]', '(externalId IS "cust-1"', 'externalId IS "cust-1")', '()']) {
      const response = await harness.call('GET', `${RECORDS}/customer?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'q' });
    }
    const oneBound = await harness.call('GET', `${RECORDS}/invoice?q=${encodeURIComponent('total BETWEEN [10]')}`);
    expect(errorOf(oneBound)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'q' });
  });

  it('refuses fields and operators it cannot filter on, naming q', async () => {
    const harness = createHarness();
    for (const q of ['nickname IS "x"', 'companyName AFTER "2026-01-01"', 'companyName IS', 'companyName IS "a" XOR email EMPTY']) {
      const response = await harness.call('GET', `${RECORDS}/customer?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'q' });
    }
  });
});
