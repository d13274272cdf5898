/**
 * The connection's lease, as every long operation of the engine holds it (a sync, an import): taken at
 * the start, renewed every quarter of its time-to-live (so that two renewals in a row can fail before it is lost) while the work lasts, released at the end. Losing it
 * (the store says another holder has it) aborts the work at its next safe point.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../options';
import type { SyncStore } from '../../store/sync-store';
import { SyncInProgressError } from '../errors';

/** A lease this process holds. */
export interface HeldLease {
  /** Aborted when the caller's signal aborts or the lease is lost; its reason says which. */
  readonly signal: AbortSignal;
  /** Stops renewing and stops following the caller's signal (the lease stays held until `release`). */
  stopRenewal(): void;
  /** Stops renewing and releases the lease. */
  release(): Promise<void>;
}

/**
 * Takes the connection's lease and keeps it renewed.
 * @throws {SyncInProgressError} when another holder has it.
 * @example
 * const lease = await holdLease(store, 'acme', 60_000, { signal, logger });
 * try { await work(lease.signal); } finally { await lease.release(); }
 */
export async function holdLease(
  store: SyncStore,
  connectionId: string,
  ttlMs: number,
  options: { signal?: AbortSignal | undefined; logger?: Logger | undefined } = {},
): Promise<HeldLease> {
  const holder = randomUUID();
  if (!(await store.acquireLease(connectionId, holder, ttlMs))) throw new SyncInProgressError(connectionId);
  const { signal: outer, logger } = options;
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  if (outer?.aborted) onAbort();
  const renewal = setInterval(() => {
    store.renewLease(connectionId, holder, ttlMs).then(
      (held) => {
        if (!held) controller.abort(new SyncInProgressError(connectionId));
      },
      (error: unknown) => logger?.warn?.('lease renewal failed', { error: error instanceof Error ? error.message : String(error) }),
    );
  }, Math.max(250, Math.floor(ttlMs / 4)));
  renewal.unref();
  const stopRenewal = () => {
    clearInterval(renewal);
    outer?.removeEventListener('abort', onAbort);
  };
  return {
    signal: controller.signal,
    stopRenewal,
    async release() {
      stopRenewal();
      await store.releaseLease(connectionId, holder);
    },
  };
}
