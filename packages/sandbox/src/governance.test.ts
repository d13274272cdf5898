import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './sandbox';

const sandbox = createSandbox({ seed: 3 });
const server = setupServer(...sandbox.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const auth = { authorization: `Basic ${btoa(`${sandbox.invoiced.apiKey}:`)}` };

describe("the sandbox's injected Invoiced faults", () => {
  it('words an injected 500 as Invoiced does, with a correlation ID, and sets the headers of every Invoiced answer', async () => {
    sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'server_error' }] });
    const response = await fetch(`${sandbox.invoiced.baseUrl}/customers`, { headers: auth });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { type: string; message: string };
    expect(body.type).toBe('api_error');
    expect(body.message).toMatch(/^There was an error processing your request\. Our engineers have been notified .*\n\nCorrelation ID: [0-9a-f]{12}$/s);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-store');
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="Invoiced"');
    sandbox.invoiced.faults.clear();
  });

  it("answers an injected 429 with Invoiced's rate_limit_error and the same headers", async () => {
    sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'rate_limit' }] });
    const response = await fetch(`${sandbox.invoiced.baseUrl}/customers`, { headers: auth });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ type: 'rate_limit_error', message: 'Too many concurrent requests! You can only make 20 concurrent requests at a time.' });
    expect(response.headers.get('cache-control')).toBe('no-cache, no-store');
    sandbox.invoiced.faults.clear();
  });
});
