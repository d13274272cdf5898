/**
 * `netsuite-sync connections <action> [<id>]`: the worker fleet's registry of connections (`createFleet()`
 * of `@invoiced/netsuite-sync-worker`) on the configured Postgres database: list, add, show, update,
 * pause, resume, remove, and queue a Sync Now or an import for the workers (`netsuite-sync worker`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConnectionPatch, Fleet, ScheduleInput } from '@invoiced/netsuite-sync-worker';
import { stringOption, type Command, type OptionValues } from '../command';
import { loadSettings } from '../config';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { checkFleetStore, fleetCliError, openFleet } from '../fleet';
import { connectionTable, statusLines } from './connections-format';
import { limitLines, parseLimitRequest, setLimitLine } from './connections-limits';

const ACTIONS = ['list', 'add', 'show', 'update', 'pause', 'resume', 'remove', 'sync-now', 'import', 'limits', 'limit'] as const;
type Action = (typeof ACTIONS)[number];

/** The options of `add` and `update`. */
const CONNECTION_OPTIONS = ['netsuite-account', 'invoiced-key-id', 'every', 'jitter', 'paused', 'settings'] as const;

const usage = (message: string): CliUsageError => new CliUsageError(message, 'connections');

/** `--jitter`: a fraction from 0 to 1. */
function jitterOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw usage(`--jitter must be a number from 0 to 1 (a fraction of --every), got "${text}".`);
  return value;
}

/** The action and the connection ID of the positionals, checked against the options given. */
function parseInvocation(values: OptionValues, flagsSettings: string | undefined, positionals: readonly string[]): { action: Action; id: string | undefined } {
  const [word, id] = positionals;
  const action = ACTIONS.find((candidate) => candidate === word);
  if (action === undefined) throw usage(`Unknown action ${JSON.stringify(word ?? '')}. Actions: ${ACTIONS.join(', ')}.`);
  if ((action === 'list' || action === 'limits') && id !== undefined) throw usage(`\`netsuite-sync connections ${action}\` takes no connection ID.`);
  const limitOptions = (['runs', 'remove'] as const).filter((name) => values[name] !== undefined);
  if (action !== 'limit' && limitOptions.length > 0) throw usage(`--${limitOptions[0] ?? 'runs'} only applies to \`connections limit\`.`);
  if (action === 'limit') {
    for (const name of CONNECTION_OPTIONS) if (name !== 'settings' && values[name] !== undefined) throw usage(`--${name} does not apply to \`connections limit\`.`);
    parseLimitRequest(positionals, values);
    return { action, id: undefined };
  }
  if (positionals.length > 2) throw usage(`\`netsuite-sync connections ${action}\` takes at most one connection ID.`);
  if (action !== 'list' && action !== 'limits' && id === undefined) throw usage(`\`netsuite-sync connections ${action}\` needs a connection ID: netsuite-sync connections ${action} <id>.`);
  const given = (name: string) => (name === 'settings' ? flagsSettings !== undefined : values[name] !== undefined);
  const takesConnectionOptions = action === 'add' || action === 'update';
  for (const name of CONNECTION_OPTIONS) {
    if (name !== 'settings' && given(name) && !takesConnectionOptions) throw usage(`--${name} only applies to \`connections add\` and \`connections update\`.`);
  }
  if (values.kind !== undefined && action !== 'import') throw usage('--kind only applies to `connections import`.');
  if (action === 'add') {
    const missing = ['netsuite-account', 'invoiced-key-id'].filter((name) => values[name] === undefined);
    if (missing.length > 0) throw usage(`\`connections add\` needs ${missing.map((name) => `--${name}`).join(' and ')}.`);
  }
  if (action === 'update' && !CONNECTION_OPTIONS.some(given)) throw usage(`\`connections update\` needs something to change: ${CONNECTION_OPTIONS.map((name) => `--${name}`).join(', ')}.`);
  jitterOf(stringOption(values, 'jitter'));
  if (action === 'import') {
    const kind = stringOption(values, 'kind');
    if (kind !== 'invoices' && kind !== 'customers') throw usage(`\`connections import\` needs --kind invoices or --kind customers${kind === undefined ? '' : `, got "${kind}"`}.`);
  }
  return { action, id };
}

/** The settings of `--settings`, checked by the engine's schema, as the file holds them (defaults are not written in). */
async function settingsInput(context: CommandContext): Promise<Record<string, unknown> | undefined> {
  const path = context.flags.settings;
  if (path === undefined) return undefined;
  await loadSettings(path, context.cwd);
  return JSON.parse(await readFile(resolve(context.cwd, path), 'utf8')) as Record<string, unknown>;
}

