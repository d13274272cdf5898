/**
 * zod schemas of the {@link SyncStore} contract's values, for stores that validate what callers pass before
 * any statement runs and parse what they read back (the Postgres and SQLite stores both build on them).
 * Each schema is checked against the contract's types with `satisfies`, so a change to the contract that
 * the schemas do not follow fails to compile.
 */
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { ValidationIssue } from '../errors';
import type {
  Direction,
  EntityKind,
  ImportCheckpoint,
  InboxEvent,
  ListRunsOptions,
  RecordError,
  RetryItem,
  RunError,
  RunStatus,
  RunTrigger,
  Side,
  SyncLink,
  SyncRun,
  SyncStore,
} from './sync-store';

/**
 * Every member of a union of strings, each as its own value: `satisfies Members<T>` fails to compile when
 * the union gains a member the object lacks, or the object names one the union does not have.
 */
type Members<T extends string> = { readonly [K in T]: K };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Any text: NUL characters and unpaired surrogates included (a store that cannot hold them encodes them). */
const text = z.string();
/** An identifier: connection, run, job, phase, holder, key, record IDs. Any non-empty text. */
const identifier = z.string().min(1);
/**
 * A time of the contract, exactly as `Date.prototype.toISOString()` writes it for years 0000-9999
 * (`2026-11-24T10:00:00.000Z`): kept as text, its order is the order of the text.
 */
const isoTime = z
  .string()
  .regex(ISO_TIME, 'must be an ISO 8601 UTC time such as 2026-11-24T10:00:00.000Z')
  .refine((value) => {
    const time = Date.parse(value);
    return !Number.isNaN(time) && new Date(time).toISOString() === value;
  }, 'must be a valid time');
/** A non-negative safe integer (a count, a number of attempts). */
const count = z.number().int().nonnegative();

const entityKind = z.enum({ customer: 'customer', invoice: 'invoice', payment: 'payment', creditNote: 'creditNote', refund: 'refund' } satisfies Members<EntityKind>);
const side = z.enum({ netsuite: 'netsuite', invoiced: 'invoiced' } satisfies Members<Side>);
const direction = z.enum({ netsuite_to_invoiced: 'netsuite_to_invoiced', invoiced_to_netsuite: 'invoiced_to_netsuite' } satisfies Members<Direction>);
const runTrigger = z.enum({ manual: 'manual', auto: 'auto', import: 'import', retry: 'retry', webhook: 'webhook' } satisfies Members<RunTrigger>);
const finishedStatuses = {
  succeeded: 'succeeded',
  partial: 'partial',
  failed: 'failed',
  cancelled: 'cancelled',
  abandoned: 'abandoned',
} satisfies Members<Exclude<RunStatus, 'running'>>;
const runStatus = z.enum({ running: 'running', ...finishedStatuses } satisfies Members<RunStatus>);
const finishedStatus = z.enum(finishedStatuses);
const retryStatus = z.enum({ pending: 'pending', ignored: 'ignored' } satisfies Members<RetryItem['status']>);
const eventStatus = z.enum({ pending: 'pending', done: 'done' } satisfies Members<InboxEvent['status']>);
const checkpointKind = z.enum({ invoices: 'invoices', customers: 'customers' } satisfies Members<ImportCheckpoint['kind']>);
const checkpointStatus = z.enum({
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} satisfies Members<ImportCheckpoint['status']>);

const recordError = z.object({
  entity: entityKind,
  direction,
  sourceId: identifier,
  number: text.nullable(),
  code: text,
  message: text,
  resolution: text,
  occurredAt: isoTime,
}) satisfies z.ZodType<RecordError>;
/** An event of the inbox as `addEvent` takes it (without its status). */
const inboxEventFields = z.object({
  id: identifier,
  type: identifier,
  entity: entityKind,
  sourceId: identifier,
  occurredAt: isoTime,
  receivedAt: isoTime,
}) satisfies z.ZodType<Omit<InboxEvent, 'status'>>;
const runError = z.object({ code: text, message: text, resolution: text.nullable() }) satisfies z.ZodType<RunError>;
/** Finite numbers by name (JSON cannot hold NaN or Infinity). */
const counts = z.record(text, z.number()) satisfies z.ZodType<SyncRun['counts']>;

