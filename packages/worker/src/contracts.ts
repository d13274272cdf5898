/**
 * The worker package's public shapes: a leaf that every other module of the package imports and that
 * imports none of them (type imports of the core only).
 */
import type { ImportResult, InboxEvent, InvoicedClient, Logger, NetSuiteClient, SyncEvent, SyncRun, SyncSettingsInput } from '@invoiced/netsuite-sync';
import type { PostgresConnection } from '@invoiced/netsuite-sync-store-postgres';

/**
 * What a job does: an accounting sync (scheduled or "Sync Now"), a webhook run (`sync_pending`: the records
 * named by the store inbox's pending events, `engine.syncPending()`), or one of the two import jobs.
 */
export type JobKind = 'sync' | 'sync_pending' | 'import_invoices' | 'import_customers';

/** The kinds of job, in a stable order. */
export const JOB_KINDS: readonly JobKind[] = ['sync', 'sync_pending', 'import_invoices', 'import_customers'];

/** A connection's schedule as given: every how long it syncs, with what spread, and whether it is paused. */
export interface ScheduleInput {
  /** `'1h'`, `'15m'`, `'90s'`, or milliseconds; from 1 second to 7 days. @default '1h' */
  every?: string | number;
  /** Each wait is `every × (1 ± jitter × u)`; from 0 to 1. @default 0.1 */
  jitter?: number;
  /** A paused connection is not scheduled; Sync Now and imports still run. @default false */
  paused?: boolean;
}

/** A connection's schedule as the registry holds it. */
export interface Schedule {
  readonly everyMs: number;
  readonly jitter: number;
  readonly paused: boolean;
}

/** A JSON value the user attaches to a connection or an import (for `clientsFor` and `onImportFinished`). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What {@link Fleet.registerConnection} takes. */
export interface ConnectionInput {
  /** The connection's ID, as the store knows it: 1 to 200 letters, digits or `_ . : -`. */
  id: string;
  /**
   * The NetSuite account ID (`1234567` or `1234567_SB1`). Connections that share an account share its
   * fleet-wide limit of runs at once.
   */
  netsuiteAccount: string;
  /**
   * A name for the Invoiced API key the connection uses (the Invoiced company's ID, say): never the key
   * itself. Connections with the same name share the key's fleet-wide limit of runs at once.
   */
  invoicedKeyId: string;
  /** The engine's settings, validated with the engine's schema at once and again when a job runs. */
  settings?: SyncSettingsInput;
  /** When it syncs on its own. */
  schedule?: ScheduleInput;
  /** Off: no job of the connection runs (scheduled, Sync Now or import). @default true */
  enabled?: boolean;
  /** Your own data for `clientsFor` (a tenant ID, a vault path): JSON, at most 16 KB. Never put a secret here. */
  metadata?: { readonly [key: string]: JsonValue };
}

/** What {@link Fleet.updateConnection} changes: any field but the ID. */
export type ConnectionPatch = Partial<Omit<ConnectionInput, 'id'>>;

