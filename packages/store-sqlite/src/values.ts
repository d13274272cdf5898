/**
 * zod schemas of the contract's values: what callers pass is validated before any statement runs, and
 * what the store reads back is parsed before it is returned.
 */
import { ConfigurationError } from '@invoiced/netsuite-sync';
import type { EntityKind, RetryItem, RunStatus } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { SqliteRowError, validationIssues } from './errors';
import { decodeText } from './text';

/** Any text: NUL characters and unpaired surrogates included (see `text.ts`). */
export const text = z.string();
/** An identifier: connection, run, job, phase, holder, key, record IDs. Any non-empty text. */
export const identifier = z.string().min(1);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * A time of the contract, exactly as `Date.prototype.toISOString()` writes it for years 0000-9999: the
 * store keeps it as text, so its order is the order of the text.
 */
export const isoTime = z
  .string()
  .regex(ISO_TIME, 'must be an ISO 8601 UTC time such as 2026-11-24T10:00:00.000Z')
  .refine((value) => {
    const time = Date.parse(value);
    return !Number.isNaN(time) && new Date(time).toISOString() === value;
  }, 'must be a valid time');

export const entityKind = z.enum(['customer', 'invoice', 'payment', 'creditNote'] satisfies EntityKind[]);
export const side = z.enum(['netsuite', 'invoiced']);
export const direction = z.enum(['netsuite_to_invoiced', 'invoiced_to_netsuite']);
export const runTrigger = z.enum(['manual', 'auto', 'import', 'retry']);
export const runStatus = z.enum(['running', 'succeeded', 'partial', 'failed', 'cancelled', 'abandoned'] satisfies RunStatus[]);
const finishedStatus = z.enum(['succeeded', 'partial', 'failed', 'cancelled', 'abandoned'] satisfies Exclude<RunStatus, 'running'>[]);
export const retryStatus = z.enum(['pending', 'ignored'] satisfies RetryItem['status'][]);
export const checkpointKind = z.enum(['invoices', 'customers']);
export const checkpointStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/** A non-negative safe integer (a count, a number of attempts). */
const count = z.number().int().nonnegative();

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
export const runError = z.object({ code: text, message: text, resolution: text.nullable() });
/** A run's counters: finite numbers by name (JSON cannot hold NaN or Infinity). */
export const counts = z.record(text, z.number());

/** The arguments of each method, as objects of named arguments (so that issues name the argument). */
export const argumentsOf = {
  lease: z.object({ connectionId: identifier, holder: identifier, ttlMs: z.number().nonnegative() }),
  releaseLease: z.object({ connectionId: identifier, holder: identifier }),
  getCursor: z.object({ connectionId: identifier, phase: identifier }),
  setCursor: z.object({ connectionId: identifier, phase: identifier, value: text }),
  findLink: z.object({ connectionId: identifier, kind: entityKind, id: identifier }),
  saveLink: z.object({
    connectionId: identifier,
    link: z.object({ kind: entityKind, invoicedId: identifier, netsuiteId: identifier, origin: side, fingerprint: text.nullable() }),
  }),
  listLinks: z.object({ connectionId: identifier, kind: entityKind }),
  startRun: z.object({ connectionId: identifier, run: z.object({ id: identifier, trigger: runTrigger, startedAt: isoTime }) }),
  addRecordErrors: z.object({ connectionId: identifier, runId: identifier, errors: z.array(recordError) }),
  finishRun: z.object({
    connectionId: identifier,
    runId: identifier,
    outcome: z.object({ status: finishedStatus, finishedAt: isoTime, counts, error: runError.nullable() }),
  }),
  getRun: z.object({ connectionId: identifier, runId: identifier }),
  listRuns: z.object({
    connectionId: identifier,
    options: z.object({ limit: z.number().int().optional(), errorsPerRun: z.number().int().optional(), status: runStatus.optional() }).optional(),
  }),
  saveRetry: z.object({
    connectionId: identifier,
    item: z.object({
      key: identifier,
      entity: entityKind,
      direction,
      sourceId: identifier,
      number: text.nullable(),
      attempts: count,
      lastError: z.object({ code: text, message: text, resolution: text }),
      status: retryStatus,
      fingerprint: text.nullable(),
      updatedAt: isoTime,
    }),
  }),
  retryKey: z.object({ connectionId: identifier, key: identifier }),
  listRetries: z.object({ connectionId: identifier, options: z.object({ status: retryStatus.optional() }).optional() }),
  saveCheckpoint: z.object({
    connectionId: identifier,
    checkpoint: z.object({
      jobId: identifier,
      kind: checkpointKind,
      status: checkpointStatus,
      cursor: text.nullable(),
      processed: count,
      total: count.nullable(),
      result: z.record(z.string(), z.json()).nullable(),
      updatedAt: isoTime,
    }),
  }),
  getCheckpoint: z.object({ connectionId: identifier, jobId: identifier }),
};

/**
 * Validates the arguments of a store method, or throws `ConfigurationError` (`INVALID_ARGUMENT`) listing
 * the fields that are wrong, never their values.
 */
export function parseArguments<T extends z.ZodType>(operation: string, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = validationIssues(parsed.error.issues);
  const first = issues[0];
  throw new ConfigurationError(`Invalid arguments to the SQLite store's ${operation}${first === undefined ? '' : ` (${first.path}: ${first.message})`}.`, {
    code: 'INVALID_ARGUMENT',
    issues,
    resolution: 'Pass values of the SyncStore contract: non-empty IDs, ISO 8601 UTC times such as 2026-11-24T10:00:00.000Z, finite counts, and JSON checkpoint results.',
  });
}

/** A stored string column (TEXT, or the BLOB of a string with unpaired surrogates), decoded. */
export const storedText = z.union([z.string(), z.instanceof(Uint8Array)]).transform(decodeText);
/** A stored integer (`node:sqlite` reads INTEGER as a number unless it is told to read bigints). */
export const integer = z.number().int();

/** A TEXT column holding JSON, parsed then checked against `schema`. */
export function jsonColumn<T extends z.ZodType>(schema: T): z.ZodPipe<z.ZodTransform<unknown, string>, T> {
  return z
    .string()
    .transform((value, context): unknown => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must hold JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema) as unknown as z.ZodPipe<z.ZodTransform<unknown, string>, T>;
}

/** Parses rows with `schema`, or throws {@link SqliteRowError} naming the table and the columns that are wrong. */
export function parseRows<T extends z.ZodType>(schema: T, rows: readonly unknown[], table: string, operation: string): z.output<T>[] {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new SqliteRowError(operation, table, validationIssues(parsed.error.issues));
    return parsed.data;
  });
}
