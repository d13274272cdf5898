/**
 * The fault harness's wait between two processes (faults/services-idle.ts): a write the client gave up on,
 * still being carried out by the sandbox, has landed before the next process starts.
 */
import { createSandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { servicesIdle } from './faults/services-idle';

describe('the fault harness waits for the services between processes', () => {
  let servers: SandboxServers | undefined;
  afterEach(async () => {
    await servers?.close();
    servers = undefined;
  });

  it('returns only once a create whose client timed out has been carried out', async () => {
    // Invoiced takes a second to carry out a request; the client gives up once the request is in its hands.
    const sandbox = createSandbox({ seed: 5, invoiced: { latencyMs: 1_000 } });
    servers = await sandbox.listen();
    const before = sandbox.invoiced.state.list('customers').length;
    const controller = new AbortController();
    const request = fetch(`${servers.invoicedUrl}/customers`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${sandbox.invoiced.apiKey}:`).toString('base64')}`, 'content-type': 'application/json', 'idempotency-key': 'late-create-1' },
      body: JSON.stringify({ name: 'Carried Out Late Ltd' }),
      signal: controller.signal,
    });
    while (sandbox.invoiced.stats.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error('the client gave up'));
    await expect(request).rejects.toThrow();
    // The client's promise has settled, and the create is still to come: what a next process would meet.
    expect(sandbox.invoiced.state.list('customers')).toHaveLength(before);
    await servicesIdle(sandbox);
    expect(sandbox.invoiced.state.list('customers').map((customer) => customer.name)).toContain('Carried Out Late Ltd');
    expect(sandbox.invoiced.stats.inFlight).toBe(0);
  });

  it('gives up after its longest wait when a service never finishes', async () => {
    const sandbox = createSandbox({ seed: 5 });
    const busy = { ...sandbox, invoiced: { ...sandbox.invoiced, stats: { ...sandbox.invoiced.stats, inFlight: 1 } } };
    const started = performance.now();
    await servicesIdle(busy, 30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });
});
