import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json } from './http';
import { createRandom } from './random';
import { GovernedService } from './service';
import { listenService, mswHandlers } from './transports';

/** A service that echoes what it received, so both transports can be checked to deliver requests intact. */
function echoService() {
  return new GovernedService(
    (request) =>
      Promise.resolve(
        json(201, { method: request.method, url: request.url.href, auth: request.headers.get('authorization'), body: request.body }, { 'x-echo': 'yes' }),
      ),
    {
      name: 'invoiced',
      concurrencyLimit: 10,
      latencyMs: 0,
      random: createRandom(1),
      tooManyRequests: () => json(429, {}),
      serverError: () => json(500, {}),
    },
  );
}

const send = (url: string, signal?: AbortSignal) =>
  fetch(url, { method: 'POST', headers: { authorization: 'Basic abc', 'content-type': 'application/json' }, body: '{"a":"é"}', signal: signal ?? null });

describe('listenService (node:http)', () => {
  it('delivers method, full URL, headers and body, and sends status, headers and JSON back', async () => {
    const server = await listenService(echoService());
    try {
      const response = await send(`${server.url}/invoices?x=a%20b`);
      expect(response.status).toBe(201);
      expect(response.headers.get('x-echo')).toBe('yes');
      expect(await response.json()).toEqual({ method: 'POST', url: `${server.url}/invoices?x=a%20b`, auth: 'Basic abc', body: '{"a":"é"}' });
    } finally {
      await server.close();
    }
  });

  it('drops the connection for a dropped or lost response, and stays silent for a hang until the client gives up', async () => {
    const service = echoService();
    const server = await listenService(service);
    try {
      service.faults.set({ schedule: [{ request: 1, fault: 'drop' }, { request: 2, fault: 'lost_response' }, { request: 3, fault: 'timeout' }] });
      await expect(send(`${server.url}/a`)).rejects.toThrow();
      await expect(send(`${server.url}/b`)).rejects.toThrow();
      const started = performance.now();
      await expect(send(`${server.url}/c`, AbortSignal.timeout(150))).rejects.toThrow();
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(service.requests.map((entry) => entry.status)).toEqual(['dropped', 'dropped', 'hung']);
    } finally {
      await server.close();
    }
  });

  it('closes even while a request hangs', async () => {
    const service = echoService();
    const server = await listenService(service);
    service.faults.set({ rates: { timeout: 1 } });
    const pending = send(`${server.url}/hang`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('mswHandlers', () => {
  const service = echoService();
  const server = setupServer(...mswHandlers('https://api.sandbox.invoiced.com/', service));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => service.faults.clear());
  afterAll(() => server.close());

  it('answers requests below the base URL with the service', async () => {
    const response = await send('https://api.sandbox.invoiced.com/customers?page=2');
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ method: 'POST', url: 'https://api.sandbox.invoiced.com/customers?page=2', body: '{"a":"é"}' });
  });

  it('turns a dropped connection into a network error', async () => {
    service.faults.set({ schedule: [{ request: 1, fault: 'drop' }] });
    await expect(send('https://api.sandbox.invoiced.com/x')).rejects.toThrow();
  });

  it('never answers a hung request, so the client times out', async () => {
    service.faults.set({ schedule: [{ request: 1, fault: 'timeout' }] });
    await expect(send('https://api.sandbox.invoiced.com/x', AbortSignal.timeout(100))).rejects.toThrow();
  });
});
