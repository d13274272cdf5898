import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateBooks } from '../generate';
import { createRandom } from '../random';
import { runSuiteQL } from './suiteql';
import { createSuiteQLPages } from './suiteql-pages';
import { createHarness, type TestHarness } from './test-support';
import { accountTimeZone } from './time-zone';

const SUITEQL = '/services/rest/query/v1/suiteql';

function books() {
  return generateBooks({ seed: 11, customers: 12, invoices: 40, payments: 20, creditMemos: 4, customerRefunds: 2 }).netsuite;
}

function pair(): [TestHarness, TestHarness] {
  const kept = createHarness({ seed: 5 });
  const fresh = createHarness({ seed: 5, suiteqlPages: false });
  kept.service.state.load(books());
  fresh.service.state.load(books());
  return [kept, fresh];
}

async function page(harness: TestHarness, q: string, offset: number, limit: number) {
  const response = await harness.call('POST', `${SUITEQL}?limit=${limit}&offset=${offset}`, { body: { q }, headers: { prefer: 'transient' } });
  return { status: response.status, body: response.body };
}

function ids(harness: TestHarness, type: string): number[] {
  return harness.service.state.query(`SELECT id FROM transaction WHERE type = '${type}' ORDER BY id`).map((row) => Number(row.id));
}

/** Queries of the engine's kinds (by ID lists, anchored, joined) and some whose order leaves rows tied. */
function queries(harness: TestHarness, pick: (list: number[]) => number[]): string[] {
  const invoices = pick(ids(harness, 'CustInvc'));
  const payments = pick(ids(harness, 'CustPymt'));
  const list = (values: number[]) => `(${[...values, ...values.slice(0, 2), 999_999].join(', ')})`;
  return [
    `SELECT * FROM (SELECT tl.uniquekey, tl.transaction, tl.id, BUILTIN.DF(tl.item) AS itemname, tl.foreignamount FROM transactionline tl WHERE tl.mainline = 'F' AND (tl.iscogs = 'F' OR tl.iscogs IS NULL) AND tl.transaction IN ${list(invoices)}) ORDER BY uniquekey`,
    `SELECT * FROM (SELECT t.id, TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, cur.symbol AS currency, t.foreigntotal, BUILTIN.CF(t.status) AS state FROM transaction t JOIN currency cur ON cur.id = t.currency WHERE t.type = 'CustInvc' AND ((BUILTIN.CF(t.status) IN ('CustInvc:A', 'CustInvc:V')) OR t.id IN ${list(invoices)})) ORDER BY id`,
    `SELECT * FROM (SELECT t.id, t.entity, t.foreigntotal FROM transaction t WHERE t.type = 'CustPymt' AND (t.lastmodifieddate > TO_TIMESTAMP('2030-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS') OR t.id IN ${list(payments)})) WHERE id > ${payments[1] ?? 0} ORDER BY id`,
    `SELECT l.nextdoc, l.nextline, l.previousdoc, l.previousline, l.linktype, l.foreignamount, p.type AS previoustype FROM NextTransactionLineLink l JOIN transaction p ON p.id = l.previousdoc WHERE l.nextdoc IN ${list(payments)} ORDER BY l.nextdoc, l.nextline, l.previousdoc, l.previousline, l.linktype`,
    'SELECT c.id, c.entityid, c.companyname, c.isinactive FROM customer c ORDER BY c.id',
    'SELECT t.entity, t.type FROM transaction t ORDER BY t.entity',
    'SELECT t.type FROM transaction t',
    'SELECT t.id, t.entity FROM transaction t',
    "SELECT t.id, TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS now FROM transaction t ORDER BY t.id",
    'SELECT id FROM transaction WHERE nosuchcolumn IN (1, 2)',
  ];
}

