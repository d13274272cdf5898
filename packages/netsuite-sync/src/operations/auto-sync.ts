/**
 * Auto-sync: runs the syncs of one or many connections on a schedule (about once an hour by default),
 * with jitter so that many connections started together do not all call NetSuite and Invoiced at once.
 *
 * One timer per connection. A connection's next run is scheduled when its previous run ends, so runs of a
 * connection never overlap within one auto-sync; across processes the store's lease keeps them apart, and
 * a run refused by the lease is reported as `skipped`.
 */
import { z } from 'zod';
import { SyncInProgressError } from '../engine/errors';
import { ConfigurationError, NetSuiteSyncError, toValidationIssues, type ValidationIssue } from '../errors';
import { adaptLogger } from '../logger';
import type { Logger } from '../options';
import type { SyncRun } from '../store/sync-store';
import { durationToMs } from './duration';

/** The default time between two runs of a connection: one hour. */
export const AUTO_SYNC_DEFAULT_EVERY = '1h';
/** The default jitter: each wait is `every` ± 10 %. */
export const AUTO_SYNC_DEFAULT_JITTER = 0.1;
/** The shortest `every` accepted, in milliseconds. */
export const AUTO_SYNC_MIN_EVERY_MS = 100;
/** The longest `every` accepted, in milliseconds (7 days; a longer wait would overflow Node's timers with jitter). */
export const AUTO_SYNC_MAX_EVERY_MS = 7 * 86_400_000;

/**
 * What an auto-sync needs of an engine: its connection and a `sync()` that runs (a `SyncEngine` from
 * `createSyncEngine()` is one). Auto-sync never asks for a dry run.
 */
export interface AutoSyncEngine {
  readonly connectionId: string;
  sync(options: { trigger: 'auto'; signal: AbortSignal }): Promise<SyncRun>;
}

/** Options of {@link startAutoSync}. */
export interface AutoSyncOptions {
  /**
   * Time between the end of a run and the start of the next: `'1h'`, `'30m'`, `'90s'`, `'250ms'`,
   * `'1h30m'`, or milliseconds. From 100 ms to 7 days.
   * @default '1h'
   */
  every?: string | number;
  /**
   * Spread, as a fraction of `every` from 0 to 1. Each wait is `every × (1 + jitter × (2u − 1))` with `u`
   * uniform in [0, 1); the first run of each connection waits `u × every × jitter`, so connections started
   * together spread out over the first `every × jitter`.
   * @default 0.1
   */
  jitter?: number;
  /** Aborting it stops the auto-sync, as {@link AutoSync.stop} does. */
  signal?: AbortSignal;
  /** Called after each run of each connection, with the time of its next run. A listener that throws is logged and ignored. */
  onRun?: (event: AutoSyncEvent) => void;
  /**
   * Keep the process alive while the auto-sync waits for its next runs. Off, the timers are `unref`'d: a
   * process with nothing else to do exits between runs, even while something awaits {@link AutoSync.done}.
   * Turn it on in a worker whose only job is the auto-sync.
   * @default false
   */
  keepAlive?: boolean;
  /** Where to log a listener that threw. */
  logger?: Logger;
  /** Source of `u` in [0, 1), for tests. @default Math.random */
  random?: () => number;
}

/** What happened to one scheduled run. `nextRunAt` is when the connection runs next. */
export type AutoSyncEvent =
  /** The run took place; `run.status` says how it went (`succeeded`, `partial`, `failed`, `cancelled`). */
  | { type: 'run'; connectionId: string; run: SyncRun; nextRunAt: Date }
  /** The store's lease was held elsewhere (another process, or a manual "Sync Now"): nothing ran. */
  | { type: 'skipped'; connectionId: string; reason: 'in_progress'; nextRunAt: Date }
  /** `sync()` rejected for another reason (the store was unreachable, for example); the schedule goes on. */
  | { type: 'error'; connectionId: string; error: unknown; nextRunAt: Date };

