/**
 * What a deferred record leaves behind while it waits (`run/wakeups.ts`, `RunContext.mayGoOn`): a record
 * waits for the first of a phase settling, a link being saved and its own phase being abandoned, and once
 * one of them comes it holds nothing on the others, however long they last. With `Promise.race`, every wait
 * left a reaction (and the race's promise) on each phase that ran on, and on the phase's abandonment, and a
 * listener on the link watch that stayed until the link was saved, if ever: thousands in a first sync.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { PhaseDeps } from '../src/engine/contracts';
import { readInvoicedRecords } from '../src/engine/records/invoiced-reads';
import { RecordDeferred } from '../src/engine/run/deferred';
import { RunContext } from '../src/engine/run/run-context';
import { firstOf, Happenings, onAbort, type Listen } from '../src/engine/run/wakeups';
import { engineTestStore } from './support/engine-store';

const RECORDS = 2_000;

const customerLink = (invoicedId: string) => ({ kind: 'customer' as const, invoicedId, netsuiteId: `9${invoicedId}`, origin: 'netsuite' as const, fingerprint: null });

/** The promises on the heap, after a full collection (`v8.queryObjects` collects first). */
const promisesOnHeap = (): number => v8.queryObjects(Promise, { format: 'count' });

function newRun(id: string) {
  const store = engineTestStore();
  const run = new RunContext(id, 'c', store, undefined, () => new Date('2026-12-06T09:00:00Z'), () => undefined, undefined);
  return { store, run, watched: run.watchLinks(store) };
}

/** Records 1..count, each deferred once (waiting for `after` and for its customer's link), then handled. */
function deferredOnce(run: RunContext, store: ReturnType<typeof engineTestStore>, after: string[], count = RECORDS) {
  const handled = new Map<number, number>();
  const records = Array.from({ length: count }, (_, index) => ({ id: index + 1 }));
  const reading = readInvoicedRecords(run, { store, connectionId: 'c' } as unknown as PhaseDeps, {
    entity: 'invoice',
    changed: () => records[Symbol.iterator]() as unknown as AsyncIterable<{ id: number }>,
    retrieve: () => Promise.reject(new Error('not read by ID here')),
    handle: (record) => {
      const times = (handled.get(record.id) ?? 0) + 1;
      handled.set(record.id, times);
      return times === 1 ? Promise.reject(new RecordDeferred(after, { kind: 'customer', invoicedIds: [String(record.id)] })) : Promise.resolve();
    },
    limit: 20,
    retries: false,
  });
  return { handled, reading };
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 2_000 && !condition(); turn += 1) await sleep(1);
  expect(condition()).toBe(true);
}

describe('engine: what a deferred record leaves behind', () => {
  it('holds nothing on the phase it waited for once its link is saved, however long that phase runs', async () => {
    const { store, run, watched } = newRun('run-link');
    run.trackPhase('netsuite_invoices', new Promise<never>(() => undefined));
    const before = promisesOnHeap();
    const { handled, reading } = deferredOnce(run, store, ['netsuite_invoices']);
    await until(() => handled.size === RECORDS && run.listening.links === RECORDS);
    for (let id = 1; id <= RECORDS; id += 1) await watched.saveLink('c', customerLink(String(id)));
    await reading;
    expect([...handled.values()].every((times) => times === 2)).toBe(true);
    expect(run.listening).toEqual({ phases: 0, links: 0 });
    // The phase still runs: with Promise.race it held two promises of every wait, and its abandonment two
    // more (8,000 here).
    expect(promisesOnHeap() - before).toBeLessThan(RECORDS / 10);
  });

  it('leaves no listener on the link once one of its phases settles, nor on the phases still running', async () => {
    const { store, run } = newRun('run-phase');
    let settle!: () => void;
    run.trackPhase('netsuite_customers', new Promise<void>((resolve) => (settle = resolve)));
    run.trackPhase('netsuite_invoices', new Promise<never>(() => undefined));
    const { handled, reading } = deferredOnce(run, store, ['netsuite_customers', 'netsuite_invoices'], 200);
    await until(() => handled.size === 200 && run.listening.links === 200);
    expect(run.listening.phases).toBe(400);
    settle();
    await reading;
    expect([...handled.values()].every((times) => times === 2)).toBe(true);
    expect(run.listening).toEqual({ phases: 0, links: 0 });
  });

  it('captures no stack: the signal is thrown for thousands of records and kept while they wait', () => {
    const limit = Error.stackTraceLimit;
    const deferred = new RecordDeferred(['netsuite_invoices'], { kind: 'customer', invoicedIds: ['7'] });
    expect(deferred.stack).toBe('RecordDeferred: The record waits for phase netsuite_invoices to finish.');
    expect(deferred).toBeInstanceOf(Error);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('after').stack).toMatch(/\n\s+at /);
  });
});

describe('engine: waiting for the first of several things (wakeups)', () => {
  /** A source the test wakes, counting who listens to it. */
  function source(): { listen: Listen; wake: () => void; readonly listeners: number } {
    const listeners = new Set<() => void>();
    return {
      listen: (wake) => {
        listeners.add(wake);
        return () => listeners.delete(wake);
      },
      wake: () => {
        for (const wake of [...listeners]) wake();
      },
      get listeners() {
        return listeners.size;
      },
    };
  }

  it('resolves on the first source and stops listening to every one', async () => {
    const [a, b, c] = [source(), source(), source()];
    const first = firstOf([a.listen, b.listen, c.listen]);
    expect([a.listeners, b.listeners, c.listeners]).toEqual([1, 1, 1]);
    b.wake();
    await first;
    expect([a.listeners, b.listeners, c.listeners]).toEqual([0, 0, 0]);
  });

  it('does not listen to the sources after one that wakes it at once', async () => {
    const [a, c] = [source(), source()];
    const aborted = AbortSignal.abort();
    await firstOf([a.listen, onAbort(aborted), c.listen]);
    expect([a.listeners, c.listeners]).toEqual([0, 0]);
  });

  it('stops listening to an abort signal once woken otherwise', async () => {
    const controller = new AbortController();
    const a = source();
    let aborts = 0;
    const listen: Listen = (wake) => {
      const stop = onAbort(controller.signal)(() => {
        aborts += 1;
        wake();
      });
      return stop;
    };
    const first = firstOf([listen, a.listen]);
    a.wake();
    await first;
    controller.abort();
    expect(aborts).toBe(0);
  });

  it('wakes those listening for a name once it happens, and later ones at once', async () => {
    const happenings = new Happenings();
    let woken = 0;
    const stop = happenings.listen(['a', 'b'])(() => (woken += 1));
    expect(happenings.listening).toBe(2);
    happenings.happen('b');
    expect(woken).toBe(1);
    stop();
    expect(happenings.listening).toBe(0);
    await firstOf([happenings.listen(['b'])]);
    expect(happenings.has('b')).toBe(true);
    expect(happenings.has('a')).toBe(false);
  });
});
