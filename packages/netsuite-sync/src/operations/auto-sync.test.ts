/**
 * Auto-sync with fake timers and fake engines: the schedule and its jitter, no overlap of a connection's
 * runs, survival of failed runs and throwing listeners, and a clean stop. The last test runs real engines
 * against the sandbox: two auto-syncs of one connection sharing one store, as two processes would.
 */
import { setupServer } from 'msw/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { createSyncEngine } from '../engine/engine';
import { createInvoicedClient } from '../invoiced/client';
import { tokenBasedAuth } from '../netsuite/auth';
import { createNetSuiteClient } from '../netsuite/client';
import { SyncInProgressError } from '../engine/errors';
import { ConfigurationError } from '../errors';
import type { RunStatus, SyncRun } from '../store/sync-store';
import { startAutoSync, type AutoSync, type AutoSyncEngine, type AutoSyncEvent, type AutoSyncOptions } from './auto-sync';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const START = new Date('2026-11-24T10:00:00.000Z');

function runOf(status: RunStatus, trigger: SyncRun['trigger'] = 'auto'): SyncRun {
  const at = new Date().toISOString();
  return { id: `run-${at}`, trigger, status, startedAt: at, finishedAt: at, counts: {}, error: null, recordErrors: [], recordErrorCount: 0 };
}

/** One call of a fake engine's `sync()`, settled by the test. */
interface Call {
  readonly options: Parameters<AutoSyncEngine['sync']>[0];
  readonly at: number;
  resolve(status?: RunStatus): void;
  reject(error: Error): void;
}

/**
 * A fake engine. Each `sync()` is a call the test settles by hand (`manual`), or settles itself with the
 * next outcome of `script` (a status, or an error to reject with); `succeeded` once the script is used up.
 * Like the real engine, an aborted signal ends a pending call as `cancelled`. `active`/`maxActive` count
 * calls in progress.
 */
function fakeEngine(connectionId: string, script: 'manual' | readonly (RunStatus | Error)[] = []) {
  const calls: Call[] = [];
  const state = { active: 0, maxActive: 0 };
  const engine: AutoSyncEngine = {
    connectionId,
    sync: (options) =>
      new Promise<SyncRun>((resolve, reject) => {
        state.active += 1;
        state.maxActive = Math.max(state.maxActive, state.active);
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          state.active -= 1;
          outcome();
        };
        const call: Call = {
          options,
          at: Date.now(),
          resolve: (status = 'succeeded') => settle(() => resolve(runOf(status, options?.trigger))),
          reject: (error) => settle(() => reject(error)),
        };
        calls.push(call);
        options?.signal?.addEventListener('abort', () => call.resolve('cancelled'), { once: true });
        if (script === 'manual') return;
        const next = script[calls.length - 1] ?? 'succeeded';
        if (next instanceof Error) call.reject(next);
        else call.resolve(next);
      }),
  };
  return { engine, calls, state };
}

/** A `random` that returns the given values in turn, then 0.5. */
function sequence(...values: number[]): () => number {
  return () => values.shift() ?? 0.5;
}

let auto: AutoSync | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(async () => {
  await auto?.stop();
  auto = undefined;
  vi.useRealTimers();
});

const now = () => Date.now();
const at = (ms: number) => new Date(START.getTime() + ms);

function start(engines: AutoSyncEngine | readonly AutoSyncEngine[], options?: AutoSyncOptions): AutoSync {
  auto = startAutoSync(engines, options);
  return auto;
}