describe('SuiteQL pages kept between requests', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers byte for byte as running every request afresh, across writes, ties, joins, ID lists and errors', async () => {
    const [kept, fresh] = pair();
    const random = createRandom(3);
    const pick = (list: number[]) => list.filter(() => random.next() < 0.4);
    const customers = kept.service.state.query('SELECT id FROM customer ORDER BY id').map((row) => row.id ?? '');
    const payments = ids(kept, 'CustPymt');
    for (let round = 0; round < 12; round += 1) {
      const list = queries(kept, pick);
      const reads = list.flatMap((q) => [0, 1, 2, 3].map((index) => ({ q, offset: index * 5 })));
      for (let step = 0; step < 60; step += 1) {
        const read = reads[Math.floor(random.next() * reads.length)];
        if (read === undefined) continue;
        const limit = random.next() < 0.5 ? 5 : 7;
        expect(await page(kept, read.q, read.offset, limit)).toEqual(await page(fresh, read.q, read.offset, limit));
      }
      const write = round % 4;
      for (const harness of [kept, fresh]) {
        const { state } = harness.service;
        if (write === 0) state.update('customer', customers[round] ?? '1', { companyName: `Renamed ${round}` });
        if (write === 1) {
          // A payment a refund pays out cannot be deleted: both refuse it alike.
          try {
            state.delete('customerPayment', payments[round] ?? 0);
          } catch {
            // nothing deleted
          }
        }
        if (write === 2) state.setInactive('currency', '2', round % 8 === 2);
        if (write === 3) harness.clock.advance(61);
      }
    }
  });

  it('keeps a query read again after a reload of the same books apart from the one before', async () => {
    const [kept, fresh] = pair();
    const q = 'SELECT t.id, t.foreigntotal FROM transaction t ORDER BY t.id';
    for (const harness of [kept, fresh]) await page(harness, q, 0, 5);
    for (const harness of [kept, fresh]) {
      harness.service.state.reset();
      harness.service.state.load(books());
      harness.service.state.update('customer', harness.service.state.query('SELECT id FROM customer ORDER BY id')[0]?.id ?? '1', { companyName: 'After reload' });
    }
    expect(await page(kept, q, 5, 5)).toEqual(await page(fresh, q, 5, 5));
    expect(await page(kept, 'SELECT c.companyname FROM customer c ORDER BY c.id', 0, 3)).toEqual(await page(fresh, 'SELECT c.companyname FROM customer c ORDER BY c.id', 0, 3));
  });

  it('runs a query of several pages at most four times while nothing changes, not once per page', async () => {
    const [kept] = pair();
    const prepare = vi.spyOn(DatabaseSync.prototype, 'prepare');
    const q = 'SELECT t.id, t.foreigntotal FROM transaction t ORDER BY t.id';
    const runs = () => prepare.mock.calls.filter(([sql]) => sql.includes('foreigntotal')).length;
    for (let offset = 0; offset < 40; offset += 5) expect((await page(kept, q, offset, 5)).status).toBe(200);
    // The first page and its count, then all the rows and the check of their order.
    expect(runs()).toBeLessThanOrEqual(4);
    const before = runs();
    kept.service.state.update('customer', kept.service.state.query('SELECT id FROM customer ORDER BY id')[0]?.id ?? '1', { companyName: 'Changed' });
    await page(kept, q, 40, 5);
    expect(runs()).toBeGreaterThan(before);
  });
});

describe('SuiteQL pages when the tie-breaker repeats a number', () => {
  /** A database of one table whose first two rows tie on `k`, and a tie-breaker drawing from few numbers. */
  function setup(enabled: boolean) {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE thing (id INTEGER PRIMARY KEY, k INTEGER NOT NULL)');
    for (let id = 1; id <= 30; id += 1) db.prepare('INSERT INTO thing (id, k) VALUES (?, ?)').run(id, Math.max(1, id - 1));
    // Each request's draws start where its number says in the cycle: equal draws fall on other rows each time.
    const pages = createSuiteQLPages((request) => {
      let drawn = request;
      return () => [0.25, 0.5, 0.5, 0.75][(drawn += 1) % 4] ?? 0;
    }, enabled);
    db.function('ns_shuffle', { deterministic: false }, () => pages.shuffle());
    return (q: string, offset: number) => runSuiteQL(db, q, { zone: accountTimeZone('UTC'), shuffleTies: true, pages }, offset, 4);
  }

  it('answers as running every request afresh, tied rows with equal draws included', () => {
    const kept = setup(true);
    const fresh = setup(false);
    for (const q of ['SELECT id FROM thing ORDER BY id', 'SELECT id, k FROM thing ORDER BY k', 'SELECT k FROM thing ORDER BY k', 'SELECT id, k FROM thing ORDER BY k, id', 'SELECT id, k FROM thing ORDER BY k']) {
      // Nine reads of 30 draws each: the next query starts with the other half of the draws' cycle.
      for (const offset of [0, 4, 8, 0, 12, 16, 4, 20, 24]) expect(kept(q, offset)).toEqual(fresh(q, offset));
    }
  });
});