/** A running auto-sync, from {@link startAutoSync}. */
export interface AutoSync {
  /** The connections it runs, in the order given. */
  readonly connections: readonly string[];
  /**
   * When the connection's next run starts: `undefined` while a run of it is in progress (the next one is
   * scheduled when it ends), once stopped, and for a connection this auto-sync does not run.
   */
  nextRunAt(connectionId: string): Date | undefined;
  /** Whether a run of the connection is in progress now. */
  isRunning(connectionId: string): boolean;
  /**
   * Stops: no new run starts, runs in progress are cancelled at their next safe point (their status is
   * `cancelled`; what they did stays done), and the promise resolves when they have ended. Runs that end
   * after `stop()` are not reported to `onRun` (there is no next run); they are in Recent Syncs.
   * Calling it again returns the same promise.
   */
  stop(): Promise<void>;
  /** Resolves when the auto-sync has stopped (by {@link AutoSync.stop} or the `signal`) and its runs have ended. */
  readonly done: Promise<void>;
}

const functionSchema = <T>(message: string) => z.custom<T>((value) => typeof value === 'function', { message });

const optionsSchema = z.strictObject({
  every: z
    .union([z.string(), z.number()], { message: "must be a duration such as '1h', '30m', '90s' or '250ms', or milliseconds" })
    .default(AUTO_SYNC_DEFAULT_EVERY)
    .transform((value, context) => {
      const ms = durationToMs(value);
      if (ms === undefined || ms < AUTO_SYNC_MIN_EVERY_MS || ms > AUTO_SYNC_MAX_EVERY_MS) {
        context.addIssue({
          code: 'custom',
          message: ms === undefined ? "must be a duration such as '1h', '30m', '90s' or '250ms', or milliseconds" : 'must be from 100ms to 7d',
        });
        return z.NEVER;
      }
      return ms;
    }),
  jitter: z.number({ message: 'must be a number from 0 to 1' }).min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').default(AUTO_SYNC_DEFAULT_JITTER),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, { message: 'must be an AbortSignal' }).optional(),
  onRun: functionSchema<(event: AutoSyncEvent) => void>('must be a function').optional(),
  keepAlive: z.boolean({ message: 'must be true or false' }).default(false),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, { message: 'must be a logger object' }).optional(),
  random: functionSchema<() => number>('must be a function returning a number in [0, 1)').default(() => Math.random),
});

function invalid(issues: ValidationIssue[]): ConfigurationError {
  return new ConfigurationError(`Invalid auto-sync options: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}.`, {
    code: 'INVALID_AUTO_SYNC',
    issues,
    resolution: 'Correct the options named in the error; docs/operations.md lists them.',
  });
}

function checkEngines(engines: AutoSyncEngine | readonly AutoSyncEngine[]): readonly AutoSyncEngine[] {
  const list: readonly unknown[] = Array.isArray(engines) ? engines : [engines];
  if (list.length === 0) throw invalid([{ path: 'engines', message: 'must hold at least one engine' }]);
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  list.forEach((engine, index) => {
    const shape = (typeof engine === 'object' && engine !== null ? engine : {}) as Partial<Record<keyof AutoSyncEngine, unknown>>;
    if (typeof shape.connectionId !== 'string' || typeof shape.sync !== 'function') {
      issues.push({ path: `engines.${index}`, message: 'must be a sync engine (createSyncEngine())' });
      return;
    }
    const first = seen.get(shape.connectionId);
    if (first !== undefined) {
      issues.push({ path: `engines.${index}.connectionId`, message: `"${shape.connectionId}" is also the connection of engines.${first}: give each connection one engine` });
    } else seen.set(shape.connectionId, index);
  });
  if (issues.length > 0) throw invalid(issues);
  return list as readonly AutoSyncEngine[];
}

/** Whether `sync()` was refused because the connection's lease is held elsewhere. */
function isSyncInProgress(error: unknown): boolean {
  return error instanceof SyncInProgressError || (error instanceof NetSuiteSyncError && error.code === 'SYNC_IN_PROGRESS');
}

/** One connection's schedule. */
interface Slot {
  readonly engine: AutoSyncEngine;
  timer: ReturnType<typeof setTimeout> | undefined;
  nextRunAt: Date | undefined;
  running: Promise<void> | undefined;
}

