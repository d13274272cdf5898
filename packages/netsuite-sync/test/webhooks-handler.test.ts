/**
 * The Web-standard webhook handler: each answer, and what reaches the store and the log. Why each status
 * is what it is: src/webhooks/handler.ts (Invoiced's delivery rules, chriscouch/invoiced-mcp
 * `packages/invoiced-support/docs/backend-dev/src/Webhooks/Pusher.php`).
 */
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../src/errors';
import type { InboxEvent } from '../src/store/sync-store';
import { createInvoicedWebhookHandler, type InvoicedWebhookHandlerOptions } from '../src/webhooks';
import { eventBody, inboxStore, recordingLogger, SECRET, signedHeaders } from './support/webhooks';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const URL_ = 'https://sync.example.com/invoiced/webhook';

function setup(options: Partial<InvoicedWebhookHandlerOptions> = {}) {
  const store = inboxStore();
  const logger = recordingLogger();
  const handler = createInvoicedWebhookHandler({ secret: SECRET, connectionId: 'acme', store, logger, clock: () => NOW, ...options });
  return { store, logger, handler };
}

function post(body: string | Uint8Array, headers: Record<string, string>): Request {
  return new Request(URL_, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

async function answer(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('createInvoicedWebhookHandler', () => {
  it('stores a signed event in the inbox and answers 200 accepted', async () => {
    const onAccepted = vi.fn<(events: readonly InboxEvent[]) => void>();
    const { store, handler, logger } = setup({ onAccepted });
    const body = eventBody({ id: 1228003, type: 'invoice.updated', timestamp: NOW_S - 60, object: { id: 196539, object: 'invoice' } });
    const response = await handler(post(body, signedHeaders(body)));
    expect(await answer(response)).toEqual({ status: 200, body: { received: true, accepted: true } });
    expect(response.headers.get('content-type')).toContain('application/json');
    const stored = {
      id: '1228003', type: 'invoice.updated', entity: 'invoice', sourceId: '196539',
      occurredAt: new Date((NOW_S - 60) * 1000).toISOString(), receivedAt: NOW.toISOString(), status: 'pending',
    };
    expect([...store.events.values()]).toEqual([stored]);
    expect(onAccepted).toHaveBeenCalledWith([stored]);
    expect(logger.lines.map((line) => line.level)).toEqual(['info']);
  });

  it('refuses a repeated delivery as a duplicate, with 200 so that Invoiced stops sending it', async () => {
    const onAccepted = vi.fn();
    const { store, handler } = setup({ onAccepted });
    const body = eventBody({ timestamp: NOW_S });
    expect((await answer(await handler(post(body, signedHeaders(body))))).body.accepted).toBe(true);
    expect(await answer(await handler(post(body, signedHeaders(body))))).toEqual({ status: 200, body: { received: true, accepted: false, reason: 'duplicate' } });
    expect(store.events.size).toBe(1);
    expect(onAccepted).toHaveBeenCalledTimes(1);
  });

  it('refuses a repeat through a real store (memoryStore), which keeps the event pending for a run', async () => {
    const store = memoryStore();
    const { handler } = setup({ store });
    const body = eventBody({ id: '77', type: 'payment.created', timestamp: NOW_S, object: { id: 5001, object: 'payment' } });
    const answers = await Promise.all([1, 2, 3].map(async () => (await answer(await handler(post(body, signedHeaders(body))))).body));
    expect(answers.filter((body) => body.accepted === true)).toHaveLength(1);
    expect(answers.filter((body) => body.reason === 'duplicate')).toHaveLength(2);
    expect(await store.listPendingEvents('acme')).toEqual([
      { id: '77', type: 'payment.created', entity: 'payment', sourceId: '5001', occurredAt: NOW.toISOString(), receivedAt: NOW.toISOString(), status: 'pending' },
    ]);
    await store.completeEvents('acme', ['77']);
    expect((await answer(await handler(post(body, signedHeaders(body))))).body.reason).toBe('duplicate');
  });

  it('accepts events that arrive out of order, each once', async () => {
    const { store, handler } = setup();
    for (const id of [3, 1, 2, 1, 3]) {
      const body = eventBody({ id, timestamp: NOW_S - id, object: { id: 100 + id } });
      await handler(post(body, signedHeaders(body)));
    }
    expect([...store.events.values()].map((event) => event.id)).toEqual(['3', '1', '2']);
  });

  it('answers 401 to a missing, wrong or stale-secret signature, and stores nothing', async () => {
    const { store, handler, logger } = setup({ secret: ['new-secret-000000000000000000000'] });
    const body = eventBody({ timestamp: NOW_S });
    const cases = [
      { 'content-type': 'application/json' },
      signedHeaders(body),
      { ...signedHeaders(body), 'x-invoiced-signature': 'not-hex' },
      signedHeaders(eventBody({ timestamp: NOW_S, id: 2 }), 'new-secret-000000000000000000000'),
    ];
    for (const headers of cases) {
      const response = await handler(post(body, headers));
      const text = await response.text();
      expect(response.status).toBe(401);
      expect(JSON.parse(text)).toEqual({ received: false, error: 'invalid_signature' });
      expect(text).not.toContain('new-secret');
    }
    expect(store.events.size).toBe(0);
    expect(JSON.stringify(logger.lines)).not.toMatch(/new-secret|[0-9a-f]{64}|196539/);
  });

  it('accepts a delivery signed with any of the secrets (rolled secrets)', async () => {
    const { handler } = setup({ secret: ['new-secret-000000000000000000000', SECRET] });
    const body = eventBody({ timestamp: NOW_S });
    expect((await handler(post(body, signedHeaders(body)))).status).toBe(200);
    const next = eventBody({ id: 2, timestamp: NOW_S });
    expect((await handler(post(next, signedHeaders(next, 'new-secret-000000000000000000000')))).status).toBe(200);
  });

  it('answers 400 to a signed body that is not JSON or not an event', async () => {
    const { store, handler } = setup();
    for (const [body, error] of [['{"id":', 'invalid_json'], ['{"id":1}', 'invalid_event'], ['', 'invalid_json']] as const) {
      expect(await answer(await handler(post(body, signedHeaders(body))))).toEqual({ status: 400, body: { received: false, error } });
    }
    expect(store.events.size).toBe(0);
  });

  it('answers 405 to anything but POST', async () => {
    const { handler } = setup();
    for (const method of ['GET', 'PUT', 'DELETE', 'HEAD']) {
      const response = await handler(new Request(URL_, { method }));
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 413 to a body over the limit, declared or streamed, without reading past it', async () => {
    const { handler } = setup({ maxBodyBytes: 100 });
    const body = eventBody({ timestamp: NOW_S, object: { id: 1, notes: 'x'.repeat(200) } });
    expect((await handler(post(body, signedHeaders(body)))).status).toBe(413);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled > 1000) controller.error(new Error('read past the limit'));
        else controller.enqueue(new Uint8Array(64));
      },
    });
    const streamed = new Request(URL_, { method: 'POST', headers: signedHeaders(body), body: stream, duplex: 'half' } as RequestInit);
    expect(await answer(await handler(streamed))).toEqual({ status: 413, body: { received: false, error: 'payload_too_large' } });
    expect(pulled).toBeLessThan(5);
  });

  it('acknowledges a stale event without accepting it, and logs a warning', async () => {
    const { store, handler, logger } = setup({ maxEventAgeMs: 60_000 });
    const body = eventBody({ timestamp: NOW_S - 61 });
    expect(await answer(await handler(post(body, signedHeaders(body))))).toEqual({ status: 200, body: { received: true, accepted: false, reason: 'stale' } });
    expect(store.events.size).toBe(0);
    expect(logger.lines.map((line) => [line.level, line.fields?.eventId])).toEqual([['warn', '1228003']]);
    const fresh = eventBody({ id: 2, timestamp: NOW_S - 59 });
    expect((await answer(await handler(post(fresh, signedHeaders(fresh))))).body.accepted).toBe(true);
  });

  it('refuses events older than 7 days by default', async () => {
    const { handler } = setup();
    const old = eventBody({ timestamp: NOW_S - 7 * 86_400 - 1 });
    expect((await answer(await handler(post(old, signedHeaders(old))))).body.reason).toBe('stale');
    const recent = eventBody({ id: 2, timestamp: NOW_S - 7 * 86_400 + 1 });
    expect((await answer(await handler(post(recent, signedHeaders(recent))))).body.accepted).toBe(true);
  });

  it('acknowledges an event that names no record of the sync as ignored', async () => {
    const { store, handler } = setup();
    for (const [id, type] of [[1, 'subscription.created'], [2, 'invoice.viewed'], [3, 'email.sent']] as const) {
      const body = eventBody({ id, type, timestamp: NOW_S, object: { id: 5 } });
      expect(await answer(await handler(post(body, signedHeaders(body))))).toEqual({ status: 200, body: { received: true, accepted: false, reason: 'ignored' } });
    }
    expect(store.events.size).toBe(0);
  });

  it('answers 503 when the store fails, so that Invoiced tries again; the retry is accepted', async () => {
    const inbox = inboxStore();
    let fail = true;
    const store = {
      addEvent: (connectionId: string, event: Omit<InboxEvent, 'status'>) =>
        fail ? Promise.reject(new Error('postgres://user:pw@db down')) : inbox.addEvent(connectionId, event),
    };
    const { handler, logger } = setup({ store });
    const body = eventBody({ timestamp: NOW_S });
    const response = await handler(post(body, signedHeaders(body)));
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(text).not.toContain('postgres');
    expect(JSON.stringify(logger.lines)).not.toContain('pw@db');
    fail = false;
    expect((await answer(await handler(post(body, signedHeaders(body))))).body.accepted).toBe(true);
    expect(inbox.events.size).toBe(1);
  });

  it('acknowledges a stored event even if onAccepted fails, and logs the failure', async () => {
    const { store, handler, logger } = setup({ onAccepted: () => Promise.reject(new Error('queue down')) });
    const body = eventBody({ timestamp: NOW_S });
    expect(await answer(await handler(post(body, signedHeaders(body))))).toEqual({ status: 200, body: { received: true, accepted: true } });
    expect(store.events.size).toBe(1);
    expect(logger.lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('never answers 410 and never echoes the body, the signature or the secret', async () => {
    const { handler, logger } = setup({ store: { addEvent: () => { throw new TypeError('boom'); } } });
    const bodies = ['{}', eventBody({ timestamp: NOW_S }), 'x'.repeat(10), eventBody({ timestamp: 0 })];
    for (const body of bodies) {
      for (const method of ['POST', 'GET', 'PATCH']) {
        const headers = signedHeaders(body);
        const response = await handler(new Request(URL_, { method, headers, ...(method === 'GET' ? {} : { body }) }));
        const text = await response.text();
        expect(response.status).not.toBe(410);
        expect(text).not.toContain(headers['x-invoiced-signature']);
        expect(text).not.toContain(SECRET);
        if (body.length > 2) expect(text).not.toContain(body);
      }
    }
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toMatch(/[0-9a-f]{64}/);
    expect(logged).not.toContain('INV-0001');
  });

  it('refuses bad options with a ConfigurationError', () => {
    const store = inboxStore();
    const make = (options: Partial<InvoicedWebhookHandlerOptions>) => () => createInvoicedWebhookHandler({ secret: SECRET, connectionId: 'acme', store, ...options });
    for (const bad of [{ secret: '' }, { secret: [] }, { secret: [SECRET, ''] }, { connectionId: '' }, { maxBodyBytes: 0 }, { maxEventAgeMs: -1 }, { maxBodyBytes: 1.5 }]) {
      expect(make(bad), JSON.stringify(bad)).toThrow(ConfigurationError);
    }
    expect(make({ store: {} as never })).toThrow(ConfigurationError);
    expect(make({}).call(undefined).maxBodyBytes).toBe(1024 * 1024);
  });
});
