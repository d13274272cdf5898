/**
 * The registry's rows as the database answers them, checked with zod: `pg` and PGlite differ (dates,
 * `bigint`, `jsonb` as objects or text), and a row that does not parse is a typed error, never a guess.
 */
import type { SyncSettingsInput } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import type { Connection, JobKind, JobSummary, JsonValue, LastRun } from './contracts';
import { FleetError } from './errors';

const date = z.union([z.date(), z.string(), z.number()]).transform((value, context) => {
  const parsed = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    context.addIssue({ code: 'custom', message: 'is not a time' });
    return z.NEVER;
  }
  return parsed;
});
const integer = z.union([z.number(), z.string(), z.bigint()]).transform((value) => Number(value));
const json = z.unknown().transform((value) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value));
const kind = z.enum(['sync', 'sync_pending', 'import_invoices', 'import_customers']);
const trigger = z.enum(['manual', 'auto', 'webhook', 'import']);

const connectionRow = z.object({
  id: z.string(),
  netsuite_account: z.string(),
  invoiced_key_id: z.string(),
  enabled: z.boolean(),
  settings: json,
  metadata: json,
  every_ms: integer,
  jitter: z.number(),
  paused: z.boolean(),
  next_run_at: date.nullable(),
  running_job: z.string().nullable(),
  running_kind: kind.nullable(),
  running_since: date.nullable(),
  running_worker: z.string().nullable(),
  running_trigger: trigger.nullable(),
  last_kind: kind.nullable(),
  last_run_id: z.string().nullable(),
  last_status: z.string().nullable(),
  last_started_at: date.nullable(),
  last_finished_at: date.nullable(),
  last_lag_ms: integer.nullable(),
  created_at: date,
  updated_at: date,
});

export type ConnectionRow = z.output<typeof connectionRow>;

export function parseRow<T>(schema: z.ZodType<T>, row: unknown, what: string): T {
  const parsed = schema.safeParse(row);
  if (!parsed.success) {
    throw new FleetError(`The database answered a ${what} the worker cannot read (${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}).`, {
      code: 'FLEET_INVALID_ROW',
      resolution: 'Check that every worker runs the same version of @invoiced/netsuite-sync-worker and that the registry tables were not changed by hand.',
    });
  }
  return parsed.data;
}

export const parseConnectionRow = (row: unknown): ConnectionRow => parseRow(connectionRow, row, 'connection row');

export function toConnection(row: ConnectionRow): Connection {
  const lastRun: LastRun | null =
    row.last_kind === null || row.last_started_at === null || row.last_finished_at === null
      ? null
      : {
          kind: row.last_kind,
          runId: row.last_run_id,
          status: (row.last_status ?? 'error') as LastRun['status'],
          startedAt: row.last_started_at,
          finishedAt: row.last_finished_at,
          lagMs: row.last_lag_ms,
        };
  return {
    id: row.id,
    netsuiteAccount: row.netsuite_account,
    invoicedKeyId: row.invoiced_key_id,
    enabled: row.enabled,
    settings: row.settings as SyncSettingsInput,
    schedule: { everyMs: row.every_ms, jitter: row.jitter, paused: row.paused },
    metadata: row.metadata as { readonly [key: string]: JsonValue },
    nextRunAt: row.next_run_at,
    lastRun,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** How a job came to be queued. */
export type Trigger = JobSummary['trigger'];

/** The trigger a job of `kind` is queued with (a sync's: `auto` when it was due on its schedule). */
export function triggerOf(kind: JobKind, dueAt: string | null): Trigger {
  if (kind === 'sync') return dueAt === null ? 'manual' : 'auto';
  return kind === 'sync_pending' ? 'webhook' : 'import';
}

/** Imports resume where they stopped, so each is its own job; a sync or a webhook run waiting serves another of its kind. */
export const isImport = (kind: JobKind): boolean => kind === 'import_invoices' || kind === 'import_customers';

export const pendingRow = z.object({ kind, job_id: z.string(), trigger, queued_at: date });

/** What a queued job carries in pg-boss. */
export const jobData = z.object({
  connectionId: z.string(),
  kind,
  /** When a scheduled sync was due. */
  dueAt: z.string().nullable().default(null),
  importJobId: z.string().nullable().default(null),
  notify: z.unknown().default(null),
  /** How many times it was put back (a limit or the lease was held). */
  deferrals: z.number().int().min(0).default(0),
});

export type JobData = z.output<typeof jobData>;
