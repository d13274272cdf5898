/**
 * `netsuite-sync runs [<run id>]`: Recent Syncs, the latest runs with their record errors and what to do
 * about each, read from the store (no credentials needed).
 */
import type { SyncRun, SyncStore } from '@invoiced/netsuite-sync';
import { integerOption, runJson, type Command } from '../command';
import { CliError } from '../errors';
import { EXIT_CODES } from '../exit-codes';
import { countErrorCodes, formatRuns } from '../format';

/**
 * Of a store that does not count record errors by code (written before `SyncRun.recordErrorCodes`), runs
 * with up to this many record errors are read whole to count them.
 */
export const FULL_ERRORS_LIMIT = 10_000;

/**
 * The runs with their record errors counted by code (`recordErrorCodes`). The store's counts are used as
 * they are, with no other read. A store that does not give them has each run that holds only its first
 * record errors read whole with `getRun`, up to {@link FULL_ERRORS_LIMIT} record errors, and counted here;
 * a larger run keeps no counts, and Recent Syncs counts its first record errors and says so.
 */
export async function withErrorCodes(store: Pick<SyncStore, 'getRun'>, connectionId: string, runs: readonly SyncRun[]): Promise<SyncRun[]> {
  return Promise.all(
    runs.map(async (run): Promise<SyncRun> => {
      if (run.recordErrorCodes !== undefined || run.recordErrors.length >= run.recordErrorCount || run.recordErrorCount > FULL_ERRORS_LIMIT) return run;
      const whole = await store.getRun(connectionId, run.id);
      return whole === null ? run : { ...run, recordErrorCodes: whole.recordErrorCodes ?? Object.fromEntries(countErrorCodes(whole.recordErrors)) };
    }),
  );
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'Show Recent Syncs: the latest runs, their errors and what to do',
  synopsis: '[<run id>] [--limit <n>] [--errors <n>]',
  description:
    'Prints Recent Syncs from the store: for each run its start time, trigger, status, duration and what it did, then each failed record with its code, message, what to do, and the retry key that `retry` and `ignore` take. With a run ID, that run with all of its record errors. Needs no NetSuite or Invoiced credentials.',
  options: { limit: { type: 'string' }, errors: { type: 'string' } },
  optionHelp: [
    ['--limit <n>', 'How many runs, newest first (default 10).'],
    ['--errors <n>', 'Record errors shown per run (default 5; with a run ID, all).'],
  ],
  positionals: { min: 0, max: 1 },
  async run(context, values, positionals) {
    const { output, flags } = context;
    const limit = integerOption(values, 'limit', 10, { min: 1, max: 1000 }, 'runs');
    const runId = positionals[0];
    const errorsPerRun = integerOption(values, 'errors', runId === undefined ? 5 : Number.MAX_SAFE_INTEGER, { min: 0, max: Number.MAX_SAFE_INTEGER }, 'runs');
    const { store, description } = await context.openStore();
    const runs = runId === undefined ? await store.listRuns(flags.connection, { limit, errorsPerRun }) : [await store.getRun(flags.connection, runId)].filter((run) => run !== null);
    const counted = await withErrorCodes(store, flags.connection, runs);
    if (runId !== undefined && runs.length === 0) {
      throw new CliError(`Connection "${flags.connection}" has no run ${runId} in ${description}.`, {
        code: 'RUN_NOT_FOUND',
        resolution: 'Copy the ID from the RUN column of `netsuite-sync runs`, and check --connection and --store.',
      });
    }
    if (runs.length === 0) {
      output.line(`No syncs yet for connection "${flags.connection}" in ${description}. To start one: ${context.hint(['sync'], 'services', { readsState: false })}`);
    } else {
      output.line(output.style.bold(`Recent Syncs of connection "${flags.connection}"`));
      const runCommand = (id: string) => context.hint(['runs', id], 'store');
      for (const line of formatRuns(counted, { errorsPerRun, style: output.style, runCommand })) output.line(line);
    }
    output.document({ ok: true, exitCode: EXIT_CODES.success, connectionId: flags.connection, runs: counted.map(runJson) });
    return EXIT_CODES.success;
  },
};
