/**
 * The logic of the `netsuite-sync` command, separate from the process so that it can be tested:
 * {@link runCli} parses the arguments, runs one command and resolves with the exit code; it never calls
 * `process.exit` and writes only to the streams it is given.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };
import { COMMANDS } from './catalog';
import type { Command, OptionValues } from './command';
import type { Env } from './config';
import type { CommandContext, GlobalFlags } from './context';
import type { CliUsageError } from './errors';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { Output, SecretMask, type CliStream } from './output';
import { ENVIRONMENT_VARIABLES } from './variables';

export { COMMANDS } from './catalog';
export type { CommandEntry } from './catalog';

/** The version of this package. */
export const VERSION: string = packageJson.version;

/** Where {@link runCli} reads and writes. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** The environment (`process.env`). */
  readonly env: Env;
  /** Relative paths (`--settings`, `--env-file`, `sqlite:<file>`, `pglite:<dir>`) start here. */
  readonly cwd: string;
  /** Abort it to interrupt the command (Ctrl-C): runs stop at their next safe point, and the exit code is 130. */
  readonly signal?: AbortSignal | undefined;
}

/** Options every command takes. */
const GLOBAL_OPTIONS = {
  connection: { type: 'string' },
  store: { type: 'string' },
  settings: { type: 'string' },
  'env-file': { type: 'string' },
  'account-id': { type: 'string' },
  'netsuite-base-url': { type: 'string' },
  'invoiced-base-url': { type: 'string' },
  'invoiced-sandbox': { type: 'boolean' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ['--connection <id>', "Which connection (one store holds many): letters, digits, _ . : - (default 'default')."],
  ['--store <store>', 'sqlite:<file> | memory | pglite:<dir> | postgres://user:password@host/db (default: DATABASE_URL if set, else sqlite:.netsuite-sync/state.db).'],
  ['--settings <file>', 'Sync settings as JSON (items, subsidiary, currencies, phases...; `netsuite-sync check` proves them; every setting: docs/configuration.md in the source repository).'],
  ['--env-file <file>', 'Read variables from a file of KEY=value lines (variables already set win).'],
  ['--account-id <id>', 'NetSuite account ID (instead of NETSUITE_ACCOUNT_ID).'],
  ['--netsuite-base-url <url>', 'NetSuite REST host (instead of NETSUITE_BASE_URL).'],
  ['--invoiced-base-url <url>', 'Invoiced API host (instead of INVOICED_BASE_URL).'],
  ['--invoiced-sandbox', "Use Invoiced's sandbox environment (instead of INVOICED_SANDBOX=true)."],
  ['--json', 'Print one JSON document on stdout (auto: one per line) instead of text.'],
  ['--no-progress', 'No progress bar or progress lines on stderr.'],
  ['--verbose', "Also print the SDK's warnings and requests on stderr."],
  ['-h, --help', 'Show help (of a command: netsuite-sync <command> --help).'],
  ['--version', 'Show the version.'],
];

const EXIT_HELP = 'Exit codes: 0 success, 1 failure, 2 partial (some records failed), 64 usage or configuration error, 130 interrupted.';

/** Lines of `flag  meaning`, aligned. */
function optionLines(options: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...options.map(([flag]) => flag.length));
  return options.map(([flag, meaning]) => `  ${flag.padEnd(width)}  ${meaning}`);
}

/** The general usage: commands, global options, variables, exit codes. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: netsuite-sync <command> [options]',
    '',
    'Keeps NetSuite and Invoiced in step. Try it with no account: netsuite-sync demo',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options of every command:',
    ...optionLines(GLOBAL_HELP),
    '',
    'Environment variables (secrets are read only from the environment or --env-file):',
    ...optionLines(Object.entries(ENVIRONMENT_VARIABLES)),
    '',
    EXIT_HELP,
    'Reference: docs/cli.md in the netsuite-sync source repository (the installed package does not ship the docs).',
  ].join('\n');
}

/** The usage of one command. */
export function commandUsage(command: Command): string {
  return [
    `Usage: netsuite-sync ${command.name}${command.synopsis === '' ? '' : ` ${command.synopsis}`} [options]`,
    '',
    command.description,
    ...(command.optionHelp.length === 0 ? [] : ['', 'Options:', ...optionLines(command.optionHelp)]),
    '',
    'Options of every command: --connection, --store, --settings, --env-file, --account-id, --netsuite-base-url, --invoiced-base-url, --invoiced-sandbox, --json, --no-progress, --verbose (netsuite-sync --help).',
    EXIT_HELP,
  ].join('\n');
}

/** Every option of every command, to find the command word without mistaking an option's value for it. */
const ALL_OPTIONS: ParseArgsOptionsConfig = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((entry) => entry.options)) as ParseArgsOptionsConfig;

/** A parsed command line. */
type ParsedCommandLine =
  | { kind: 'help'; command: Command | undefined }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; values: OptionValues; positionals: string[] };

/** A {@link CliUsageError}, whose module (and the SDK's errors it needs) is loaded only when one is thrown. */
async function usageError(message: string, command?: string): Promise<CliUsageError> {
  const { CliUsageError } = await import('./errors');
  return new CliUsageError(message, command);
}

/**
 * Parses the arguments: the command word, then its options and positionals. Loads the module of the
 * command only when it runs or its usage is shown. Rejects with {@link CliUsageError}.
 */
