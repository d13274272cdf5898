/**
 * The work of one start of an import job: count what is left, then read and handle the rows batch by
 * batch after the checkpoint's cursor, saving the checkpoint after every batch.
 */
import type { ImportCheckpoint } from '../../store/sync-store';
import type { PhaseDeps } from '../contracts';
import { valueText } from '../netsuite-queries';
import { withMappedColumns } from '../mapped-columns';
import { inBatches } from '../run/concurrent';
import type { RunContext } from '../run/run-context';
import type { JobState } from './checkpoint';
import type { ImportSource } from './sources';
import type { ImportProgress } from './types';

/** Where a job stands in this start: moved on by {@link importWork}, read by the job when it ends. */
export interface JobPosition {
  cursor: string | null;
  processed: number;
  total: number | null;
  /** Rows past the cursor finished in this start. */
  doneAfterCursor: () => string[];
}

/**
 * Handles the rows of `source` after `position.cursor`. Rows of a batch are handled side by side and finish
 * in any order: the cursor moves over the rows finished in a row from the batch's start. Rows finished
 * past it are kept in the checkpoint (`doneAfterCursor`), so a job stopped mid-batch resumes at its first
 * unfinished row and counts every row once.
 */
export async function importWork(
  context: RunContext,
  deps: PhaseDeps,
  job: {
    source: ImportSource;
    position: JobPosition;
    state: JobState | undefined;
    report: (progress: ImportProgress) => void;
    save: (status: ImportCheckpoint['status']) => Promise<unknown>;
  },
): Promise<void> {
  const { source, position, report, save } = job;
  const signal = context.signal;
  report({ processed: position.processed, total: position.total });
  context.emit({ type: 'phase_started', runId: context.runId, phase: source.phase });
  const counted = await deps.netsuite.suiteql(source.count(position.cursor), { limit: 1, signal });
  position.total = position.processed + Number(valueText(counted.items[0]?.total) || '0');
  report({ processed: position.processed, total: position.total });
  await save('running');
  const doneBefore = new Set(job.state?.doneAfterCursor ?? []);
  let order: string[] = [];
  let finished = new Set<string>();
  let next = 0;
  const advance = () => {
    while (next < order.length && finished.has(order[next] ?? '')) {
      position.cursor = order[next] ?? position.cursor;
      next += 1;
      position.processed += 1;
      context.count(source.readCounter);
    }
    report({ processed: position.processed, total: position.total === null ? null : Math.max(position.total, position.processed) });
  };
  position.doneAfterCursor = () => order.slice(next).filter((id) => finished.has(id));
  const handle = source.batches(context, deps, (row) => {
    finished.add(valueText(row.id));
    advance();
  });
  const rows = withMappedColumns(deps.netsuite.suiteqlAll(source.rows(position.cursor), { signal }), deps.settings.netsuiteFields, source.mappedType);
  await inBatches(rows, source.batchSize, async (batch) => {
    order = batch.map((row) => valueText(row.id));
    finished = new Set(order.filter((id) => doneBefore.has(id)));
    next = 0;
    advance();
    const todo = batch.filter((row) => !finished.has(valueText(row.id)));
    if (todo.length > 0) await handle(todo);
    await save('running');
  });
  // Records added or removed in NetSuite while the job ran: the job ends having handled `processed`.
  if (position.total !== position.processed) {
    position.total = position.processed;
    report({ processed: position.processed, total: position.total });
  }
  // An import job is its run's one phase: its counts are the run's.
  context.emit({ type: 'phase_finished', runId: context.runId, phase: source.phase, counts: { ...context.counts }, phaseCounts: { ...context.counts } });
}
