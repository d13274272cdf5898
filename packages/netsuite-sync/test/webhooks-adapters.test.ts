/**
 * The framework adapters, each behind a real server of its framework on 127.0.0.1 and a real `fetch` of a
 * signed delivery (Hono through `app.request`/`app.fetch`, its own standard entry).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvoicedWebhookHandler, fastifyWebhookPlugin, honoWebhookHandler, toExpressHandler, toNodeListener } from '../src/webhooks';
import { eventBody, inboxStore, signedHeaders } from './support/webhooks';

const PATH = '/invoiced/webhook';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function setup(maxBodyBytes?: number) {
  const store = inboxStore();
  const handler = createInvoicedWebhookHandler({ secret: '4b37d5776dad4059ab4c80fa072e3fce', connectionId: 'acme', store, maxBodyBytes });
  return { store, handler };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** Posts a signed event (or `body` as given, signed) and reads the answer. */
async function deliver(url: string, options: { body?: string; headers?: Record<string, string>; method?: string } = {}) {
  const body = options.body ?? eventBody({ timestamp: now() });
  const method = options.method ?? 'POST';
  const response = await fetch(url, { method, headers: options.headers ?? signedHeaders(body), ...(method === 'GET' ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** The behaviour every adapter must keep: accepted, duplicate, 401, 405. */
async function checkCommon(url: string, store: ReturnType<typeof inboxStore>) {
  const body = eventBody({ timestamp: now() });
  expect(await deliver(url, { body })).toEqual({ status: 200, body: { received: true, accepted: true } });
  expect([...store.events.values()]).toEqual([expect.objectContaining({ id: '1228003', entity: 'invoice', sourceId: '196539' })]);
  expect((await deliver(url, { body })).body).toEqual({ received: true, accepted: false, reason: 'duplicate' });
  expect((await deliver(url, { body, headers: { ...signedHeaders(body), 'x-invoiced-signature': '0'.repeat(64) } })).status).toBe(401);
  expect((await deliver(url, { method: 'GET' })).status).toBe(405);
}

describe('toNodeListener', () => {
  it('serves the handler on a node:http server', async () => {
    const { store, handler } = setup();
    const url = `${await listen(createServer(toNodeListener(handler)))}${PATH}`;
    await checkCommon(url, store);
  });

  it('reads a chunked body, and answers 413 past the limit', async () => {
    const { store, handler } = setup(2000);
    const url = `${await listen(createServer(toNodeListener(handler)))}${PATH}`;
    const body = eventBody({ id: 7, timestamp: now() });
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({ start(controller) { controller.enqueue(bytes.slice(0, 10)); controller.enqueue(bytes.slice(10)); controller.close(); } });
    const chunked = await fetch(url, { method: 'POST', headers: signedHeaders(body), body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(200);
    expect(store.events.size).toBe(1);
    const big = eventBody({ id: 8, timestamp: now(), object: { id: 1, notes: 'x'.repeat(5000) } });
    expect(await deliver(url, { body: big })).toEqual({ status: 413, body: { received: false, error: 'payload_too_large' } });
    expect(store.events.size).toBe(1);
  });
});

describe('toExpressHandler', () => {
  it('works with no body parser on the route (JSON parser mounted after it)', async () => {
    const { store, handler } = setup();
    const app = express();
    app.all(PATH, toExpressHandler(handler));
    app.use(express.json());
    app.post('/echo', (req, res) => { res.json(req.body); });
    const base = await listen(createServer(app));
    await checkCommon(`${base}${PATH}`, store);
    const echoed = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echoed.json()).toEqual({ a: 1 });
  });

  it('works after express.raw({ type: "application/json" })', async () => {
    const { store, handler } = setup();
    const app = express();
    app.all(PATH, express.raw({ type: 'application/json' }), toExpressHandler(handler));
    await checkCommon(`${await listen(createServer(app))}${PATH}`, store);
  });

  it('answers 500 naming the fix when a JSON parser consumed the body', async () => {
    const { store, handler } = setup();
    const app = express();
    app.use(express.json());
    app.post(PATH, toExpressHandler(handler));
    const answer = await deliver(`${await listen(createServer(app))}${PATH}`);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ received: false, error: 'body_already_parsed' });
    expect(String(answer.body.message)).toContain('express.raw({ type: "application/json" })');
    expect(store.events.size).toBe(0);
  });
});

describe('fastifyWebhookPlugin', () => {
  it('serves the handler with raw bodies in its own scope only', async () => {
    const { store, handler } = setup(4000);
    const app = Fastify();
    await app.register(fastifyWebhookPlugin(handler, { path: PATH }));
    app.post('/echo', (request) => request.body);
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await checkCommon(`${base}${PATH}`, store);
    const big = eventBody({ id: 9, timestamp: now(), object: { id: 1, notes: 'x'.repeat(5000) } });
    expect((await deliver(`${base}${PATH}`, { body: big })).status).toBe(413);
    const echoed = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echoed.json()).toEqual({ a: 1 });
  });
});

describe('honoWebhookHandler', () => {
  it('passes Hono\'s Request to the handler (app.request and app.fetch)', async () => {
    const { store, handler } = setup();
    const app = new Hono();
    app.all(PATH, honoWebhookHandler(handler));
    const body = eventBody({ timestamp: now() });
    const first = await app.request(PATH, { method: 'POST', headers: signedHeaders(body), body });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, accepted: true });
    const again = await app.fetch(new Request(`http://localhost${PATH}`, { method: 'POST', headers: signedHeaders(body), body }));
    expect(await again.json()).toEqual({ received: true, accepted: false, reason: 'duplicate' });
    expect((await app.request(PATH, { method: 'POST', headers: { ...signedHeaders(body), 'x-invoiced-signature': '1'.repeat(64) }, body })).status).toBe(401);
    expect((await app.request(PATH)).status).toBe(405);
    expect(store.events.size).toBe(1);
  });
});
