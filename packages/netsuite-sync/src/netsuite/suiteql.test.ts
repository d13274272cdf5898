import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ResponseValidationError } from '../errors';
import { sql } from './sql';
import { SuiteQLRowLimitError, type SuiteQLProgress } from './suiteql';
import { errorBody, netSuiteError, rejectionOf, route, tbaClient, useMockServer, type ReceivedRequest } from './test-support';

const server = useMockServer();
const SUITEQL = '/services/rest/query/v1/suiteql';

/** The `q` of a received SuiteQL request. */
function queryOf(request: ReceivedRequest): string {
  const body = JSON.parse(request.body) as { q?: unknown };
  if (typeof body.q !== 'string' || Object.keys(body).length !== 1) throw new Error('body is not {"q": "..."}');
  return body.q;
}

const page = (items: Record<string, unknown>[], more: Partial<{ hasMore: boolean; offset: number; totalResults: number }> = {}) =>
  HttpResponse.json({ links: [], count: items.length, hasMore: false, offset: 0, totalResults: items.length, items, ...more });

describe('suiteql', () => {
  it('posts {"q": ...} as JSON with Prefer: transient and signed limit/offset', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('POST', SUITEQL, () => page([]), { log }));
    await tbaClient().suiteql('SELECT id FROM customer');
    const [request] = log;
    expect(request?.body).toBe('{"q":"SELECT id FROM customer"}');
    expect(request?.headers.get('prefer')).toBe('transient');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.url.search).toBe('?limit=1000&offset=0');
  });

  it('delivers a hostile literal built with sql`` intact', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('POST', SUITEQL, () => page([]), { log }));
    const name = `O'Brien "Bobby" \\'; DROP TABLE customer; -- /* ü € 🙂\n\t\r\\u0027 ${'${x}'}`;
    await tbaClient().suiteql(sql`SELECT id FROM customer WHERE companyname = ${name} AND id > ${5}`);
    const expected = `SELECT id FROM customer WHERE companyname = 'O''Brien "Bobby" \\''; DROP TABLE customer; -- /* ü € 🙂\n\t\r\\u0027 ${'${x}'}' AND id > 5`;
    expect(queryOf(log[0] as ReceivedRequest)).toBe(expected);
  });

  it('lower-cases column names and drops the per-row links', async () => {
    server.use(route('POST', SUITEQL, () => page([{ links: [], ID: '1', CompanyName: 'Acme', lastmodifieddate: '1/2/2026' }], { totalResults: 1 })));
    await expect(tbaClient().suiteql('SELECT ID, CompanyName, lastmodifieddate FROM customer')).resolves.toEqual({
      items: [{ id: '1', companyname: 'Acme', lastmodifieddate: '1/2/2026' }],
      hasMore: false,
      offset: 0,
      totalResults: 1,
    });
  });

  it.each([
    ['a number', 7],
    ['null', null],
    ['an array', [{ id: '1' }]],
    ['a string', 'id=1'],
  ])('fails with INVALID_RESPONSE naming the row when a row is %s', async (_, row) => {
    server.use(route('POST', SUITEQL, () => HttpResponse.json({ links: [], count: 2, hasMore: false, offset: 0, items: [{ id: '1' }, row] })));
    const error = await rejectionOf(tbaClient().suiteql('SELECT id FROM customer'));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, method: 'POST', path: SUITEQL });
    expect((error as ResponseValidationError).issues.map((issue) => issue.path)).toEqual(['items.1']);
  });

  it('asks for the given page and reports hasMore, offset and totalResults', async () => {
    const log: ReceivedRequest[] = [];
    server.use(route('POST', SUITEQL, () => page([{ id: '101' }], { hasMore: true, offset: 100, totalResults: 900 }), { log }));
    await expect(tbaClient().suiteql('SELECT id FROM customer', { limit: 50, offset: 100 })).resolves.toMatchObject({ hasMore: true, offset: 100, totalResults: 900 });
    expect(log[0]?.url.search).toBe('?limit=50&offset=100');
  });

  it.each([
    ['limit 0', { limit: 0 }, 'SELECT 1 FROM dual'],
    ['limit 1001', { limit: 1001 }, 'SELECT 1 FROM dual'],
    ['offset -1', { offset: -1 }, 'SELECT 1 FROM dual'],
    ['an empty query', {}, '  '],
  ])('refuses %s before any request', async (_, options, query) => {
    await expect(tbaClient().suiteql(query, options)).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('is retried after a 500 although it is a POST, since a query changes nothing', async () => {
    let calls = 0;
    server.use(route('POST', SUITEQL, () => (++calls === 1 ? netSuiteError(500, errorBody(500, 'UNEXPECTED_ERROR', 'An unexpected error occurred.')) : page([{ id: '1' }]))));
    await expect(tbaClient().suiteql('SELECT id FROM customer')).resolves.toMatchObject({ items: [{ id: '1' }] });
    expect(calls).toBe(2);
  });
});

