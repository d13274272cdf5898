import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '../errors';
import type { InvoicedClient } from '../invoiced/client';
import type { NetSuiteClient } from '../netsuite/client';
import type { Logger } from '../options';
import { adaptLogger } from '../logger';
import type { ImportCheckpoint, ListRunsOptions, RetryItem, RunTrigger, SyncRun, SyncStore } from '../store/sync-store';
import { clientWriter } from './client-writer';
import type { FieldTransform, PhaseDeps, SyncEvent } from './contracts';
import type { SyncPlan } from './dry-run/plan';
import { planSync } from './dry-run/plan-sync';
import { createImportJobs } from './imports/jobs';
import type { ImportJob, ImportOptions } from './imports/types';
import { PHASES } from './phases/index';
import { closeAbandonedRunsIfFree } from './run/abandoned';
import { runLifecycle } from './run/lifecycle';
import { InboxTargets, type SyncTarget } from './records/targets';
import { inboxNeedsRun, parseSyncTargets, targetedPhases, workWithTargets, type SyncRecordTarget } from './targeted-sync';
import { parseSyncSettings, type SyncSettings, type SyncSettingsInput } from './settings';

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  netsuite: NetSuiteClient;
  invoiced: InvoicedClient;
  store: SyncStore;
  /** Names one NetSuite <-> Invoiced pair; one store holds many. */
  connectionId: string;
  /** Validated at once; see docs/configuration.md. */
  settings?: SyncSettingsInput;
  /** Progress and record events. A throwing listener never breaks a run. */
  onEvent?: (event: SyncEvent) => void;
  logger?: Logger;
  /** The engine's clock (run times, cursors). @default () => new Date() */
  clock?: () => Date;
  /**
   * Runs after the field mappings (`settings.netsuiteFields`) on every body the sync writes, for what
   * settings cannot say; its failure is that record's error. See docs/field-mappings.md.
   */
  transform?: FieldTransform;
}

/** Options of {@link SyncEngine.sync}. */
export interface SyncOptions {
  /** Why the run starts; shown in Recent Syncs. @default 'manual' */
  trigger?: RunTrigger;
  /** Stops the run at the next safe point (between records); what was done stays done and the next run resumes. */
  signal?: AbortSignal;
  /**
   * Plan instead of sync: resolve with a `SyncPlan` (each record that would be created, updated, linked,
   * voided, deleted, skipped or would fail, and why), writing to neither service and moving no cursor.
   * See docs/dry-run.md. @default false
   */
  dryRun?: boolean;
}

/** Options of {@link SyncEngine.syncRecords} and {@link SyncEngine.syncPending}. */
export interface TargetedSyncOptions {
  /** Shown in Recent Syncs. @default 'manual' (`syncPending`: 'webhook') */
  trigger?: RunTrigger;
  /** Stops the run at the next safe point (between records). */
  signal?: AbortSignal;
}