async function parseCommandLine(argv: readonly string[]): Promise<ParsedCommandLine> {
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true }));
  } catch (error) {
    throw await usageError(error instanceof Error ? error.message : String(error));
  }
  const word = tokens.find((token) => token.kind === 'positional');
  const name = word?.kind === 'positional' ? word.value : undefined;
  const entry = name === undefined || name === 'help' ? undefined : COMMANDS.find((candidate) => candidate.name === name);
  if (name !== undefined && name !== 'help' && entry === undefined) {
    throw await usageError(`Unknown command "${name}". Commands: ${COMMANDS.map((candidate) => candidate.name).join(', ')}.`);
  }
  if (name === 'help') {
    const topic = tokens.filter((token) => token.kind === 'positional')[1];
    const about = topic?.kind === 'positional' ? COMMANDS.find((candidate) => candidate.name === topic.value) : undefined;
    return { kind: 'help', command: await about?.load() };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...GLOBAL_OPTIONS, ...entry?.options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error);
    throw await usageError(message, entry?.name);
  }
  const values = parsed.values as OptionValues;
  if (values.help === true) return { kind: 'help', command: await entry?.load() };
  if (values.version === true) return { kind: 'version' };
  if (entry === undefined) throw await usageError('Which command? Try `netsuite-sync demo` first.');
  const command = await entry.load();
  for (const [option, needed] of Object.entries(command.requires ?? {})) {
    if (values[option] !== undefined && values[needed] !== true) {
      throw await usageError(`--${option} only applies with --${needed}: \`netsuite-sync ${command.name} --${option}\` would run without it. Nothing was run.`, command.name);
    }
  }
  const positionals = parsed.positionals.slice(1);
  if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
    const expected = command.positionals.max === 0 ? 'no arguments' : `\`${command.synopsis}\``;
    throw await usageError(`\`netsuite-sync ${command.name}\` takes ${expected}, got ${positionals.length === 0 ? 'none' : positionals.map((value) => JSON.stringify(value)).join(' ')}.`, command.name);
  }
  return { kind: 'run', command, values, positionals };
}

/** The global flags of parsed options (`checkConnectionId` from config.ts, loaded by the caller). */
function globalFlags(values: OptionValues, checkConnectionId: (connectionId: string) => string): GlobalFlags {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined);
  return {
    connection: checkConnectionId(text('connection') ?? 'default'),
    store: text('store'),
    settings: text('settings'),
    envFile: text('env-file'),
    accountId: text('account-id'),
    netsuiteBaseUrl: text('netsuite-base-url'),
    invoicedBaseUrl: text('invoiced-base-url'),
    invoicedSandbox: values['invoiced-sandbox'] === true,
    json: values.json === true,
    progress: values['no-progress'] !== true,
    verbose: values.verbose === true,
  };
}

/**
 * Runs `netsuite-sync` with `argv` (the arguments after the program name) and resolves with the exit code:
 * 0 success, 1 failure, 2 partial, 64 usage or configuration error, 130 interrupted. Never rejects.
 *
 * @example
 * ```ts
 * const code = await runCli(['sync', '--json'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 * process.exitCode = code;
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const mask = new SecretMask();
  let output: Output | undefined;
  let context: CommandContext | undefined;
  try {
    const parsed = await parseCommandLine(argv);
    if (parsed.kind === 'help') {
      io.stdout.write(`${parsed.command === undefined ? usage() : commandUsage(parsed.command)}\n`);
      return EXIT_CODES.success;
    }
    if (parsed.kind === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_CODES.success;
    }
    // Loaded only by a command that runs: config.ts brings zod and the settings' schema, context.ts the stores.
    const [{ checkConnectionId, secretValuesOf, withEnvFile }, { CommandContext }] = await Promise.all([import('./config'), import('./context')]);
    mask.add(secretValuesOf(io.env));
    const flags = globalFlags(parsed.values, checkConnectionId);
    output = new Output({ stdout: io.stdout, stderr: io.stderr, env: io.env, json: flags.json, verbose: flags.verbose, mask });
    const env = await withEnvFile(io.env, flags.envFile, io.cwd);
    mask.add(secretValuesOf(env));
    if (flags.store !== undefined) mask.add(secretValuesOf({ DATABASE_URL: flags.store }));
    context = new CommandContext(output, flags, env, io.cwd, io.signal);
    return await parsed.command.run(context, parsed.values, parsed.positionals);
  } catch (error) {
    const [{ CliUsageError, describeError }, { secretValuesOf }] = await Promise.all([import('./errors'), import('./config')]);
    mask.add(secretValuesOf(io.env));
    // A usage error is written as JSON too when --json was asked for.
    output ??= new Output({ stdout: io.stdout, stderr: io.stderr, env: io.env, json: argv.includes('--json'), verbose: argv.includes('--verbose'), mask });
    const described = describeError(error, io.signal?.aborted ?? false);
    output.error(described.message, described.resolution);
    if (error instanceof CliUsageError && !output.json) {
      const entry = COMMANDS.find((candidate) => candidate.name === error.command);
      output.note('');
      output.note(entry === undefined ? usage() : commandUsage(await entry.load()));
    }
    output.document({ ok: false, exitCode: described.exitCode, error: { code: described.code, message: described.message, resolution: described.resolution } });
    return described.exitCode;
  } finally {
    await context?.close();
  }
}
