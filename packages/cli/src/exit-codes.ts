/**
 * The exit codes of `netsuite-sync`, the same for every command (see docs/cli-output.md#exit-codes).
 */
import type { RunStatus } from '@invoiced/netsuite-sync';

/** Exit codes by meaning. */
export const EXIT_CODES = {
  /** Everything went through. */
  success: 0,
  /** The command failed: a run failed, a check found problems, a service or the store could not be used. */
  failure: 1,
  /** The run finished, but some records failed: they are in Recent Syncs and in the retry queue. */
  partial: 2,
  /** Wrong arguments, a missing environment variable, an unreadable or invalid settings file. Nothing ran. */
  usage: 64,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM; what was done stays done, and the next run resumes. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * The exit code of a finished run, import or auto-sync. A `cancelled` run is an interruption when the
 * command was interrupted, and a failure otherwise (its lease was lost to another process). An
 * `abandoned` run (its process stopped, and another closed it) did not finish: a failure.
 */
export function exitCodeOfStatus(status: RunStatus | 'partial', interrupted: boolean): ExitCode {
  switch (status) {
    case 'succeeded':
      return EXIT_CODES.success;
    case 'partial':
      return EXIT_CODES.partial;
    case 'cancelled':
      return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.failure;
    case 'failed':
    case 'abandoned':
    case 'running':
      return EXIT_CODES.failure;
  }
}

/** The worst of several exit codes: interrupted, then usage, failure, partial, success. */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  const rank: Record<ExitCode, number> = { 0: 0, 2: 1, 1: 2, 64: 3, 130: 4 };
  let worst: ExitCode = EXIT_CODES.success;
  for (const code of codes) if (rank[code] > rank[worst]) worst = code;
  return worst;
}