/** Runs syncs of one connection. */
export interface SyncEngine {
  readonly connectionId: string;
  readonly settings: SyncSettings;
  /**
   * Runs an accounting sync ("Sync Now"): the enabled phases in order. Resolves with the run as Recent
   * Syncs shows it (`succeeded`, `partial` when some records failed, `failed` with one clear error, or
   * `cancelled`); rejects with `SyncInProgressError` when the connection is already syncing.
   * @example
   * const run = await engine.sync();
   * if (run.status !== 'succeeded') for (const e of run.recordErrors) console.log(e.number, e.message, e.resolution);
   */
  sync(options?: SyncOptions & { dryRun?: false }): Promise<SyncRun>;
  /**
   * A dry run: computes what a sync would do now, without writing to either service or to the store's
   * links, cursors, retry queue or runs. Rejects with `SyncInProgressError` when the connection is syncing.
   * @example
   * const plan = await engine.sync({ dryRun: true });
   * for (const change of plan.changes) console.log(change.side, change.action, change.entity, change.number, change.reason);
   */
  sync(options: SyncOptions & { dryRun: true }): Promise<SyncPlan>;
  /** A sync or a dry run, as `options.dryRun` says (for a flag only known at run time). */
  sync(options?: SyncOptions): Promise<SyncRun | SyncPlan>;
  /**
   * A targeted run: syncs just these Invoiced records to NetSuite, with the same mapping, guards, links
   * and idempotency as a sync's phases (a record deleted on Invoiced is followed as a void), under the
   * connection's lease, recorded in Recent Syncs. No cursor moves. Rejects with `SyncInProgressError` when
   * the connection is syncing (retry after it: a record that run already wrote is then skipped as
   * unchanged), and with `ConfigurationError` for a bad target. See docs/real-time.md.
   * @example
   * const run = await engine.syncRecords([{ kind: 'payment', invoicedId: 2417 }]);
   */
  syncRecords(targets: readonly SyncRecordTarget[], options?: TargetedSyncOptions): Promise<SyncRun>;
  /**
   * A targeted run of the records named by the pending events of the store's inbox (put there by the
   * webhook handler, `@invoiced/netsuite-sync/webhooks`), which are then marked done. Resolves `null`,
   * starting no run, when none is pending. Rejects with `SyncInProgressError` when the connection is
   * syncing: the events wait, and the running sync takes them too.
   * @example
   * const run = await engine.syncPending(); // after a webhook was accepted
   */
  syncPending(options?: Omit<TargetedSyncOptions, 'trigger'>): Promise<SyncRun | null>;
  /**
   * Recent Syncs: the latest runs with their record errors, newest first. A run still `running` whose
   * connection lease is free (its process died) is closed as `abandoned` first.
   */
  recentSyncs(options?: ListRunsOptions): Promise<SyncRun[]>;
  /** One run with all its record errors, or `null`. */
  getSync(runId: string): Promise<SyncRun | null>;
  /** Records waiting to be retried, and ignored ones. */
  retryQueue(): Promise<RetryItem[]>;
  /** Puts a failed or ignored record back in line for the next run. */
  retry(key: string): Promise<void>;
  /** Stops retrying a failed record until it changes. */
  ignore(key: string): Promise<void>;
  /**
   * Starts (or, with the `jobId` of one that did not finish, resumes) a background import of every open
   * NetSuite invoice, with its customer, as phase `netsuite_invoices` imports them; phase cursors do not
   * move. Holds the connection's lease like `sync()`; see docs/import-jobs.md.
   * @example
   * const job = engine.importInvoices({ notify: (result) => sendEmail(`Import ${result.status}`, result.counts) });
   * const result = await job.done; // { status: 'succeeded', counts: { invoices_created: 980, ... }, runId, ... }
   */
  importInvoices(options?: ImportOptions): ImportJob;
  /**
   * Starts (or resumes) a background import of the whole NetSuite A/R customer list (active customers):
   * each matched by name, linked, created on Invoiced when missing, updated when its fields changed.
   * @example
   * const job = engine.importCustomers({ onProgress: ({ processed, total }) => console.log(processed, '/', total) });
   * console.log(job.id); // keep it: importCustomers({ jobId }) resumes the job after a restart
   * const result = await job.done;
   */
  importCustomers(options?: ImportOptions): ImportJob;
  /**
   * The checkpoint of an import job (status, cursor, progress, and its result once it ended), or `null`.
   * @example const checkpoint = await engine.getImport(job.id); // { status: 'running', processed: 400, total: 1200, ... }
   */
  getImport(jobId: string): Promise<ImportCheckpoint | null>;
}

