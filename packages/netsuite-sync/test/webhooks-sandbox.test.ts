/**
 * The webhook handler receiving the sandbox's deliveries over real HTTP: the sandbox is an independent model
 * of Invoiced's webhooks (signature, retries, 410, at most 5 at once, seeded duplicates and reordering), so
 * this checks the handler against what Invoiced sends rather than against its own idea of it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxEvent, SyncStore } from '../src/store/sync-store';
import { createInvoicedWebhookHandler, toNodeListener } from '../src/webhooks';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(store: Pick<SyncStore, 'addEvent'>, secret: () => string): Promise<{ url: string; accepted: InboxEvent[] }> {
  const accepted: InboxEvent[] = [];
  const server = createServer((req, res) => {
    const handler = createInvoicedWebhookHandler({ secret: secret(), connectionId: 'acme', store, onAccepted: (events) => { accepted.push(...events); } });
    toNodeListener(handler)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/invoiced/webhook`, accepted };
}

describe('the handler behind the sandbox\'s webhook deliveries', () => {
  it('accepts each event once through duplicates and reordering, and answers every delivery 2xx', async () => {
    const store = memoryStore();
    let secret = '';
    const { url, accepted } = await serve(store, () => secret);
    const sandbox = createSandbox({ seed: 11, invoiced: { webhooks: { retryDelayMs: 10 } } });
    closers.push(() => sandbox.invoiced.webhooks.close());
    const endpoint = sandbox.invoiced.webhooks.add({ url });
    secret = endpoint.secret;
    sandbox.invoiced.webhooks.faults({ seed: 5, duplicate: 0.6, reorder: 0.6, reorderMs: { max: 40 } });
    const ids: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const customer = sandbox.invoiced.state.insert('customers', { name: `Customer ${index}`, currency: 'usd' });
      ids.push(customer.id);
      sandbox.invoiced.state.update('customers', customer.id, { name: `Customer ${index}b` });
    }
    await sandbox.invoiced.webhooks.idle();

    const deliveries = sandbox.invoiced.webhooks.deliveries();
    expect(deliveries.some((delivery) => delivery.fault === 'duplicate')).toBe(true);
    expect(deliveries.every((delivery) => delivery.ok)).toBe(true);
    expect(sandbox.invoiced.webhooks.list()[0]?.enabled).toBe(true);
    const events = sandbox.invoiced.state.events();
    const pending = await store.listPendingEvents('acme');
    expect(pending.map((event) => event.id).sort()).toEqual(events.map((event) => String(event.id)).sort());
    expect(new Set(pending.map((event) => event.sourceId))).toEqual(new Set(ids.map(String)));
    expect(pending.every((event) => event.entity === 'customer')).toBe(true);
    expect(accepted).toHaveLength(events.length);
  });

  it('answers 503 while the store is down, so that the sandbox tries again, and accepts the retry', async () => {
    const store = memoryStore();
    let down = true;
    const flaky: Pick<SyncStore, 'addEvent'> = { addEvent: (connectionId, event) => (down ? Promise.reject(new Error('down')) : store.addEvent(connectionId, event)) };
    let secret = '';
    const { url } = await serve(flaky, () => secret);
    const sandbox = createSandbox({ seed: 12, invoiced: { webhooks: { retryDelayMs: 60_000 } } });
    closers.push(() => sandbox.invoiced.webhooks.close());
    secret = sandbox.invoiced.webhooks.add({ url }).secret;
    sandbox.invoiced.state.insert('customers', { name: 'Acme', currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    expect(sandbox.invoiced.webhooks.deliveries().map((delivery) => delivery.status)).toEqual([503]);
    expect(sandbox.invoiced.webhooks.scheduled).toBe(1);
    down = false;
    await sandbox.invoiced.webhooks.flush();
    expect(sandbox.invoiced.webhooks.deliveries().map((delivery) => delivery.status)).toEqual([503, 200]);
    expect(await store.listPendingEvents('acme')).toHaveLength(1);
    expect(sandbox.invoiced.webhooks.list()[0]?.enabled).toBe(true);
  });

  it('answers 401 to a delivery signed with another secret (the sandbox retries it; nothing is stored)', async () => {
    const store = memoryStore();
    const { url } = await serve(store, () => 'a-secret-the-sandbox-does-not-use');
    const sandbox = createSandbox({ seed: 13, invoiced: { webhooks: { retryDelayMs: 60_000 } } });
    closers.push(() => sandbox.invoiced.webhooks.close());
    sandbox.invoiced.webhooks.add({ url });
    sandbox.invoiced.state.insert('customers', { name: 'Acme', currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    expect(sandbox.invoiced.webhooks.deliveries().map((delivery) => delivery.status)).toEqual([401]);
    expect(await store.listPendingEvents('acme')).toEqual([]);
  });
});
