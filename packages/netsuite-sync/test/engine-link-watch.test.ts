/**
 * The links a run saves, watched as they are saved (`run/link-watch.ts`): a record deferred for a link is
 * handed again as soon as a phase saves it, and the store the phases use behaves as the store does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { PhaseDeps } from '../src/engine/contracts';
import { readInvoicedRecords } from '../src/engine/records/invoiced-reads';
import { RecordDeferred } from '../src/engine/run/deferred';
import { LinkWatch } from '../src/engine/run/link-watch';
import { RunContext } from '../src/engine/run/run-context';
import { firstOf } from '../src/engine/run/wakeups';
import { engineTestStore } from './support/engine-store';

const link = (kind: 'customer' | 'invoice', invoicedId: string, netsuiteId: string) => ({ kind, invoicedId, netsuiteId, origin: 'netsuite' as const, fingerprint: null });

/** Resolves once a link of `kind` with one of `invoicedIds` is saved through the watched store (see LinkWatch.listen). */
const saved = (watch: LinkWatch, kind: 'customer' | 'invoice', invoicedIds: string[]): Promise<void> => firstOf([watch.listen(kind, invoicedIds)]);

/** Whether `promise` has settled within a few turns of the event loop. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await sleep(5);
  return done;
}

describe('engine: the links a run saves, watched', () => {
  it('tells those waiting for a link once the store has saved it, not before, and only for that kind and ID', async () => {
    const store = engineTestStore();
    const watch = new LinkWatch();
    const watched = watch.watching(store, 'c');
    const customer = saved(watch, 'customer', ['7']);
    const invoice = saved(watch, 'invoice', ['7']);
    const either = saved(watch, 'invoice', ['8', '9']);
    await watched.saveLink('c', link('customer', '6', '1006'));
    expect(await settles(customer)).toBe(false);
    await watched.saveLink('c', link('customer', '7', '1007'));
    expect(await settles(customer)).toBe(true);
    expect(await settles(invoice)).toBe(false);
    await watched.saveLink('c', link('invoice', '9', '2009'));
    expect(await settles(either)).toBe(true);
    expect(await settles(invoice)).toBe(false);
  });

  it('answers at once for a link saved before the wait began (a record looked, then the link was saved)', async () => {
    const store = engineTestStore();
    const watch = new LinkWatch();
    watch.watching(store, 'c');
    // Saved straight to the store, as by a phase between the record's look and its wait.
    await store.saveLink('c', link('customer', '7', '1007'));
    expect(await settles(saved(watch, 'customer', ['7']))).toBe(true);
    expect(await settles(saved(watch, 'customer', ['8']))).toBe(false);
    expect(await settles(saved(watch, 'customer', []))).toBe(false);
  });

  it('leaves the store as it is: every other method reaches it, with its own `this`, and what saveLink returns is the store\'s', async () => {
    const store = engineTestStore();
    const watched = new LinkWatch().watching(store, 'c');
    const saved = await watched.saveLink('c', link('invoice', '3', '2003'));
    expect(saved).toEqual(await store.findLinkByInvoicedId('c', 'invoice', '3'));
    expect(await watched.findLinkByNetSuiteId('c', 'invoice', '2003')).toEqual(saved);
    // Each method is bound once: reading it twice gives the same function.
    expect(Reflect.get(watched, 'findLinkByInvoicedId')).toBe(Reflect.get(watched, 'findLinkByInvoicedId'));
  });

  it('is idle only once the looks its waits started have ended, so that a run reads nothing of the store after it ends', async () => {
    const store = engineTestStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = new Proxy(store, {
      get: (target, property): unknown =>
        property === 'findLinkByInvoicedId'
          ? async (...args: Parameters<typeof store.findLinkByInvoicedId>) => {
              await gate;
              return target.findLinkByInvoicedId(...args);
            }
          : Reflect.get(target, property, target),
    });
    const watch = new LinkWatch();
    watch.watching(slow, 'c');
    expect(await settles(watch.idle())).toBe(true);
    const waiting = saved(watch, 'customer', ['7']);
    const idle = watch.idle();
    expect(await settles(idle)).toBe(false);
    release();
    // Resolves once the look has read the store (a real database takes longer than a few turns).
    await idle;
    expect(await settles(waiting)).toBe(false);
  });

  it('does not tell of a link the store refused to save', async () => {
    const store = engineTestStore();
    const watch = new LinkWatch();
    const failing = new Proxy(store, {
      get: (target, property): unknown => (property === 'saveLink' ? () => Promise.reject(new Error('the store is down')) : Reflect.get(target, property, target)),
    });
    const watched = watch.watching(failing, 'c');
    const waiting = saved(watch, 'customer', ['7']);
    await expect(watched.saveLink('c', link('customer', '7', '1007'))).rejects.toThrow('the store is down');
    expect(await settles(waiting)).toBe(false);
  });

  it("hands a deferred record again no more once its phase's reading has failed (the run ends)", async () => {
    const store = engineTestStore();
    const run = new RunContext('run-1', 'c', store, undefined, () => new Date('2026-12-06T09:00:00Z'), () => undefined, undefined);
    run.trackPhase('netsuite_invoices', new Promise<never>(() => undefined));
    const watched = run.watchLinks(store);
    const handled: number[] = [];
    async function* changed(): AsyncIterable<{ id: number }> {
      yield { id: 1 };
      await sleep(5);
      throw new Error('the next page failed');
    }
    const reading = readInvoicedRecords(run, { store, connectionId: 'c' } as unknown as PhaseDeps, {
      entity: 'invoice',
      changed,
      retrieve: () => Promise.reject(new Error('not read by ID here')),
      handle: (record) => {
        handled.push(record.id);
        return Promise.reject(new RecordDeferred(['netsuite_invoices'], { kind: 'customer', invoicedIds: ['7'] }));
      },
      limit: 2,
      retries: false,
    });
    await expect(reading).rejects.toThrow('the next page failed');
    // Its wait ended with the phase: nothing listens for the phase or the link any more.
    expect(run.listening).toEqual({ phases: 0, links: 0 });
    // The link it waited for comes after the failure: nothing hands it again.
    await watched.saveLink('c', link('customer', '7', '1007'));
    await sleep(10);
    expect(handled).toEqual([1]);
  });

  it('waits for its phases alone, after a few rounds, a record woken that waits again at once (no busy loop)', async () => {
    const store = engineTestStore();
    const run = new RunContext('run-2', 'c', store, undefined, () => new Date('2026-12-06T09:00:00Z'), () => undefined, undefined);
    let settle!: () => void;
    run.trackPhase('netsuite_invoices', new Promise<void>((resolve) => (settle = resolve)));
    run.watchLinks(store);
    await store.saveLink('c', link('customer', '7', '1007'));
    let phaseDone = false;
    const handled: number[] = [];
    const reading = readInvoicedRecords(run, { store, connectionId: 'c' } as unknown as PhaseDeps, {
      entity: 'invoice',
      changed: () => [{ id: 7 }][Symbol.iterator]() as unknown as AsyncIterable<{ id: number }>,
      retrieve: () => Promise.reject(new Error('not read by ID here')),
      handle: (record) => {
        handled.push(record.id);
        // The link it waits for is there already, but it still waits: only the phase's end settles it.
        return phaseDone ? Promise.resolve() : Promise.reject(new RecordDeferred(['netsuite_invoices'], { kind: 'customer', invoicedIds: ['7'] }));
      },
      limit: 2,
      retries: false,
    });
    await sleep(20);
    expect(handled).toEqual([7, 7, 7, 7]);
    phaseDone = true;
    settle();
    await reading;
    expect(handled).toEqual([7, 7, 7, 7, 7]);
  });
});