/**
 * Creates the sync engine of one connection.
 *
 * @example
 * ```ts
 * import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
 *
 * const engine = createSyncEngine({ netsuite, invoiced, store: memoryStore(), connectionId: 'acme', settings: { items: { defaultItem: '12' } } });
 * const run = await engine.sync({ trigger: 'manual' });
 * ```
 */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  if (typeof options.connectionId !== 'string' || !/^[\w.:-]{1,200}$/.test(options.connectionId)) {
    throw new ConfigurationError('connectionId must be 1 to 200 letters, digits, or _ . : -', {
      issues: [{ path: 'connectionId', message: 'must match [A-Za-z0-9_.:-]{1,200}' }],
    });
  }
  const settings = parseSyncSettings(options.settings);
  const { store, connectionId } = options;
  const logger = adaptLogger(options.logger);
  const clock = options.clock ?? (() => new Date());
  const emit = (event: SyncEvent) => {
    try {
      options.onEvent?.(event);
    } catch (error) {
      logger?.warn?.('onEvent listener threw', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const deps: PhaseDeps = {
    netsuite: options.netsuite,
    invoiced: options.invoiced,
    writer: clientWriter(options.netsuite, options.invoiced),
    settings,
    store,
    connectionId,
    transform: options.transform,
  };

  const updateRetry = async (key: string, status: RetryItem['status']) => {
    const item = await store.getRetry(connectionId, key);
    if (item === null) throw new ConfigurationError(`No failed record with key "${key}".`, { code: 'UNKNOWN_RETRY_KEY', issues: [{ path: 'key', message: 'not in the retry queue' }] });
    await store.saveRetry(connectionId, { ...item, status, updatedAt: clock().toISOString() });
  };

  const newRunId = () => `${clock().toISOString().replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`;
  const imports = createImportJobs({ deps, clock, emit, logger, newRunId });

  const cancelled = () => ({
    code: 'CANCELLED',
    message: 'The run was stopped before it finished.',
    resolution: 'Run the sync again: completed records are not redone, and phases resume from their last completed cursor.',
  });
  const lifecycle = (trigger: RunTrigger, signal: AbortSignal | undefined, label: string) =>
    ({ store, connectionId, leaseTtlMs: settings.leaseTtlMs, signal, clock, emit, logger, trigger, runId: newRunId(), label }) as const;

  const sync = (syncOptions: SyncOptions = {}): Promise<SyncRun> => {
    const targets = new InboxTargets(store, connectionId, { only: false, fromInbox: true });
    return runLifecycle(lifecycle(syncOptions.trigger ?? 'manual', syncOptions.signal, 'sync'), {
      work: workWithTargets(PHASES, deps, targets, { prune: true, now: clock }),
      cancelled,
      finished: (_outcome, run) => run,
    });
  };

  // A targeted run: only the phases that sync Invoiced records by ID, only the records named.
  const targetedHooks = (explicit: readonly SyncTarget[]) => {
    const targets = new InboxTargets(store, connectionId, { only: true, explicit, fromInbox: explicit.length === 0 });
    return { work: workWithTargets(targetedPhases(PHASES), deps, targets, { prune: false, now: clock }), cancelled, finished: (_outcome: unknown, run: SyncRun) => run };
  };
  const syncRecords = async (targets: readonly SyncRecordTarget[], targetedOptions: TargetedSyncOptions = {}): Promise<SyncRun> => {
    const hooks = targetedHooks(parseSyncTargets(targets));
    return runLifecycle(lifecycle(targetedOptions.trigger ?? 'manual', targetedOptions.signal, 'targeted sync'), hooks);
  };
  const syncPending = (targetedOptions: { signal?: AbortSignal } = {}): Promise<SyncRun | null> =>
    runLifecycle<undefined, SyncRun | null>(lifecycle('webhook', targetedOptions.signal, 'targeted sync'), {
      ...targetedHooks([]),
      // Nothing pending for a phase to sync: no run is recorded.
      prepare: async () => ((await inboxNeedsRun(store, connectionId, targetedPhases(PHASES), (phase) => phase.enabled(settings))) ? { go: undefined } : { done: () => null }),
    });

  return {
    connectionId,
    settings,
    sync: ((syncOptions: SyncOptions = {}) =>
      syncOptions.dryRun === true ? planSync(deps, { phases: PHASES, clock, logger, signal: syncOptions.signal }) : sync(syncOptions)) as SyncEngine['sync'],
    syncRecords,
    syncPending,
    recentSyncs: async (recentOptions) => {
      const runs = await store.listRuns(connectionId, recentOptions);
      // A run shown running whose lease is free belongs to a process that died: closed, then shown as such.
      if (!runs.some((run) => run.status === 'running')) return runs;
      return (await closeAbandonedRunsIfFree(store, connectionId, clock, logger)) ? store.listRuns(connectionId, recentOptions) : runs;
    },
    getSync: (runId) => store.getRun(connectionId, runId),
    retryQueue: () => store.listRetries(connectionId),
    retry: (key) => updateRetry(key, 'pending'),
    ignore: (key) => updateRetry(key, 'ignored'),
    importInvoices: imports.importInvoices,
    importCustomers: imports.importCustomers,
    getImport: imports.getImport,
  };
}
