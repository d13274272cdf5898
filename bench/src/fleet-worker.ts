/**
 * One worker of the fleet bench, a child process of fleet.ts: `startWorker()` on the run's schemas, with
 * clients for each connection's own sandbox (read from the accounts file). It reports every job's end
 * (onJob), every second its memory, its statements by schema and its jobs in flight, and on SIGTERM
 * drains (`worker.stop()`) and reports how long that took.
 */
import { createInvoicedClient, createNetSuiteClient, tokenBasedAuth } from '@invoiced/netsuite-sync';
import { startWorker } from '@invoiced/netsuite-sync-worker';
import { readAccounts, workerConfigSchema, type Account } from '#bench/fleet-protocol';
import { countStatements, memoryNow, openPool, resetPeak, tell } from '#bench/fleet-process';

const RETRIES = { retries: 4, minDelayMs: 50, maxDelayMs: 1000 };
const quiet = { debug: () => undefined, info: () => undefined, warn: (message: string, fields?: unknown) => (message === 'record failed' ? undefined : process.stderr.write(`[${process.env.FLEET_WORKER_ID ?? 'worker'} warn] ${message} ${JSON.stringify(fields)}\n`)), error: (message: string, fields?: unknown) => process.stderr.write(`[${process.env.FLEET_WORKER_ID ?? 'worker'} error] ${message} ${JSON.stringify(fields)}\n`) };

async function main(raw: unknown): Promise<void> {
  resetPeak();
  const config = workerConfigSchema.parse(raw);
  process.env.FLEET_WORKER_ID = config.workerId;
  const statements = countStatements({ store: config.location.store.schema, registry: config.location.schema, boss: config.location.bossSchema });
  const accounts = new Map<string, Account>(readAccounts(config.accountsFile).map((account) => [account.id, account]));
  const pool = openPool(config.databaseUrl, config.poolMax);
  const worker = await startWorker({
    database: pool,
    ...config.location,
    workerId: config.workerId,
    concurrency: config.concurrency,
    heartbeatSeconds: 10,
    monitorIntervalSeconds: 2,
    tickMs: 1000,
    pollingIntervalSeconds: 0.5,
    retention: false,
    logger: quiet,
    clientsFor: (connection) => {
      const account = accounts.get(connection.id);
      if (account === undefined) throw new Error(`no sandbox account for ${connection.id}`);
      return {
        netsuite: createNetSuiteClient({ accountId: account.netsuiteAccount, auth: tokenBasedAuth(account.credentials), baseUrl: account.netsuiteUrl, retries: RETRIES }),
        invoiced: createInvoicedClient({ apiKey: account.apiKey, baseUrl: account.invoicedUrl, retries: RETRIES }),
      };
    },
    onJob: (event) =>
      tell({
        type: 'job',
        end: {
          connectionId: event.connectionId,
          jobId: event.jobId,
          kind: event.kind,
          workerId: event.workerId,
          status: event.outcome.status,
          runId: event.outcome.runId,
          startedAt: event.outcome.startedAt.getTime(),
          finishedAt: event.outcome.finishedAt.getTime(),
          lagMs: event.outcome.lagMs,
        },
      }),
  });
  const stats = () => tell({ type: 'stats', workerId: worker.workerId, memory: memoryNow(), statements: statements(), running: worker.running().map(({ connectionId, jobId }) => ({ connectionId, jobId })) });
  const timer = setInterval(stats, 1000);
  tell({ type: 'started', workerId: worker.workerId, at: Date.now() });
  process.once('SIGTERM', () => {
    const runningAtStop = worker.running().length;
    const started = performance.now();
    void worker.stop().then(async () => {
      const drainMs = performance.now() - started;
      clearInterval(timer);
      stats();
      tell({ type: 'stopped', workerId: worker.workerId, drainMs, runningAtStop });
      await pool.end();
      process.disconnect();
    });
  });
}

process.once('message', (message) => {
  main(message).catch((error: unknown) => {
    process.stderr.write(`fleet worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
});
