import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../sandbox';
import { signWebhookBody } from './webhooks';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on loopback answering each POST with `answer(n)` (n from 1), after `delayMs`. */
async function receiver(answer: (n: number) => number = () => 200, delayMs = 0) {
  const received: Received[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((request, response) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answer(received.length);
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(status).end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url, received, peak: () => peak };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('webhooks', () => {
  it('signs as Invoiced: the backend test vector', () => {
    expect(signWebhookBody('{"test":true}', '4b37d5776dad4059ab4c80fa072e3fce')).toBe('341cb5ca9555e923c908c2eb5d36189ea11d90c0dfd559377c5edb669f9cf240');
  });

  it('POSTs every event, signed, to a real HTTP receiver; a generated secret has 32 letters and digits', async () => {
    const { url, received } = await receiver();
    const sandbox = createSandbox({ seed: 3 });
    const endpoint = sandbox.invoiced.webhooks.add({ url });
    expect(endpoint.secret).toMatch(/^[A-Za-z0-9]{32}$/);
    const customer = sandbox.invoiced.state.insert('customers', { name: 'Acme/Café', currency: 'usd' });
    sandbox.invoiced.state.update('customers', customer.id, { name: 'Acme 2' });
    await sandbox.invoiced.webhooks.idle();
    expect(received).toHaveLength(2);
    for (const delivery of received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['user-agent']).toBe('Invoiced/1.0');
      expect(delivery.headers['x-invoiced-signature']).toBe(signWebhookBody(delivery.body, endpoint.secret));
    }
    expect(received[0]?.body).toContain('Acme\\/Caf\\u00e9');
    const events = received.map((delivery) => JSON.parse(delivery.body) as { id: number; type: string });
    expect(events.map((event) => event.type).sort()).toEqual(['customer.created', 'customer.updated']);
    expect(sandbox.invoiced.webhooks.deliveries().every((delivery) => delivery.ok && delivery.attempt === 1)).toBe(true);
  });

  it('retries a 500 after the retry delay, then succeeds', async () => {
    const { url, received } = await receiver((n) => (n === 1 ? 500 : 200));
    const sandbox = createSandbox({ invoiced: { webhooks: { retryDelayMs: 20 } } });
    sandbox.invoiced.webhooks.add({ url, secret: 'shh' });
    sandbox.invoiced.state.insert('customers', { name: 'Acme', currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    expect(sandbox.invoiced.webhooks.scheduled).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await sandbox.invoiced.webhooks.idle();
    expect(sandbox.invoiced.webhooks.deliveries().map((delivery) => [delivery.attempt, delivery.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(received[0]?.body).toBe(received[1]?.body);
  });

  it('flush() runs scheduled retries now; the last allowed failure and a 410 disable every endpoint of the URL', async () => {
    const { url } = await receiver((n) => (n <= 2 ? 503 : 410));
    const sandbox = createSandbox({ invoiced: { webhooks: { maxAttempts: 2 } } });
    const first = sandbox.invoiced.webhooks.add({ url });
    const second = sandbox.invoiced.webhooks.add({ url, events: ['invoice.created'] });
    sandbox.invoiced.state.insert('customers', { name: 'Acme', currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    await sandbox.invoiced.webhooks.flush();
    expect(sandbox.invoiced.webhooks.deliveries().map((delivery) => delivery.status)).toEqual([503, 503]);
    expect(sandbox.invoiced.webhooks.list().map((endpoint) => endpoint.enabled)).toEqual([false, false]);
    sandbox.invoiced.webhooks.enable(first.id);
    sandbox.invoiced.state.insert('customers', { name: 'Other', currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    expect(sandbox.invoiced.webhooks.deliveries().at(-1)?.status).toBe(410);
    expect(sandbox.invoiced.webhooks.scheduled).toBe(0);
    expect(sandbox.invoiced.webhooks.list().find((endpoint) => endpoint.id === first.id)?.enabled).toBe(false);
    expect(second.events).toEqual(['invoice.created']);
  });

  it('keeps at most 5 deliveries in flight', async () => {
    const { url, received, peak } = await receiver(() => 200, 30);
    const sandbox = createSandbox();
    sandbox.invoiced.webhooks.add({ url });
    for (let index = 0; index < 12; index += 1) sandbox.invoiced.state.insert('customers', { name: `C${index}`, currency: 'usd' });
    await sandbox.invoiced.webhooks.idle();
    expect(received).toHaveLength(12);
    expect(peak()).toBe(5);
  });

  it('drops, duplicates and reorders deliveries the same way for the same seed', async () => {
    const run = async (seed: number) => {
      const { url, received } = await receiver();
      const sandbox = createSandbox();
      sandbox.invoiced.webhooks.add({ url });
      sandbox.invoiced.webhooks.faults({ seed, drop: 0.2, duplicate: 0.2, reorder: 0.3, reorderMs: { max: 40 } });
      for (let index = 0; index < 20; index += 1) sandbox.invoiced.state.insert('customers', { name: `C${index}`, currency: 'usd' });
      await sandbox.invoiced.webhooks.idle();
      const faults = sandbox.invoiced.webhooks.deliveries().map((delivery) => `${delivery.eventId}:${delivery.fault ?? '-'}`).sort();
      return { faults, sent: received.length };
    };
    const [a, b, c] = [await run(11), await run(11), await run(12)];
    expect(a).toEqual(b);
    expect(a.faults).not.toEqual(c.faults);
    expect(a.faults.some((entry) => entry.endsWith(':drop'))).toBe(true);
    expect(a.faults.some((entry) => entry.endsWith(':duplicate'))).toBe(true);
    const dropped = a.faults.filter((entry) => entry.endsWith(':drop')).length;
    const duplicated = a.faults.filter((entry) => entry.endsWith(':duplicate')).length;
    expect(a.sent).toBe(20 - dropped + duplicated);
  });
});