/**
 * A SuiteQL table of `rows` transactions with ids 1000, 1003, 1006... that answers the queries
 * `suiteqlAll` sends: the base query, `SELECT * FROM (base) ORDER BY id` and
 * `SELECT * FROM (base) WHERE id > N ORDER BY id`, by offset and limit like NetSuite, refusing to go past
 * 100,000 rows of one query. Only the requested page is ever built.
 */
function suiteqlTable(base: string, rows: number) {
  const idAt = (index: number) => 1000 + 3 * index;
  /** Rows that no longer match the query: indexes `removedFrom` up to (not with) `removedTo`. */
  let removedFrom = 0;
  let removedTo = 0;
  const present = (index: number) => index < removedFrom || index >= removedTo;
  const requests: { limit: number; offset: number; anchor: number | undefined }[] = [];
  const handler = route('POST', SUITEQL, (request) => {
    const q = queryOf(request);
    const limit = Number(request.url.searchParams.get('limit'));
    const offset = Number(request.url.searchParams.get('offset'));
    const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const anchored = new RegExp(`^SELECT \\* FROM \\(${escaped}\\)(?: WHERE id > (\\d+))? ORDER BY id$`).exec(q);
    if (q !== base && anchored === null) return netSuiteError(400, errorBody(400, 'INVALID_PARAMETER', 'Unexpected query'));
    const anchor = anchored?.[1] === undefined ? undefined : Number(anchored[1]);
    requests.push({ limit, offset, anchor });
    if (offset + limit > 100_000 || offset % limit !== 0) return netSuiteError(400, errorBody(400, 'INVALID_PARAMETER', 'Invalid offset', { 'o:errorQueryParam': 'offset' }));
    const first = anchor === undefined ? 0 : Math.max(0, Math.floor((anchor - 1000) / 3) + 1);
    const removed = Math.max(0, Math.min(removedTo, rows) - Math.max(removedFrom, first));
    const available = rows - first - removed;
    const items: Record<string, unknown>[] = [];
    // The rows from `first` that still match, from the `offset`-th of them on (only the page is built).
    let index = first;
    for (let skipped = 0; skipped < offset && index < rows; index += 1) if (present(index)) skipped += 1;
    for (; index < rows && items.length < limit; index += 1) {
      if (present(index)) items.push({ links: [], id: String(idAt(index)), TranId: `INV${idAt(index)}` });
    }
    return page(items, { hasMore: offset + limit < available, offset, totalResults: available });
  });
  const remove = (from: number, to: number) => {
    removedFrom = from;
    removedTo = to;
  };
  return { handler, requests, idAt, remove };
}