/**
 * Starts running the syncs of one or many connections on a schedule, and returns a handle to watch and
 * stop it. Runs use `engine.sync({ trigger: 'auto' })`; a connection's next run is scheduled when its
 * run ends, a failed run never stops the schedule, and a run refused by the store's lease (another
 * process is syncing the connection) is `skipped`.
 *
 * The timers do not keep the process alive unless `keepAlive` is set: see docs/operations.md, "Running a worker".
 *
 * @example
 * ```ts
 * const auto = startAutoSync([acme, globex], {
 *   every: '1h',
 *   keepAlive: true,
 *   onRun: (event) => console.log(event.connectionId, event.type === 'run' ? event.run.status : event.type, 'next', event.nextRunAt),
 * });
 * process.once('SIGTERM', () => void auto.stop());
 * await auto.done;
 * ```
 * @throws {ConfigurationError} `INVALID_AUTO_SYNC` naming the wrong option, no engine, or two engines of one connection.
 */
export function startAutoSync(engines: AutoSyncEngine | readonly AutoSyncEngine[], options: AutoSyncOptions = {}): AutoSync {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw invalid(toValidationIssues(parsed.error.issues));
  const config = parsed.data;
  const logger = adaptLogger(config.logger);
  const list = checkEngines(engines);

  const controller = new AbortController();
  const slots = new Map<string, Slot>(list.map((engine) => [engine.connectionId, { engine, timer: undefined, nextRunAt: undefined, running: undefined }]));
  let stopping: Promise<void> | undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  /** `u` in [0, 1], whatever `random` returns. */
  const draw = () => {
    const u = config.random();
    return typeof u === 'number' && Number.isFinite(u) ? Math.min(Math.max(u, 0), 1) : 0.5;
  };
  const emit = (event: AutoSyncEvent) => {
    try {
      config.onRun?.(event);
    } catch (error) {
      logger?.warn?.('auto-sync onRun listener threw', { connectionId: event.connectionId, error: error instanceof Error ? error.message : 'non-Error thrown' });
    }
  };

  const schedule = (slot: Slot, delayMs: number): Date => {
    const delay = Math.max(0, Math.round(delayMs));
    const at = new Date(Date.now() + delay);
    slot.nextRunAt = at;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      slot.nextRunAt = undefined;
      const running = runOnce(slot).finally(() => {
        if (slot.running === running) slot.running = undefined;
      });
      slot.running = running;
    }, delay);
    if (!config.keepAlive) slot.timer.unref();
    return at;
  };

  /** Runs one sync of the slot's connection and schedules the next; never rejects. */
  const runOnce = async (slot: Slot): Promise<void> => {
    const connectionId = slot.engine.connectionId;
    let event: (nextRunAt: Date) => AutoSyncEvent;
    try {
      const run = await slot.engine.sync({ trigger: 'auto', signal: controller.signal });
      event = (nextRunAt) => ({ type: 'run', connectionId, run, nextRunAt });
    } catch (error) {
      event = isSyncInProgress(error)
        ? (nextRunAt) => ({ type: 'skipped', connectionId, reason: 'in_progress', nextRunAt })
        : (nextRunAt) => ({ type: 'error', connectionId, error, nextRunAt });
    }
    if (stopping !== undefined) return;
    emit(event(schedule(slot, config.every * (1 + config.jitter * (2 * draw() - 1)))));
  };

  const onAbort = () => void stop();
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      config.signal?.removeEventListener('abort', onAbort);
      for (const slot of slots.values()) {
        clearTimeout(slot.timer);
        slot.timer = undefined;
        slot.nextRunAt = undefined;
      }
      controller.abort(new DOMException('The auto-sync was stopped.', 'AbortError'));
      await Promise.allSettled([...slots.values()].flatMap((slot) => (slot.running === undefined ? [] : [slot.running])));
      resolveDone();
    })();
    return stopping;
  };

  if (config.signal?.aborted === true) void stop();
  else {
    config.signal?.addEventListener('abort', onAbort, { once: true });
    for (const slot of slots.values()) schedule(slot, draw() * config.every * config.jitter);
  }

  return {
    connections: Object.freeze(list.map((engine) => engine.connectionId)),
    nextRunAt: (connectionId) => {
      const at = stopping === undefined ? slots.get(connectionId)?.nextRunAt : undefined;
      return at === undefined ? undefined : new Date(at.getTime());
    },
    isRunning: (connectionId) => slots.get(connectionId)?.running !== undefined,
    stop,
    done,
  };
}
