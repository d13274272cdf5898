/**
 * The one run lifecycle (lease -> run record -> work -> classify -> finish -> release) and the
 * classification of failures from the public `kind` of API errors, wherever they were built.
 */
import { describe, expect, it, vi } from 'vitest';
import { InvoicedServerError, MappingError, NetSuiteInvalidRequestError, SyncInProgressError, type SyncEvent } from '../src/index';
import { RunContext } from '../src/engine/run/run-context';
import { runLifecycle, type LifecycleOptions } from '../src/engine/run/lifecycle';
import { engineTestStore } from './support/engine-store';

const ref = { direction: 'netsuite_to_invoiced', entity: 'invoice', sourceId: '7', number: 'INV-7' } as const;
const now = () => new Date('2026-12-05T10:00:00Z');

function context(signal?: AbortSignal) {
  const store = engineTestStore();
  return { store, run: new RunContext('run-1', 'c', store, signal, now, () => undefined, undefined) };
}

describe('engine: failures are classified from public data', () => {
  it('ends the run on an API error of a whole-run kind built outside the clients (by a custom client)', async () => {
    const { run, store } = context();
    const down = new InvoicedServerError('Invoiced is down.', { method: 'POST', path: '/invoices', status: 503 });
    await expect(run.failed(ref, down, null)).rejects.toBe(down);
    expect(await store.listRetries('c')).toEqual([]);
  });

  it('ends the run on such an error from another copy of the package, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('../src/invoiced/errors');
    const other = new copy.InvoicedServerError('down', { method: 'GET', path: '/customers', status: 502 });
    expect(other instanceof InvoicedServerError).toBe(false);
    const { run } = context();
    await expect(run.failed(ref, other, null)).rejects.toBe(other);
  });

  it('records a record error for a refused request or a mapping error, with its resolution', async () => {
    const { run, store } = context();
    await run.failed(ref, new NetSuiteInvalidRequestError('Invalid field value.', { method: 'PUT', path: '/x', status: 400, code: 'INVALID_FLD_VALUE' }), 'f1');
    await run.failed({ ...ref, sourceId: '8' }, new MappingError('TOTAL_MISMATCH', 'Totals differ.', 'Fix the lines.', 'INV-8'), null);
    expect(run.failedRecords).toBe(2);
    expect((await store.listRetries('c')).map((item) => [item.sourceId, item.lastError.code, item.lastError.resolution])).toEqual([
      ['7', 'INVALID_FLD_VALUE', expect.any(String)],
      ['8', 'TOTAL_MISMATCH', 'Fix the lines.'],
    ]);
  });
});

function options(store: ReturnType<typeof engineTestStore>, events: SyncEvent[] = [], extra: Partial<LifecycleOptions> = {}): LifecycleOptions {
  return { store, connectionId: 'c', leaseTtlMs: 60_000, clock: now, emit: (event) => events.push(event), logger: undefined, trigger: 'manual', runId: 'run-1', label: 'sync', ...extra };
}

describe('engine: the run lifecycle', () => {
  it('takes the lease, records the run, works, records the end, then releases the lease', async () => {
    const store = engineTestStore({ clock: now });
    const events: SyncEvent[] = [];
    const steps: string[] = [];
    const run = await runLifecycle(options(store, events), {
      prepare: () => {
        steps.push('prepare');
        return { go: 'prepared' };
      },
      beforeStart: (prepared) => void steps.push(`beforeStart ${prepared}`),
      work: async (ctx) => {
        steps.push(`work ${(await store.getRun('c', ctx.runId))?.status}`);
        expect(await store.acquireLease('c', 'other', 1000)).toBe(false);
        ctx.count('invoices_created', 2);
      },
      cancelled: () => ({ code: 'CANCELLED', message: '', resolution: '' }),
      finished: (outcome, recorded) => {
        steps.push(`finished ${outcome.status} ${recorded.status}`);
        return recorded;
      },
    });
    expect(steps).toEqual(['prepare', 'beforeStart prepared', 'work running', 'finished succeeded succeeded']);
    expect(run.counts).toEqual({ invoices_created: 2 });
    expect(events.map((event) => event.type)).toEqual(['run_started', 'run_finished']);
    expect(await store.acquireLease('c', 'other', 1000)).toBe(true);
  });

  it('ends without a run when prepare says so, giving its result once the lease is released', async () => {
    const store = engineTestStore({ clock: now });
    const result = await runLifecycle(options(store), {
      prepare: () => ({ done: async () => ((await store.acquireLease('c', 'probe', 1000)) ? 'released first' : 'still held') }),
      work: () => Promise.resolve(),
      cancelled: () => ({ code: 'CANCELLED', message: '', resolution: '' }),
      finished: () => 'ran',
    });
    expect(result).toBe('released first');
    expect(await store.listRuns('c')).toEqual([]);
  });

  it('refuses to start while the lease is held, and releases it when the run cannot be recorded', async () => {
    const store = engineTestStore({ clock: now });
    const hooks = { work: () => Promise.resolve(), cancelled: () => ({ code: 'CANCELLED', message: '', resolution: '' }), finished: () => 'ran' };
    await store.acquireLease('c', 'someone', 60_000);
    await expect(runLifecycle(options(store), hooks)).rejects.toBeInstanceOf(SyncInProgressError);
    await store.releaseLease('c', 'someone');
    const broken = { ...store, startRun: () => Promise.reject(new Error('disk full')) };
    await expect(runLifecycle(options(broken), hooks)).rejects.toThrow('disk full');
    expect(await store.acquireLease('c', 'after', 1000)).toBe(true);
  });

  it('classifies the end: partial with record errors, cancelled on abort, failed with one clear error otherwise', async () => {
    const end = async (work: (run: RunContext) => Promise<void>, signal?: AbortSignal) =>
      runLifecycle(options(engineTestStore({ clock: now }), [], { signal }), {
        work,
        cancelled: () => ({ code: 'CANCELLED', message: 'stopped', resolution: 'again' }),
        finished: (outcome) => [outcome.status, outcome.error?.code ?? null],
      });
    expect(await end((run) => run.failed(ref, new MappingError('TOTAL_MISMATCH', 'Totals differ.', 'Fix.', null), null))).toEqual(['partial', null]);
    const controller = new AbortController();
    expect(
      await end((run) => {
        controller.abort(new Error('stop'));
        run.checkpoint();
        return Promise.resolve();
      }, controller.signal),
    ).toEqual(['cancelled', 'CANCELLED']);
    expect(await end(() => Promise.reject(new InvoicedServerError('down', { method: 'GET', path: '/', status: 500 })))).toEqual(['failed', 'INVOICED_SERVER_ERROR']);
  });
});