describe('suiteqlAll', () => {
  const base = "SELECT id, tranid FROM transaction WHERE type = 'CustInvc'";

  it('streams every row across pages in id order', async () => {
    const table = suiteqlTable(base, 2500);
    server.use(table.handler);
    const ids: string[] = [];
    for await (const row of tbaClient().suiteqlAll(base)) ids.push(String(row.id));
    expect(ids).toEqual(Array.from({ length: 2500 }, (_, index) => String(table.idAt(index))));
    expect(table.requests.map(({ offset, anchor }) => [offset, anchor])).toEqual([
      [0, undefined],
      [0, table.idAt(999)],
      [0, table.idAt(1999)],
    ]);
  });

  it('asks for the next page before handing out the rows of the one it has, and for no page past the last', async () => {
    const table = suiteqlTable(base, 2500);
    server.use(table.handler);
    const requestsWhenFirstRowSeen: number[] = [];
    let rows = 0;
    for await (const _ of tbaClient().suiteqlAll(base)) {
      // The first row of each page: the following page has been asked for already (read while these are handled).
      if (rows % 1000 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        requestsWhenFirstRowSeen.push(table.requests.length);
      }
      rows += 1;
    }
    expect(requestsWhenFirstRowSeen).toEqual([2, 3, 3]);
    expect(table.requests.map(({ anchor }) => anchor)).toEqual([undefined, table.idAt(999), table.idAt(1999)]);
  });

  it('reads past 100,000 rows, each page anchored past the last: every row once, in order, in the fewest requests', async () => {
    const rows = 250_500;
    const table = suiteqlTable(base, rows);
    server.use(table.handler);
    let count = 0;
    let misplaced = 0;
    const progress: SuiteQLProgress[] = [];
    for await (const row of tbaClient().suiteqlAll(sql.raw(base), { onPage: (report) => progress.push(report) })) {
      if (row.id !== String(table.idAt(count)) || row.tranid !== `INV${table.idAt(count)}`) misplaced += 1;
      count += 1;
    }
    expect({ count, misplaced }).toEqual({ count: rows, misplaced: 0 });
    expect(table.requests).toHaveLength(Math.ceil(rows / 1000));
    expect(table.requests.every(({ offset }) => offset === 0)).toBe(true);
    expect(table.requests.map(({ anchor }) => anchor)).toEqual([undefined, ...Array.from({ length: 250 }, (_, page) => table.idAt(1000 * page + 999))]);
    expect(progress.at(-1)).toEqual({ rows, pages: 251, totalResults: rows });
    expect(progress[0]).toEqual({ rows: 1000, pages: 1, totalResults: rows });
    // 251 pages of 1,000 rows through the mock server: seconds, more on a busy machine.
  }, 30_000);

  it('fails with SuiteQLRowLimitError past 100,000 rows when anchoring is off', async () => {
    const table = suiteqlTable(base, 100_001);
    server.use(table.handler);
    let count = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const _ of tbaClient().suiteqlAll(base, { anchor: false })) count += 1;
      })(),
    );
    expect(error).toBeInstanceOf(SuiteQLRowLimitError);
    expect(error).toMatchObject({ code: 'SUITEQL_ROW_LIMIT' });
    expect(count).toBe(100_000);
    expect(table.requests.every(({ anchor, offset, limit }) => anchor === undefined && offset + limit <= 100_000)).toBe(true);
  });

  it('reads every row once when rows it has passed leave the results between pages (NetSuite runs the query again for each page)', async () => {
    const table = suiteqlTable(base, 2500);
    server.use(table.handler);
    const ids: string[] = [];
    for await (const row of tbaClient().suiteqlAll(base)) {
      ids.push(String(row.id));
      // Rows already read stop matching the query (paid, deleted) while the stream is on its second page.
      if (ids.length === 1001) table.remove(0, 10);
    }
    expect(ids).toEqual(Array.from({ length: 2500 }, (_, index) => String(table.idAt(index))));
  });

  it('fails with a ConfigurationError, not an endless loop, when the anchor does not move on between pages', async () => {
    let calls = 0;
    server.use(
      route('POST', SUITEQL, () => {
        calls += 1;
        return page([{ id: '7' }, { id: '7' }], { hasMore: true, totalResults: 9 });
      }),
    );
    const error = await rejectionOf(
      (async () => {
        for await (const _ of tbaClient().suiteqlAll(base, { pageSize: 2 })) void _;
      })(),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_SUITEQL_ANCHOR' });
    expect(calls).toBe(2);
  });

  it('fails with a ConfigurationError when a page of several lacks the anchor column', async () => {
    server.use(route('POST', SUITEQL, () => page([{ tranid: 'INV1' }], { hasMore: true, totalResults: 2 })));
    const error = await rejectionOf(
      (async () => {
        for await (const _ of tbaClient().suiteqlAll(base, { pageSize: 1 })) void _;
      })(),
    );
    expect(error).toMatchObject({ code: 'INVALID_SUITEQL_ANCHOR' });
  });

  it('reports rows, pages and totalResults after each page', async () => {
    const table = suiteqlTable(base, 450);
    server.use(table.handler);
    const progress: SuiteQLProgress[] = [];
    for await (const _ of tbaClient().suiteqlAll(base, { pageSize: 200, onPage: (report) => progress.push(report) })) void _;
    expect(progress).toEqual([
      { rows: 200, pages: 1, totalResults: 450 },
      { rows: 400, pages: 2, totalResults: 450 },
      { rows: 450, pages: 3, totalResults: 450 },
    ]);
  });
});
