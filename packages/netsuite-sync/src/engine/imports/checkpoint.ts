/**
 * What an import job keeps in its checkpoint's `result`, and how a checkpoint is read back: the job's
 * running totals while it runs, then its result with whether `notify` was called.
 */
import { z } from 'zod';
import type { ImportCheckpoint } from '../../store/sync-store';
import { ImportJobError } from '../errors';
import type { ImportKind, ImportResult } from './types';

const jobStateSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  counts: z.record(z.string(), z.number()),
  status: z.enum(['succeeded', 'partial', 'failed', 'cancelled']).optional(),
  error: z.object({ code: z.string(), message: z.string(), resolution: z.string().nullable() }).nullable().optional(),
  finishedAt: z.string().optional(),
  notified: z.boolean().optional(),
  /** Rows past the cursor that a stopped run finished (rows are handled side by side): not handled again. */
  doneAfterCursor: z.array(z.string()).optional(),
});

/** The state of a job as its checkpoint keeps it. */
export type JobState = z.infer<typeof jobStateSchema>;

/**
 * The state kept in a checkpoint, and the result of a finished one.
 * @throws {ImportJobError} when the checkpoint is of the other kind of import, or cannot be read.
 */
export function readCheckpoint(checkpoint: ImportCheckpoint, kind: ImportKind): { state: JobState | undefined; result: ImportResult | undefined } {
  if (checkpoint.kind !== kind) throw new ImportJobError(checkpoint.jobId, 'kind', checkpoint.kind);
  if (checkpoint.cursor !== null && !/^\d+$/.test(checkpoint.cursor)) throw new ImportJobError(checkpoint.jobId, 'checkpoint', `its cursor "${checkpoint.cursor}" is not a NetSuite internal ID`);
  const parsed = jobStateSchema.safeParse(checkpoint.result);
  const state = parsed.success ? parsed.data : undefined;
  if (checkpoint.status !== 'succeeded') return { state, result: undefined };
  if (state?.status === undefined || state.finishedAt === undefined) throw new ImportJobError(checkpoint.jobId, 'checkpoint', 'it is finished but holds no result');
  const result: ImportResult = {
    jobId: checkpoint.jobId,
    kind,
    status: state.status,
    runId: state.runId,
    counts: state.counts,
    error: state.error ?? null,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt,
  };
  return { state, result };
}

/** The sum of two sets of counts. */
export function addCounts(base: Readonly<Record<string, number>>, more: Readonly<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = { ...base };
  for (const [name, value] of Object.entries(more)) sum[name] = (sum[name] ?? 0) + value;
  return sum;
}
