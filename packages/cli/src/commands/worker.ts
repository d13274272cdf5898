/**
 * `netsuite-sync worker`: one worker of the fleet (`startWorker()` of `@invoiced/netsuite-sync-worker`) on
 * the configured Postgres database, until Ctrl-C or SIGTERM, which drain it. One line per job that ends.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { durationToMs, type Logger } from '@invoiced/netsuite-sync';
import type { ClientsFor, JobEnded } from '@invoiced/netsuite-sync-worker';
import { integerOption, stringOption, type Command } from '../command';
import { resolveConnectionConfig } from '../config';
import type { CommandContext } from '../context';
import { CliError, CliUsageError } from '../errors';
import { EXIT_CODES } from '../exit-codes';
import { checkFleetStore, openFleetDatabase } from '../fleet';
import { formatDuration, formatTime } from '../format';
import { formatLastStatus } from './connections-format';

/** The longest `--drain`: an hour. */
const MAX_DRAIN_MS = 3_600_000;

/** `--drain`: how long jobs in flight may go on after SIGTERM, from 0 to 1h; 30 s when absent. */
export function drainMsOf(text: string | undefined): number {
  if (text === undefined) return 30_000;
  const ms = durationToMs(text);
  if (ms === undefined || ms < 0 || ms > MAX_DRAIN_MS) throw new CliUsageError(`--drain must be a duration from 0s to 1h, such as '30s' or '2m', got "${text}".`, 'worker');
  return ms;
}

/** What a value is, for the error of a module that exports no function. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * The `clientsFor` of a `--clients` module: its default export when that is a function, else its export
 * `clientsFor`. Exit 64 when the module cannot be loaded or exports no function.
 */
export async function loadClientsModule(path: string, cwd: string): Promise<ClientsFor> {
  const file = resolve(cwd, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`Cannot load the --clients module ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'CLIENTS_MODULE_UNLOADABLE',
      resolution:
        'Check the path (relative paths start from the current directory) and that Node.js can import it as an ES module (.mjs, or .js in a package whose package.json says "type": "module").',
      cause: error,
    });
  }
  const found = typeof module.default === 'function' ? module.default : module.clientsFor;
  if (typeof found !== 'function') {
    throw new CliError(`The --clients module ${file} exports no function: its default export is ${kindOf(module.default)}, its export clientsFor ${kindOf(module.clientsFor)}.`, {
      code: 'INVALID_CLIENTS_MODULE',
      resolution:
        'Export `async (connection, { signal }) => ({ netsuite, invoiced })` as the default export or as `clientsFor`; docs/cli.md in the netsuite-sync source repository shows one.',
    });
  }
  return found as ClientsFor;
}

/**
 * The `clientsFor` of the CLI's own credentials (the variables `sync` reads), checked now: the clients of
 * every connection of the configured NetSuite account, and an error naming what to do for any other.
 */
function environmentClients(context: CommandContext): ClientsFor {
  const account = resolveConnectionConfig(context.env, context.flags).netsuite.accountId;
  return async (connection) => {
    if (connection.netsuiteAccount.toLowerCase() !== account.toLowerCase()) {
      throw new CliError(
        `Connection "${connection.id}" is on NetSuite account ${connection.netsuiteAccount}, and this worker holds the credentials of account ${account} only (NETSUITE_ACCOUNT_ID). Start the worker with --clients <module> to give each connection its own credentials, or correct the connection's account (netsuite-sync connections update ${connection.id} --netsuite-account <account ID>).`,
        { code: 'NO_CREDENTIALS_FOR_CONNECTION', exitCode: EXIT_CODES.failure },
      );
    }
    return context.clients();
  };
}

/** The SDK's and the fleet's log: errors always (a job that failed, and why), the rest with --verbose. */
function workerLogger(context: CommandContext): Logger {
  const { output } = context;
  const verbose = context.logger;
  return {
    ...verbose,
    error: (message: string, fields?: Record<string, unknown>) => {
      const { connectionId, kind, error, ...rest } = fields ?? {};
      const about = [connectionId, kind].filter((part) => typeof part === 'string').join(' ');
      output.note(`${formatTime(new Date().toISOString())}  ${output.errStyle.red('ERROR')}      ${about === '' ? '' : `${about}: `}${message}${typeof error === 'string' ? `: ${error}` : ''}`);
      if (Object.keys(rest).length > 0) output.debug(`    ${JSON.stringify(rest)}`);
    },
  };
}

