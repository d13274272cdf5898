/**
 * How `netsuite-sync connections` prints the registry: the table of `list`, the status of `show`, and the
 * durations of schedules.
 */
import type { Connection, ConnectionStatus, JobSummary, LastRun } from '@invoiced/netsuite-sync-worker';
import { formatDuration, formatRuns, formatStatus, formatTime } from '../format';
import type { Styles } from '../output';

/** A schedule's period as people write it: `1h`, `15m`, `90s`, `1d`, `1h30m`. */
export function formatEvery(ms: number): string {
  const units: readonly (readonly [string, number])[] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  let rest = ms;
  let text = '';
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  if (rest > 0) text += `${rest}ms`;
  return text === '' ? '0s' : text;
}

/** `enabled`, `paused` or `disabled`. */
export function stateOf(connection: Pick<Connection, 'enabled' | 'schedule'>): 'enabled' | 'paused' | 'disabled' {
  if (!connection.enabled) return 'disabled';
  return connection.schedule.paused ? 'paused' : 'enabled';
}

/** A last run's status, upper case and coloured as Recent Syncs colours it; a job's `error` red, `deferred` dim. */
export function formatLastStatus(status: LastRun['status'], style: Styles): string {
  if (status === 'error') return style.red(status.toUpperCase());
  if (status === 'deferred') return style.dim(status.toUpperCase());
  return formatStatus(status, style);
}

/** The lines of the `list` table: ID, state, schedule, next run, last run. */
export function connectionTable(connections: readonly Connection[], style: Styles): string[] {
  const header = ['ID', 'STATE', 'EVERY', 'NEXT RUN', 'LAST RUN', 'ENDED'];
  const rows = connections.map((connection) => [
    connection.id,
    stateOf(connection),
    `${formatEvery(connection.schedule.everyMs)} ±${Math.round(connection.schedule.jitter * 100)}%`,
    connection.nextRunAt === null ? '-' : formatTime(connection.nextRunAt.toISOString()),
    connection.lastRun === null ? '-' : connection.lastRun.status.toUpperCase(),
    connection.lastRun === null ? '-' : formatTime(connection.lastRun.finishedAt.toISOString()),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[], colour: (cell: string, column: number) => string) =>
    `  ${cells.map((cell, column) => colour(cell, column) + ' '.repeat(Math.max(0, (widths[column] ?? 0) - cell.length))).join('  ')}`.trimEnd();
  return [
    line(header, (cell) => style.dim(cell)),
    ...rows.map((row, index) => {
      const last = connections[index]?.lastRun ?? null;
      return line(row, (cell, column) => {
        if (column === 1 && cell !== 'enabled') return style.yellow(cell);
        if (column === 4 && last !== null) return formatLastStatus(last.status, style);
        return cell;
      });
    }),
  ];
}

/** A job waiting or running, in one line. */
function jobLine(job: JobSummary, running: boolean): string {
  const since = `${running ? 'since' : 'queued'} ${formatTime(job.since.toISOString())}`;
  return `${job.kind} (${job.trigger}), ${since}, job ${job.jobId}${job.workerId === null ? '' : `, worker ${job.workerId}`}`;
}

/** The lines of `show`: the connection, its schedule, its jobs, then its Recent Syncs. */
export function statusLines(status: ConnectionStatus, style: Styles, runCommand: (runId: string) => string): string[] {
  const { connection, pending, running, lastRuns } = status;
  const schedule = `every ${formatEvery(connection.schedule.everyMs)} ±${Math.round(connection.schedule.jitter * 100)}%`;
  const state = stateOf(connection);
  const last = connection.lastRun;
  const rows: [string, string][] = [
    ['NetSuite account', connection.netsuiteAccount],
    ['Invoiced key', connection.invoicedKeyId],
    ['State', state === 'enabled' ? `enabled, ${schedule}` : `${style.yellow(state)} (${schedule} when resumed)`],
    ['Next run', connection.nextRunAt === null ? '- (not scheduled)' : formatTime(connection.nextRunAt.toISOString())],
    ['Running', running === null ? 'nothing' : jobLine(running, true)],
    ['Pending', pending.length === 0 ? 'nothing' : pending.map((job) => jobLine(job, false)).join('; ')],
    [
      'Last job',
      last === null
        ? 'none yet'
        : `${last.kind} ${formatLastStatus(last.status, style)}, ended ${formatTime(last.finishedAt.toISOString())}${last.runId === null ? '' : `, run ${last.runId}`}${last.lagMs === null ? '' : `, started ${formatDuration(last.lagMs)} after it was due`}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [style.bold(`Connection "${connection.id}"`), ...rows.map(([label, value]) => `  ${style.dim(label.padEnd(width))}  ${value}`)];
  lines.push('', style.bold('Recent Syncs'));
  if (lastRuns.length === 0) lines.push('  none yet');
  else lines.push(...formatRuns(lastRuns, { errorsPerRun: 3, style, runCommand }));
  return lines;
}