/**
 * zod schemas of the values of the {@link SyncStore} contract, for stores written in TypeScript:
 * validate what a method is given with {@link parseStoreArguments} (wrapped in an object of named
 * arguments, so that issues name the argument), and reuse the enums in the schemas of stored rows.
 *
 * - `text`: any string; `identifier`: a non-empty string (connection, run, job, phase, holder, key, record IDs).
 * - `isoTime`: a time exactly as `toISOString()` writes it, e.g. `2026-11-24T10:00:00.000Z`.
 * - `count`: a non-negative integer; `ttlMs`: a lease's non-negative time to live.
 * - The enums `entityKind`, `side`, `direction`, `runTrigger`, `runStatus`, `finishedStatus` (every
 *   `RunStatus` but `running`), `retryStatus`, `eventStatus`, `checkpointKind`, `checkpointStatus`.
 * - The arguments `link` (of `saveLink`, without `updatedAt`), `runStart`, `recordError`, `runOutcome`
 *   (with `runError` and `counts`), `listRunsOptions`, `retryItem`, `listRetriesOptions`, `checkpoint`
 *   (its `result` must be JSON), `newEvent` (of `addEvent`), `listPendingEventsOptions`, `eventIds` (of
 *   `completeEvents`); `inboxEvent` is a whole event with its status, as a store reads it back.
 *
 * Object schemas drop unknown properties. Extend one for a limit of your own, e.g. a 32-bit column.
 *
 * @example
 * ```ts
 * import { parseStoreArguments, storeValueSchemas as values } from '@invoiced/netsuite-sync';
 * import type { SyncLink } from '@invoiced/netsuite-sync';
 * import { z } from 'zod';
 * declare const link: SyncLink;
 *
 * const saveLinkArguments = z.object({ connectionId: values.identifier, link: values.link });
 * const args = parseStoreArguments('Redis store', 'saveLink', saveLinkArguments, { connectionId: 'acme', link });
 * const retryItem = values.retryItem.extend({ attempts: values.count.max(2_147_483_647) });
 * ```
 */
export const storeValueSchemas = {
  text,
  identifier,
  isoTime,
  count,
  ttlMs: z.number().nonnegative(),
  entityKind,
  side,
  direction,
  runTrigger,
  runStatus,
  finishedStatus,
  retryStatus,
  eventStatus,
  checkpointKind,
  checkpointStatus,
  recordError,
  runError,
  counts,
  link: z.object({
    kind: entityKind,
    invoicedId: identifier,
    netsuiteId: identifier,
    origin: side,
    fingerprint: text.nullable(),
  }) satisfies z.ZodType<Omit<SyncLink, 'updatedAt'>>,
  runStart: z.object({ id: identifier, trigger: runTrigger, startedAt: isoTime }) satisfies z.ZodType<Parameters<SyncStore['startRun']>[1]>,
  runOutcome: z.object({
    status: finishedStatus,
    finishedAt: isoTime,
    counts,
    error: runError.nullable(),
  }) satisfies z.ZodType<Parameters<SyncStore['finishRun']>[2]>,
  /** Integers (a store treats negative ones as 0, as the memory store does), and a status to filter by. */
  listRunsOptions: z
    .object({ limit: z.number().int().optional(), errorsPerRun: z.number().int().optional(), status: runStatus.optional() })
    .optional() satisfies z.ZodType<ListRunsOptions | undefined>,
  retryItem: z.object({
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
  }) satisfies z.ZodType<RetryItem>,
  listRetriesOptions: z.object({ status: retryStatus.optional() }).optional() satisfies z.ZodType<Parameters<SyncStore['listRetries']>[1]>,
  /** IDs and non-empty types; the times as `toISOString()` writes them. */
  newEvent: inboxEventFields satisfies z.ZodType<Parameters<SyncStore['addEvent']>[1]>,
  inboxEvent: inboxEventFields.extend({ status: eventStatus }) satisfies z.ZodType<InboxEvent>,
  /** An integer limit (a store treats a negative one as 0, as with `listRunsOptions`). */
  listPendingEventsOptions: z.object({ limit: z.number().int().optional() }).optional() satisfies z.ZodType<Parameters<SyncStore['listPendingEvents']>[1]>,
  eventIds: z.array(identifier) satisfies z.ZodType<Parameters<SyncStore['completeEvents']>[1]>,
  checkpoint: z.object({
    jobId: identifier,
    kind: checkpointKind,
    status: checkpointStatus,
    cursor: text.nullable(),
    processed: count,
    total: count.nullable(),
    result: z.record(z.string(), z.json()).nullable(),
    updatedAt: isoTime,
  }) satisfies z.ZodType<ImportCheckpoint>,
} as const;

