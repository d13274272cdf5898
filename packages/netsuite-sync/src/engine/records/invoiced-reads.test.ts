import { describe, expect, it } from 'vitest';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { RecordDeferred } from '../run/deferred';
import { readInvoicedRecords } from './invoiced-reads';

/** A promise with its resolve, for work that goes on when the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets every pending reaction and timer of this turn run. */
const turns = async (count = 5): Promise<void> => {
  for (let index = 0; index < count; index += 1) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * The parts of a run the reads use: a deferred record may go on once `wakes` resolves or its phase is
 * abandoned; the phases and links it waits for never come here.
 */
function runWaking(wakes: Promise<void> = new Promise<void>(() => undefined)): PhaseRun {
  const mayGoOn = (_wait: unknown, stop: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      void wakes.then(resolve);
      stop.addEventListener('abort', () => resolve(), { once: true });
    });
  return { checkpoint: () => undefined, mayGoOn, count: () => undefined } as unknown as PhaseRun;
}
const deps = { connectionId: 'reads-test' } as unknown as PhaseDeps;

/** A changed list that yields `records`, then fails once `fail` opens. */
async function* changedThenFails(records: { id: number }[], fail: Promise<void>): AsyncIterable<{ id: number }> {
  yield* records;
  await fail;
  throw new Error('the list could not be read');
}

describe('readInvoicedRecords when the phase fails', () => {
  it('settles only once a deferred record handed again has finished: nothing of the phase is left running behind it', async () => {
    const wake = gate();
    const inside = gate();
    const release = gate();
    const fail = gate();
    const calls: string[] = [];
    let handlerDone = false;
    let settledWhileHandling = false;
    const reads = readInvoicedRecords(runWaking(wake.promise), deps, {
      entity: 'payment',
      retries: false,
      limit: 2,
      changed: () => changedThenFails([{ id: 1 }], fail.promise),
      retrieve: () => Promise.reject(new Error('not read by ID here')),
      handle: async (record) => {
        calls.push(`handle ${record.id}`);
        if (calls.length === 1) throw new RecordDeferred(['netsuite_payments']);
        inside.open();
        await release.promise;
        handlerDone = true;
      },
    });
    const outcome = reads.then(
      () => 'resolved',
      (error: unknown) => {
        settledWhileHandling = !handlerDone;
        return error instanceof Error ? error.message : String(error);
      },
    );
    wake.open();
    await inside.promise;
    fail.open();
    await turns();
    release.open();
    expect(await outcome).toBe('the list could not be read');
    expect(settledWhileHandling).toBe(false);
    expect(calls).toEqual(['handle 1', 'handle 1']);
  });

  it('does not wait for the phases a deferred record waits for, and hands it no more', async () => {
    const calls: number[] = [];
    const reads = readInvoicedRecords(runWaking(), deps, {
      entity: 'payment',
      retries: false,
      limit: 2,
      changed: () => changedThenFails([{ id: 1 }, { id: 2 }], Promise.resolve()),
      retrieve: () => Promise.reject(new Error('not read by ID here')),
      handle: (record) => {
        calls.push(record.id);
        // Both wait for a link that is never saved, and for phases that never settle in this test.
        return Promise.reject(new RecordDeferred(['netsuite_payments'], { kind: 'invoice', invoicedIds: [String(record.id + 100)] }));
      },
    });
    await expect(reads).rejects.toThrow('the list could not be read');
    await turns();
    expect(calls).toEqual([1, 2]);
  });
});
