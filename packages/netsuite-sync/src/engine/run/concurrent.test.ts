import { describe, expect, it } from 'vitest';
import { forEachConcurrently, inBatches } from './concurrent';

const context = { checkpoint: () => undefined };

/** A promise with its resolve, for handlers that finish when the test says. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('forEachConcurrently', () => {
  it('starts items in order, never more than the limit at once, and settles after the last', async () => {
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const count = await forEachConcurrently(context, Array.from({ length: 50 }, (_, index) => index), 4, async (item) => {
      started.push(item);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, item % 3));
      inFlight -= 1;
    });
    expect(count).toBe(50);
    expect(started).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(most).toBe(4);
    expect(inFlight).toBe(0);
  });

  it('starts nothing after a handler fails, and rejects with its error once the others have settled', async () => {
    const slow = gate();
    const settled: number[] = [];
    const run = forEachConcurrently(context, [0, 1, 2, 3, 4], 2, async (item) => {
      if (item === 0) await slow.promise;
      if (item === 1) throw new Error('record 1');
      settled.push(item);
    });
    let done = false;
    void run.catch(() => undefined).finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toBe(false); // item 0 still runs
    slow.open();
    await expect(run).rejects.toThrow('record 1');
    expect(settled).toEqual([0]);
  });
});

describe('inBatches', () => {
  it('hands out batches of the size asked, the last one short, and counts the rows', async () => {
    async function* rows(): AsyncIterable<number> {
      for (let index = 0; index < 25; index += 1) yield await Promise.resolve(index);
    }
    const batches: number[][] = [];
    const handle = (batch: number[]): Promise<void> => {
      batches.push(batch);
      return Promise.resolve();
    };
    await expect(inBatches(rows(), 10, handle, { ahead: 1 })).resolves.toBe(25);
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
  });
});
