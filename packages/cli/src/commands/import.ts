/**
 * `netsuite-sync import invoices|customers`: a background import job of every open NetSuite invoice, or
 * of the whole NetSuite A/R customer list, with a progress bar. Interrupted, it stops at the next safe
 * point; `--job <id>` resumes it where it stopped.
 */
import type { ImportKind, ImportProgress, ImportResult, SyncEngine, SyncRun } from '@invoiced/netsuite-sync';
import { printRun, runJson, stringOption, type Command } from '../command';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { exitCodeOfStatus, type ExitCode } from '../exit-codes';
import { importProgress, progressModeOf } from '../progress';

/** Runs one import job on an engine, with progress; resolves with its result and run. */
export async function runImport(
  context: CommandContext,
  engine: SyncEngine,
  kind: ImportKind,
  jobId: string | undefined,
): Promise<{ result: ImportResult; run: SyncRun | null; exitCode: ExitCode }> {
  const { output } = context;
  const mode = progressModeOf(output, context.flags.progress);
  const view = importProgress(output, mode, kind);
  const options = { ...(jobId === undefined ? {} : { jobId }), onProgress: (progress: ImportProgress) => view.update(progress) };
  const job = kind === 'invoices' ? engine.importInvoices(options) : engine.importCustomers(options);
  const cancel = () => job.cancel();
  context.signal?.addEventListener('abort', cancel, { once: true });
  if (context.signal?.aborted === true) job.cancel();
  if (mode !== 'off') output.note(`Importing ${kind === 'invoices' ? 'open NetSuite invoices' : 'the NetSuite customer list'} (job ${job.id})…`);
  let result: ImportResult;
  try {
    result = await job.done;
  } finally {
    view.finish();
    context.signal?.removeEventListener('abort', cancel);
  }
  const run = await engine.getSync(result.runId);
  return { result, run, exitCode: exitCodeOfStatus(result.status, context.interrupted) };
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import every open NetSuite invoice, or the whole customer list',
  synopsis: 'invoices|customers [--job <id>]',
  description:
    'Starts an import job: `invoices` imports every open NetSuite invoice with its customer, `customers` the whole NetSuite A/R customer list (matched by name, linked, created on Invoiced when missing). The job is a run with trigger `import` in Recent Syncs. Ctrl-C stops it at the next safe point; run the printed command with `--job <id>` to resume it. Exit 0, 2 when some records failed, 1 when the job failed, 130 when interrupted.',
  options: { job: { type: 'string' } },
  optionHelp: [['--job <id>', 'Resume the job of this ID where it stopped (a finished job is shown, not run again).']],
  positionals: { min: 1, max: 1 },
  async run(context, values, positionals) {
    const kind = positionals[0];
    if (kind !== 'invoices' && kind !== 'customers') {
      throw new CliUsageError(`Import what? Expected \`invoices\` or \`customers\`, got ${JSON.stringify(kind ?? '')}.`, 'import');
    }
    const engine = await context.engine();
    const { result, run, exitCode } = await runImport(context, engine, kind, stringOption(values, 'job'));
    const { output } = context;
    const title = `Import of ${kind} (job ${result.jobId})`;
    if (run === null) {
      output.line(`${output.style.bold(title)}: ${result.status.toUpperCase()}`);
    } else {
      printRun(context, title, run);
    }
    if (result.status === 'cancelled' || result.status === 'failed') {
      output.line(`  Resume it with: ${context.hint(['import', kind, '--job', result.jobId], 'services')}`);
    }
    output.document({ ok: exitCode === 0, exitCode, connectionId: engine.connectionId, import: result, run: run === null ? null : runJson(run) });
    return exitCode;
  },
};
