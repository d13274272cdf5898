/**
 * Waiting for the first of several things without leaving anything behind on the others. A record
 * deferred until a phase running beside its own settles or a link is saved waits on things that may last
 * the whole run: `Promise.race` on such a promise adds a reaction to it that stays until it settles (with
 * the race's own promise), so a phase whose records wait again and again held one for every wait, thousands
 * in a first sync. Here each thing is listened to by a listener it can drop, and the first to wake the
 * waiter drops the others.
 */

/** Listens for something with `wake` (called at most once); returns what stops listening. */
export type Listen = (wake: () => void) => () => void;

/** Resolves once one of `sources` wakes it (never with none); every listener it added is removed then. */
export function firstOf(sources: readonly Listen[]): Promise<void> {
  return new Promise<void>((resolve) => {
    const stops: (() => void)[] = [];
    let woken = false;
    const wake = (): void => {
      if (woken) return;
      woken = true;
      for (const stop of stops.splice(0)) stop();
      resolve();
    };
    for (const listen of sources) {
      const stop = listen(wake);
      // A source that woke it at once: the ones after it are not listened to, and its own stops now.
      if (woken) {
        stop();
        return;
      }
      stops.push(stop);
    }
  });
}

/** Listens for `signal` to be aborted (wakes at once if it is). */
export function onAbort(signal: AbortSignal): Listen {
  return (wake) => {
    if (signal.aborted) {
      wake();
      return () => undefined;
    }
    signal.addEventListener('abort', wake, { once: true });
    return () => {
      signal.removeEventListener('abort', wake);
    };
  };
}

/** Things that happen once each, by name (the phases of a run that have settled), and who listens for them. */
export class Happenings {
  readonly #happened = new Set<string>();
  readonly #listeners = new Map<string, Set<() => void>>();

  has(name: string): boolean {
    return this.#happened.has(name);
  }

  /** `name` has happened: those listening for it are woken (once), and later listeners at once. */
  happen(name: string): void {
    this.#happened.add(name);
    const listeners = this.#listeners.get(name);
    this.#listeners.delete(name);
    for (const wake of listeners ?? []) wake();
  }

  /** Listens for the first of `names` to happen (wakes at once if one has). */
  listen(names: readonly string[]): Listen {
    return (wake) => {
      if (names.some((name) => this.#happened.has(name))) {
        wake();
        return () => undefined;
      }
      for (const name of names) {
        let listeners = this.#listeners.get(name);
        if (listeners === undefined) this.#listeners.set(name, (listeners = new Set()));
        listeners.add(wake);
      }
      return () => {
        for (const name of names) {
          const listeners = this.#listeners.get(name);
          listeners?.delete(wake);
          if (listeners?.size === 0) this.#listeners.delete(name);
        }
      };
    };
  }

  /** How many listeners wait, over all names (one that listens for two names counts twice). */
  get listening(): number {
    let count = 0;
    for (const listeners of this.#listeners.values()) count += listeners.size;
    return count;
  }
}
