import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultPlan, type FaultKind } from './faults';
import { json, type SandboxOutcome, type SandboxRequest } from './http';
import { createRandom } from './random';
import { GovernedService } from './service';

const request = (method = 'GET', path = '/things'): SandboxRequest => ({
  method,
  url: new URL(`https://service.test${path}?a=1`),
  headers: new Headers(),
  body: '',
});

/** A service that counts how often its handler ran (i.e. how many requests did real work). */
function governed(options: { limit?: number; latencyMs?: number | { min: number; max: number }; handlerDelayMs?: number } = {}) {
  let handled = 0;
  const service = new GovernedService(
    async () => {
      handled += 1;
      if (options.handlerDelayMs) await new Promise((resolve) => setTimeout(resolve, options.handlerDelayMs));
      return json(200, { ok: true });
    },
    {
      name: 'netsuite',
      concurrencyLimit: options.limit ?? 5,
      latencyMs: options.latencyMs ?? 0,
      random: createRandom(3),
      tooManyRequests: () => json(429, { tooMany: true }),
      serverError: () => json(500, { failed: true }),
    },
  );
  return { service, handled: () => handled };
}

const statusOf = (outcome: SandboxOutcome) => (outcome.kind === 'response' ? outcome.status : outcome.kind);

describe('GovernedService', () => {
  it('refuses a request over the concurrency limit with the service 429 and never more in flight than the limit', async () => {
    const { service, handled } = governed({ limit: 3, handlerDelayMs: 30 });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => service.handle(request())));
    expect(outcomes.map(statusOf).filter((status) => status === 200)).toHaveLength(3);
    expect(outcomes.map(statusOf).filter((status) => status === 429)).toHaveLength(5);
    expect(handled()).toBe(3);
    expect(service.stats).toMatchObject({ peakInFlight: 3, inFlight: 0, requests: 8, refused: 5 });
    expect(service.requests.filter((entry) => entry.fault === 'concurrency_limit')).toHaveLength(5);
  });

  it('logs every request with its method, path, query, status and in-flight count on arrival', async () => {
    const { service } = governed();
    await service.handle(request('POST', '/records'));
    expect(service.requests).toEqual([
      expect.objectContaining({ service: 'netsuite', seq: 1, method: 'POST', path: '/records', query: { a: '1' }, status: 200, fault: undefined, inFlightOnArrival: 0 }),
    ]);
    service.clearRequests();
    expect(service.requests).toHaveLength(0);
  });

  it('adds the configured latency, drawn from the seed within a range', async () => {
    const { service } = governed({ latencyMs: { min: 40, max: 60 } });
    const started = performance.now();
    await service.handle(request());
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
  });

  it('injects each fault kind as planned: 429 and 500 without work, hang and drop without work, lost response after the work', async () => {
    const cases: [FaultKind, string, number][] = [
      ['rate_limit', '429', 0],
      ['server_error', '500', 0],
      ['timeout', 'hang', 0],
      ['drop', 'drop', 0],
      ['lost_response', 'drop', 1],
    ];
    for (const [fault, expected, work] of cases) {
      const { service, handled } = governed();
      service.faults.set({ schedule: [{ request: 1, fault }] });
      const outcome = await service.handle(request('POST'));
      expect(String(statusOf(outcome))).toBe(expected);
      expect(handled()).toBe(work);
      expect(service.requests[0]?.fault).toBe(fault);
      expect(service.stats.inFlight).toBe(0);
      // The plan was for request 1 only.
      expect(statusOf(await service.handle(request('POST')))).toBe(200);
    }
  });

  it('answers a 500 naming the error when the model itself throws', async () => {
    const service = new GovernedService(() => Promise.reject(new Error('model bug')), {
      name: 'invoiced',
      concurrencyLimit: 1,
      latencyMs: 0,
      random: createRandom(1),
      tooManyRequests: () => json(429, {}),
      serverError: () => json(500, {}),
    });
    const outcome = await service.handle(request());
    expect(outcome).toMatchObject({ kind: 'response', status: 500, body: { sandboxError: 'model bug' } });
    expect(service.stats.inFlight).toBe(0);
  });
});

describe('FaultInjector', () => {
  const draw = (seed: number, count: number) => {
    const faults = new FaultInjector();
    faults.set({ seed, rates: { rate_limit: 0.2, server_error: 0.1, drop: 0.05, lost_response: 0.05 } });
    return Array.from({ length: count }, () => faults.next('GET', '/x') ?? '-');
  };

  it('gives the same faults for the same seed and different ones for another seed', () => {
    expect(draw(11, 200)).toEqual(draw(11, 200));
    expect(draw(11, 200)).not.toEqual(draw(12, 200));
  });

  it('draws faults at about the planned rates', () => {
    const faults = draw(5, 5000);
    const share = (kind: string) => faults.filter((fault) => fault === kind).length / faults.length;
    expect(share('rate_limit')).toBeGreaterThan(0.17);
    expect(share('rate_limit')).toBeLessThan(0.23);
    expect(share('server_error')).toBeGreaterThan(0.08);
    expect(share('server_error')).toBeLessThan(0.12);
    expect(share('-')).toBeGreaterThan(0.55);
  });

  it('applies a schedule by request number, counting only the requests the plan matches', () => {
    const faults = new FaultInjector();
    faults.set({ schedule: [{ request: 2, fault: 'lost_response' }], match: { methods: ['POST'], pathIncludes: '/invoices' } });
    expect(faults.next('GET', '/invoices')).toBeUndefined();
    expect(faults.next('POST', '/customers')).toBeUndefined();
    expect(faults.next('POST', '/invoices')).toBeUndefined();
    expect(faults.next('POST', '/invoices/1')).toBe('lost_response');
    expect(faults.next('POST', '/invoices')).toBeUndefined();
    expect(faults.injected).toEqual([{ request: 2, method: 'POST', path: '/invoices/1', fault: 'lost_response' }]);
  });

  it('keeps later draws unchanged whether or not an earlier request was scheduled', () => {
    const a = new FaultInjector();
    const b = new FaultInjector();
    a.set({ seed: 9, rates: { server_error: 0.3 } });
    b.set({ seed: 9, rates: { server_error: 0.3 }, schedule: [{ request: 1, fault: 'drop' }] });
    const first = Array.from({ length: 50 }, () => a.next('GET', '/'));
    const second = Array.from({ length: 50 }, () => b.next('GET', '/'));
    expect(second[0]).toBe('drop');
    expect(second.slice(1)).toEqual(first.slice(1));
  });

  it('stops injecting after clear()', () => {
    const faults = new FaultInjector();
    faults.set({ rates: { server_error: 1 } });
    expect(faults.next('GET', '/')).toBe('server_error');
    faults.clear();
    expect(faults.next('GET', '/')).toBeUndefined();
  });

  it.each([
    [{ rates: { rate_limit: 0.7, drop: 0.5 } }, /add up to at most 1/],
    [{ rates: { bogus: 0.1 } }, /rates/],
    [{ schedule: [{ request: 0, fault: 'drop' }] }, /schedule\.0\.request/],
    [{ unknown: true }, /Invalid fault plan/],
  ])('refuses an invalid plan %j with a message naming the field', (plan, message) => {
    expect(() => parseFaultPlan(plan)).toThrow(message);
  });
});
