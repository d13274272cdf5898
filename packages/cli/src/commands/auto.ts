/**
 * `netsuite-sync auto`: the auto-sync loop, a sync of the connection about every `--every` (one hour by
 * default) until Ctrl-C or SIGTERM, one line per run. For a worker process or a container.
 */
import { startAutoSync, type AutoSyncEvent } from '@invoiced/netsuite-sync';
import { integerOption, runJson, stringOption, type Command } from '../command';
import { CliUsageError, describeError } from '../errors';
import { EXIT_CODES, exitCodeOfStatus, worstExitCode, type ExitCode } from '../exit-codes';
import { errorCodesLine, formatNumber, formatTime, summarizeRun } from '../format';

/** `--jitter`: a fraction from 0 to 1. */
function jitterOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new CliUsageError(`--jitter must be a number from 0 to 1 (a fraction of --every), got "${text}".`, 'auto');
  }
  return value;
}

export const autoCommand: Command = {
  name: 'auto',
  summary: 'Run the auto-sync loop: a sync about every hour, until stopped',
  synopsis: '[--every <duration>] [--jitter <fraction>] [--max-runs <n>]',
  description:
    "Syncs the connection on a schedule: the next run starts `--every` after the previous one ended, give or take the jitter, and the first one within `--every × --jitter` of the start. Prints one line per run (with --json, one JSON object per line). A run refused because another process is syncing is reported as skipped; the loop goes on after failed runs. Ctrl-C or SIGTERM cancels a run in progress at its next safe point and exits with 130; with --max-runs, it stops after that many runs with the exit code of the worst of them.",
  options: { every: { type: 'string' }, jitter: { type: 'string' }, 'max-runs': { type: 'string' } },
  optionHelp: [
    ['--every <duration>', "Time between runs: '1h' (default), '30m', '90s', '1h30m'; from 100ms to 7d."],
    ['--jitter <fraction>', 'Spread of each wait, as a fraction of --every from 0 to 1 (default 0.1: ±10%).'],
    ['--max-runs <n>', 'Stop after n runs (skipped and failed attempts count); by default it runs until stopped.'],
  ],
  positionals: { min: 0, max: 0 },
  async run(context, values) {
    const { output } = context;
    const style = output.style;
    const every = stringOption(values, 'every');
    const jitter = jitterOption(stringOption(values, 'jitter'));
    const maxRuns = values['max-runs'] === undefined ? undefined : integerOption(values, 'max-runs', 1, { min: 1, max: 1_000_000 }, 'auto');
    const engine = await context.engine();
    const stopper = new AbortController();
    const stop = () => stopper.abort(context.signal?.reason);
    context.signal?.addEventListener('abort', stop, { once: true });
    if (context.signal?.aborted === true) stop();
    const codes: ExitCode[] = [];

    const onRun = (event: AutoSyncEvent) => {
      const next = `next run ${formatTime(event.nextRunAt.toISOString())}`;
      let code: ExitCode;
      if (event.type === 'run') {
        code = exitCodeOfStatus(event.run.status, context.interrupted);
        const { run } = event;
        output.line(`${formatTime(run.startedAt)}  ${run.status.toUpperCase().padEnd(9)}  ${summarizeRun(run)}  ${style.dim(`(${next}; run ${run.id})`)}`);
        if (run.error !== null) {
          output.line(`    ${style.red('✗')} ${style.cyan(run.error.code)}  ${run.error.message}`);
          if (run.error.resolution !== null) output.line(`      ${style.dim('→')} ${run.error.resolution}`);
        }
        const codes = errorCodesLine(run);
        if (codes !== undefined) output.line(`    ${codes}`);
        for (const error of run.recordErrors.slice(0, 3)) output.line(`    ${style.red('✗')} ${error.number ?? error.sourceId}  ${style.cyan(error.code)}  ${error.message}`);
        if (run.recordErrorCount > 3) output.line(style.dim(`    … ${formatNumber(run.recordErrorCount - 3)} more record error${run.recordErrorCount === 4 ? '' : 's'}: ${context.hint(['runs', run.id], 'store')}`));
        if (output.json) output.stdout.write(`${output.mask.redact(JSON.stringify({ type: 'run', connectionId: event.connectionId, run: runJson(event.run), nextRunAt: event.nextRunAt }))}\n`);
      } else if (event.type === 'skipped') {
        code = EXIT_CODES.success;
        output.line(`${formatTime(new Date().toISOString())}  SKIPPED    another process is syncing this connection  ${style.dim(`(${next})`)}`);
        if (output.json) output.stdout.write(`${JSON.stringify({ type: 'skipped', connectionId: event.connectionId, reason: event.reason, nextRunAt: event.nextRunAt })}\n`);
      } else {
        const described = describeError(event.error, false);
        code = EXIT_CODES.failure;
        output.line(`${formatTime(new Date().toISOString())}  ERROR      ${described.code}: ${described.message}  ${style.dim(`(${next})`)}`);
        if (described.resolution !== null) output.line(`    ${style.dim('→')} ${described.resolution}`);
        if (output.json) {
          const error = { code: described.code, message: described.message, resolution: described.resolution };
          output.stdout.write(`${output.mask.redact(JSON.stringify({ type: 'error', connectionId: event.connectionId, error, nextRunAt: event.nextRunAt }))}\n`);
        }
      }
      codes.push(code);
      if (maxRuns !== undefined && codes.length >= maxRuns) stopper.abort();
    };

    const auto = startAutoSync(engine, {
      ...(every === undefined ? {} : { every }),
      ...(jitter === undefined ? {} : { jitter }),
      signal: stopper.signal,
      keepAlive: true,
      onRun,
      ...(context.logger === undefined ? {} : { logger: context.logger }),
    });
    const first = auto.nextRunAt(engine.connectionId);
    output.note(
      `Auto-sync of connection "${engine.connectionId}" every ${every ?? '1h'}${first === undefined ? '' : `, first run ${formatTime(first.toISOString())}`}. Ctrl-C stops it.`,
    );
    try {
      await auto.done;
    } finally {
      context.signal?.removeEventListener('abort', stop);
    }
    if (context.interrupted) return EXIT_CODES.interrupted;
    return worstExitCode(codes);
  },
};
