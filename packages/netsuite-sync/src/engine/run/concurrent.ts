/**
 * Records handled side by side: a phase hands each record to its handler with up to
 * `settings.recordConcurrency` of them in flight, so that the clients' own request limits (NetSuite's
 * account-wide 5, Invoiced's 20) are what bounds a sync, not the latency of one record at a time.
 */
import pLimit from 'p-limit';
import type { PhaseRun } from '../contracts';

/**
 * Calls `handle` for each item, at most `limit` at a time, in the items' order of arrival. Stops starting
 * new items at the first failure of a handler (handlers report per-record failures themselves: what
 * reaches here ends the run), at the first failure of the source, or when the run is cancelled; resolves
 * or rejects only once every started handler has settled, so nothing is left running behind the phase.
 * Resolves to the number of items started.
 */
export async function forEachConcurrently<T>(
  context: Pick<PhaseRun, 'checkpoint'>,
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  handle: (item: T) => Promise<void>,
): Promise<number> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let started = 0;
  // Wakes the loop when it waits for a slot. Not Promise.race(running): that adds a reaction to every
  // running handler each time an item starts, and a handler that waits long (a record deferred until
  // another phase links what it needs) would hold one for every item started meanwhile.
  let slotFreed: (() => void) | undefined;
  try {
    for await (const item of items) {
      if (failure !== undefined) break;
      context.checkpoint();
      started += 1;
      const task: Promise<void> = handle(item)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          running.delete(task);
          slotFreed?.();
        });
      running.add(task);
      if (running.size >= limit) {
        await new Promise<void>((resolve) => {
          slotFreed = resolve;
        });
        slotFreed = undefined;
      }
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure.error;
  return started;
}

/**
 * A phase's record slots, shared by the batches it holds at once: however many batches are read ahead, at
 * most `limit` of their records are handled at a time, in the batches' order; the others wait holding only
 * their rows. Reading ahead keeps a service's request slots busy without more records in memory.
 * Resolves, for each batch, once its records have settled (as {@link forEachConcurrently}).
 */
export function recordSlots(context: Pick<PhaseRun, 'checkpoint'>, limit: number): <T>(items: Iterable<T>, handle: (item: T) => Promise<void>) => Promise<number> {
  const slots = pLimit(limit);
  return (items, handle) => forEachConcurrently(context, items, limit, (item) => slots(() => handle(item)));
}

/**
 * Serializes work by key: `run(key, fn)` starts `fn` once every earlier `fn` of the same key has settled.
 * Work of different keys runs side by side. The phases use it where two records may decide the same
 * thing at once (the customer of two invoices, two customers of one name).
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => released);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/**
 * Hands streamed rows to `handle` in batches of `size`. With `ahead: 0` (the default) one batch is handled
 * at a time; with `ahead: 1` the next batch starts (its own reads, then its records) while the previous
 * one finishes, so a phase does not wait at each batch's end. At most `ahead + 1` batches are held. Stops
 * at the first batch that fails, once the others started have settled. Resolves to the rows read.
 */
export async function inBatches<T>(rows: AsyncIterable<T>, size: number, handle: (batch: T[]) => Promise<void>, options: { ahead?: number } = {}): Promise<number> {
  let read = 0;
  async function* batches(): AsyncIterable<T[]> {
    let batch: T[] = [];
    for await (const row of rows) {
      read += 1;
      batch.push(row);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  // Cancellation is the handlers' and the row source's to notice: batches have no checkpoint of their own.
  await forEachConcurrently({ checkpoint: () => undefined }, batches(), (options.ahead ?? 0) + 1, handle);
  return read;
}
