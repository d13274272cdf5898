/**
 * A page of a SuiteQL query is asked of SQLite with `LIMIT`/`OFFSET` and its rows counted apart; it must
 * answer as the whole query's rows from `offset` would, with the whole query's count. Every request draws
 * its tie-breakers from a stream of its own.
 */
import { describe, expect, it } from 'vitest';
import { generateBooks } from '../generate';
import { createHarness, type TestHarness } from './test-support';

const SUITEQL = '/services/rest/query/v1/suiteql';

function loaded(seed = 5): TestHarness {
  const harness = createHarness({ seed, suiteqlPages: false });
  harness.service.state.load(generateBooks({ seed: 11, customers: 12, invoices: 40, payments: 20, creditMemos: 4, customerRefunds: 2 }).netsuite);
  return harness;
}

async function page(harness: TestHarness, q: string, offset: number, limit: number) {
  const response = await harness.call('POST', `${SUITEQL}?limit=${limit}&offset=${offset}`, { body: { q }, headers: { prefer: 'transient' } });
  expect(response.status).toBe(200);
  const body = response.body as { items: Record<string, unknown>[]; totalResults: number; hasMore: boolean; count: number };
  return { ...body, items: body.items.map(({ links: _links, ...row }) => row) };
}

/** Queries whose order is total (so that the tie-breaker cannot reorder them), of every shape a page is cut from. */
const QUERIES = [
  'SELECT t.id, t.tranid, TO_CHAR(t.trandate, \'YYYY-MM-DD\') AS day FROM transaction t ORDER BY t.id',
  "SELECT * FROM (SELECT t.id, t.foreigntotal FROM transaction t WHERE t.type = 'CustInvc') WHERE id > 0 ORDER BY id",
  "WITH inv AS (SELECT t.id, t.entity FROM transaction t WHERE t.type = 'CustInvc') SELECT inv.id, c.companyname FROM inv JOIN customer c ON c.id = inv.entity ORDER BY inv.id",
  "SELECT t.id FROM transaction t WHERE t.type = 'CustInvc' UNION ALL SELECT c.id FROM customer c ORDER BY 1",
  'SELECT t.entity, COUNT(*) AS n FROM transaction t GROUP BY t.entity ORDER BY t.entity',
  'SELECT DISTINCT t.type FROM transaction t ORDER BY t.type',
  'SELECT t.id FROM transaction t ORDER BY t.id FETCH FIRST 17 ROWS ONLY',
  'SELECT t.id FROM transaction t ORDER BY t.id OFFSET 3 ROWS FETCH NEXT 11 ROWS ONLY',
  'SELECT t.id FROM transaction t WHERE ROWNUM <= 9 ORDER BY t.id',
  'SELECT c.id, c.companyname FROM customer c ORDER BY c.companyname, c.id',
];

describe('SuiteQL pages cut by SQLite', () => {
  it.each(QUERIES)('answers every page of %s as the whole query from its offset, with the whole count', async (q) => {
    const harness = loaded();
    const all = harness.service.state.query(q);
    for (const limit of [1, 4, 5, 10]) {
      // Through the last page, a page just past it, and one far past it.
      for (let offset = 0; offset <= all.length + 2 * limit; offset += limit) {
        const answer = await page(harness, q, offset, limit);
        expect({ offset, limit, items: answer.items, totalResults: answer.totalResults }).toEqual({ offset, limit, items: all.slice(offset, offset + limit), totalResults: all.length });
        expect(answer.hasMore).toBe(offset + answer.items.length < all.length);
      }
    }
  });

  it('counts every row when the page is full and is the last (the count is not taken from the page)', async () => {
    const harness = loaded();
    const q = "SELECT t.id FROM transaction t WHERE t.type = 'CustInvc' ORDER BY t.id";
    const total = harness.service.state.query(q).length;
    expect(total % 4).toBe(0);
    const last = await page(harness, q, total - 4, 4);
    expect({ count: last.count, totalResults: last.totalResults, hasMore: last.hasMore }).toEqual({ count: 4, totalResults: total, hasMore: false });
  });

  it('gives a request the same tie-breakers whatever the requests before it drew', async () => {
    // Rows tied on entity come in the order of the request's own draws.
    const tied = 'SELECT t.id, t.entity FROM transaction t ORDER BY t.entity';
    const [one, other] = [loaded(9), loaded(9)];
    await page(one, 'SELECT t.id FROM transaction t', 0, 3);
    await page(other, 'SELECT c.id FROM customer c', 0, 3);
    const first = await page(one, tied, 0, 1000);
    expect((await page(other, tied, 0, 1000)).items).toEqual(first.items);
    // ... and the tie-breakers do shuffle: the next request orders tied rows otherwise.
    const again = await page(one, tied, 0, 1000);
    expect(again.items).not.toEqual(first.items);
    expect(new Set(again.items.map((row) => row.id))).toEqual(new Set(first.items.map((row) => row.id)));
  });
});
