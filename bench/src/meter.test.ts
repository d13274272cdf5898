/**
 * The meter charges each request to the phase whose async work sent it, also when phases run at the same
 * time. The bench has no vitest project; run with `node --test bench/src/meter.test.ts`.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInvoicedClient } from '@invoiced/netsuite-sync';
import { Meter, OUTSIDE_PHASES, writeKey } from '#bench/meter';

void describe('Meter', () => {
  let server: Server;
  let base = '';
  before(async () => {
    // An Invoiced-like list: every answer an empty page, a little later.
    server = createServer((_request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'), 5);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
  });

  void it('charges each request to the phase whose async task sent it when two phases interleave', async () => {
    const meter = new Meter();
    const origin = performance.now();
    const invoiced = meter.fetchFor('invoiced');
    const order: string[] = [];
    // Like the engine (run/schedule.ts): each phase starts in an asynchronous task of its own (a `then`)
    // and emits phase_started (here: enter) and phase_finished (leave) synchronously from inside it; the
    // two tasks take turns at every await.
    const phase = async (name: string, collection: string, pages: number) => {
      meter.enter(name);
      for (let page = 1; page <= pages; page++) {
        order.push(`${name}${page}`);
        await invoiced(`${base}/${collection}?page=${page}&per_page=100`);
        await sleep(1);
      }
      meter.leave(name);
    };
    const start = Promise.resolve();
    await Promise.all([start.then(() => phase('invoiced_invoices', 'invoices', 3)), start.then(() => phase('invoiced_payments', 'payments', 2))]);
    await invoiced(`${base}/customers`);

    assert.deepEqual(order.slice(0, 4), ['invoiced_invoices1', 'invoiced_payments1', 'invoiced_invoices2', 'invoiced_payments2'], 'the two phases interleave');
    const phases = new Map(meter.result(origin).map((traffic) => [traffic.phase, traffic]));
    assert.deepEqual(phases.get('invoiced_invoices')?.apis.invoiced.reads, [{ kind: 'GET invoices', requests: 3, rows: 0, pages: 3 }]);
    assert.deepEqual(phases.get('invoiced_payments')?.apis.invoiced.reads, [{ kind: 'GET payments', requests: 2, rows: 0, pages: 2 }]);
    assert.deepEqual(phases.get(OUTSIDE_PHASES)?.apis.invoiced.reads, [{ kind: 'GET customers', requests: 1, rows: 0, pages: 1 }], 'after the phases: outside them');

    const invoices = phases.get('invoiced_invoices');
    const payments = phases.get('invoiced_payments');
    assert.ok(invoices !== undefined && payments !== undefined);
    assert.ok(payments.startMs < invoices.endMs && invoices.startMs < payments.endMs, 'the phases overlap in time');
    assert.ok(invoices.endMs - invoices.startMs >= invoices.wallMs - 1 && invoices.wallMs > 0, 'wall = finished - started');
  });

  void it('charges the requests of phases run one after another to each in turn', async () => {
    const meter = new Meter();
    const origin = performance.now();
    const netsuite = meter.fetchFor('netsuite');
    const run = async () => {
      for (const name of ['first', 'second']) {
        meter.enter(name);
        await netsuite(`${base}/services/rest/record/v1/customer/1`);
        meter.leave(name);
      }
      await netsuite(`${base}/services/rest/record/v1/customer/2`);
    };
    await run();
    const phases = meter.result(origin);
    assert.deepEqual(
      phases.map((traffic) => [traffic.phase, traffic.apis.netsuite.requests]),
      [
        [OUTSIDE_PHASES, 1],
        ['first', 1],
        ['second', 1],
      ],
    );
    const [, first, second] = phases;
    assert.ok(first !== undefined && second !== undefined && first.endMs <= second.startMs);
  });
  void it("counts through a client's onResponse, in the phase of the task that sent the request", async () => {
    const meter = new Meter();
    const origin = performance.now();
    const client = createInvoicedClient({ apiKey: 'key', baseUrl: base, onResponse: meter.observerFor('invoiced') });
    const phase = async (name: string, collection: string) => {
      meter.enter(name);
      await client.request('GET', `/${collection}`, { query: { page: 2, per_page: 100 } });
      meter.leave(name);
    };
    const start = Promise.resolve();
    await Promise.all([start.then(() => phase('invoiced_invoices', 'invoices')), start.then(() => phase('invoiced_payments', 'payments'))]);
    const phases = new Map(meter.result(origin).map((traffic) => [traffic.phase, traffic]));
    assert.deepEqual(phases.get('invoiced_invoices')?.apis.invoiced.reads, [{ kind: 'GET invoices', requests: 1, rows: 0, pages: 2 }]);
    assert.deepEqual(phases.get('invoiced_payments')?.apis.invoiced.reads, [{ kind: 'GET payments', requests: 1, rows: 0, pages: 2 }]);
  });

  void it('keys each write by a whole number below 2^53, the same for the same write and apart for 200,000 others', () => {
    const keys = new Set<number>();
    for (let id = 0; id < 100_000; id += 1) {
      for (const path of [`/services/rest/record/v1/invoice/eid:invd-inv-${id}`, `/invoices/${id}`]) {
        const key = writeKey(id % 2 === 0 ? 'PUT' : 'PATCH', path);
        assert.ok(Number.isSafeInteger(key) && key >= 0);
        keys.add(key);
      }
    }
    assert.equal(keys.size, 200_000);
    assert.equal(writeKey('PUT', '/a/1'), writeKey('PUT', '/a/1'));
    assert.notEqual(writeKey('PUT', '/a/1'), writeKey('PATCH', '/a/1'));
  });
});