describe('engine: its errors across copies of the package', () => {
  it('names SyncInProgressError and ImportJobError in the brand the guards read', async () => {
    const { isErrorOfClass, ImportJobError: Import } = await import('../src/index');
    expect(isErrorOfClass(new SyncInProgressError('c'), 'SyncInProgressError')).toBe(true);
    expect(isErrorOfClass(new Import('job', 'kind', 'customers'), 'ImportJobError')).toBe(true);
    expect(isErrorOfClass(new SyncInProgressError('c'), 'ImportJobError')).toBe(false);
  });
});

describe('the errors of the stores and of SuiteQL paging, across copies of the package', () => {
  it('name themselves in the brand', async () => {
    const { isErrorOfClass, LinkConflictError, RunStateError, SuiteQLRowLimitError } = await import('../src/index');
    expect(isErrorOfClass(new LinkConflictError('invoice', 'netsuite', '7'), 'LinkConflictError')).toBe(true);
    expect(isErrorOfClass(new RunStateError('exists', 'run-1'), 'RunStateError')).toBe(true);
    expect(isErrorOfClass(new SuiteQLRowLimitError(), 'SuiteQLRowLimitError')).toBe(true);
  });
});

describe('engine: a value the store cannot hold', () => {
  /** A store that refuses any text holding a NUL character, as Postgres does. */
  function refusingNul(base: ReturnType<typeof engineTestStore>, refuseEverything = false) {
    const refuse = (value: unknown) => refuseEverything || JSON.stringify(value).includes('\\u0000');
    return {
      ...base,
      saveRetry: (connectionId: string, item: Parameters<typeof base.saveRetry>[1]) =>
        refuse(item) ? Promise.reject(new Error('invalid byte sequence for encoding "UTF8": 0x00')) : base.saveRetry(connectionId, item),
      addRecordErrors: (connectionId: string, runId: string, errors: Parameters<typeof base.addRecordErrors>[2]) =>
        refuse(errors) ? Promise.reject(new Error('invalid byte sequence for encoding "UTF8": 0x00')) : base.addRecordErrors(connectionId, runId, errors),
    };
  }

  it("is that record's error, saved with the character replaced, never the run's", async () => {
    const base = engineTestStore({ clock: now });
    const store = refusingNul(base);
    await store.startRun('c', { id: 'run-1', trigger: 'manual', startedAt: now().toISOString() });
    const run = new RunContext('run-1', 'c', store, undefined, now, () => undefined, undefined);
    await run.failed({ ...ref, number: 'INV\u00007' }, new MappingError('TOTAL_MISMATCH', 'Invoice INV\u00007: totals differ.', 'Fix the lines.', 'INV\u00007'), null);
    await run.flushErrors();
    expect((await base.listRetries('c')).map((item) => [item.number, item.lastError.message])).toEqual([['INV\ufffd7', 'Invoice INV\ufffd7: totals differ.']]);
    expect((await base.getRun('c', 'run-1'))?.recordErrors.map((error) => error.number)).toEqual(['INV\ufffd7']);
  });

  it('still ends the run when the store refuses the safe form too (the store is failing)', async () => {
    const store = refusingNul(engineTestStore({ clock: now }), true);
    const run = new RunContext('run-1', 'c', store, undefined, now, () => undefined, undefined);
    await expect(run.failed({ ...ref, number: 'INV\u00007' }, new MappingError('TOTAL_MISMATCH', 'Totals differ.', 'Fix.', null), null)).rejects.toThrow('0x00');
  });
});
