/**
 * `createFleet()`: the fleet's API for the user's backend. It registers and changes connections, queues
 * Sync Now and imports, and reads status and metrics. It runs no job: workers (`startWorker()`) do.
 */
import type { ConnectionStatus, Fleet, FleetLimit, FleetMetrics, FleetOptions, JobSummary, SetLimitInput } from './contracts';
import { openCore } from './core';
import { ConnectionNotFoundError } from './errors';
import { parseConnectionId, parseNotify, parseSetLimit } from './options';
import { createRegistry } from './registry';
import { parseConnectionRow, parseRow, pendingRow, toConnection, triggerOf } from './rows';
import { z } from 'zod';

const count = z.union([z.number(), z.string()]).transform(Number);
const optionalNumber = z.union([z.number(), z.string(), z.null()]).transform((value) => (value === null ? null : Number(value)));
const jobCounts = z.object({ waiting: count, deferred: count, running: count, failed: count });
const limitRow = z.object({ scope: z.enum(['netsuite_account', 'invoiced_key']), key: z.string(), runs: count });
const connectionCounts = z.object({ total: count, enabled: count, paused: count, overdue: count, lag_p50: optionalNumber, lag_p99: optionalNumber, lag_max: optionalNumber });

/**
 * Opens the fleet's API on `database` (a `pg` `Pool` or PGlite). It connects, and creates or upgrades its
 * tables and pg-boss's, on first use.
 *
 * @example
 * ```ts
 * const fleet = createFleet({ database: pool });
 * await fleet.registerConnection({ id: 'acme', netsuiteAccount: '1234567', invoicedKeyId: 'acme-invoiced', settings, schedule: { every: '1h' } });
 * const { jobId } = await fleet.syncNow('acme');
 * const status = await fleet.status('acme'); // next run, waiting and running jobs, latest runs
 * ```
 */
export function createFleet(options: FleetOptions): Fleet {
  const core = openCore(options, { supervise: false });
  const { db, sql, queue, store } = core;
  const ready = async () => {
    await core.boss();
  };
  const registry = createRegistry(db, sql, core.boss, queue);
  const withReady =
    <A extends unknown[], R>(work: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await ready();
      return work(...args);
    };

  const status = async (id: string, statusOptions: { runs?: number } = {}): Promise<ConnectionStatus> => {
    const connectionId = parseConnectionId(id);
    const runs = z.number().int().min(0).max(100).default(5).parse(statusOptions.runs);
    const [row] = await db.query(sql.selectConnection, [connectionId]);
    if (row === undefined) throw new ConnectionNotFoundError(connectionId);
    const parsed = parseConnectionRow(row);
    const pending: JobSummary[] = (await db.query(sql.pendingOf, [connectionId])).map((each) => {
      const p = parseRow(pendingRow, each, 'pending job row');
      return { jobId: p.job_id, kind: p.kind, trigger: p.trigger, since: p.queued_at, workerId: null };
    });
    const running: JobSummary | null =
      parsed.running_job === null || parsed.running_kind === null || parsed.running_since === null
        ? null
        : { jobId: parsed.running_job, kind: parsed.running_kind, trigger: parsed.running_trigger ?? (parsed.running_kind === 'sync' ? 'auto' : triggerOf(parsed.running_kind, null)), since: parsed.running_since, workerId: parsed.running_worker };
    const lastRuns = runs === 0 ? [] : await store.listRuns(connectionId, { limit: runs });
    return { connection: toConnection(parsed), pending, running, lastRuns };
  };

  const metrics = async (): Promise<FleetMetrics> => {
    const [jobsRow] = await db.query(sql.jobCounts, [queue]);
    const [connectionsRow] = await db.query(sql.connectionCounts);
    const jobs = parseRow(jobCounts, jobsRow, 'job counts');
    const c = parseRow(connectionCounts, connectionsRow, 'connection counts');
    return {
      jobs,
      connections: { total: c.total, enabled: c.enabled, paused: c.paused, overdue: c.overdue },
      scheduleLag: { p50: c.lag_p50, p99: c.lag_p99, max: c.lag_max },
    };
  };

  const syncPending = withReady((id: string) => registry.request(id, 'sync_pending', null));

  const setLimit = async (input: SetLimitInput): Promise<FleetLimit | null> => {
    const limit = parseSetLimit(input);
    if (limit.runs === null) {
      await db.query(sql.deleteLimit, [limit.scope, limit.key ?? '']);
      return null;
    }
    await db.query(sql.setLimit, [limit.scope, limit.key ?? '', limit.runs]);
    return { scope: limit.scope, key: limit.key, runs: limit.runs };
  };

  const listLimits = async (): Promise<FleetLimit[]> =>
    (await db.query(sql.listLimits)).map((row) => {
      const parsed = parseRow(limitRow, row, 'limit row');
      return { scope: parsed.scope, key: parsed.key === '' ? null : parsed.key, runs: parsed.runs };
    });

  return {
    migrate: ready,
    setLimit: withReady(setLimit),
    listLimits: withReady(listLimits),
    registerConnection: withReady(registry.register),
    updateConnection: withReady(registry.update),
    removeConnection: withReady(registry.remove),
    getConnection: withReady(registry.get),
    listConnections: withReady(registry.list),
    pause: withReady((id: string) => registry.update(id, { schedule: { paused: true } })),
    resume: withReady((id: string) => registry.update(id, { schedule: { paused: false } })),
    syncNow: withReady((id: string) => registry.request(id, 'sync', null)),
    syncPending,
    webhookListener: (id: string) => {
      const connectionId = parseConnectionId(id);
      return async () => {
        await syncPending(connectionId);
      };
    },
    importInvoices: withReady((id: string, importOptions: { notify?: unknown } = {}) => registry.request(id, 'import_invoices', parseNotify(importOptions.notify))),
    importCustomers: withReady((id: string, importOptions: { notify?: unknown } = {}) => registry.request(id, 'import_customers', parseNotify(importOptions.notify))),
    status: withReady(status),
    metrics: withReady(metrics),
    close: () => core.stop({ graceful: false }),
  };
}
