/**
 * `netsuite-sync sync`: one accounting sync ("Sync Now"), with a progress bar; `--dry-run` says what a
 * sync would change without changing anything.
 */
import { enabledPhaseCount, printRun, runJson, type Command } from '../command';
import type { CommandContext } from '../context';
import { exitCodeOfStatus, type ExitCode } from '../exit-codes';
import { progressModeOf, syncProgress } from '../progress';
import { dryRun } from './dry-run';

/** Runs one sync of the connection and prints it as Recent Syncs shows it. */
export async function runSync(context: CommandContext, trigger: 'manual' | 'retry'): Promise<ExitCode> {
  const { output, flags } = context;
  const clients = await context.clients();
  const settings = await context.settings();
  const mode = progressModeOf(output, flags.progress);
  const progress = syncProgress(output, mode, enabledPhaseCount(settings));
  const engine = await context.engine({ clients, settings, onEvent: (event) => progress.onEvent(event) });
  if (mode !== 'off') output.note(`Syncing connection "${engine.connectionId}"…`);
  let run;
  try {
    run = await engine.sync({ trigger, ...(context.signal === undefined ? {} : { signal: context.signal }) });
  } finally {
    progress.finish();
  }
  const exitCode = exitCodeOfStatus(run.status, context.interrupted);
  printRun(context, `Sync of connection "${engine.connectionId}"`, run);
  if (run.status === 'cancelled') output.line(`  What was done stays done; to finish, run again: ${context.hint(['sync'], 'services', { readsState: false })}`);
  output.document({ ok: exitCode === 0, exitCode, connectionId: engine.connectionId, run: runJson(run) });
  return exitCode;
}

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Run one sync now (or, with --dry-run, show what it would change)',
  synopsis: '[--dry-run] [--limit <n>]',
  description:
    'Runs one accounting sync of the connection: open NetSuite invoices and payments to Invoiced, NetSuite deletions, then Invoiced invoices and payments to NetSuite. Prints the run as Recent Syncs shows it, with every failed record and what to do. Exit 0 when every record went through, 2 when some failed (they are retried on the next run), 1 when the run failed.',
  options: { 'dry-run': { type: 'boolean' }, limit: { type: 'string' } },
  requires: { limit: 'dry-run' },
  optionHelp: [
    ['--dry-run', 'Read both sides and print what a sync would create, update, link, void or delete, changing nothing (no store writes, no cursor moves).'],
    ['--limit <n>', 'With --dry-run: how many planned changes to list (default 50; all are in --json).'],
  ],
  positionals: { min: 0, max: 0 },
  run: (context, values) => (values['dry-run'] === true ? dryRun(context, values) : runSync(context, 'manual')),
};
