/**
 * Runs the targeted runs of the store's inbox in this process: every accepted webhook calls `notify()`,
 * and the runner makes one `engine.syncPending()` at a time, at once, and another as soon as that one ends
 * when events arrived meanwhile (so a burst of deliveries costs a few runs, not one each). A connection
 * busy with a sync is tried again shortly (the sync takes the pending events too; whatever it did not
 * take waits). Events stay in the store until a run went through them: a process that stops loses none;
 * `notify()` at start runs what an earlier process left.
 */
import { z } from 'zod';
import { SyncInProgressError } from '../engine/errors';
import { ConfigurationError, toValidationIssues } from '../errors';
import { adaptLogger } from '../logger';
import type { Logger } from '../options';
import type { SyncRun } from '../store/sync-store';

/** What the runner needs of an engine (a `SyncEngine` is one). */
export interface InboxEngine {
  readonly connectionId: string;
  syncPending(options?: { signal?: AbortSignal }): Promise<SyncRun | null>;
}

/** Options of {@link createInboxRunner}. */
export interface InboxRunnerOptions {
  /** How long to wait before trying again when the connection is busy (a sync holds it). @default 1000 */
  busyRetryMs?: number;
  /** How long to wait before trying again after a run could not start or failed as a whole, doubling up to 5 min. @default 5000 */
  failureRetryMs?: number;
  /** Called after each targeted run. A listener that throws is logged and ignored. */
  onRun?: (run: SyncRun) => void;
  logger?: Logger;
}

/** The runner: `notify()` from the webhook handler's `onAccepted`. */
export interface InboxRunner {
  /** Events were accepted: run them now, or right after the run in progress. */
  notify(): void;
  /** Resolves when no run is in progress or due (waits for busy or failure retries too). */
  idle(): Promise<void>;
  /** Stops: the run in progress is cancelled at its next safe point; what it did not do stays pending. */
  close(): Promise<void>;
}

const optionsSchema = z.strictObject({
  busyRetryMs: z.number().int().min(1).max(3_600_000).default(1000),
  failureRetryMs: z.number().int().min(1).max(3_600_000).default(5000),
  onRun: z.custom<(run: SyncRun) => void>((value) => typeof value === 'function', 'must be a function').optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a logger object').optional(),
});

const MAX_FAILURE_RETRY_MS = 300_000;

/**
 * Creates the runner of one engine's inbox.
 * @example
 * const runner = createInboxRunner(engine);
 * // The webhook handler's `onAccepted: () => runner.notify()` runs each accepted event's record at once.
 * runner.notify(); // what an earlier process accepted and did not run
 */
export function createInboxRunner(engine: InboxEngine, options: InboxRunnerOptions = {}): InboxRunner {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new ConfigurationError('Invalid inbox runner options.', { issues: toValidationIssues(parsed.error.issues) });
  const { busyRetryMs, failureRetryMs, onRun } = parsed.data;
  const logger = adaptLogger(parsed.data.logger);
  const controller = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let waitingTimer: Promise<void> | undefined;
  let releaseTimer: (() => void) | undefined;
  let failures = 0;

  const later = (ms: number) => {
    if (timer !== undefined || controller.signal.aborted) return;
    waitingTimer = new Promise((resolve) => {
      releaseTimer = resolve;
      timer = setTimeout(() => {
        timer = undefined;
        releaseTimer = undefined;
        resolve();
        start();
      }, ms);
    });
  };

  const loop = async () => {
    while (!controller.signal.aborted) {
      again = false;
      try {
        const run = await engine.syncPending({ signal: controller.signal });
        if (run !== null) {
          try {
            onRun?.(run);
          } catch (error) {
            logger?.warn?.('inbox runner onRun listener threw', { error: error instanceof Error ? error.message : String(error) });
          }
          if (run.status === 'failed') throw new Error(run.error?.code ?? 'run failed');
          failures = 0;
          // Nothing may be left; a full batch (or events that came meanwhile) leaves more: look again.
          continue;
        }
        failures = 0;
        if (!again) return;
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof SyncInProgressError) {
          later(busyRetryMs);
          return;
        }
        failures += 1;
        const wait = Math.min(MAX_FAILURE_RETRY_MS, failureRetryMs * 2 ** (failures - 1));
        logger?.warn?.('inbox run failed; trying again later', { connectionId: engine.connectionId, waitMs: wait, error: error instanceof Error ? error.message : String(error) });
        later(wait);
        return;
      }
    }
  };

  const start = () => {
    if (controller.signal.aborted) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
      releaseTimer?.();
    }
    running = loop().finally(() => {
      running = undefined;
    });
  };

  return {
    notify: start,
    async idle() {
      while (running !== undefined || timer !== undefined) {
        await (running ?? waitingTimer);
      }
    },
    async close() {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      releaseTimer?.();
      await running;
    },
  };
}
