/**
 * `@invoiced/netsuite-sync-worker`: many connections on many machines. A connections registry in Postgres,
 * persisted schedules, Sync Now and imports as pg-boss jobs keyed by connection (one job of a connection
 * at a time across the fleet), fleet-wide limits per NetSuite account and Invoiced key, any number of
 * workers that drain on stop, retention of old runs. See docs/scaling.md.
 *
 * @packageDocumentation
 */
export { createFleet } from './fleet';
export { startWorker } from './worker';
export { ConnectionExistsError, ConnectionNotFoundError, FleetError } from './errors';
export { JOB_KINDS } from './contracts';
export type {
  ClientsFor,
  Connection,
  ConnectionClients,
  ConnectionInput,
  ConnectionPatch,
  ConnectionStatus,
  Enqueued,
  EnqueueImportOptions,
  Fleet,
  FleetLimit,
  FleetLimits,
  FleetLocation,
  FleetMetrics,
  FleetOptions,
  FleetWorker,
  ImportFinished,
  JobEnded,
  JobKind,
  JobSummary,
  JsonValue,
  LastRun,
  ListConnectionsOptions,
  Schedule,
  ScheduleInput,
  SetLimitInput,
  WorkerOptions,
  WorkerRuntimeOptions,
} from './contracts';
