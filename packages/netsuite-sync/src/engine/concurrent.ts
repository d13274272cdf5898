/**
 * Records handled side by side: a phase hands each record to its handler with up to
 * `settings.recordConcurrency` of them in flight, so that the clients' own request limits (NetSuite's
 * account-wide 5, Invoiced's 20) are what bounds a sync, not the latency of one record at a time.
 */
import type { RunContext } from './run-context';

/**
 * Calls `handle` for each item, at most `limit` at a time, in the items' order of arrival. Stops starting
 * new items at the first failure of a handler (handlers report per-record failures themselves: what
 * reaches here ends the run), at the first failure of the source, or when the run is cancelled; resolves
 * or rejects only once every started handler has settled, so nothing is left running behind the phase.
 * Resolves to the number of items started.
 */
export async function forEachConcurrently<T>(
  context: Pick<RunContext, 'checkpoint'>,
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  handle: (item: T) => Promise<void>,
): Promise<number> {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let started = 0;
  try {
    for await (const item of items) {
      if (failure !== undefined) break;
      context.checkpoint();
      started += 1;
      const task: Promise<void> = handle(item)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => running.delete(task));
      running.add(task);
      if (running.size >= limit) await Promise.race(running);
    }
  } catch (error) {
    failure ??= { error };
  }
  await Promise.all(running);
  if (failure !== undefined) throw failure.error;
  return started;
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
