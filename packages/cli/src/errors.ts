/**
 * How the CLI turns what went wrong into a message, a resolution and an exit code.
 */
import { ConfigurationError, ImportJobError, NetSuiteSyncError, SyncInProgressError } from '@invoiced/netsuite-sync';
import { EXIT_CODES, type ExitCode } from './exit-codes';

/** A problem the CLI itself found: wrong arguments or configuration (exit 64 by default). */
export class CliError extends Error {
  override name = 'CliError';
  /** Stable code, e.g. `MISSING_CONFIGURATION`. */
  readonly code: string;
  /** What to do about it. */
  readonly resolution: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { code: string; resolution?: string; exitCode?: ExitCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.resolution = options.resolution;
    this.exitCode = options.exitCode ?? EXIT_CODES.usage;
  }
}

/** Wrong arguments: the message says which; the command's usage is printed after it. */
export class CliUsageError extends CliError {
  override name = 'CliUsageError';
  /** The command whose usage to print, or `undefined` for the general usage. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message, { code: 'USAGE', resolution: `Run \`netsuite-sync ${command === undefined ? '' : `${command} `}--help\` for the options.` });
    this.command = command;
  }
}

/**
 * A Postgres store that could not connect, as a {@link CliError} (exit 1) naming the server (host, port,
 * database and user of the connection string, never its password) and what the server or the network
 * answered, with the store's resolution; `undefined` for any other error.
 */
export function postgresConnectionError(error: unknown, url: string, source: string): CliError | undefined {
  const failure = (error as { connectionFailure?: { reason?: unknown; answer?: unknown } } | null)?.connectionFailure;
  if (!(error instanceof NetSuiteSyncError) || failure === undefined || typeof failure.answer !== 'string' || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  const port = parsed.port === '' ? '5432' : parsed.port;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(parsed.username);
  const details = [database === '' ? undefined : `database "${database}"`, user === '' ? undefined : `user "${user}"`, source].filter((part) => part !== undefined);
  return new CliError(`Cannot connect to the Postgres server at ${host}:${port} (${details.join(', ')}): ${failure.answer}`, {
    code: error.code,
    exitCode: EXIT_CODES.failure,
    ...(error.resolution === undefined ? {} : { resolution: error.resolution }),
    cause: error,
  });
}

/** What the CLI prints about an error, and the exit code it ends with. */
export interface DescribedError {
  readonly code: string;
  readonly message: string;
  readonly resolution: string | null;
  readonly exitCode: ExitCode;
}

/**
 * Describes an error for the person running the command: its code, a message that holds no secret (the
 * SDK's errors never do; the output masks known secrets again) and what to do.
 */
export function describeError(error: unknown, interrupted: boolean): DescribedError {
  if (error instanceof CliError) {
    return { code: error.code, message: error.message, resolution: error.resolution ?? null, exitCode: error.exitCode };
  }
  if (interrupted) {
    return {
      code: 'INTERRUPTED',
      message: 'Interrupted before the command finished.',
      resolution: 'Run it again: what was done stays done, and syncs and imports resume where they stopped.',
      exitCode: EXIT_CODES.interrupted,
    };
  }
  if (error instanceof SyncInProgressError) {
    return {
      code: error.code,
      message: `${error.message} Another process (a sync, an import or an auto-sync) holds the connection's lease.`,
      resolution:
        'Wait for it to finish (`netsuite-sync runs` shows it as running), or stop it. A lease left by a process that crashed expires after `leaseTtlMs` (a minute by default).',
      exitCode: EXIT_CODES.failure,
    };
  }
  if (error instanceof ConfigurationError || error instanceof ImportJobError) {
    return { code: error.code, message: error.message, resolution: error.resolution ?? 'Correct the value named in the message.', exitCode: EXIT_CODES.usage };
  }
  if (error instanceof NetSuiteSyncError) {
    return { code: error.code, message: error.message, resolution: error.resolution ?? null, exitCode: EXIT_CODES.failure };
  }
  return {
    code: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    resolution: 'This looks like a bug in netsuite-sync; report it with the command you ran and this message.',
    exitCode: EXIT_CODES.failure,
  };
}
