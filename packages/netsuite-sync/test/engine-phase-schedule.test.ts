/**
 * The phases of a run start as soon as the phases they run after have finished (`Phase.after`): those that
 * do not depend on each other overlap; a phase never starts before those it waits for; the first failure
 * halts the others and is the run's error; a cancellation stops them all.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Phase, PhaseDeps, SyncEvent } from '../src/engine/contracts';
import { PHASES } from '../src/engine/phases/index';
import { RunContext } from '../src/engine/run/run-context';
import { checkPhaseOrder, phasesWork } from '../src/engine/run/schedule';
import { parseSyncSettings } from '../src/engine/settings';
import { engineTestStore } from './support/engine-store';

const now = () => new Date('2026-12-06T10:00:00Z');
const settings = parseSyncSettings({ items: { defaultItem: '1' } });
const deps = { settings, store: engineTestStore() } as unknown as PhaseDeps;

/** A phase that logs its start and end, and waits `ms` (or until the run stops) in between. */
function phase(name: string, after: string[], log: string[], options: { ms?: number; fail?: Error; enabled?: boolean } = {}): Phase {
  return {
    name,
    after,
    enabled: () => options.enabled ?? true,
    async run(run) {
      log.push(`start ${name}`);
      await sleep(options.ms ?? 10, undefined, { signal: run.signal });
      if (options.fail !== undefined) throw options.fail;
      run.checkpoint();
      log.push(`end ${name}`);
    },
  };
}

function context(events: SyncEvent[] = [], signal?: AbortSignal): RunContext {
  return new RunContext('run-1', 'c', engineTestStore(), signal, now, (event) => events.push(event), undefined);
}

