/**
 * The crash model. Each run of a seed is a new process: new clients, a new engine, the same store
 * contents. A process sees the world through two doors, its store and its `fetch`, and the harness counts
 * every store operation and every HTTP attempt through them. At the planned operation the process dies:
 * that operation (before or after it is carried out) and every later one fail with {@link SimulatedCrash},
 * so nothing after the crash point reaches the store or either service — in particular the lease is not
 * released. What was in flight when it died still lands, as it would on a real network.
 */
import type { SyncStore } from '@invoiced/netsuite-sync';
import type { CrashPoint } from './scenario';

/** What a dead process's store calls and requests fail with. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

/** Store methods that change what is stored: their arguments are journaled (and scanned for secrets). */
const WRITES: ReadonlySet<string> = new Set(['setCursor', 'saveLink', 'startRun', 'addRecordErrors', 'finishRun', 'saveRetry', 'deleteRetry', 'saveCheckpoint']);

/** One process of the simulation (one run of a seed). */
export class SimulatedProcess {
  /** Store operations and HTTP attempts so far. */
  operations = 0;
  /** Operations that matched the crash point's `at`, when it has one. */
  #matching = 0;
  /** Whether the process has died. */
  dead = false;
  /** Whether this process holds the connection's lease in the store (acquired, not released). */
  leaseHeld = false;
  /** What the process died at, when it did. */
  diedAt: string | undefined;
  /**
   * What the process did after its run had settled (`sync()` or `syncPending()` resolved or rejected) while
   * it was alive: store calls still in flight then, and operations started after. A run leaves nothing
   * running behind it: a handler still writing once the lease is released races the next process.
   */
  readonly late: string[] = [];
  #ended = false;
  /** Store calls under way (the changing world's hook before them included), by operation number. */
  #storeCalls = new Map<number, { what: string; done: Promise<unknown> }>();
  readonly #crash: CrashPoint | null;
  readonly #journal: string[];
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #before: ((operation: number) => Promise<void>) | undefined;

  /**
   * `journal` receives the arguments of every store write, serialized; `before` is called right before
   * each operation is carried out, with its number (the changing world's hook: a person's change lands
   * between two of the process's operations).
   */
  constructor(crash: CrashPoint | null, journal: string[], before?: (operation: number) => Promise<void>) {
    this.#crash = crash;
    this.#journal = journal;
    this.#before = before;
  }

  /** Counts one operation: throws if the process is dead or dies before it; `true` when it dies right after it. */
  #step(what: string): boolean {
    if (this.dead) throw new SimulatedCrash(`the process is dead (died at ${this.diedAt ?? '?'})`);
    this.operations += 1;
    if (this.#ended) this.late.push(`operation ${this.operations}, ${what}, started after the run had settled`);
    const crash = this.#crash;
    if (crash === null) return false;
    if (crash.at !== undefined) {
      if (!what.includes(crash.at)) return false;
      this.#matching += 1;
      if (this.#matching !== crash.op) return false;
    } else if (this.operations !== crash.op) {
      return false;
    }
    const label = `operation ${this.operations}: ${what}`;
    if (crash.after) return true;
    this.#die(`${label}, before it`);
    throw new SimulatedCrash(`the process died at ${label}`);
  }

  #die(at: string): void {
    this.dead = true;
    this.diedAt = at;
  }

  /** The store as this process sees it. */
  store(store: SyncStore): SyncStore {
    return new Proxy(store, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]): Promise<unknown> => {
          let dieAfter: boolean;
          try {
            dieAfter = this.#step(`store.${property}`);
          } catch (error) {
            return Promise.reject(error instanceof Error ? error : new Error(String(error)));
          }
          const operation = this.operations;
          const done = this.#storeCall(property, operation, dieAfter, () => method.apply(target, args), args);
          this.#storeCalls.set(operation, { what: `store.${property}`, done });
          void done.catch(() => undefined).finally(() => this.#storeCalls.delete(operation));
          return done;
        };
      },
    });
  }

  /** One store call: the changing world's hook, the journal, the call, and a crash right after it when planned. */
  async #storeCall(property: string, operation: number, dieAfter: boolean, call: () => Promise<unknown>, args: unknown[]): Promise<unknown> {
    await this.#before?.(operation);
    if (WRITES.has(property)) this.#journal.push(`${property} ${safeJson(args)}`);
    const result = await call();
    if (property === 'acquireLease' && result === true) this.leaseHeld = true;
    if (property === 'releaseLease') this.leaseHeld = false;
    if (dieAfter) {
      this.#die(`operation ${operation}: store.${property}, after it`);
      throw new SimulatedCrash(`the process died after store.${property}`);
    }
    return result;
  }

  /**
   * Marks the process's run as settled: a store call still in flight is late, as is every operation from
   * now on. (A request still in flight is not: a request the client gave up on may still be waiting here.)
   * A dead process is not judged: what it had in flight lands anyway.
   */
  ended(): void {
    this.#ended = true;
    if (this.dead) return;
    for (const [operation, { what }] of this.#storeCalls) this.late.push(`operation ${operation}, ${what}, still in flight when the run settled`);
  }

  /** The `fetch` of this process's clients. */
  fetch(): typeof fetch {
    return (input, init) => {
      const request = (async () => {
        const dieAfter = this.#step(`HTTP ${describeRequest(input, init)}`);
        const operation = this.operations;
        await this.#before?.(operation);
        const response = await globalThis.fetch(input, init);
        if (dieAfter) {
          // The request was answered; the process dies before it reads the answer.
          await response.arrayBuffer().catch(() => undefined);
          this.#die(`operation ${operation}: HTTP ${describeRequest(input, init)}, after its answer`);
          throw new SimulatedCrash('the process died before it read an answer');
        }
        return response;
      })();
      this.#inFlight.add(request);
      void request.catch(() => undefined).finally(() => this.#inFlight.delete(request));
      return request;
    };
  }

  /**
   * Resolves once no request or store call of this process is in flight: a dead process's last requests
   * still land, and a person's change (with the inbox run after it) that came due before one of its store
   * calls is over before the next process starts, as it would be with a live process.
   */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#storeCalls.size > 0) {
      await Promise.allSettled([...this.#inFlight, ...[...this.#storeCalls.values()].map((call) => call.done)]);
    }
  }
}

function describeRequest(input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1]): string {
  if (input instanceof Request) return `${input.method} ${new URL(input.url).pathname}`;
  const url = input instanceof URL ? input : new URL(String(input));
  return `${init?.method ?? 'GET'} ${url.pathname}`;
}

/** JSON of anything: errors with their message, stack and cause; bigints as text; cycles cut. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return item.toString();
      if (item instanceof Error) {
        return { ...Object.fromEntries(Object.entries(item)), name: item.name, message: item.message, stack: item.stack, cause: item.cause };
      }
      if (typeof item === 'object' && item !== null) {
        if (seen.has(item)) return '[cycle]';
        seen.add(item);
      }
      return item;
    }) ?? 'undefined';
  } catch (error) {
    return `[unserializable: ${error instanceof Error ? error.message : 'unknown'}]`;
  }
}
