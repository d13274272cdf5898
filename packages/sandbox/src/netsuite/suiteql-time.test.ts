import { describe, expect, it } from 'vitest';
import { accountTimeZone } from './time-zone';
import { createHarness, itemsOf, smallBooks, type TestHarness } from './test-support';

const SUITEQL = '/services/rest/query/v1/suiteql';

async function rows(harness: TestHarness, q: string, query = ''): Promise<Record<string, unknown>[]> {
  const response = await harness.call('POST', `${SUITEQL}${query}`, { body: { q }, headers: { prefer: 'transient' } });
  expect(response.status).toBe(200);
  return itemsOf(response);
}

function loaded(timeZone?: string): TestHarness {
  const harness = createHarness(timeZone === undefined ? {} : { timeZone });
  harness.service.state.load(smallBooks());
  return harness;
}

describe('SuiteQL datetimes in the account time zone', () => {
  it('defaults to a zone west of UTC with daylight saving time', () => {
    expect(loaded().service.state.timeZone).toBe('America/Los_Angeles');
  });

  it('shows a datetime as the wall clock of the zone, and a date as the day it is, unconverted', async () => {
    // INV-301 was last modified at 2026-01-10T09:00:00Z; its trandate is the day 2026-01-10.
    const query = "SELECT TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI') AS modified, TO_CHAR(trandate, 'YYYY-MM-DD') AS day FROM transaction WHERE id = 301";
    expect(await rows(loaded('America/Los_Angeles'), query)).toEqual([{ links: [], modified: '2026-01-10 01:00', day: '2026-01-10' }]);
    expect(await rows(loaded('Asia/Kathmandu'), query)).toEqual([{ links: [], modified: '2026-01-10 14:45', day: '2026-01-10' }]);
    expect(await rows(loaded('Pacific/Kiritimati'), query)).toEqual([{ links: [], modified: '2026-01-10 23:00', day: '2026-01-10' }]);
    expect(await rows(loaded('Etc/GMT+12'), query)).toEqual([{ links: [], modified: '2026-01-09 21:00', day: '2026-01-10' }]);
  });

  it('reads a TO_TIMESTAMP literal as a wall clock of the zone: a UTC literal misses changes west of UTC', async () => {
    const harness = loaded('America/Los_Angeles');
    // 2026-01-15T09:00:00Z is 01:00 in Los Angeles. A UTC wall clock (09:00) taken for the cursor is 8 hours late.
    const after = (wall: string) => rows(harness, `SELECT id FROM transaction WHERE id = 303 AND lastmodifieddate > TO_TIMESTAMP('${wall}', 'YYYY-MM-DD HH24:MI:SS')`);
    expect(await after('2026-01-15 00:59:59')).toHaveLength(1);
    expect(await after('2026-01-15 08:59:59')).toHaveLength(0);
  });

  it('compares SYSDATE with datetimes as instants and shows it in the zone', async () => {
    const harness = loaded('America/New_York');
    harness.clock.advance((Date.parse('2026-07-01T03:30:00Z') - harness.clock.now().getTime()) / 1000);
    expect(await rows(harness, "SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS now FROM DUAL")).toEqual([{ links: [], now: '2026-06-30 23:30:00' }]);
    expect(await rows(harness, "SELECT COUNT(*) AS n FROM transaction WHERE lastmodifieddate < SYSDATE")).toEqual([{ links: [], n: '5' }]);
    expect(await rows(harness, "SELECT TO_CHAR(TRUNC(SYSDATE), 'YYYY-MM-DD') AS today FROM DUAL")).toEqual([{ links: [], today: '2026-06-30' }]);
  });

  it('reads a wall clock of the repeated hour as the later instant, and one of the skipped hour as past the jump', () => {
    const zone = accountTimeZone('America/Los_Angeles');
    // 2026-11-01 01:30 happens at 08:30Z (PDT) and again at 09:30Z (PST).
    expect(zone.toInstant('2026-11-01T01:30:00Z')).toBe('2026-11-01T09:30:00Z');
    // 2026-03-08 02:30 never happens: clocks go from 02:00 PST (10:00Z) to 03:00 PDT.
    expect(zone.toInstant('2026-03-08T02:30:00Z')).toBe('2026-03-08T10:30:00Z');
    expect(zone.toWall('2026-03-08T10:30:00Z')).toBe('2026-03-08T03:30:00Z');
    expect(zone.offsetMinutes('2026-03-08T09:59:59Z')).toBe(-480);
    expect(zone.offsetMinutes('2026-03-08T10:00:00Z')).toBe(-420);
    expect(() => accountTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('SuiteQL order of tied rows', () => {
  it('returns the rows of a query without ORDER BY in a new order on each request, so paging it by offset repeats and skips rows', async () => {
    const harness = createHarness({ seed: 7 });
    for (let index = 0; index < 60; index += 1) harness.service.state.insert('customer', { companyName: `Customer ${index}`, subsidiary: { id: '1' } });
    const orders = new Set<string>();
    const seen: string[] = [];
    for (let offset = 0; offset < 60; offset += 20) {
      const page = await rows(harness, 'SELECT id FROM customer', `?limit=20&offset=${offset}`);
      orders.add(page.map((row) => String(row.id)).join(','));
      seen.push(...page.map((row) => String(row.id)));
    }
    expect(orders.size).toBe(3);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBeLessThan(60);
  });

  it('shuffles rows an ORDER BY leaves tied, and keeps the order it gives', async () => {
    const harness = createHarness({ seed: 3 });
    for (let index = 0; index < 40; index += 1) harness.service.state.insert('customer', { companyName: `Customer ${index % 2}`, subsidiary: { id: '1' } });
    const first = await rows(harness, 'SELECT id, companyname FROM customer ORDER BY companyname');
    const second = await rows(harness, 'SELECT id, companyname FROM customer ORDER BY companyname');
    expect(first.map((row) => row.companyname)).toEqual([...Array<string>(20).fill('Customer 0'), ...Array<string>(20).fill('Customer 1')]);
    expect(first.map((row) => row.id)).not.toEqual(second.map((row) => row.id));
    const unique = await rows(harness, 'SELECT id FROM customer ORDER BY companyname, id FETCH FIRST 3 ROWS ONLY');
    expect(unique.map((row) => Number(row.id))).toEqual([...unique.map((row) => Number(row.id))].sort((a, b) => a - b));
  });

  it('gives the same sequence of orders for the same seed', async () => {
    const run = async () => {
      const harness = createHarness({ seed: 11 });
      for (let index = 0; index < 30; index += 1) harness.service.state.insert('customer', { companyName: 'Same', subsidiary: { id: '1' } });
      return (await rows(harness, 'SELECT id FROM customer')).map((row) => row.id);
    };
    expect(await run()).toEqual(await run());
  });
});

describe('REST dates in the account time zone', () => {
  it("gives a transaction created without a date today's date in the account's zone, not in UTC", async () => {
    // 2026-03-02T05:00:00Z is still March 1 in Los Angeles.
    const harness = createHarness({ timeZone: 'America/Los_Angeles' });
    harness.clock.advance((Date.parse('2026-03-02T05:00:00Z') - harness.clock.now().getTime()) / 1000);
    const customer = harness.service.state.insert('customer', { companyName: 'Early Bird', subsidiary: { id: '1' } });
    const response = await harness.call('POST', '/services/rest/record/v1/invoice', { body: { entity: { id: String(customer.id) }, item: { items: [{ item: { id: '1' }, quantity: 1, rate: 5 }] } } });
    expect(response.status).toBe(204);
    const [invoice] = harness.service.state.list('invoice');
    expect(invoice).toMatchObject({ tranDate: '2026-03-01' });
    expect(harness.service.state.query(`SELECT TO_CHAR(trandate, 'YYYY-MM-DD') AS day FROM transaction WHERE id = ${String(invoice?.id)}`)).toEqual([{ day: '2026-03-01' }]);
  });
});
