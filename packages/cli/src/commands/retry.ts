/**
 * `netsuite-sync retry` and `netsuite-sync ignore`: the retry queue. Failed records are retried on every
 * run; `ignore` stops retrying one until it changes, `retry` puts one back in line (and, with `--now`,
 * runs a sync at once). Keys are shown by `runs` and by `retry` without arguments.
 *
 * Marking a record changes one row of the store, as `engine.retry()` / `engine.ignore()` do, so it needs no
 * NetSuite or Invoiced credentials: whoever reads Recent Syncs can act on it.
 */
import type { RetryItem, SyncStore } from '@invoiced/netsuite-sync';
import type { Command } from '../command';
import type { CommandContext } from '../context';
import { CliError, CliUsageError } from '../errors';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { formatRetryQueue } from '../format';
import { runSync } from './sync';

/** Sets the status of retry items, all or none: every key is checked before any is changed. */
async function mark(store: SyncStore, connectionId: string, keys: readonly string[], status: RetryItem['status']): Promise<RetryItem[]> {
  const items: RetryItem[] = [];
  const unknown: string[] = [];
  for (const key of new Set(keys)) {
    const item = await store.getRetry(connectionId, key);
    if (item === null) unknown.push(key);
    else items.push(item);
  }
  if (unknown.length > 0) {
    throw new CliError(`Connection "${connectionId}" has no failed record with key ${unknown.map((key) => `"${key}"`).join(', ')}; nothing was changed.`, {
      code: 'UNKNOWN_RETRY_KEY',
      resolution: '`netsuite-sync retry` lists the retry queue with its keys (`netsuite-sync runs` shows the key of each record error); check --connection and --store.',
    });
  }
  const updatedAt = new Date().toISOString();
  const changed = items.map((item) => ({ ...item, status, updatedAt }));
  for (const item of changed) await store.saveRetry(connectionId, item);
  return changed;
}

/** Prints the retry queue. */
async function listQueue(context: CommandContext, store: SyncStore, description: string): Promise<ExitCode> {
  const { output, flags } = context;
  const items = await store.listRetries(flags.connection);
  if (items.length === 0) {
    output.line(`The retry queue of connection "${flags.connection}" is empty in ${description}.`);
  } else {
    const ignored = items.filter((item) => item.status === 'ignored').length;
    output.line(output.style.bold(`Retry queue of connection "${flags.connection}": ${items.length - ignored} pending, ${ignored} ignored`));
    for (const line of formatRetryQueue(items, output.style)) output.line(line);
    const [first] = items;
    const example = first === undefined ? '<key>' : first.key;
    output.line(output.style.dim(`  To put a record back in line: ${context.hint(['retry', example], 'store')}`));
    output.line(output.style.dim(`  To stop retrying it until it changes: ${context.hint(['ignore', example], 'store')}`));
  }
  output.document({ ok: true, exitCode: EXIT_CODES.success, connectionId: flags.connection, retryQueue: items });
  return EXIT_CODES.success;
}

export const retryCommand: Command = {
  name: 'retry',
  summary: 'List the retry queue, or put failed or ignored records back in line',
  synopsis: '[<key>...] [--all] [--now]',
  description:
    'Without keys, lists the retry queue: records that failed and are retried on every run, and ignored ones. With keys (from this list or from `runs`), puts those records back in line for the next run; `--all` does it for every ignored record, `--now` also runs a sync at once (with trigger `retry`, and its exit code). Marking needs no NetSuite or Invoiced credentials; --now does.',
  options: { all: { type: 'boolean' }, now: { type: 'boolean' } },
  optionHelp: [
    ['--all', 'Put every ignored record back in line.'],
    ['--now', 'Then run a sync at once (trigger `retry`).'],
  ],
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  async run(context, values, positionals) {
    const { output, flags } = context;
    const all = values.all === true;
    const now = values.now === true;
    if (all && positionals.length > 0) throw new CliUsageError('Give keys or --all, not both.', 'retry');
    // With --now, a configuration problem must show before anything is changed.
    if (now) await context.clients();
    const { store, description } = await context.openStore();
    if (!all && positionals.length === 0) {
      if (now) return runSync(context, 'retry');
      return listQueue(context, store, description);
    }
    const keys = all ? (await store.listRetries(flags.connection, { status: 'ignored' })).map((item) => item.key) : positionals;
    const changed = await mark(store, flags.connection, keys, 'pending');
    output.line(
      changed.length === 0
        ? 'No ignored record to put back in line.'
        : `${changed.length} record${changed.length === 1 ? '' : 's'} back in line for the next run: ${changed.map((item) => item.number ?? item.key).join(', ')}`,
    );
    if (now) return runSync(context, 'retry');
    output.document({ ok: true, exitCode: EXIT_CODES.success, connectionId: flags.connection, retried: changed });
    return EXIT_CODES.success;
  },
};

export const ignoreCommand: Command = {
  name: 'ignore',
  summary: 'Stop retrying failed records until they change',
  synopsis: '<key>...',
  description:
    'Stops retrying the records of these keys (from `retry` or `runs`) until their content changes, or until `retry <key>` puts them back in line. Needs no NetSuite or Invoiced credentials.',
  options: {},
  optionHelp: [],
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  async run(context, _values, positionals) {
    const { output, flags } = context;
    const { store } = await context.openStore();
    const changed = await mark(store, flags.connection, positionals, 'ignored');
    output.line(`${changed.length} record${changed.length === 1 ? '' : 's'} ignored until changed: ${changed.map((item) => item.number ?? item.key).join(', ')}`);
    output.document({ ok: true, exitCode: EXIT_CODES.success, connectionId: flags.connection, ignored: changed });
    return EXIT_CODES.success;
  },
};
