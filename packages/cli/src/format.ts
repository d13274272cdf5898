/**
 * Text formats shared by the commands: counts, times, durations, phases, and the Recent Syncs table.
 */
import type { RecordError, RetryItem, RunStatus, SyncRun } from '@invoiced/netsuite-sync';
import type { Styles } from './output';

/** A whole number with thousands separators, the same on every machine: `12,345`. */
export function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** A time as `2026-11-24 10:00:00Z` (UTC, so that output does not depend on the machine's zone). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** A duration in milliseconds as `850ms`, `12.4s`, `3m 05s`, `2h 01m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** What people call each phase of a sync. */
const PHASE_LABELS: Readonly<Record<string, string>> = {
  netsuite_invoices: 'NetSuite invoices → Invoiced',
  netsuite_credit_memos: 'NetSuite credit memos → Invoiced',
  netsuite_payments: 'NetSuite payments → Invoiced',
  netsuite_deletions: 'NetSuite deletions',
  invoiced_events: 'Invoiced deletions (events)',
  invoiced_invoices: 'Invoiced invoices → NetSuite',
  invoiced_credit_notes: 'Invoiced credit notes → NetSuite',
  invoiced_payments: 'Invoiced payments → NetSuite',
  invoiced_refunds: 'Invoiced refunds → NetSuite',
  import_customers: 'Customer import',
  import_invoices: 'Invoice import',
};

/** The label of a phase (its name, for a phase this version does not know). */
export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase.replace(/_/g, ' ');
}

/** The entity counters of a run, in the order they are shown. */
const ENTITIES: readonly (readonly [string, string])[] = [
  ['customers', 'customers'],
  ['invoices', 'invoices'],
  ['payments', 'payments'],
  ['creditNotes', 'credit notes'],
  ['refunds', 'refunds'],
];
const ACTION_ORDER = ['created', 'updated', 'linked', 'voided', 'deleted', 'skipped'];

/**
 * A one-line summary of a run's counters: `invoices 1,474 created, 12 updated · payments 242 created ·
 * 159 failed`. Read counters (`*_read`) are left out; counters this version does not know are shown as
 * they are.
 */
export function summarizeCounts(counts: Readonly<Record<string, number>>): string {
  const parts: string[] = [];
  const used = new Set<string>();
  for (const [prefix, label] of ENTITIES) {
    const actions = Object.keys(counts)
      .filter((key) => key.startsWith(`${prefix}_`) && !key.endsWith('_read'))
      .map((key) => key.slice(prefix.length + 1))
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const shown = actions.filter((action) => (counts[`${prefix}_${action}`] ?? 0) > 0);
    for (const action of actions) used.add(`${prefix}_${action}`);
    if (shown.length > 0) parts.push(`${label} ${shown.map((action) => `${formatNumber(counts[`${prefix}_${action}`] ?? 0)} ${action}`).join(', ')}`);
  }
  for (const [key, count] of Object.entries(counts)) {
    if (used.has(key) || key === 'records_failed' || key.endsWith('_read') || count === 0) continue;
    parts.push(`${key.replace(/_/g, ' ')} ${formatNumber(count)}`);
  }
  const failed = counts.records_failed ?? 0;
  if (failed > 0) parts.push(`${formatNumber(failed)} failed`);
  return parts.length === 0 ? 'nothing to do' : parts.join(' · ');
}

/**
 * What a run did, in one line: {@link summarizeCounts}, except for a run that ended before handling any
 * record, which says so (`failed before any record`) instead of `nothing to do`.
 */
export function summarizeRun(run: Pick<SyncRun, 'status' | 'counts' | 'recordErrorCount'>): string {
  const summary = summarizeCounts(run.counts);
  if (summary !== 'nothing to do' || run.recordErrorCount > 0) return summary;
  const read = Object.entries(run.counts).reduce((sum, [key, count]) => (key.endsWith('_read') ? sum + count : sum), 0);
  const before = read === 0 ? 'before any record' : `before writing any record (${formatNumber(read)} read)`;
  switch (run.status) {
    case 'failed':
      return `failed ${before}`;
    case 'cancelled':
      return `cancelled ${before}`;
    case 'abandoned':
      return `stopped ${before}`;
    case 'running':
      return read === 0 ? 'running: no record yet' : `running: ${formatNumber(read)} records read, none written yet`;
    case 'succeeded':
    case 'partial':
      return summary;
  }
}

/** Record errors counted by code, the most frequent first (then by code). */
export function countErrorCodes(errors: readonly Pick<RecordError, 'code'>[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const error of errors) counts.set(error.code, (counts.get(error.code) ?? 0) + 1);
  return sortCodeCounts([...counts]);
}