/** The connection's fields from the options: only those given. */
async function patchOf(context: CommandContext, values: OptionValues): Promise<ConnectionPatch> {
  const schedule: ScheduleInput = {};
  const every = stringOption(values, 'every');
  const jitter = jitterOf(stringOption(values, 'jitter'));
  if (every !== undefined) schedule.every = every;
  if (jitter !== undefined) schedule.jitter = jitter;
  if (values.paused === true) schedule.paused = true;
  const settings = await settingsInput(context);
  const netsuiteAccount = stringOption(values, 'netsuite-account');
  const invoicedKeyId = stringOption(values, 'invoiced-key-id');
  return {
    ...(netsuiteAccount === undefined ? {} : { netsuiteAccount }),
    ...(invoicedKeyId === undefined ? {} : { invoicedKeyId }),
    ...(settings === undefined ? {} : { settings }),
    ...(Object.keys(schedule).length === 0 ? {} : { schedule }),
  };
}

/** Lists every connection, a page at a time. */
async function listAll(fleet: Fleet): Promise<Awaited<ReturnType<Fleet['listConnections']>>> {
  const all: Awaited<ReturnType<Fleet['listConnections']>> = [];
  for (;;) {
    const last = all.at(-1);
    const page = await fleet.listConnections({ limit: 1000, ...(last === undefined ? {} : { after: last.id }) });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

async function runAction(context: CommandContext, fleet: Fleet, description: string, action: Action, id: string, values: OptionValues, positionals: readonly string[]): Promise<ExitCode> {
  const { output } = context;
  const done = (document: Record<string, unknown>): ExitCode => {
    output.document({ ok: true, exitCode: EXIT_CODES.success, ...document });
    return EXIT_CODES.success;
  };
  const show = context.hint(['connections', 'show', id], 'store');
  switch (action) {
    case 'list': {
      const connections = await listAll(fleet);
      if (connections.length === 0) output.line(`No connections in the registry of ${description}. To add one: netsuite-sync connections add <id> --netsuite-account <account ID> --invoiced-key-id <key name>`);
      else for (const line of connectionTable(connections, output.style)) output.line(line);
      return done({ connections });
    }
    case 'limits': {
      const limits = await fleet.listLimits();
      for (const line of limitLines(limits)) output.line(line);
      return done({ limits });
    }
    case 'limit': {
      const request = parseLimitRequest(positionals, values);
      output.line(await setLimitLine(fleet, request));
      return done({ limit: request });
    }
    case 'show': {
      const status = await fleet.status(id);
      for (const line of statusLines(status, output.style, (runId) => context.hint(['runs', runId, '--connection', id], 'store'))) output.line(line);
      return done({ status });
    }
    case 'add': {
      const patch = await patchOf(context, values);
      const connection = await fleet.registerConnection({ id, netsuiteAccount: patch.netsuiteAccount ?? '', invoicedKeyId: patch.invoicedKeyId ?? '', ...patch });
      const next = connection.nextRunAt === null ? 'paused: not scheduled' : `first sync due about ${connection.nextRunAt.toISOString()}`;
      output.line(`Added connection "${id}" to ${description} (${next}). A worker runs its jobs: ${context.hint(['worker'], 'store')}`);
      return done({ connection });
    }
    case 'update': {
      const connection = await fleet.updateConnection(id, await patchOf(context, values));
      output.line(`Updated connection "${id}". ${show}`);
      return done({ connection });
    }
    case 'pause':
    case 'resume': {
      const connection = action === 'pause' ? await fleet.pause(id) : await fleet.resume(id);
      const next = connection.nextRunAt === null ? 'no scheduled sync until resumed; Sync Now and imports still run' : `next sync due about ${connection.nextRunAt.toISOString()}`;
      output.line(`${action === 'pause' ? 'Paused' : 'Resumed'} connection "${id}": ${next}.`);
      return done({ connection });
    }
    case 'remove': {
      if (!(await fleet.removeConnection(id))) {
        const { ConnectionNotFoundError } = await import('@invoiced/netsuite-sync-worker');
        throw new ConnectionNotFoundError(id);
      }
      output.line(`Removed connection "${id}" from the registry and cancelled its waiting jobs; its runs, links and retry queue stay in the store.`);
      return done({ removed: id });
    }
    case 'sync-now':
    case 'import': {
      const kind = stringOption(values, 'kind');
      const enqueued = action === 'sync-now' ? await fleet.syncNow(id) : kind === 'customers' ? await fleet.importCustomers(id) : await fleet.importInvoices(id);
      const what = action === 'sync-now' ? 'A sync' : kind === 'customers' ? 'A customer import' : 'An invoice import';
      const importJob = enqueued.importJobId === null ? '' : `, import job ${enqueued.importJobId}`;
      output.line(
        enqueued.queued
          ? `${what} of connection "${id}" is queued (job ${enqueued.jobId}${importJob}); a worker runs it. ${show}`
          : `${what} of connection "${id}" was already waiting (job ${enqueued.jobId}${importJob}): it serves this request too. ${show}`,
      );
      return done({ connectionId: id, ...enqueued });
    }
  }
}

export const connectionsCommand: Command = {
  name: 'connections',
  summary: "Manage the worker fleet's connections: list, add, show, update, pause, resume, remove, sync-now, import, limits",
  synopsis: '<list|add|show|update|pause|resume|remove|sync-now|import|limits|limit> [<id>]',
  description: [
    "Manages the registry of the worker fleet (@invoiced/netsuite-sync-worker) in the Postgres database of --store or DATABASE_URL, where `netsuite-sync worker` processes run each connection's scheduled syncs, Sync Now and imports. Needs no NetSuite or Invoiced credentials.",
    '',
    '  list                     Every connection: state, schedule, next run, last run.',
    '  add <id> --netsuite-account <account ID> --invoiced-key-id <key name> [--every] [--jitter] [--settings <file>] [--paused]',
    '  show <id>                Next run, jobs waiting and running, last job, Recent Syncs.',
    '  update <id> <options>    Change any of the options of add; a new --every or --jitter reschedules from now.',
    '  pause <id> | resume <id> Stop or restart scheduled syncs (Sync Now and imports still run).',
    '  remove <id>              Take it out of the registry, cancelling its waiting jobs (the store keeps its data).',
    '  sync-now <id>            Queue a sync now, ahead of scheduled ones; a Sync Now already waiting serves this request.',
    '  import <id> --kind invoices|customers   Queue an import job.',
    '  limits                   The fleet-wide limits every worker reads from the registry.',
    '  limit <netsuite-account|invoiced-key> [<account ID or key name>] --runs <n> | --remove',
    '                           Set or remove the runs at once of one account or key (or, with none named, of every one without its own).',
    '',
    'Exit 64 for a wrong argument, an invalid value (INVALID_FLEET_INPUT) or an unknown ID (CONNECTION_NOT_FOUND), 1 for an ID already registered (CONNECTION_EXISTS) or a database that cannot be used.',
  ].join('\n'),
  options: {
    'netsuite-account': { type: 'string' },
    'invoiced-key-id': { type: 'string' },
    every: { type: 'string' },
    jitter: { type: 'string' },
    paused: { type: 'boolean' },
    kind: { type: 'string' },
    runs: { type: 'string' },
    remove: { type: 'boolean' },
  },
  optionHelp: [
    ['--netsuite-account <id>', 'add, update: the NetSuite account ID (1234567, 1234567_SB1); the worker picks credentials by it.'],
    ['--invoiced-key-id <name>', 'add, update: a name for the Invoiced API key (never the key): connections that share it share its limit.'],
    ['--every <duration>', "add, update: time between scheduled syncs: '1h' (default), '15m', '90s'; from 1s to 7d."],
    ['--jitter <fraction>', 'add, update: spread of each wait, a fraction of --every from 0 to 1 (default 0.1).'],
    ['--settings <file>', "add, update: the connection's sync settings, a JSON file (checked now, and when each job runs)."],
    ['--paused', 'add, update: not scheduled until `connections resume` (Sync Now and imports still run).'],
    ['--kind <kind>', 'import: invoices (every open NetSuite invoice) or customers (the whole customer list).'],
    ['--runs <n>', 'limit: runs at once across the fleet, from 1 to 100.'],
    ['--remove', 'limit: remove the limit (workers fall back to the next one).'],
  ],
  positionals: { min: 1, max: 3 },
  async run(context, values, positionals) {
    const { action, id } = parseInvocation(values, context.flags.settings, positionals);
    checkFleetStore(context);
    const { fleet, description } = await openFleet(context);
    try {
      return await runAction(context, fleet, description, action, id ?? '', values, positionals);
    } catch (error) {
      throw fleetCliError(error, context, description);
    }
  },
};