describe('startAutoSync: the schedule', () => {
  it('runs first after u × every × jitter, then every × (1 + jitter × (2u − 1)) after each run ends', async () => {
    const { engine, calls } = fakeEngine('acme');
    const events: AutoSyncEvent[] = [];
    const handle = start(engine, { every: '1h', jitter: 0.1, random: sequence(0.5, 0, 1), onRun: (event) => events.push(event) });

    expect(handle.connections).toEqual(['acme']);
    expect(handle.nextRunAt('acme')).toEqual(at(0.5 * HOUR * 0.1));
    await vi.advanceTimersByTimeAsync(0.05 * HOUR - 1);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.options?.trigger).toBe('auto');
    expect(calls[0]?.options?.signal).toBeInstanceOf(AbortSignal);

    // u = 0: the shortest wait, every × (1 − jitter).
    const firstEnd = now();
    expect(handle.nextRunAt('acme')).toEqual(new Date(firstEnd + 0.9 * HOUR));
    expect(events).toEqual([{ type: 'run', connectionId: 'acme', run: expect.objectContaining({ status: 'succeeded' }) as SyncRun, nextRunAt: new Date(firstEnd + 0.9 * HOUR) }]);

    await vi.advanceTimersByTimeAsync(0.9 * HOUR);
    expect(calls).toHaveLength(2);
    // u = 1: the longest, every × (1 + jitter).
    expect(handle.nextRunAt('acme')).toEqual(new Date(now() + 1.1 * HOUR));
    // Then u = 0.5: exactly every.
    await vi.advanceTimersByTimeAsync(1.1 * HOUR);
    expect(calls).toHaveLength(3);
    expect(handle.nextRunAt('acme')).toEqual(new Date(now() + HOUR));
  });

  it('defaults to about once an hour, the first run within the first 6 minutes', async () => {
    const { engine, calls } = fakeEngine('acme');
    const handle = start(engine, { random: sequence(0.999, 0.25) });
    expect(handle.nextRunAt('acme')).toEqual(at(0.999 * 0.1 * HOUR));
    await vi.advanceTimersByTimeAsync(6 * MINUTE);
    expect(calls).toHaveLength(1);
    expect(handle.nextRunAt('acme')).toEqual(new Date((calls[0]?.at ?? 0) + HOUR * (1 + 0.1 * (2 * 0.25 - 1))));
  });

  it('keeps every wait within the jitter bounds, and spreads many connections over the first every × jitter', async () => {
    const fakes = Array.from({ length: 300 }, (_, index) => fakeEngine(`c${index}`));
    const events: { event: AutoSyncEvent; emittedAt: number }[] = [];
    const handle = start(
      fakes.map((fake) => fake.engine),
      { every: '1h', jitter: 0.2, onRun: (event) => events.push({ event, emittedAt: Date.now() }) },
    );
    const firsts = fakes.map((fake) => handle.nextRunAt(fake.engine.connectionId)?.getTime() ?? Number.NaN);
    for (const first of firsts) {
      expect(first).toBeGreaterThanOrEqual(START.getTime());
      expect(first).toBeLessThanOrEqual(START.getTime() + 0.2 * HOUR);
    }
    // Spread out: not bunched at one time (300 uniform draws cover far more than half of the range).
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThan(0.1 * HOUR);
    expect(new Set(firsts).size).toBeGreaterThan(250);

    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(events.length).toBeGreaterThanOrEqual(600);
    for (const fake of fakes) {
      const times = fake.calls.map((call) => call.at);
      for (let index = 1; index < times.length; index++) {
        const wait = (times[index] ?? 0) - (times[index - 1] ?? 0);
        expect(wait).toBeGreaterThanOrEqual(0.8 * HOUR);
        expect(wait).toBeLessThanOrEqual(1.2 * HOUR);
      }
    }
    // Each event's next run is within the bounds from the end of the run it reports.
    for (const { event, emittedAt } of events) {
      expect(event.nextRunAt.getTime() - emittedAt).toBeGreaterThanOrEqual(0.8 * HOUR);
      expect(event.nextRunAt.getTime() - emittedAt).toBeLessThanOrEqual(1.2 * HOUR);
    }
  });

  it('with no jitter, runs at once and then exactly every `every`', async () => {
    const { engine, calls } = fakeEngine('acme');
    const handle = start(engine, { every: '90s', jitter: 0 });
    expect(handle.nextRunAt('acme')).toEqual(START);
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3 * 90_000);
    expect(calls.map((call) => call.at - START.getTime())).toEqual([0, 90_000, 180_000, 270_000]);
  });

  it('accepts milliseconds and combined durations', () => {
    const first = fakeEngine('a');
    const second = fakeEngine('b');
    const one = startAutoSync(first.engine, { every: 250, jitter: 1, random: () => 1 });
    const two = startAutoSync(second.engine, { every: '1h30m', jitter: 1, random: () => 1 });
    expect(one.nextRunAt('a')).toEqual(at(250));
    expect(two.nextRunAt('b')).toEqual(at(1.5 * HOUR));
    void one.stop();
    void two.stop();
  });
});

