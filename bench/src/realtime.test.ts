/**
 * The real-time bench's own arithmetic and checks: percentiles, the sending schedule, the names of the
 * engine's requests, and the check that finds a payment missing, written twice or for the wrong amount.
 * The bench has no vitest project; run with `node --test bench/src/realtime.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSandbox } from '@invoiced/netsuite-sync-sandbox';
import { parseRealtimeFlags, schedule } from '#bench/realtime-flags';
import { requestKind } from '#bench/realtime-probe';
import { checkNetSuite, netsuiteBefore, percentile, summary, type PaymentTrace } from '#bench/realtime-report';

void describe('percentiles', () => {
  void it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 95);
    assert.equal(percentile(values, 100), 100);
    assert.equal(percentile([], 95), null);
    assert.deepEqual(summary([3, 1, 2]), { n: 3, p50: 2, p95: 3, max: 3, mean: 2 });
  });
});

void describe('schedule', () => {
  void it('spaces payments within the interval, with bursts sent at once', () => {
    const flags = parseRealtimeFlags(['--payments', '30', '--interval', '100,300', '--burst-every', '10', '--burst-size', '5']);
    const times = schedule(flags);
    assert.equal(times.length, 30);
    const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
    assert.equal(gaps.filter((gap) => gap === 0).length, 8, 'two bursts of 5: 4 zero gaps each');
    for (const gap of gaps.filter((value) => value !== 0)) assert.ok(gap >= 100 && gap <= 300, `gap ${gap}`);
    assert.deepEqual(schedule(flags), times, 'seeded');
  });

  void it('refuses an interval whose min exceeds its max', () => {
    assert.throws(() => parseRealtimeFlags(['--interval', '300,100']), /min must not exceed max/);
  });
});

void describe('request names', () => {
  void it('names the NetSuite clock read, upserts by external ID and Invoiced reads without IDs', () => {
    const base = 'https://example.test';
    assert.equal(requestKind('netsuite', 'POST', new URL(`${base}/services/rest/query/v1/suiteql?limit=1`), JSON.stringify({ q: "SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS now FROM dual" })), 'suiteql NetSuite clock');
    assert.equal(requestKind('netsuite', 'PUT', new URL(`${base}/services/rest/record/v1/customerPayment/eid:invd-pay-7?replace=apply`), '{}'), 'PUT customerPayment by external id');
    assert.equal(requestKind('invoiced', 'GET', new URL(`${base}/payments/12?include=applied_to`), undefined), 'GET payments/:id');
  });
});

void describe('checkNetSuite', () => {
  function arrange() {
    const sandbox = createSandbox();
    const { state } = sandbox.netsuite;
    const customer = String(state.insert('customer', { companyName: 'Acme', subsidiary: { id: '1' } }).id);
    const invoice = String(state.insert('invoice', { entity: { id: customer }, currency: { id: '1' }, item: { items: [{ item: { id: '1' }, amount: 100 }] } }).id);
    const pay = (externalId: string, amount: number) =>
      state.insert('customerPayment', { externalId, customer: { id: customer }, payment: amount, apply: { items: [{ doc: { id: invoice }, apply: true, amount }] } });
    const trace = (id: number, amount: number): PaymentTrace => ({ index: 0, id, amount, invoicedInvoice: 1, netsuiteInvoice: invoice, sentAt: 0, answeredAt: 0, acceptedAt: null, syncedAt: null, seenAt: null, byCatchUp: false });
    return { sandbox, pay, trace, invoice };
  }

  void it('passes a payment written once, for its amount, to its invoice', () => {
    const { sandbox, pay, trace, invoice } = arrange();
    const before = netsuiteBefore(sandbox, [invoice]);
    pay('invd-pay-1', 40);
    assert.deepEqual(checkNetSuite(sandbox, [trace(1, 40)], before), { payments: 1, exactlyOnce: 1, customerPaymentsAdded: 1, problems: [] });
  });

  void it('finds a payment missing', () => {
    const { sandbox, trace, invoice } = arrange();
    const result = checkNetSuite(sandbox, [trace(1, 40)], netsuiteBefore(sandbox, [invoice]));
    assert.equal(result.exactlyOnce, 0);
    assert.deepEqual(result.problems, ['invd-pay-1: not in NetSuite', 'NetSuite has 0 customer payments more, for 1 payments']);
  });

  void it('finds a payment written twice (a copy under another external ID)', () => {
    const { sandbox, pay, trace, invoice } = arrange();
    const before = netsuiteBefore(sandbox, [invoice]);
    pay('invd-pay-2', 10);
    pay('copy-of-2', 10);
    const result = checkNetSuite(sandbox, [trace(2, 10)], before);
    assert.equal(result.exactlyOnce, 0);
    assert.deepEqual(result.problems, [`invd-pay-2: invoice ${invoice} has 80 due, expected 90`, 'NetSuite has 2 customer payments more, for 1 payments']);
  });

  void it('finds a payment for another amount', () => {
    const { sandbox, pay, trace, invoice } = arrange();
    const before = netsuiteBefore(sandbox, [invoice]);
    pay('invd-pay-3', 25);
    assert.deepEqual(checkNetSuite(sandbox, [trace(3, 20)], before).problems, ['invd-pay-3: amount 25, expected 20']);
  });
});
