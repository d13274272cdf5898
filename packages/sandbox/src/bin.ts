/**
 * `netsuite-sync-sandbox`: starts the NetSuite and Invoiced simulators on loopback with generated books
 * and prints, as one JSON line, their URLs and the credentials to use. Stops on SIGINT or SIGTERM.
 *
 *   netsuite-sync-sandbox --seed 7 --customers 200 --invoices 3000 --payments 1500 --latency 20
 */
import { SANDBOX_USAGE, SandboxUsageError, startSandboxFromArgs } from './cli';

try {
  const started = await startSandboxFromArgs(process.argv.slice(2));
  if (started === undefined) {
    process.stdout.write(`${SANDBOX_USAGE}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(started.output)}\n`);
    const stop = () => void started.servers.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  if (!(error instanceof SandboxUsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${SANDBOX_USAGE}\n`);
  process.exitCode = 2;
}