describe('startAutoSync: never overlaps a connection', () => {
  it('schedules the next run only once the previous one has ended, however long it takes', async () => {
    const { engine, calls, state } = fakeEngine('acme', 'manual');
    const handle = start(engine, { every: '1m', jitter: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    expect(handle.isRunning('acme')).toBe(true);
    expect(handle.nextRunAt('acme')).toBeUndefined();

    // Ten `every`s pass while the run lasts: no second run starts.
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);

    calls[0]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(handle.isRunning('acme')).toBe(false);
    expect(handle.nextRunAt('acme')).toEqual(at(11 * MINUTE));
    await vi.advanceTimersByTimeAsync(MINUTE - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(state.maxActive).toBe(1);
  });

  it('runs connections independently: a slow one does not hold back the others', async () => {
    const slow = fakeEngine('slow', 'manual');
    const quick = fakeEngine('quick');
    start([slow.engine, quick.engine], { every: '1m', jitter: 0 });
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(slow.calls).toHaveLength(1);
    expect(quick.calls).toHaveLength(6);
  });

  it('refuses two engines of the same connection', () => {
    const one = fakeEngine('acme');
    const two = fakeEngine('acme');
    expect(() => startAutoSync([one.engine, fakeEngine('other').engine, two.engine])).toThrow(
      expect.objectContaining({
        name: 'ConfigurationError',
        code: 'INVALID_AUTO_SYNC',
        issues: [{ path: 'engines.2.connectionId', message: expect.stringContaining('engines.0') as string }],
      }),
    );
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('startAutoSync: failures', () => {
  it('keeps going after a rejected sync, a lease held elsewhere, a failed run and a throwing listener', async () => {
    const { engine, calls } = fakeEngine('acme', [new Error('store unreachable'), new SyncInProgressError('acme'), 'failed', 'succeeded']);
    const events: AutoSyncEvent[] = [];
    const warn = vi.fn();
    start(engine, {
      every: '10m',
      jitter: 0,
      logger: { warn },
      onRun: (event) => {
        events.push(event);
        throw new Error('listener bug');
      },
    });
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(calls).toHaveLength(4);
    expect(events.map((event) => event.type)).toEqual(['error', 'skipped', 'run', 'run']);
    expect(events[0]).toMatchObject({ type: 'error', connectionId: 'acme', error: new Error('store unreachable'), nextRunAt: at(10 * MINUTE) });
    expect(events[1]).toEqual({ type: 'skipped', connectionId: 'acme', reason: 'in_progress', nextRunAt: at(20 * MINUTE) });
    expect(events[2]).toMatchObject({ type: 'run', run: { status: 'failed' }, nextRunAt: at(30 * MINUTE) });
    expect(events[3]).toMatchObject({ type: 'run', run: { status: 'succeeded' }, nextRunAt: at(40 * MINUTE) });
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenCalledWith('auto-sync onRun listener threw', { connectionId: 'acme', error: 'listener bug' });
  });

  it('keeps going when sync() throws synchronously', async () => {
    let calls = 0;
    const engine: AutoSyncEngine = {
      connectionId: 'acme',
      sync: () => {
        calls += 1;
        throw new Error('not even a promise');
      },
    };
    const events: AutoSyncEvent[] = [];
    start(engine, { every: '1m', jitter: 0, onRun: (event) => events.push(event) });
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(calls).toBe(3);
    expect(events.map((event) => event.type)).toEqual(['error', 'error', 'error']);
  });
});

describe('startAutoSync: stopping', () => {
  it('stops between runs: no timer is left, no run starts, done resolves, stop() is idempotent', async () => {
    const { engine, calls } = fakeEngine('acme');
    const handle = start(engine, { every: '1m', jitter: 0 });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(1);
    let done = false;
    void handle.done.then(() => {
      done = true;
    });
    const stopped = handle.stop();
    expect(handle.stop()).toBe(stopped);
    expect(vi.getTimerCount()).toBe(0);
    expect(handle.nextRunAt('acme')).toBeUndefined();
    await stopped;
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(calls).toHaveLength(1);
    expect(done).toBe(true);
  });

  it('cancels a run in progress at its next safe point and resolves once it has ended', async () => {
    const { engine, calls } = fakeEngine('acme', 'manual');
    const events: AutoSyncEvent[] = [];
    // A run that does not end at once when aborted, as a real one finishes its current record first.
    const slow: AutoSyncEngine = {
      connectionId: 'acme',
      sync: async (options) => {
        // Not the auto-sync's signal: the run goes on until the test ends it.
        const run = await engine.sync({ ...options, signal: new AbortController().signal });
        return run;
      },
    };
    const handle = start(slow, { every: '1m', jitter: 0, onRun: (event) => events.push(event) });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    let stopped = false;
    const stopping = handle.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(stopped).toBe(false);
    expect(handle.isRunning('acme')).toBe(true);

    calls[0]?.resolve('cancelled');
    await stopping;
    expect(stopped).toBe(true);
    expect(handle.isRunning('acme')).toBe(false);
    expect(events).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the signal given to sync() when it stops', async () => {
    const { engine, calls } = fakeEngine('acme', 'manual');
    const handle = start(engine, { every: '1m', jitter: 0 });
    await vi.advanceTimersByTimeAsync(0);
    const signal = calls[0]?.options?.signal;
    expect(signal?.aborted).toBe(false);
    await handle.stop();
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: 'AbortError' });
  });

  it('stops when its signal is aborted, or never starts when it already is', async () => {
    const controller = new AbortController();
    const first = fakeEngine('acme');
    const handle = start(first.engine, { every: '1m', jitter: 0, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(90_000);
    expect(first.calls).toHaveLength(2);
    controller.abort();
    await handle.done;
    expect(handle.nextRunAt('acme')).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(first.calls).toHaveLength(2);

    const second = fakeEngine('globex');
    const never = startAutoSync(second.engine, { every: '1m', jitter: 0, signal: AbortSignal.abort() });
    await never.done;
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(second.calls).toHaveLength(0);
    expect(never.nextRunAt('globex')).toBeUndefined();
  });
});

describe('startAutoSync: options', () => {
  const engine = fakeEngine('acme').engine;
  it.each([
    [{ every: '1 hour' }, 'every'],
    [{ every: '' }, 'every'],
    [{ every: 0 }, 'every'],
    [{ every: 99 }, 'every'],
    [{ every: '8d' }, 'every'],
    [{ every: -1 }, 'every'],
    [{ every: true }, 'every'],
    [{ jitter: 1.5 }, 'jitter'],
    [{ jitter: -0.1 }, 'jitter'],
    [{ jitter: '0.1' }, 'jitter'],
    [{ signal: {} }, 'signal'],
    [{ onRun: 'log' }, 'onRun'],
    [{ random: 0.5 }, 'random'],
    [{ keepAlive: 'yes' }, 'keepAlive'],
  ])('refuses %j, naming %s', (options, field) => {
    let error: unknown;
    try {
      startAutoSync(engine, options as AutoSyncOptions);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_AUTO_SYNC', issues: [{ path: field }] });
    expect((error as ConfigurationError).message).toContain(field);
    expect((error as ConfigurationError).resolution).toContain('docs/operations.md');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses an unknown option (a typo would otherwise be ignored)', () => {
    expect(() => startAutoSync(engine, { interval: '1h' } as AutoSyncOptions)).toThrow(expect.objectContaining({ code: 'INVALID_AUTO_SYNC' }));
  });

  it('refuses no engine, or something that is not one', () => {
    expect(() => startAutoSync([])).toThrow(expect.objectContaining({ code: 'INVALID_AUTO_SYNC', issues: [{ path: 'engines', message: 'must hold at least one engine' }] }));
    expect(() => startAutoSync([engine, { connectionId: 'x' } as AutoSyncEngine])).toThrow(expect.objectContaining({ issues: [{ path: 'engines.1', message: expect.any(String) as string }] }));
  });
});

describe('startAutoSync: timers and the process', () => {
  it('does not keep the process alive unless keepAlive is set', async () => {
    vi.useRealTimers();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const original = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation((...args: Parameters<typeof setTimeout>) => {
      const timer = original(...args);
      timers.push(timer);
      return timer;
    });
    try {
      const quiet = startAutoSync(fakeEngine('a').engine, { every: '1h' });
      const alive = startAutoSync(fakeEngine('b').engine, { every: '1h', keepAlive: true });
      expect(timers.map((timer) => timer.hasRef())).toEqual([false, true]);
      await Promise.all([quiet.stop(), alive.stop()]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('startAutoSync: two processes, one store (sandbox)', () => {
  it('never runs one connection twice at once: the lease makes the other auto-sync skip', async () => {
    vi.useRealTimers();
    const sandbox = createSandbox({ seed: 41, netsuite: { latencyMs: { min: 2, max: 8 } }, invoiced: { latencyMs: { min: 2, max: 8 } } });
    const books = generateBooks({ seed: 41, customers: 6, invoices: 12, payments: 5, creditMemos: 0, invoiced: { customers: 3, invoices: 4, payments: 2 } });
    sandbox.load(books);
    const server = setupServer(...sandbox.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const store = memoryStore();
    let active = 0;
    let maxActive = 0;
    const started: string[] = [];
    // One engine per "process": clients of its own, the same store and connection.
    const engineOf = (name: string) =>
      createSyncEngine({
        netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), retries: { retries: 3, minDelayMs: 1, maxDelayMs: 5 } }),
        invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: { retries: 3, minDelayMs: 1, maxDelayMs: 5 } }),
        store,
        connectionId: 'acme',
        settings: {
          items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
          subsidiary: books.netsuite.subsidiaries[0]?.id,
          currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
        },
        onEvent: (event) => {
          if (event.type === 'run_started') {
            active += 1;
            maxActive = Math.max(maxActive, active);
            started.push(name);
          }
          if (event.type === 'run_finished') active -= 1;
        },
      });
    const events: { process: string; event: AutoSyncEvent }[] = [];
    const options = (process: string): AutoSyncOptions => ({ every: 100, jitter: 0.5, onRun: (event) => events.push({ process, event }) });
    const first = startAutoSync(engineOf('first'), options('first'));
    const second = startAutoSync(engineOf('second'), options('second'));
    try {
      const deadline = Date.now() + 20_000;
      const enough = () => new Set(started).size === 2 && events.filter(({ event }) => event.type === 'skipped').length >= 2 && started.length >= 6;
      while (!enough() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(enough()).toBe(true);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      server.close();
    }
    expect(maxActive).toBe(1);
    expect(events.filter(({ event }) => event.type === 'error')).toEqual([]);
    const runs = events.flatMap(({ event }) => (event.type === 'run' ? [event.run] : []));
    expect(runs.every((run) => run.trigger === 'auto' && run.status === 'succeeded')).toBe(true);
    // What the store recorded: every run of the connection ended before the next one started.
    const recorded = (await store.listRuns('acme', { limit: 1000 })).toSorted((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(recorded.length).toBe(started.length);
    for (let index = 1; index < recorded.length; index++) {
      expect(recorded[index - 1]?.finishedAt ?? '').not.toBe('');
      expect((recorded[index]?.startedAt ?? '') >= (recorded[index - 1]?.finishedAt ?? '')).toBe(true);
    }
  }, 30_000);
});