/**
 * Validates the arguments of a store method, or throws `ConfigurationError` (`INVALID_ARGUMENT`) that
 * names the store, the method and the first wrong field, and lists every wrong field in `issues`: never
 * their values.
 *
 * @param store - How the message names the store, e.g. `Postgres store`.
 * @param operation - The method, e.g. `saveLink`.
 * @param schema - Usually a `z.object` of the named arguments, built from {@link storeValueSchemas}.
 * @returns What `schema` outputs.
 * @example
 * ```ts
 * import { parseStoreArguments, storeValueSchemas as values } from '@invoiced/netsuite-sync';
 * import { z } from 'zod';
 *
 * parseStoreArguments('Redis store', 'getRun', z.object({ connectionId: values.identifier, runId: values.identifier }), { connectionId: 'acme', runId: '' });
 * // throws ConfigurationError: Invalid arguments to the Redis store's getRun (runId: Too small: expected string to have >=1 characters).
 * ```
 */
export function parseStoreArguments<T extends z.ZodType>(store: string, operation: string, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toValidationIssues(parsed.error.issues);
  const first = issues[0];
  throw new ConfigurationError(`Invalid arguments to the ${store}'s ${operation}${first === undefined ? '' : ` (${first.path}: ${first.message})`}.`, {
    code: 'INVALID_ARGUMENT',
    issues,
    resolution: 'Pass values of the SyncStore contract: non-empty IDs, ISO 8601 UTC times such as 2026-11-24T10:00:00.000Z, finite counts, and JSON checkpoint results.',
  });
}

/**
 * Parses rows a store read back with `schema`, or throws the error `invalid` makes of the issues of the
 * first row that does not match (each issue names a column, never its value).
 *
 * @example
 * ```ts
 * import { invalidStoreRowMessage, NetSuiteSyncError, parseStoreRows, storeValueSchemas as values } from '@invoiced/netsuite-sync';
 * import { z } from 'zod';
 *
 * const rows: unknown[] = [{ value: 'abc' }];
 * const [cursor] = parseStoreRows(z.object({ value: values.text }), rows, (issues) =>
 *   new NetSuiteSyncError(invalidStoreRowMessage('cursors', issues), { code: 'MY_STORE_INVALID_ROW' }),
 * );
 * ```
 */
export function parseStoreRows<T extends z.ZodType>(schema: T, rows: readonly unknown[], invalid: (issues: ValidationIssue[]) => Error): z.output<T>[] {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw invalid(toValidationIssues(parsed.error.issues));
    return parsed.data;
  });
}

/**
 * The message of an error about a stored row that does not have the shape the store wrote, naming the
 * table and the first wrong column (`row` when the whole row is wrong), never its value.
 *
 * @example
 * ```ts
 * invalidStoreRowMessage('runs', [{ path: 'status', message: 'Invalid option' }]);
 * // 'A row of the runs table does not have the expected shape (status: Invalid option).'
 * ```
 */
export function invalidStoreRowMessage(table: string, issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  const detail = first === undefined ? '' : ` (${first.path === '' ? 'row' : first.path}: ${first.message})`;
  return `A row of the ${table} table does not have the expected shape${detail}.`;
}
