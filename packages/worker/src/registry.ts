/**
 * The connections registry: add, change, remove and read connections, and record the one job of each kind
 * a connection has waiting. Each change is one statement or one transaction.
 */
import { ConfigurationError, toValidationIssues } from '@invoiced/netsuite-sync';
import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Connection, ConnectionInput, ConnectionPatch, Enqueued, JobKind, JsonValue, ListConnectionsOptions } from './contracts';
import type { Database, Executor } from './database';
import { ConnectionExistsError, ConnectionNotFoundError, FleetError } from './errors';
import { parseConnectionId, parseConnectionInput, parseConnectionPatch } from './options';
import { enqueue, MANUAL_PRIORITY } from './queue';
import { isImport, parseConnectionRow, toConnection, triggerOf, type ConnectionRow } from './rows';
import type { Statements } from './sql';
import { z } from 'zod';

export interface Registry {
  readonly register: (input: ConnectionInput) => Promise<Connection>;
  readonly update: (id: string, patch: ConnectionPatch) => Promise<Connection>;
  readonly remove: (id: string) => Promise<boolean>;
  readonly get: (id: string) => Promise<Connection | null>;
  readonly list: (options?: ListConnectionsOptions) => Promise<Connection[]>;
  /** Queues a job of `kind` unless one is waiting (it answers that one); a Sync Now replaces a waiting scheduled sync. */
  readonly request: (id: string, kind: JobKind, notify: JsonValue) => Promise<Enqueued>;
}

const listOptions = z.strictObject({
  limit: z.number().int().min(1, 'must be from 1 to 1000').max(1000, 'must be from 1 to 1000').default(100),
  after: z.string().optional(),
});

export function createRegistry(db: Database, sql: Statements, boss: () => Promise<PgBoss>, queue: string): Registry {
  const one = async (executor: Executor, text: string, params: readonly unknown[]): Promise<ConnectionRow | null> => {
    const [row] = await executor.query(text, params);
    return row === undefined ? null : parseConnectionRow(row);
  };
  const row = (id: string) => one(db, sql.selectConnection, [id]);

  return {
    register: async (input) => {
      const c = parseConnectionInput(input);
      const inserted = await one(db, sql.insertConnection, [
        c.id, c.netsuiteAccount, c.invoicedKeyId, c.enabled, JSON.stringify(c.settings), JSON.stringify(c.metadata),
        c.schedule.everyMs, c.schedule.jitter, c.schedule.paused,
      ]);
      if (inserted === null) throw new ConnectionExistsError(c.id);
      return toConnection(inserted);
    },

    update: async (id, patch) => {
      const connectionId = parseConnectionId(id);
      const change = parseConnectionPatch(patch);
      return db.transaction(async (tx) => {
        const current = await one(tx, sql.selectConnectionForUpdate, [connectionId]);
        if (current === null) throw new ConnectionNotFoundError(connectionId);
        const everyMs = change.schedule?.everyMs ?? current.every_ms;
        const jitter = change.schedule?.jitter ?? current.jitter;
        const paused = change.schedule?.paused ?? current.paused;
        const enabled = change.enabled ?? current.enabled;
        const wasScheduled = current.enabled && !current.paused;
        const reschedule = everyMs !== current.every_ms || jitter !== current.jitter || (!wasScheduled && enabled && !paused);
        const updated = await one(tx, sql.updateConnection, [
          connectionId, change.netsuiteAccount ?? current.netsuite_account, change.invoicedKeyId ?? current.invoiced_key_id, enabled,
          JSON.stringify(change.settings ?? current.settings), JSON.stringify(change.metadata ?? current.metadata), everyMs, jitter, paused, reschedule,
        ]);
        if (updated === null) throw new ConnectionNotFoundError(connectionId);
        if (!enabled || paused) {
          // A scheduled sync queued before the pause would still run: it is cancelled with the schedule.
          const [waiting] = await tx.query<{ job_id: string }>(sql.takeAutoSync, [connectionId]);
          if (waiting !== undefined) await (await boss()).cancel(queue, waiting.job_id, { db: tx.boss });
        }
        return toConnection(updated);
      });
    },

    remove: async (id) => {
      const connectionId = parseConnectionId(id);
      const instance = await boss();
      return db.transaction(async (tx) => {
        const waiting = await tx.query<{ job_id: string }>(sql.pendingOf, [connectionId]);
        if (waiting.length > 0) await instance.cancel(queue, waiting.map((job) => job.job_id), { db: tx.boss });
        return (await tx.query(sql.deleteConnection, [connectionId])).length > 0;
      });
    },

    get: async (id) => {
      const found = await row(parseConnectionId(id));
      return found === null ? null : toConnection(found);
    },

    list: async (options = {}) => {
      const parsed = listOptions.safeParse(options);
      if (!parsed.success) {
        const issues = toValidationIssues(parsed.error.issues);
        throw new ConfigurationError(`Invalid list options: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}.`, {
          code: 'INVALID_FLEET_INPUT',
          issues,
          resolution: 'Pass { limit } from 1 to 1000 and { after } with the last ID of the previous page.',
        });
      }
      const { limit, after } = parsed.data;
      const rows = await db.query(sql.listConnections, [limit, after ?? null]);
      return rows.map((each) => toConnection(parseConnectionRow(each)));
    },

    request: async (id, kind, notify) => {
      const connectionId = parseConnectionId(id);
      const instance = await boss();
      return db.transaction(async (tx) => {
        const current = await one(tx, sql.selectConnectionForUpdate, [connectionId]);
        if (current === null) throw new ConnectionNotFoundError(connectionId);
        if (!current.enabled) {
          throw new FleetError(`Connection "${connectionId}" is disabled: no job of it runs.`, {
            code: 'CONNECTION_DISABLED',
            resolution: 'Enable it first: updateConnection(id, { enabled: true }).',
          });
        }
        const [live] = await tx.query<{ job_id: string; trigger: string }>(sql.livePending, [[connectionId], kind, queue]);
        if (live !== undefined && kind === 'sync' && live.trigger === 'auto') {
          // Sync Now runs ahead of scheduled syncs: the scheduled one waiting is cancelled (if a worker took
          // it meanwhile, it runs, and this Sync Now runs after it).
          await instance.cancel(queue, live.job_id, { db: tx.boss });
        } else if (live !== undefined) {
          const importJobId = isImport(kind) ? await importIdOf(tx, sql, queue, live.job_id) : null;
          return { jobId: live.job_id, queued: false, importJobId };
        }
        const importJobId = isImport(kind) ? `fleet-${randomUUID()}` : null;
        const [jobId] = await enqueue(instance, queue, tx, [
          { data: { connectionId, kind, dueAt: null, importJobId, notify, deferrals: 0 }, priority: MANUAL_PRIORITY },
        ]);
        await tx.query(sql.upsertPending, [connectionId, kind, jobId, triggerOf(kind, null)]);
        return { jobId: jobId as string, queued: true, importJobId };
      });
    },
  };
}

/** The import job ID a waiting job carries in its data. */
async function importIdOf(tx: Executor, sql: Statements, queue: string, jobId: string): Promise<string | null> {
  const [row] = await tx.query<{ import_job_id: unknown }>(sql.jobImportId, [queue, jobId]);
  return typeof row?.import_job_id === 'string' ? row.import_job_id : null;
}
