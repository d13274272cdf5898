/**
 * The shape of a command, and helpers the commands share.
 */
import type { ParseArgsOptionsConfig } from 'node:util';
import { syncPhaseNames, type RecordError, type SyncRun, type SyncSettings } from '@invoiced/netsuite-sync';
import type { CommandContext } from './context';
import { CliUsageError } from './errors';
import type { ExitCode } from './exit-codes';
import { errorCodeCounts, formatRuns, retryKeyOf } from './format';

/** Parsed options of a command: strings and booleans by option name. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** One command of `netsuite-sync`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The command's arguments, after its name: `[--dry-run]`. */
  readonly synopsis: string;
  /** What the command does, for its `--help`. */
  readonly description: string;
  /** Its own options (the global ones are added). */
  readonly options: ParseArgsOptionsConfig;
  /**
   * Options that only apply with another one: `{ limit: 'dry-run' }` refuses `--limit` without
   * `--dry-run` (exit 64, nothing runs) instead of ignoring it.
   */
  readonly requires?: Readonly<Record<string, string>>;
  /** Help of its own options: flag and meaning. */
  readonly optionHelp: readonly (readonly [string, string])[];
  /** How many positional arguments it takes. */
  readonly positionals: { readonly min: number; readonly max: number };
  /** Runs the command; resolves with the exit code. */
  run(context: CommandContext, values: OptionValues, positionals: readonly string[]): Promise<ExitCode>;
}

/** A string option, or `undefined`. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A whole-number option from `min` to `max`, or `fallback`; a usage error (exit 64) otherwise. */
export function integerOption(values: OptionValues, name: string, fallback: number, range: { min: number; max: number }, command: string): number {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const number = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(number) || number < range.min || number > range.max) {
    throw new CliUsageError(`--${name} must be a whole number from ${range.min} to ${range.max}, got "${text}".`, command);
  }
  return number;
}

/** How many phases a sync with these settings runs. */
export function enabledPhaseCount(settings: SyncSettings): number {
  return syncPhaseNames(settings).length;
}

/** A run as `--json` writes it. */
export type RunJson = Omit<SyncRun, 'recordErrors' | 'recordErrorCodes'> & {
  /** Each record error with its retry key. */
  recordErrors: (RecordError & { retryKey: string })[];
  /**
   * The record errors counted by code, most frequent first; of every record error of the run when
   * `recordErrorCodesComplete`, else of the ones the store returned (see {@link errorCodeCounts}).
   */
  recordErrorCodes: Record<string, number>;
  recordErrorCodesComplete: boolean;
};

/** A run as `--json` writes it: each record error with its retry key, and the record errors counted by code. */
export function runJson(run: SyncRun): RunJson {
  const { codes, complete } = errorCodeCounts(run);
  return {
    ...run,
    recordErrors: run.recordErrors.map((error) => ({ ...error, retryKey: retryKeyOf(error) })),
    recordErrorCodes: Object.fromEntries(codes),
    recordErrorCodesComplete: complete,
  };
}

/** Prints one run (a sync or an import) as Recent Syncs shows it, with up to `errors` record errors. */
export function printRun(context: CommandContext, title: string, run: SyncRun, errors = 20): void {
  const { output } = context;
  output.line(output.style.bold(title));
  const runCommand = (id: string) => context.hint(['runs', id], 'store');
  for (const line of formatRuns([run], { errorsPerRun: errors, style: output.style, runCommand })) output.line(line);
}
