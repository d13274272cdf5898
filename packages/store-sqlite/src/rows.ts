/** zod schemas of the rows the store reads back, turned into the contract's values. */
import { storeValueSchemas as values } from '@invoiced/netsuite-sync';
import type { ImportCheckpoint, InboxEvent, RecordError, RetryItem, SyncLink, SyncRun } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { integer, jsonColumn, storedText } from './values';

export const leaseRow = z.object({ holder: storedText, expires_at: z.number() });

export const cursorRow = z.object({ value: storedText });

export const linkRow = z
  .object({
    kind: values.entityKind,
    invoiced_id: storedText,
    netsuite_id: storedText,
    origin: values.side,
    fingerprint: storedText.nullable(),
    updated_at: z.string(),
  })
  .transform(
    (row): SyncLink => ({
      kind: row.kind,
      invoicedId: row.invoiced_id,
      netsuiteId: row.netsuite_id,
      origin: row.origin,
      fingerprint: row.fingerprint,
      updatedAt: row.updated_at,
    }),
  );

/** A run's fields; its record errors are read apart. */
export const runRow = z
  .object({
    seq: integer,
    id: storedText,
    trigger: values.runTrigger,
    status: values.runStatus,
    started_at: z.string(),
    finished_at: z.string().nullable(),
    counts: jsonColumn(z.record(z.string(), z.number())),
    error: z.string().nullable().pipe(z.union([z.null(), jsonColumn(values.runError)])),
    record_error_count: integer,
  })
  .transform((row) => ({
    seq: row.seq,
    run: {
      id: row.id,
      trigger: row.trigger,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: row.counts,
      error: row.error,
    } satisfies Omit<SyncRun, 'recordErrors' | 'recordErrorCount' | 'recordErrorCodes'>,
    recordErrorCount: row.record_error_count,
  }));

/**
 * How many record errors of a run have one code. `code` is the JSON text of the code as `->` gives it
 * (a string with an unpaired surrogate is stored as a `\uD800` escape, which SQLite text cannot hold as
 * a character), parsed here.
 */
export const recordErrorCodeRow = z.object({ run_seq: integer, code: jsonColumn(z.string()), count: integer });

export const recordErrorRow = z.object({ error: jsonColumn(values.recordError) }).transform((row): RecordError => row.error);

export const retryRow = z
  .object({
    key: storedText,
    entity: values.entityKind,
    direction: values.direction,
    source_id: storedText,
    number: storedText.nullable(),
    attempts: integer,
    last_error: jsonColumn(z.object({ code: z.string(), message: z.string(), resolution: z.string() })),
    status: values.retryStatus,
    fingerprint: storedText.nullable(),
    updated_at: z.string(),
  })
  .transform(
    (row): RetryItem => ({
      key: row.key,
      entity: row.entity,
      direction: row.direction,
      sourceId: row.source_id,
      number: row.number,
      attempts: row.attempts,
      lastError: row.last_error,
      status: row.status,
      fingerprint: row.fingerprint,
      updatedAt: row.updated_at,
    }),
  );

export const eventRow = z
  .object({
    id: storedText,
    type: storedText,
    entity: values.entityKind,
    source_id: storedText,
    occurred_at: z.string(),
    received_at: z.string(),
    status: values.eventStatus,
  })
  .transform(
    (row): InboxEvent => ({
      id: row.id,
      type: row.type,
      entity: row.entity,
      sourceId: row.source_id,
      occurredAt: row.occurred_at,
      receivedAt: row.received_at,
      status: row.status,
    }),
  );

export const checkpointRow = z
  .object({
    job_id: storedText,
    kind: values.checkpointKind,
    status: values.checkpointStatus,
    cursor: storedText.nullable(),
    processed: integer,
    total: integer.nullable(),
    result: z.string().nullable().pipe(z.union([z.null(), jsonColumn(z.record(z.string(), z.json()))])),
    updated_at: z.string(),
  })
  .transform(
    (row): ImportCheckpoint => ({
      jobId: row.job_id,
      kind: row.kind,
      status: row.status,
      cursor: row.cursor,
      processed: row.processed,
      total: row.total,
      result: row.result,
      updatedAt: row.updated_at,
    }),
  );