describe('engine: phases scheduled by what they run after', () => {
  it('runs independent phases at the same time and a dependent phase only after those it waits for', async () => {
    const log: string[] = [];
    const phases = [phase('a', [], log, { ms: 40 }), phase('b', [], log, { ms: 10 }), phase('c', ['a', 'b'], log), phase('d', ['b'], log, { ms: 5 })];
    await phasesWork(phases, deps)(context());
    // a and b start together; d follows b without waiting for a; c waits for both.
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
    expect(log.indexOf('start d')).toBeGreaterThan(log.indexOf('end b'));
    expect(log.indexOf('start d')).toBeLessThan(log.indexOf('end a'));
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end a'));
    expect(log.at(-1)).toBe('end c');
  });

  it('does not wait for a phase that is off in this run', async () => {
    const log: string[] = [];
    await phasesWork([phase('a', [], log, { enabled: false }), phase('b', ['a'], log)], deps)(context());
    expect(log).toEqual(['start b', 'end b']);
  });

  it('halts the phases beside a failed one, never starts those waiting for it, and throws its error', async () => {
    const log: string[] = [];
    const broken = new Error('NetSuite is down');
    const run = context();
    const work = phasesWork([phase('a', [], log, { ms: 5, fail: broken }), phase('b', [], log, { ms: 5_000 }), phase('c', ['a'], log)], deps);
    const started = performance.now();
    await expect(work(run)).rejects.toBe(broken);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(log).toEqual(['start a', 'start b']);
    expect(run.signal.aborted).toBe(true);
  });

  it('stops every phase when the run is cancelled', async () => {
    const log: string[] = [];
    const cancel = new AbortController();
    const run = context([], cancel.signal);
    const work = phasesWork([phase('a', [], log, { ms: 5_000 }), phase('b', [], log, { ms: 5_000 }), phase('c', ['a'], log)], deps)(run);
    setTimeout(() => cancel.abort(new Error('stopped')), 20);
    const started = performance.now();
    await expect(work).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(run.signal.aborted).toBe(true);
    expect(log).toEqual(['start a', 'start b']);
  });

  it("reports each phase's start and end from within its own asynchronous task", async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const events: SyncEvent[] = [];
    const run = new RunContext('run-1', 'c', engineTestStore(), undefined, now, (event) => {
      events.push(event);
      if (event.type === 'phase_started') storage.enterWith(event.phase);
    }, undefined);
    const tagging = (name: string, after: string[]): Phase => ({
      name,
      after,
      enabled: () => true,
      async run() {
        for (let step = 0; step < 3; step += 1) {
          await sleep(1);
          seen.push(`${name}:${storage.getStore() ?? '-'}`);
        }
      },
    });
    await phasesWork([tagging('a', []), tagging('b', []), tagging('c', ['a'])], deps)(run);
    expect(seen.filter((entry) => entry.split(':')[0] !== entry.split(':')[1])).toEqual([]);
    expect(events.filter((event) => event.type === 'phase_finished').map((event) => (event.type === 'phase_finished' ? event.phase : ''))).toEqual(['a', 'b', 'c']);
  });

  it('reports with each phase the counts of its own work, however the phases interleave', async () => {
    const events: SyncEvent[] = [];
    const counting = (name: string, times: number): Phase => ({
      name,
      after: [],
      enabled: () => true,
      async run(run) {
        for (let step = 0; step < times; step += 1) {
          await sleep(1);
          run.count(`${name}_records`);
        }
      },
    });
    const run = context(events);
    await phasesWork([counting('a', 5), counting('b', 3)], deps)(run);
    const finished = events.flatMap((event) => (event.type === 'phase_finished' ? [event] : []));
    expect(Object.fromEntries(finished.map((event) => [event.phase, event.phaseCounts]))).toEqual({ a: { a_records: 5 }, b: { b_records: 3 } });
    expect(run.counts).toEqual({ a_records: 5, b_records: 3 });
  });

  it('starts a phase that runs after `<phase>:ready` when that phase says it is ready, or when it ends', async () => {
    const log: string[] = [];
    const announcing: Phase = {
      name: 'a',
      after: [],
      enabled: () => true,
      async run(run) {
        log.push('start a');
        await sleep(5);
        run.markReady('a');
        await sleep(40);
        log.push('end a');
      },
    };
    const silent = phase('c', [], log, { ms: 30 });
    await phasesWork([announcing, phase('b', ['a:ready'], log, { ms: 5 }), silent, phase('d', ['c:ready'], log, { ms: 5 })], deps)(context());
    expect(log.indexOf('end b')).toBeLessThan(log.indexOf('end a'));
    expect(log.indexOf('start d')).toBeGreaterThan(log.indexOf('end c'));
    expect(() => checkPhaseOrder([phase('b', ['a:ready'], log), phase('a', [], log)])).toThrow('Phase b runs after a, which is listed after it.');
  });

  it("refuses a phase list whose order does not follow the phases' `after`", () => {
    const log: string[] = [];
    expect(() => checkPhaseOrder([phase('b', ['a'], log), phase('a', [], log)])).toThrow('Phase b runs after a, which is listed after it.');
    expect(() => checkPhaseOrder([phase('a', ['a'], log)])).toThrow('Phase a runs after a, which is listed after it.');
    expect(() => checkPhaseOrder(PHASES)).not.toThrow();
    // A run that leaves phases out (a targeted run) waits only for those it has.
    expect(() => checkPhaseOrder(PHASES.filter((entry) => entry.targets !== undefined))).not.toThrow();
    // Every name a phase waits for is a phase of the sync (or its readiness, `<phase>:ready`).
    const names = new Set(PHASES.map((entry) => entry.name));
    expect(PHASES.flatMap((entry) => entry.after).filter((name) => !names.has(name.replace(/:ready$/, '')))).toEqual([]);
  });

  it('keeps the guard order of the sync: reads and links before the writes that rely on them', () => {
    const after = new Map(PHASES.map((entry) => [entry.name, new Set(entry.after)]));
    // Every phase that writes Invoiced records to NetSuite waits for the deletions (an upsert must not revive a deleted record).
    for (const name of ['invoiced_invoices', 'invoiced_credit_notes', 'invoiced_payments', 'invoiced_refunds']) expect(after.get(name)?.has('netsuite_deletions')).toBe(true);
    expect(after.get('invoiced_credit_notes')?.has('netsuite_credit_memos')).toBe(true);
    // Payments start once the Invoiced invoice phase has written what it could at once; a payment a link of
    // which is missing while a phase that may save it runs waits for that phase (see invoiced-payments.ts).
    expect([...(after.get('invoiced_payments') ?? [])]).toEqual(['invoiced_events', 'netsuite_deletions', 'invoiced_invoices:ready']);
    expect(after.get('invoiced_refunds')?.size).toBe(PHASES.length - 1);
    // The two directions' invoice phases overlap: that is the point.
    expect(after.get('invoiced_invoices')?.has('netsuite_invoices')).toBe(false);
  });
});
