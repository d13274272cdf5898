/**
 * `netsuite-sync sync --dry-run`: what a sync would change now, computed by the engine without writing to
 * either service or to the store.
 */
import type { PlannedChange, SyncPlan } from '@invoiced/netsuite-sync';
import { integerOption, type OptionValues } from '../command';
import type { CommandContext } from '../context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { countErrorCodes, formatNumber, formatRecordError, retryKeyOf, summarizeCounts } from '../format';

/** The exit code of a plan: 1 when it could not be computed, 2 when some records would fail. */
export function exitCodeOfPlan(plan: SyncPlan, interrupted: boolean): ExitCode {
  if (plan.error !== null) return interrupted && plan.error.code === 'CANCELLED' ? EXIT_CODES.interrupted : EXIT_CODES.failure;
  return plan.recordErrors.length > 0 ? EXIT_CODES.partial : EXIT_CODES.success;
}

/**
 * What a dry run cannot check: writes the services refuse only when they are made (docs/dry-run.md#limits).
 * The plan counts them as they would succeed; the sync reports them as record errors.
 */
export const NOT_CHECKED_BY_A_DRY_RUN: readonly string[] = [
  'Invoiced refusing to void an invoice that has payments, or a customer number that is already taken',
  'NetSuite refusing to delete an invoice with payments applied or a deposited payment, or a field value it rejects',
];

/**
 * Columns of a planned change: action, side, entity, record, reason, and the record it would change, or
 * for a create the placeholder ID the plan gave the new record (the service gives the real one).
 */
function changeCells(change: PlannedChange): string[] {
  const target =
    change.targetId !== undefined
      ? ` (${change.side} ${change.targetId})`
      : change.placeholderId !== undefined
        ? ` (new ${change.side} ${change.entity} ${change.placeholderId}, a placeholder ID)`
        : '';
  return [change.action, change.side, change.entity, change.number ?? change.sourceId, `${change.reason}${target}`];
}

/** Runs the dry run and prints its plan; skipped records are counted, not listed. */
export async function dryRun(context: CommandContext, values: OptionValues): Promise<ExitCode> {
  const { output } = context;
  const limit = integerOption(values, 'limit', 50, { min: 0, max: 1_000_000 }, 'sync');
  const clients = await context.clients();
  const settings = await context.settings();
  const engine = await context.engine({ clients, settings });
  if (!output.json) output.note(`Planning a sync of connection "${engine.connectionId}" (dry run: nothing is written)…`);
  const plan = await engine.sync({ dryRun: true, ...(context.signal === undefined ? {} : { signal: context.signal }) });
  const exitCode = exitCodeOfPlan(plan, context.interrupted);
  const style = output.style;

  output.line(style.bold(`Dry run of connection "${engine.connectionId}": nothing was changed.`));
  output.line(`  A sync now would do: ${summarizeCounts(plan.counts)}`);
  const listed = plan.changes.filter((change) => change.action !== 'skip' && change.action !== 'fail');
  const skipped = plan.changes.length - listed.length - plan.changes.filter((change) => change.action === 'fail').length;
  if (listed.length > 0) {
    const header = ['ACTION', 'SIDE', 'ENTITY', 'RECORD', 'REASON'];
    const rows = listed.slice(0, limit).map(changeCells);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
    const format = (cells: readonly string[]) => `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}`;
    output.line(style.dim(format(header)));
    for (const row of rows) output.line(format(row));
    if (listed.length > rows.length) output.line(style.dim(`  … ${formatNumber(listed.length - rows.length)} more changes (--limit <n>, or --json for all)`));
  } else {
    output.line('  No record would be written.');
  }
  if (skipped > 0) output.line(style.dim(`  ${formatNumber(skipped)} records need nothing (unchanged, or not synced by design).`));
  if (plan.recordErrors.length > 0) {
    const codes = countErrorCodes(plan.recordErrors).map(([code, count]) => `${formatNumber(count)} ${code}`);
    output.line(style.bold(`  ${formatNumber(plan.recordErrors.length)} record${plan.recordErrors.length === 1 ? '' : 's'} would fail: ${codes.join(', ')}`));
    for (const error of plan.recordErrors.slice(0, limit)) for (const line of formatRecordError(error, style)) output.line(line);
  }
  if (plan.error !== null) {
    output.line(`  ${style.red('✗')} ${style.cyan(plan.error.code)}  ${plan.error.message}`);
    if (plan.error.resolution !== null) output.line(`    ${style.dim('→')} ${plan.error.resolution}`);
  }
  if (listed.some((change) => change.placeholderId !== undefined)) {
    output.line(style.dim('  "A placeholder ID" marks a record the sync would create: the plan numbers it (Invoiced 9000000000000001 and up, NetSuite planned-1 and up), and later changes and errors of the plan may name it; the service gives the real ID.'));
  }
  if (listed.length > 0) {
    output.line(style.dim('  A dry run cannot check what only the service finds when a record is written; the sync reports these as record errors:'));
    for (const item of NOT_CHECKED_BY_A_DRY_RUN) output.line(style.dim(`    - ${item}.`));
  }
  output.document({
    ok: exitCode === 0,
    exitCode,
    connectionId: engine.connectionId,
    plan: { ...plan, recordErrors: plan.recordErrors.map((error) => ({ ...error, retryKey: retryKeyOf(error) })) },
    notChecked: NOT_CHECKED_BY_A_DRY_RUN,
  });
  return exitCode;
}
