/**
 * zod schemas of the contract's values, used twice: to validate what callers pass to the store before any
 * statement runs, and to parse what the store reads back.
 */
import { ConfigurationError } from '@invoiced/netsuite-sync';
import type { EntityKind, RetryItem, RunStatus } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { validationIssues } from './errors';

/**
 * Any text. NUL characters and unpaired surrogates, which Postgres `text` cannot hold, are taken too: the
 * store encodes every string it writes (see `text-encoding.ts`).
 */
export const text = z.string();
/** An identifier: connection, run, job, phase, holder, key, record IDs. Any non-empty text. */
export const identifier = z.string().min(1);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * A time of the contract, exactly as `Date.prototype.toISOString()` writes it for years 0000-9999
 * (`2026-11-24T10:00:00.000Z`): the store keeps it as text, so its order is the order of the text.
 */
export const isoTime = z
  .string()
  .regex(ISO_TIME, 'must be an ISO 8601 UTC time such as 2026-11-24T10:00:00.000Z')
  .refine((value) => {
    const time = Date.parse(value);
    return !Number.isNaN(time) && new Date(time).toISOString() === value;
  }, 'must be a valid time');

/** `EntityKind` of the contract. */
export const entityKind = z.enum(['customer', 'invoice', 'payment', 'creditNote'] satisfies EntityKind[]);
/** `Side`: where a linked record was first created. */
export const side = z.enum(['netsuite', 'invoiced']);
/** `Direction`: which way a record flows. */
export const direction = z.enum(['netsuite_to_invoiced', 'invoiced_to_netsuite']);
/** `RunTrigger`: why a run was started. */
export const runTrigger = z.enum(['manual', 'auto', 'import', 'retry']);
/** `RunStatus`, `running` included (what a stored run can be). */
export const runStatus = z.enum(['running', 'succeeded', 'partial', 'failed', 'cancelled', 'abandoned'] satisfies RunStatus[]);
/** The statuses `finishRun` takes (every `RunStatus` but `running`). */
export const finishedStatus = z.enum(['succeeded', 'partial', 'failed', 'cancelled', 'abandoned'] satisfies Exclude<RunStatus, 'running'>[]);
/** `RetryItem['status']`. */
export const retryStatus = z.enum(['pending', 'ignored'] satisfies RetryItem['status'][]);
/** `ImportCheckpoint['kind']`. */
export const checkpointKind = z.enum(['invoices', 'customers']);
/** `ImportCheckpoint['status']`. */
export const checkpointStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/** A non-negative safe integer (a count, a number of attempts). */
const count = z.number().int().nonnegative();

/** A `RecordError` passed to `addRecordErrors`. */
export const recordError = z.object({
  entity: entityKind,
  direction,
  sourceId: identifier,
  number: text.nullable(),
  code: text,
  message: text,
  resolution: text,
  occurredAt: isoTime,
});

/** A `RunError`: the whole-run error of `finishRun`. */
export const runError = z.object({ code: text, message: text, resolution: text.nullable() });

/** A run's counters: finite numbers by name (JSON cannot hold NaN or Infinity). */
export const counts = z.record(text, z.number());

/** The link `saveLink` takes (`updatedAt` is the store's to set; extra properties are dropped). */
export const linkInput = z.object({
  kind: entityKind,
  invoicedId: identifier,
  netsuiteId: identifier,
  origin: side,
  fingerprint: text.nullable(),
});

/** A `RetryItem` passed to `saveRetry`. */
export const retryItem = z.object({
  key: identifier,
  entity: entityKind,
  direction,
  sourceId: identifier,
  number: text.nullable(),
  attempts: count.max(2_147_483_647),
  lastError: z.object({ code: text, message: text, resolution: text }),
  status: retryStatus,
  fingerprint: text.nullable(),
  updatedAt: isoTime,
});

/** An `ImportCheckpoint` passed to `saveCheckpoint`; its `result` must be JSON. */
export const checkpoint = z.object({
  jobId: identifier,
  kind: checkpointKind,
  status: checkpointStatus,
  cursor: text.nullable(),
  processed: count,
  total: count.nullable(),
  result: z.record(z.string(), z.json()).nullable(),
  updatedAt: isoTime,
});

/** What `startRun` takes. */
export const runStart = z.object({ id: identifier, trigger: runTrigger, startedAt: isoTime });

/** The outcome `finishRun` takes. */
export const runOutcome = z.object({
  status: finishedStatus,
  finishedAt: isoTime,
  counts,
  error: runError.nullable(),
});

/** `ListRunsOptions`: integers (negative ones count as 0, as in the memory store), and a status to filter by. */
export const listRunsOptions = z
  .object({ limit: z.number().int().optional(), errorsPerRun: z.number().int().optional(), status: runStatus.optional() })
  .optional();

/** The options of `listRetries`. */
export const listRetriesOptions = z.object({ status: retryStatus.optional() }).optional();

/** A lease's time to live in milliseconds. */
export const ttlMs = z.number().nonnegative();

/**
 * Validates the arguments of a store method (as an object of named arguments), or throws
 * `ConfigurationError` (`INVALID_ARGUMENT`) listing the fields that are wrong, never their values.
 */
export function parseArguments<T extends z.ZodType>(operation: string, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = validationIssues(parsed.error.issues);
  const first = issues[0];
  throw new ConfigurationError(`Invalid arguments to the Postgres store's ${operation}${first === undefined ? '' : ` (${first.path}: ${first.message})`}.`, {
    code: 'INVALID_ARGUMENT',
    issues,
    resolution: 'Pass values of the SyncStore contract: non-empty IDs, ISO 8601 UTC times such as 2026-11-24T10:00:00.000Z, finite counts, and JSON checkpoint results.',
  });
}
