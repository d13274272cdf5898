/**
 * The commands of `netsuite-sync` as the command line needs them before one runs: name, one-line summary,
 * options, and how to load the command. Each command's module (and what it imports: the engine, the
 * clients, the sandbox...) is loaded only when that command runs or its own `--help` is shown, so that
 * `--version`, `--help` and `runs` start without loading what they do not use. The test
 * `catalog.test.ts` checks that each entry agrees with its command.
 */
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Command } from './command';

/** A command of `netsuite-sync`, before its module is loaded. */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list (the command's `summary`). */
  readonly summary: string;
  /** The command's own options (the command's `options`), to find the command word in the arguments. */
  readonly options: ParseArgsOptionsConfig;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'Try everything on the sandbox: sync, change both sides, sync again, import, Recent Syncs',
    options: { customers: { type: 'string' }, invoices: { type: 'string' }, payments: { type: 'string' }, seed: { type: 'string' } },
    load: async () => (await import('./commands/demo')).demoCommand,
  },
  {
    name: 'check',
    summary: 'Check the credentials, permissions and settings of the connection',
    options: {},
    load: async () => (await import('./commands/check')).checkCommand,
  },
  {
    name: 'sync',
    summary: 'Run one sync now (or, with --dry-run, show what it would change)',
    options: { 'dry-run': { type: 'boolean' }, limit: { type: 'string' } },
    load: async () => (await import('./commands/sync')).syncCommand,
  },
  {
    name: 'import',
    summary: 'Import every open NetSuite invoice, or the whole customer list',
    options: { job: { type: 'string' } },
    load: async () => (await import('./commands/import')).importCommand,
  },
  {
    name: 'runs',
    summary: 'Show Recent Syncs: the latest runs, their errors and what to do',
    options: { limit: { type: 'string' }, errors: { type: 'string' } },
    load: async () => (await import('./commands/runs')).runsCommand,
  },
  {
    name: 'retry',
    summary: 'List the retry queue, or put failed or ignored records back in line',
    options: { all: { type: 'boolean' }, now: { type: 'boolean' } },
    load: async () => (await import('./commands/retry')).retryCommand,
  },
  {
    name: 'ignore',
    summary: 'Stop retrying failed records until they change',
    options: {},
    load: async () => (await import('./commands/retry')).ignoreCommand,
  },
  {
    name: 'auto',
    summary: 'Run the auto-sync loop: a sync about every hour, until stopped',
    options: { every: { type: 'string' }, jitter: { type: 'string' }, 'max-runs': { type: 'string' } },
    load: async () => (await import('./commands/auto')).autoCommand,
  },
  {
    name: 'worker',
    summary: "Run a worker of the fleet: the registry's scheduled syncs, Sync Now and imports, until stopped",
    options: { concurrency: { type: 'string' }, clients: { type: 'string' }, drain: { type: 'string' } },
    load: async () => (await import('./commands/worker')).workerCommand,
  },
  {
    name: 'connections',
    summary: "Manage the worker fleet's connections: list, add, show, update, pause, resume, remove, sync-now, import, limits",
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
    load: async () => (await import('./commands/connections')).connectionsCommand,
  },
];
