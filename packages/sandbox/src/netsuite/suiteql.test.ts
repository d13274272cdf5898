import { describe, expect, it } from 'vitest';
import { createHarness, errorOf, itemsOf, smallBooks, type TestHarness } from './test-support';

const SUITEQL = '/services/rest/query/v1/suiteql';

function suiteql(harness: TestHarness, q: string, query = '', headers: Record<string, string> = { prefer: 'transient' }) {
  return harness.call('POST', `${SUITEQL}${query}`, { body: { q }, headers });
}

function loaded(): TestHarness {
  const harness = createHarness();
  harness.service.state.load(smallBooks());
  return harness;
}

describe('SuiteQL', () => {
  it('joins transaction, transactionline and customer, answering rows as NetSuite shapes them', async () => {
    const harness = loaded();
    const response = await suiteql(
      harness,
      `SELECT t.id, t.tranid, c.companyname, tl.item, tl.quantity, tl.rate, tl.foreignamount, t.trandate
         FROM transaction t JOIN transactionline tl ON tl.transaction = t.id JOIN customer c ON c.id = t.entity
        WHERE t.type = 'CustInvc' AND tl.mainline = 'F' AND c.companyname = 'Acme Corp' ORDER BY t.id`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ count: 2, hasMore: false, offset: 0, totalResults: 2 });
    expect(itemsOf(response)[0]).toEqual({ links: [], id: '301', tranid: 'INV-301', companyname: 'Acme Corp', item: '10', quantity: '-2', rate: '150.25', foreignamount: '-300.5', trandate: '1/10/2026' });
  });

  it('lower-cases column names, names unnamed expressions exprN and leaves NULL columns out', async () => {
    const harness = loaded();
    const rows = itemsOf(await suiteql(harness, "SELECT ID, CompanyName, email, COUNT(*) OVER () FROM customer WHERE entityid = 'CUST-202'"));
    expect(rows).toEqual([{ links: [], id: '202', expr1: '1' }]);
  });

  it('filters on BUILTIN.CF status and shows display values with BUILTIN.DF', async () => {
    const harness = loaded();
    const rows = itemsOf(
      await suiteql(
        harness,
        "SELECT t.tranid, BUILTIN.DF(t.status) AS status, BUILTIN.DF(t.currency) AS currency, BUILTIN.DF(t.entity) AS customer FROM transaction t WHERE BUILTIN.CF(t.status) = 'CustInvc:A' ORDER BY t.tranid",
      ),
    );
    expect(rows).toEqual([
      { links: [], tranid: 'INV-302', status: 'Invoice : Open', currency: 'US Dollar', customer: 'CUST-201 Acme Corp' },
      { links: [], tranid: 'INV-303', status: 'Invoice : Open', currency: 'Euro', customer: "CUST-202 Ada O'Brien" },
    ]);
  });

  it('compares lastmodifieddate with TO_TIMESTAMP and formats it with TO_CHAR, both in the account time zone (UTC-8 in January)', async () => {
    const harness = loaded();
    const rows = itemsOf(
      await suiteql(
        harness,
        "SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified, lastmodifieddate FROM transaction WHERE lastmodifieddate > TO_TIMESTAMP('2026-01-12 01:00:00', 'YYYY-MM-DD HH24:MI:SS') ORDER BY id",
      ),
    );
    expect(rows.map((row) => row.id)).toEqual(['303', '401', '501']);
    expect(rows[0]).toMatchObject({ modified: '2026-01-15 01:00:00', lastmodifieddate: '1/15/2026' });
    const onOrAfter = itemsOf(await suiteql(harness, "SELECT id FROM transaction WHERE lastmodifieddate >= TO_TIMESTAMP('2026-01-12 01:00:00', 'YYYY-MM-DD HH24:MI:SS') AND trandate < TO_DATE('2026-01-20', 'YYYY-MM-DD') ORDER BY id"));
    expect(onOrAfter.map((row) => row.id)).toEqual(['302', '303']);
  });

  it("runs the client's anchored form: SELECT * FROM (query) WHERE id > N ORDER BY id", async () => {
    const harness = loaded();
    const inner = "SELECT id, tranid, foreignamountunpaid FROM transaction WHERE type = 'CustInvc'";
    const first = await suiteql(harness, `SELECT * FROM (${inner}) ORDER BY id`, '?limit=2&offset=0');
    expect(first.body).toMatchObject({ count: 2, hasMore: true, totalResults: 3 });
    const last = String(itemsOf(first)[1]?.id);
    const next = await suiteql(harness, `SELECT * FROM (${inner}) WHERE id > ${last} ORDER BY id`, '?limit=2&offset=0');
    expect(itemsOf(next)).toEqual([{ links: [], id: '303', tranid: 'INV-303', foreignamountunpaid: '25' }]);
  });

  it('follows payments to invoices through the transaction link tables', () => {
    const harness = loaded();
    const rows = harness.service.state.query(
      `SELECT p.tranid AS payment, i.tranid AS invoice, l.foreignamount FROM PreviousTransactionLineLink l
         JOIN transaction p ON p.id = l.nextdoc JOIN transaction i ON i.id = l.previousdoc WHERE p.type = 'CustPymt' ORDER BY i.tranid`,
    );
    expect(rows).toEqual([
      { payment: 'PYMT-401', invoice: 'INV-301', foreignamount: '300.5' },
      { payment: 'PYMT-401', invoice: 'INV-302', foreignamount: '50' },
    ]);
  });

  it("reads doubled quotes in literals and identifiers in any case, 'transaction' included", () => {
    const harness = loaded();
    expect(harness.service.state.query("SELECT C.ID FROM Customer C WHERE C.LastName = 'O''Brien'")).toEqual([{ id: '202' }]);
    expect(harness.service.state.query("SELECT COUNT(*) AS n FROM TRANSACTION T WHERE T.Type = 'CustPymt'")).toEqual([{ n: '1' }]);
  });

  it('understands NVL, FETCH FIRST and ROWNUM', () => {
    const harness = loaded();
    expect(harness.service.state.query("SELECT NVL(email, 'none') AS email FROM customer ORDER BY id")).toEqual([{ email: 'ap@acme.test' }, { email: 'none' }]);
    expect(harness.service.state.query('SELECT id FROM transaction ORDER BY id FETCH FIRST 2 ROWS ONLY')).toEqual([{ id: '301' }, { id: '302' }]);
    expect(harness.service.state.query('SELECT id FROM transaction ORDER BY id OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY')).toEqual([{ id: '302' }]);
    expect(harness.service.state.query("SELECT id FROM (SELECT id FROM transaction WHERE type = 'CustInvc' AND ROWNUM <= 1) ORDER BY id")).toHaveLength(1);
  });

  it('returns at most 1000 rows a page and refuses a larger limit', async () => {
    const harness = createHarness();
    for (let index = 0; index < 1500; index += 1) harness.service.state.insert('customer', { companyName: `Customer ${index}`, subsidiary: { id: '1' } });
    const first = (await suiteql(harness, 'SELECT id FROM customer ORDER BY id')).body;
    expect(first).toMatchObject({ count: 1000, hasMore: true, totalResults: 1500 });
    const second = (await suiteql(harness, 'SELECT id FROM customer ORDER BY id', '?limit=1000&offset=1000')).body;
    expect(second).toMatchObject({ count: 500, hasMore: false, offset: 1000 });
    const tooMany = await suiteql(harness, 'SELECT id FROM customer', '?limit=1001');
    expect(errorOf(tooMany)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'limit' });
  });

  it('refuses a page that reaches past row 100,000', async () => {
    const harness = createHarness();
    expect((await suiteql(harness, 'SELECT id FROM customer', '?limit=1000&offset=99000')).status).toBe(200);
    const response = await suiteql(harness, 'SELECT id FROM customer', '?limit=1000&offset=99500');
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'offset' });
    expect(errorOf(response).detail).toContain('100000');
  });

  it('refuses anything but a single SELECT, and the data stays as it was', async () => {
    const harness = loaded();
    for (const q of ['DELETE FROM customer', "UPDATE customer SET email = 'x'", 'WITH c AS (SELECT id FROM customer) DELETE FROM customer', 'SELECT 1 FROM customer; DELETE FROM customer', 'SELECT * FROM ns_transaction']) {
      const response = await suiteql(harness, q);
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ 'o:errorCode': 'INVALID_PARAMETER', 'o:errorQueryParam': 'q' });
    }
    expect(harness.service.state.count('customer')).toBe(2);
  });

  it('refuses a query without Prefer: transient', async () => {
    const harness = loaded();
    const response = await suiteql(harness, 'SELECT id FROM customer', '', {});
    expect(response.status).toBe(400);
    expect(errorOf(response).detail).toContain('Prefer: transient');
  });

  it('answers a syntax error as an invalid search query', async () => {
    const harness = loaded();
    const response = await suiteql(harness, 'SELECT id FROM customer WHERE');
    expect(response.status).toBe(400);
    expect(errorOf(response).detail).toMatch(/^Invalid search query/);
    expect((await suiteql(harness, 'SELECT nosuchcolumn FROM customer')).status).toBe(400);
  });
});
