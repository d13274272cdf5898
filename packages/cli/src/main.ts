/**
 * The process of `netsuite-sync` around {@link runCli}, loaded by bin.ts once the Node.js version is
 * checked. Ctrl-C (SIGINT) or SIGTERM interrupts the command: runs stop at their next safe point and the
 * exit code is 130; a second Ctrl-C exits at once.
 */
import { runCli } from './cli';

const controller = new AbortController();
const interrupt = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  const again = signal === 'SIGINT' ? 'press Ctrl-C again' : `send ${signal} again`;
  process.stderr.write(`\n${signal}: stopping at the next safe point (${again} to exit now)…\n`);
  controller.abort(new Error(`Interrupted by ${signal}`));
};
process.on('SIGINT', interrupt);
// `netsuite-sync runs | head`: the reader went away, which is not an error of the command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
process.on('SIGTERM', interrupt);

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.off('SIGINT', interrupt);
process.off('SIGTERM', interrupt);
