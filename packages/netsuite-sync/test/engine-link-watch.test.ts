/**
 * The links a run saves, watched as they are saved (`run/link-watch.ts`): a record deferred for a link is
 * handed again as soon as a phase saves it, and the store the phases use behaves as the store does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LinkWatch } from '../src/engine/run/link-watch';
import { engineTestStore } from './support/engine-store';

const link = (kind: 'customer' | 'invoice', invoicedId: string, netsuiteId: string) => ({ kind, invoicedId, netsuiteId, origin: 'netsuite' as const, fingerprint: null });

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
    const customer = watch.saved('customer', ['7']);
    const invoice = watch.saved('invoice', ['7']);
    const either = watch.saved('invoice', ['8', '9']);
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
    expect(await settles(watch.saved('customer', ['7']))).toBe(true);
    expect(await settles(watch.saved('customer', ['8']))).toBe(false);
    expect(await settles(watch.saved('customer', []))).toBe(false);
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

  it('does not tell of a link the store refused to save', async () => {
    const store = engineTestStore();
    const watch = new LinkWatch();
    const failing = new Proxy(store, {
      get: (target, property): unknown => (property === 'saveLink' ? () => Promise.reject(new Error('the store is down')) : Reflect.get(target, property, target)),
    });
    const watched = watch.watching(failing, 'c');
    const waiting = watch.saved('customer', ['7']);
    await expect(watched.saveLink('c', link('customer', '7', '1007'))).rejects.toThrow('the store is down');
    expect(await settles(waiting)).toBe(false);
  });
});
