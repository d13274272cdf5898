/**
 * The links a run saves, as they are saved: a record that waits for a link another phase may save (an
 * Invoiced invoice for its customer's, a payment for its invoices') is handed again as soon as that link
 * is saved, not only when the phase that saves it ends. The phases' store is watched for the run
 * ({@link LinkWatch.watching}); what the store does is unchanged.
 */
import type { EntityKind, SyncStore } from '../../store/sync-store';
import type { Listen } from './wakeups';

const key = (kind: EntityKind, invoicedId: string): string => `${kind}:${invoicedId}`;

/** One run's watch over the links its phases save, by kind and Invoiced ID. */
export class LinkWatch {
  readonly #waiting = new Map<string, Set<() => void>>();
  #store: { store: SyncStore; connectionId: string } | undefined;
  /** The looks `listen` started that are still under way: the run waits for them before it ends. */
  readonly #looks = new Set<Promise<void>>();

  /**
   * `store` as the run's phases use it: the same store, whose `saveLink` also tells those waiting for the
   * link (once the store has saved it).
   */
  watching(store: SyncStore, connectionId: string): SyncStore {
    this.#store = { store, connectionId };
    const bound = new Map<PropertyKey, unknown>();
    return new Proxy(store, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        let method = bound.get(property);
        if (method === undefined) {
          method =
            property === 'saveLink'
              ? async (...args: Parameters<SyncStore['saveLink']>) => {
                  const saved = await target.saveLink(...args);
                  this.#saved(saved.kind, saved.invoicedId);
                  return saved;
                }
              : (value as (...args: unknown[]) => unknown).bind(target);
          bound.set(property, method);
        }
        return method;
      },
    });
  }

  /**
   * Listens for a link of `kind` with one of `invoicedIds` to be saved through the watched store, and wakes
   * at once (after a look) if one is there already: the record that waits for it looked before, and the link
   * may have been saved since. With no ID it never wakes. A failed look is not the record's failure: it is
   * handed again when its phases end, as without a watch. Once it stops listening, the watch holds nothing
   * of it (a look under way ends on its own).
   */
  listen(kind: EntityKind, invoicedIds: readonly string[]): Listen {
    return (wake) => {
      if (invoicedIds.length === 0) return () => undefined;
      const keys = invoicedIds.map((id) => key(kind, id));
      let listening = true;
      const stop = (): void => {
        listening = false;
        for (const name of keys) {
          const waiting = this.#waiting.get(name);
          waiting?.delete(done);
          if (waiting?.size === 0) this.#waiting.delete(name);
        }
      };
      const done = (): void => {
        if (!listening) return;
        stop();
        wake();
      };
      for (const name of keys) {
        let waiting = this.#waiting.get(name);
        if (waiting === undefined) this.#waiting.set(name, (waiting = new Set()));
        waiting.add(done);
      }
      const watched = this.#store;
      if (watched !== undefined) {
        const look: Promise<void> = Promise.all(invoicedIds.map((id) => watched.store.findLinkByInvoicedId(watched.connectionId, kind, id)))
          .then(
            (links) => (links.some((link) => link !== null) ? done() : undefined),
            () => undefined,
          )
          .finally(() => this.#looks.delete(look));
        this.#looks.add(look);
      }
      return stop;
    };
  }

  /** How many listen for a link, over all kinds and IDs (one that listens for two IDs counts twice). */
  get listening(): number {
    let count = 0;
    for (const waiting of this.#waiting.values()) count += waiting.size;
    return count;
  }

  /** Resolves once no look `listen` started is under way: nothing of the run reads the store after it ends. */
  async idle(): Promise<void> {
    while (this.#looks.size > 0) await Promise.all(this.#looks);
  }

  #saved(kind: EntityKind, invoicedId: string): void {
    const waiting = this.#waiting.get(key(kind, invoicedId));
    if (waiting === undefined) return;
    for (const done of [...waiting]) done();
  }
}