/** The line of a job's end: when, status, connection, kind, run, lag; with --json, a JSON object. */
function printJob(context: CommandContext, event: JobEnded): void {
  const { output } = context;
  const { outcome } = event;
  const status = formatLastStatus(outcome.status, output.style) + ' '.repeat(Math.max(0, 9 - outcome.status.length));
  const lag = outcome.lagMs === null ? '' : `  lag ${formatDuration(outcome.lagMs)}`;
  const took = formatDuration(outcome.finishedAt.getTime() - outcome.startedAt.getTime());
  const why = event.error === null ? '' : `  ${event.error.code ?? event.error.name}: ${event.error.message}`;
  output.line(`${formatTime(outcome.finishedAt.toISOString())}  ${status}  ${event.connectionId}  ${event.kind}  run ${outcome.runId ?? '-'}${lag}${why}  ${output.style.dim(`(took ${took}; job ${event.jobId})`)}`);
  if (output.json) {
    const line = { type: 'job', connectionId: event.connectionId, kind: event.kind, status: outcome.status, runId: outcome.runId, lagMs: outcome.lagMs, startedAt: outcome.startedAt, finishedAt: outcome.finishedAt, jobId: event.jobId, workerId: event.workerId, error: event.error };
    output.stdout.write(`${output.mask.redact(JSON.stringify(line))}\n`);
  }
}

export const workerCommand: Command = {
  name: 'worker',
  summary: "Run a worker of the fleet: the registry's scheduled syncs, Sync Now and imports, until stopped",
  synopsis: '[--concurrency <n>] [--clients <module>] [--drain <duration>]',
  description:
    "Runs one worker of the worker fleet (@invoiced/netsuite-sync-worker) on the Postgres database of --store or DATABASE_URL: it schedules the connections of the registry (`netsuite-sync connections`) and runs their syncs, Sync Now and imports, as many at once as --concurrency, with any number of other workers on the same database. Each job's credentials come from the --clients module, or without it from the variables `sync` reads, for the connections of that NetSuite account only (a job of any other fails and says so). Prints one line per job that ends (with --json, one JSON object per line). Ctrl-C or SIGTERM drains it: no new job, jobs in flight get --drain (30 s by default) to finish, then are cancelled at a safe point and queued again for another worker; exit 130. A second Ctrl-C exits at once.",
  options: { concurrency: { type: 'string' }, clients: { type: 'string' }, drain: { type: 'string' } },
  optionHelp: [
    ['--concurrency <n>', 'Jobs this worker runs at once, from 1 to 256 (default 4).'],
    ['--clients <module>', "An ES module whose default export (or export clientsFor) is (connection, { signal }) => ({ netsuite, invoiced }): each connection's clients."],
    ['--drain <duration>', "On Ctrl-C or SIGTERM, how long jobs in flight may go on before they are cancelled and queued again: '30s' (default), '2m'; 0s to 1h. Keep it under the platform's stop timeout."],
  ],
  positionals: { min: 0, max: 0 },
  async run(context, values) {
    const { output } = context;
    const concurrency = integerOption(values, 'concurrency', 4, { min: 1, max: 256 }, 'worker');
    const drainMs = drainMsOf(stringOption(values, 'drain'));
    checkFleetStore(context);
    const module = stringOption(values, 'clients');
    const clientsFor = module === undefined ? environmentClients(context) : await loadClientsModule(module, context.cwd);
    // Each job holds a connection for the store and one for its claim; pg-boss and the schedule need a few more.
    const { database, description } = await openFleetDatabase(context, { poolMax: concurrency * 2 + 4 });
    const { startWorker } = await import('@invoiced/netsuite-sync-worker');
    const worker = await startWorker({ database, clientsFor, concurrency, drainMs, onJob: (event) => printJob(context, event), logger: workerLogger(context) });
    context.defer(() => worker.stop());
    const credentials = module === undefined ? 'the credentials of NETSUITE_ACCOUNT_ID' : `the clients of ${module}`;
    output.note(`Worker ${worker.workerId} runs up to ${concurrency} job${concurrency === 1 ? '' : 's'} at once on ${description}, with ${credentials}. Ctrl-C or SIGTERM drains it.`);
    const drain = () => {
      const running = worker.running().length;
      output.note(`Draining worker ${worker.workerId}: no new job${running === 0 ? '' : `; ${running} in flight get ${formatDuration(drainMs)} to finish, then go back to the queue`}.`);
      void worker.stop();
    };
    context.signal?.addEventListener('abort', drain, { once: true });
    if (context.signal?.aborted === true) drain();
    try {
      await worker.done;
    } finally {
      context.signal?.removeEventListener('abort', drain);
    }
    output.note(`Worker ${worker.workerId} stopped.`);
    return context.interrupted ? EXIT_CODES.interrupted : EXIT_CODES.success;
  },
};
