/**
 * zod schemas of the contract's values (the core's `storeValueSchemas`): what callers pass is validated
 * before any statement runs, and what the store reads back is parsed before it is returned. Text is any
 * string, NUL characters and unpaired surrogates included (see `text.ts`).
 */
import { parseStoreArguments, parseStoreRows, storeValueSchemas } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { SqliteRowError } from './errors';
import { decodeText } from './text';

const { text, identifier, entityKind } = storeValueSchemas;

/** The arguments of each method, as objects of named arguments (so that issues name the argument). */
export const argumentsOf = {
  lease: z.object({ connectionId: identifier, holder: identifier, ttlMs: storeValueSchemas.ttlMs }),
  releaseLease: z.object({ connectionId: identifier, holder: identifier }),
  getCursor: z.object({ connectionId: identifier, phase: identifier }),
  setCursor: z.object({ connectionId: identifier, phase: identifier, value: text }),
  findLink: z.object({ connectionId: identifier, kind: entityKind, id: identifier }),
  saveLink: z.object({ connectionId: identifier, link: storeValueSchemas.link }),
  listLinks: z.object({ connectionId: identifier, kind: entityKind }),
  startRun: z.object({ connectionId: identifier, run: storeValueSchemas.runStart }),
  addRecordErrors: z.object({ connectionId: identifier, runId: identifier, errors: z.array(storeValueSchemas.recordError) }),
  finishRun: z.object({ connectionId: identifier, runId: identifier, outcome: storeValueSchemas.runOutcome }),
  getRun: z.object({ connectionId: identifier, runId: identifier }),
  listRuns: z.object({ connectionId: identifier, options: storeValueSchemas.listRunsOptions }),
  saveRetry: z.object({ connectionId: identifier, item: storeValueSchemas.retryItem }),
  retryKey: z.object({ connectionId: identifier, key: identifier }),
  listRetries: z.object({ connectionId: identifier, options: storeValueSchemas.listRetriesOptions }),
  saveCheckpoint: z.object({ connectionId: identifier, checkpoint: storeValueSchemas.checkpoint }),
  getCheckpoint: z.object({ connectionId: identifier, jobId: identifier }),
  addEvent: z.object({ connectionId: identifier, event: storeValueSchemas.newEvent }),
  listPendingEvents: z.object({ connectionId: identifier, options: storeValueSchemas.listPendingEventsOptions }),
  completeEvents: z.object({ connectionId: identifier, ids: storeValueSchemas.eventIds }),
  pruneEvents: z.object({ connectionId: identifier, before: storeValueSchemas.isoTime }),
};

/**
 * Validates the arguments of a store method, or throws `ConfigurationError` (`INVALID_ARGUMENT`) listing
 * the fields that are wrong, never their values.
 */
export function parseArguments<T extends z.ZodType>(operation: string, schema: T, value: unknown): z.output<T> {
  return parseStoreArguments('SQLite store', operation, schema, value);
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
  return parseStoreRows(schema, rows, (issues) => new SqliteRowError(operation, table, issues));
}