/** A connection as the registry holds it. */
export interface Connection {
  readonly id: string;
  readonly netsuiteAccount: string;
  readonly invoicedKeyId: string;
  readonly enabled: boolean;
  readonly settings: SyncSettingsInput;
  readonly schedule: Schedule;
  readonly metadata: { readonly [key: string]: JsonValue };
  /** When its next scheduled sync is due; `null` while paused or disabled. */
  readonly nextRunAt: Date | null;
  /** The last job that ran: when it started and ended, its run and how it ended. */
  readonly lastRun: LastRun | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The last job of a connection that ran to an end. */
export interface LastRun {
  readonly kind: JobKind;
  readonly runId: string | null;
  /**
   * How it ended: its run's status, `deferred` (queued again) or `error` (retried by pg-boss). A
   * `sync_pending` job that found no pending event ends `succeeded` with `runId: null` (no run): `onJob`
   * sees it, and the connection's `lastRun` stays as it was.
   */
  readonly status: SyncRun['status'] | 'deferred' | 'error';
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** For a scheduled sync: how late it started after it was due, in milliseconds. */
  readonly lagMs: number | null;
}

/** The clients of one connection, as the user's `clientsFor` builds them from its own vault. */
export interface ConnectionClients {
  readonly netsuite: NetSuiteClient;
  readonly invoiced: InvoicedClient;
}

/** Builds a connection's clients when one of its jobs runs; credentials stay in the user's vault. */
export type ClientsFor = (connection: Connection, context: { readonly signal: AbortSignal }) => ConnectionClients | Promise<ConnectionClients>;

/** A job waiting or running, as {@link Fleet.status} shows it. */
export interface JobSummary {
  readonly jobId: string;
  readonly kind: JobKind;
  /** `manual` for Sync Now, `auto` for a scheduled sync, `webhook` for a webhook run, `import` for imports. */
  readonly trigger: 'manual' | 'auto' | 'webhook' | 'import';
  /** When it was queued (pending) or started (running). */
  readonly since: Date;
  /** The worker running it (running jobs only). */
  readonly workerId: string | null;
}

/** What {@link Fleet.status} answers for one connection. */
export interface ConnectionStatus {
  readonly connection: Connection;
  /** Jobs queued and not started, one per kind at most. */
  readonly pending: readonly JobSummary[];
  /** The job running now, if any. */
  readonly running: JobSummary | null;
  /** The latest runs of the connection (Recent Syncs), newest first. */
  readonly lastRuns: readonly SyncRun[];
}

/** What {@link Fleet.syncNow} and the imports answer. */
export interface Enqueued {
  readonly jobId: string;
  /** `false` when a job of this kind was already waiting: it was kept, and serves this request too. */
  readonly queued: boolean;
  /** The import job's ID in the store (`engine.getImport(importJobId)`); `null` for syncs and webhook runs. */
  readonly importJobId: string | null;
}

/** What an operator reads: jobs and how late schedules run. */
export interface FleetMetrics {
  readonly jobs: {
    /** Queued and due now. */
    readonly waiting: number;
    /** Queued for later: deferred by a fleet-wide limit or a held lease, or a retry waiting for its delay. */
    readonly deferred: number;
    readonly running: number;
    /** Failed for good (retries exhausted) and still kept by pg-boss. */
    readonly failed: number;
  };
  readonly connections: {
    readonly total: number;
    readonly enabled: number;
    readonly paused: number;
    /** Enabled, unpaused connections whose next run was due over a minute ago and has not been queued. */
    readonly overdue: number;
  };
  /** How late scheduled syncs started after they were due, over each connection's latest one, in ms. */
  readonly scheduleLag: { readonly p50: number | null; readonly p99: number | null; readonly max: number | null };
}

/** Fleet-wide limits of runs at once. */
export interface FleetLimits {
  /** Runs at once per NetSuite account, across every worker. @default 1 */
  perNetSuiteAccount?: number;
  /** Runs at once per Invoiced key (`invoicedKeyId`), across every worker. @default 2 */
  perInvoicedKey?: number;
}

/**
 * A fleet-wide limit kept in the registry, which every worker reads: the runs at once of one NetSuite
 * account or Invoiced key (`key`), or of every one of its kind without a limit of its own (`key: null`).
 * Where none is set, a worker uses its `limits` option.
 */
export interface FleetLimit {
  readonly scope: 'netsuite_account' | 'invoiced_key';
  readonly key: string | null;
  /** From 1 to 100. */
  readonly runs: number;
}

/** What {@link Fleet.setLimit} takes: `runs: null` removes the limit. */
export interface SetLimitInput {
  scope: FleetLimit['scope'];
  /** A NetSuite account ID or an Invoiced key name; `null` or absent for the default of the scope. */
  key?: string | null;
  runs: number | null;
}

/** The import that ended, for {@link WorkerOptions.onImportFinished}. */
export interface ImportFinished {
  readonly connection: Connection;
  readonly result: ImportResult;
  /** The `notify` value given to `importInvoices()` / `importCustomers()`. */
  readonly notify: JsonValue;
}

/** One job's end, for {@link WorkerOptions.onJob}. */
export interface JobEnded {
  readonly connectionId: string;
  readonly jobId: string;
  readonly kind: JobKind;
  readonly outcome: LastRun;
  readonly workerId: string;
  /** Why a job ended `error` (it is retried by pg-boss): the error's name, code and message. */
  readonly error: { readonly name: string; readonly code: string | null; readonly message: string } | null;
}

/** Options every part of the fleet shares: where its tables and pg-boss's are. */
export interface FleetLocation {
  /** The schema of the registry's tables. @default 'public' */
  schema?: string;
  /** The prefix of the registry's table names. @default 'netsuite_sync_worker_' */
  tablePrefix?: string;
  /** The schema pg-boss installs into. @default 'pgboss' */
  bossSchema?: string;
  /** The pg-boss queue of the fleet's jobs. @default 'netsuite-sync' */
  queue?: string;
  /** Where the store's tables are (`postgresStore()`'s `schema` and `tablePrefix`). */
  store?: { schema?: string; tablePrefix?: string };
}

/** Options of the worker: how many jobs it runs, how it gets clients, what it tells you. */
export interface WorkerRuntimeOptions {
  /** Builds a connection's clients for each job. */
  clientsFor: ClientsFor;
  /** Jobs this worker runs at once. @default 4 */
  concurrency?: number;
  /** A name for this worker in status and logs. @default `<hostname>-<pid>-<random>` */
  workerId?: string;
  limits?: FleetLimits;
  /** How often this worker looks for due connections, in ms (every worker does; they never double). @default 5000 */
  tickMs?: number;
  /** How often pg-boss looks for jobs, in seconds (at least 0.5). @default 2 */
  pollingIntervalSeconds?: number;
  /** A job whose worker stops heart-beating this long is retried elsewhere, in seconds (at least 10). @default 30 */
  heartbeatSeconds?: number;
  /** How often pg-boss checks heartbeats and expiry, in seconds. @default 10 */
  monitorIntervalSeconds?: number;
  /** Retention of Recent Syncs: runs older than this pruned, keeping the latest `keepLatest` of each connection. */
  retention?: { olderThan?: string | number; keepLatest?: number; every?: string | number } | false;
  /** On SIGTERM-style stop: how long jobs in flight may go on before they are cancelled, in ms. @default 30000 */
  drainMs?: number;
  /** Called after each job with its outcome; a listener that throws is logged. */
  onJob?: (event: JobEnded) => void;
  /** Called once per finished import (succeeded, partial, failed or cancelled for good), on the worker that ran it. */
  onImportFinished?: (event: ImportFinished) => void | Promise<void>;
  /** The engine's events of every run this worker makes, with the connection. */
  onEvent?: (connectionId: string, event: SyncEvent) => void;
  logger?: Logger;
}

/** Options of {@link Fleet}: the database and where things are in it. */
export interface FleetOptions extends FleetLocation {
  /** A `pg` `Pool` or PGlite: the Postgres of the store, the registry and pg-boss. The fleet never closes it. */
  database: PostgresConnection;
  logger?: Logger;
}

/** Options of a worker: the fleet's, and how this process runs jobs. */
export type WorkerOptions = FleetOptions & WorkerRuntimeOptions;

/** Options of {@link Fleet.listConnections}. */
export interface ListConnectionsOptions {
  /** At most this many, by ID. @default 100 (1 to 1000) */
  limit?: number;
  /** Only IDs after this one (the last ID of the previous page). */
  after?: string;
}

/** Options of {@link Fleet.importInvoices} and {@link Fleet.importCustomers}. */
export interface EnqueueImportOptions {
  /** Handed to `onImportFinished` when the import ends (who to e-mail, say): JSON, at most 16 KB. */
  notify?: JsonValue;
}

/** The registry and the queue, for the user's backend: register connections, ask for syncs, read status. */
export interface Fleet {
  /** Creates or upgrades the registry's tables, the store's and pg-boss's (for a deploy step); idempotent. */
  migrate(): Promise<void>;
  /** Adds a connection; its first scheduled sync is due within `every × jitter`. Rejects if the ID exists. */
  registerConnection(input: ConnectionInput): Promise<Connection>;
  /** Changes a connection; a new `every` or `jitter` reschedules it from now. */
  updateConnection(id: string, patch: ConnectionPatch): Promise<Connection>;
  /**
   * Takes a connection out of the registry and cancels its waiting jobs; a job running now goes on to its
   * end (its outcome is no longer recorded). The store keeps the connection's links and runs.
   */
  removeConnection(id: string): Promise<boolean>;
  getConnection(id: string): Promise<Connection | null>;
  listConnections(options?: ListConnectionsOptions): Promise<Connection[]>;
  /** Stops scheduling the connection (Sync Now and imports still run). */
  pause(id: string): Promise<Connection>;
  /** Schedules it again, next due within `every × jitter`. */
  resume(id: string): Promise<Connection>;
  /**
   * Queues a sync now, ahead of scheduled ones (a scheduled sync waiting is replaced by it). A Sync Now
   * already waiting serves this one too (`queued: false`).
   */
  syncNow(id: string): Promise<Enqueued>;
  /**
   * Queues a webhook run: a job that runs `engine.syncPending()` for the connection (the records named by
   * the pending events of the store's inbox), ahead of scheduled syncs. A webhook run waiting and not
   * started serves this one too (`queued: false`); one queued while a job of the connection runs waits for
   * it. A run that finds nothing pending (a sync took the events) ends with no run.
   */
  syncPending(id: string): Promise<Enqueued>;
  /**
   * The `onAccepted` of the webhook handler (`createInvoicedWebhookHandler` of
   * `@invoiced/netsuite-sync/webhooks`) for connection `id`: each call queues a webhook run, or joins the
   * one waiting. The ID is checked at once (a `ConfigurationError`); the handler logs a call that rejects.
   */
  webhookListener(id: string): (events: readonly InboxEvent[]) => Promise<void>;
  importInvoices(id: string, options?: EnqueueImportOptions): Promise<Enqueued>;
  importCustomers(id: string, options?: EnqueueImportOptions): Promise<Enqueued>;
  /**
   * Sets (or with `runs: null` removes) a fleet-wide limit for every worker: say, 3 runs at once for a
   * NetSuite account whose SuiteCloud Plus licences allow more concurrent requests. A job takes its slot
   * when it starts, so a change applies to jobs that start after it.
   */
  setLimit(limit: SetLimitInput): Promise<FleetLimit | null>;
  /** The limits set in the registry. */
  listLimits(): Promise<FleetLimit[]>;
  /** The connection, its next run, the job waiting or running, and its latest runs. */
  status(id: string, options?: { runs?: number }): Promise<ConnectionStatus>;
  metrics(): Promise<FleetMetrics>;
  /** Stops the fleet's pg-boss instance; the database stays open (it is yours). */
  close(): Promise<void>;
}

/** A running worker process's handle. */
export interface FleetWorker {
  readonly workerId: string;
  /** The jobs it runs now. */
  running(): readonly { readonly connectionId: string; readonly jobId: string; readonly kind: JobKind }[];
  /**
   * Drains: takes no new job, lets jobs in flight finish for up to `drainMs`, then cancels them at their
   * next safe point and queues them again for another worker. Resolves when they have ended.
   */
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  readonly done: Promise<void>;
}
