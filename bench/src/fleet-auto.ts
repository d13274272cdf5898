/**
 * The comparison of the fleet bench: the same connections in one process through the core's
 * `startAutoSync` (one engine per connection, one Postgres store), for `durationMs`. It reports each run
 * with when it was due (the `nextRunAt` the auto-sync gave for it), then its memory and statements.
 */
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, startAutoSync, tokenBasedAuth, type SyncEngine } from '@invoiced/netsuite-sync';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { autoConfigSchema, readAccounts } from '#bench/fleet-protocol';
import { countStatements, memoryNow, openPool, resetPeak, tell } from '#bench/fleet-process';

const RETRIES = { retries: 4, minDelayMs: 50, maxDelayMs: 1000 };

async function main(raw: unknown): Promise<void> {
  resetPeak();
  const config = autoConfigSchema.parse(raw);
  const statements = countStatements({ store: config.storeSchema });
  const pool = openPool(config.databaseUrl, config.poolMax);
  const store = postgresStore({ pool, schema: config.storeSchema });
  await store.ready();
  const engines: SyncEngine[] = readAccounts(config.accountsFile).map((account) =>
    createSyncEngine({
      netsuite: createNetSuiteClient({ accountId: account.netsuiteAccount, auth: tokenBasedAuth(account.credentials), baseUrl: account.netsuiteUrl, retries: RETRIES }),
      invoiced: createInvoicedClient({ apiKey: account.apiKey, baseUrl: account.invoicedUrl, retries: RETRIES }),
      store,
      connectionId: account.id,
      settings: account.settings,
    }),
  );
  const registeredAt = Date.now();
  const due = new Map<string, number>();
  const auto = startAutoSync(engines, {
    every: config.everyMs,
    jitter: config.jitter,
    keepAlive: true,
    onRun: (event) => {
      const dueAt = due.get(event.connectionId) ?? registeredAt;
      due.set(event.connectionId, event.nextRunAt.getTime());
      const run = event.type === 'run' ? event.run : undefined;
      const startedAt = run === undefined ? Date.now() : new Date(run.startedAt).getTime();
      const finishedAt = run?.finishedAt === undefined || run.finishedAt === null ? Date.now() : new Date(run.finishedAt).getTime();
      tell({ type: 'run', run: { connectionId: event.connectionId, type: event.type, status: run?.status ?? event.type, dueAt, startedAt, finishedAt } });
    },
  });
  for (const engine of engines) due.set(engine.connectionId, auto.nextRunAt(engine.connectionId)?.getTime() ?? registeredAt);
  tell({ type: 'started', at: Date.now(), registeredAt });
  await new Promise((resolve) => setTimeout(resolve, config.durationMs));
  const stopping = performance.now();
  await auto.stop();
  const stopMs = performance.now() - stopping;
  tell({ type: 'done', memory: memoryNow(), statements: statements(), stopMs });
  await pool.end();
  process.disconnect();
}

process.once('message', (message) => {
  main(message).catch((error: unknown) => {
    process.stderr.write(`auto-sync child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
});