/** Counts by code, the most frequent first (then by code). */
function sortCodeCounts(counts: [string, number][]): [string, number][] {
  return counts.sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

/**
 * A run's record errors counted by code, the most frequent first, and whether the counts are of all of
 * them (`complete`): the store's `recordErrorCodes` when it gives them (every store of this project does),
 * else the count of the record errors the run holds, which are all of them only when it holds them all
 * (a store written before `recordErrorCodes` lists only the first ones).
 */
export function errorCodeCounts(run: Pick<SyncRun, 'recordErrors' | 'recordErrorCount' | 'recordErrorCodes'>): { codes: [string, number][]; complete: boolean } {
  if (run.recordErrorCodes !== undefined) return { codes: sortCodeCounts(Object.entries(run.recordErrorCodes)), complete: true };
  return { codes: countErrorCodes(run.recordErrors), complete: run.recordErrors.length >= run.recordErrorCount };
}

/**
 * The line that counts a run's record errors by code, before the examples, so that one kind of error
 * does not hide the others: `159 record errors: 134 CUSTOMER_ALREADY_LINKED, 25 DEFAULT_ITEM_REQUIRED`.
 * When the counts are only of the first record errors ({@link errorCodeCounts}), the line says so.
 */
export function errorCodesLine(run: Pick<SyncRun, 'recordErrors' | 'recordErrorCount' | 'recordErrorCodes'>): string | undefined {
  if (run.recordErrorCount === 0) return undefined;
  const { codes, complete } = errorCodeCounts(run);
  const counted = codes.map(([code, count]) => `${formatNumber(count)} ${code}`).join(', ');
  const total = `${formatNumber(run.recordErrorCount)} record error${run.recordErrorCount === 1 ? '' : 's'}`;
  if (complete) return `${total}: ${counted}`;
  if (run.recordErrors.length === 0) return total;
  return `${total}; of the first ${formatNumber(run.recordErrors.length)}: ${counted}`;
}

function rank(action: string): number {
  const index = ACTION_ORDER.indexOf(action);
  return index === -1 ? ACTION_ORDER.length : index;
}

/** The retry queue key of a record error: what `netsuite-sync retry` and `ignore` take. */
export function retryKeyOf(error: Pick<RecordError, 'direction' | 'entity' | 'sourceId'>): string {
  return `${error.direction}:${error.entity}:${error.sourceId}`;
}

/**
 * A status, upper case and coloured: green succeeded, yellow partial and abandoned (a process stopped
 * mid-run; what it did stays done), red failed, dim cancelled and running.
 */
export function formatStatus(status: RunStatus, style: Styles): string {
  const text = status.toUpperCase();
  switch (status) {
    case 'succeeded':
      return style.green(text);
    case 'partial':
    case 'abandoned':
      return style.yellow(text);
    case 'failed':
      return style.red(text);
    case 'cancelled':
    case 'running':
      return style.dim(text);
  }
}

/** How long a run took, or `running`. */
function runDuration(run: SyncRun): string {
  if (run.finishedAt === null) return 'running';
  return formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt));
}

/** Who a record is, for people: its number (invoice #, customer name, payment reference) or its ID. */
function recordLabel(error: Pick<RecordError, 'entity' | 'number' | 'sourceId'>): string {
  return error.number ?? `${error.entity} ${error.sourceId}`;
}

/** The lines of one record error: label, code, message, then the resolution and the retry key. */
export function formatRecordError(error: RecordError, style: Styles): string[] {
  return [
    `    ${style.red('✗')} ${style.bold(recordLabel(error))}  ${style.cyan(error.code)}  ${error.message}`,
    `      ${style.dim('→')} ${error.resolution}`,
    `      ${style.dim(`retry key: ${retryKeyOf(error)}`)}`,
  ];
}

/** Options of {@link formatRuns}. */
export interface FormatRunsOptions {
  /** Record errors shown per run; the rest are counted, with the command that shows them all. */
  readonly errorsPerRun: number;
  readonly style: Styles;
  /**
   * The command that shows every record error of a run, as printed after the first ones (with the options
   * that reach the same store): `netsuite-sync runs <id>` by default.
   */
  readonly runCommand?: (runId: string) => string;
}

/**
 * The Recent Syncs table: for each run (newest first) its start time, trigger, status, duration and a
 * summary of its counters, then its whole-run error or record errors, each with what to do.
 */
export function formatRuns(runs: readonly SyncRun[], options: FormatRunsOptions): string[] {
  const { style } = options;
  const lines: string[] = [];
  const header = ['STARTED', 'TRIGGER', 'STATUS', 'TOOK', 'RUN'];
  const rows = runs.map((run) => [formatTime(run.startedAt), run.trigger, run.status.toUpperCase(), runDuration(run), run.id]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const pad = (cells: readonly string[], colour: (cell: string, column: number) => string) =>
    `  ${cells.map((cell, column) => colour(cell, column) + ' '.repeat(Math.max(0, (widths[column] ?? 0) - cell.length))).join('  ')}`.trimEnd();
  lines.push(pad(header, (cell) => style.dim(cell)));
  runs.forEach((run, index) => {
    const row = rows[index] ?? [];
    lines.push(pad(row, (cell, column) => (column === 2 ? formatStatus(run.status, style) : column === 4 ? style.dim(cell) : cell)));
    lines.push(`    ${summarizeRun(run)}`);
    if (run.error !== null) {
      lines.push(`    ${style.red('✗')} ${style.cyan(run.error.code)}  ${run.error.message}`);
      if (run.error.resolution !== null) lines.push(`      ${style.dim('→')} ${run.error.resolution}`);
    }
    const codes = errorCodesLine(run);
    if (codes !== undefined) lines.push(`    ${codes}`);
    const shown = run.recordErrors.slice(0, options.errorsPerRun);
    for (const error of shown) lines.push(...formatRecordError(error, style));
    const more = run.recordErrorCount - shown.length;
    if (more > 0) lines.push(`    ${style.dim(`… ${formatNumber(more)} more record error${more === 1 ? '' : 's'}: ${options.runCommand?.(run.id) ?? `netsuite-sync runs ${run.id}`}`)}`);
  });
  return lines;
}

/** The retry queue as lines: key, status, attempts, the record and its last error. */
export function formatRetryQueue(items: readonly RetryItem[], style: Styles): string[] {
  return items.flatMap((item) => [
    `  ${item.status === 'ignored' ? style.dim('IGNORED') : style.yellow('PENDING')}  ${style.bold(item.key)}  ${style.dim(`${formatNumber(item.attempts)} attempt${item.attempts === 1 ? '' : 's'}`)}`,
    `    ${recordLabel(item)}  ${style.cyan(item.lastError.code)}  ${item.lastError.message}`,
    `      ${style.dim('→')} ${item.lastError.resolution}`,
  ]);
}
