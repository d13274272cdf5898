/**
 * An auto-sync worker: three connections (one sandbox each, over real HTTP) sharing one Postgres store,
 * checked with checkConnection() and then synced every 2 seconds until each has run ROUNDS times, or
 * until Ctrl+C. Between runs a "person" edits an invoice in each NetSuite account, so later rounds have
 * something to update.
 *
 *   pnpm build && cd examples && node auto-sync-worker.ts
 *
 * Options (environment): ROUNDS (default 4), EVERY (default '2s'), DATABASE_URL.
 *
 * The store is PGlite (Postgres compiled to WebAssembly, in this process) in a temporary directory. To use a
 * Postgres server instead, install `pg` next to this script (`pnpm add pg` in examples/) and set
 * DATABASE_URL: the script then opens a `pg.Pool` on it. In your own worker, that is:
 *
 *   import pg from 'pg';
 *   const store = postgresStore({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 *
 * Every process that runs this worker against the same database shares the leases: a connection syncing in
 * one process is `skipped` by the others. A real worker would build the clients from each connection's
 * credentials instead of sandboxes, use the default `every` ('1h'), and run until SIGTERM.
 *
 * This schedule lives in one process's timers. When the runs outgrow one machine, or next runs must survive
 * restarts and Sync Now come from another process, use the worker fleet instead (examples/fleet-worker.ts,
 * docs/scaling.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  checkConnection,
  createInvoicedClient,
  createNetSuiteClient,
  createSyncEngine,
  startAutoSync,
  tokenBasedAuth,
  type AutoSyncEvent,
  type SyncEngine,
} from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { postgresStore, type PostgresPool } from '@invoiced/netsuite-sync-store-postgres';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const EVERY = process.env.EVERY ?? '2s';
const CONNECTIONS = ['acme', 'globex', 'initech'];

/** The database: a `pg` pool on DATABASE_URL when it is set, else PGlite in a temporary directory. */
async function openDatabase(): Promise<{ pool: PostgresPool | PGlite; label: string; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    const specifier = 'pg'; // not a dependency of the examples: installed by whoever sets DATABASE_URL
    const pg = (await import(specifier).catch(() => {
      throw new Error('DATABASE_URL is set but `pg` is not installed: run `pnpm add pg` in examples/, or unset DATABASE_URL to use PGlite.');
    })) as { default: { Pool: new (options: { connectionString: string }) => PostgresPool & { end(): Promise<void> } } };
    const pool = new pg.default.Pool({ connectionString: url });
    return { pool, label: 'PostgreSQL (DATABASE_URL)', close: () => pool.end() };
  }
  const directory = await mkdtemp(join(tmpdir(), 'netsuite-sync-worker-'));
  const db = await PGlite.create(join(directory, 'pgdata'));
  return {
    pool: db,
    label: `PGlite in ${directory}`,
    close: async () => {
      await db.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** One connection: a sandbox pair of accounts on loopback, its clients, checked, and its engine. */
interface Connection {
  readonly id: string;
  readonly sandbox: Sandbox;
  readonly servers: SandboxServers;
  readonly engine: SyncEngine;
}

// Ctrl+C (or SIGTERM) stops the worker cleanly at any point: during the checks, or between and during runs.
const shutdown = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping (runs in progress end at their next record)`);
    shutdown.abort(new Error(`Stopped by ${signal}`));
  });
}

const database = await openDatabase();
const store = postgresStore({ pool: database.pool, schema: 'netsuite_sync' });
await store.ready();
console.log(`store: ${database.label}`);

const connections: Connection[] = [];
try {
  for (const [index, id] of CONNECTIONS.entries()) {
    const seed = 100 + index;
    const sandbox = createSandbox({ seed, netsuite: { latencyMs: { min: 2, max: 10 } }, invoiced: { latencyMs: { min: 2, max: 10 } } });
    const books = generateBooks({ seed, customers: 10, invoices: 40, payments: 15, creditMemos: 0, invoiced: { customers: 4, invoices: 8, payments: 3 } });
    sandbox.load(books);
    const servers = await sandbox.listen();
    const netsuite = createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: servers.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) });
    const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl });
    const settings = {
      items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
      subsidiary: books.netsuite.subsidiaries[0]?.id,
      currencies: Object.fromEntries(books.netsuite.currencies.map((code, position) => [code, String(position + 1)])),
    };
    connections.push({ id, sandbox, servers, engine: createSyncEngine({ netsuite, invoiced, store, connectionId: id, settings }) });

    // A connection that cannot sync is reported with what to fix, and left out of the schedule.
    const check = await checkConnection({ netsuite, invoiced, settings, signal: shutdown.signal });
    console.log(`[${id}] connection check: ${check.ok ? 'ok' : 'problems'} (${check.checks.filter((item) => item.ok).length}/${check.checks.length} checks passed)`);
    for (const problem of check.problems) console.log(`  ${problem.side} ${problem.check}: [${problem.code}] ${problem.message}\n    -> ${problem.resolution}`);
    if (!check.ok) await connections.pop()?.servers.close();
  }

  const time = (date: Date) => date.toISOString().slice(11, 23);
  const runs = new Map<string, number>(connections.map((connection) => [connection.id, 0]));
  const onRun = (event: AutoSyncEvent) => {
    const label = `[${event.connectionId}]`;
    if (event.type === 'skipped') console.log(`${label} skipped: another process is syncing it; next at ${time(event.nextRunAt)}`);
    if (event.type === 'error') console.log(`${label} error: ${event.error instanceof Error ? event.error.message : 'unknown error'}; next at ${time(event.nextRunAt)}`);
    if (event.type !== 'run') return;
    const round = (runs.get(event.connectionId) ?? 0) + 1;
    runs.set(event.connectionId, round);
    const changed = Object.entries(event.run.counts)
      .filter(([name, count]) => count > 0 && /_(created|updated|voided)$/.test(name))
      .map(([name, count]) => `${name}=${count}`);
    const ms = event.run.finishedAt === null ? 0 : Date.parse(event.run.finishedAt) - Date.parse(event.run.startedAt);
    console.log(`${label} run ${round}: ${event.run.status} in ${ms} ms, ${changed.length > 0 ? changed.join(' ') : 'nothing to change'}${event.run.recordErrorCount > 0 ? `, ${event.run.recordErrorCount} record errors` : ''}; next at ${time(event.nextRunAt)}`);
    // The generated books hold the hard cases on purpose (ambiguous names, payments of invoices outside the
    // sync...): the record errors say which, with their fix, and are retried on every run.
    if (round === 1 && event.run.recordErrorCount > 0) {
      const codes = new Map<string, number>();
      for (const error of event.run.recordErrors) codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      console.log(`${label}   record errors by code: ${[...codes].map(([code, count]) => `${code}=${count}`).join(' ')}`);
    }

    if ([...runs.values()].every((count) => count >= ROUNDS)) {
      console.log(`every connection ran ${ROUNDS} times: stopping`);
      void auto.stop();
      return;
    }

    // A person edits an open invoice in NetSuite: the next run updates it on Invoiced.
    const sandbox = connections.find((connection) => connection.id === event.connectionId)?.sandbox;
    const [invoice] = sandbox?.netsuite.state.query("SELECT id FROM transaction WHERE type = 'CustInvc' AND status = 'A' AND externalid IS NULL ORDER BY id") ?? [];
    if (sandbox !== undefined && invoice?.id !== undefined) sandbox.netsuite.state.update('invoice', invoice.id, { dueDate: `2026-12-${String((round % 28) + 1).padStart(2, '0')}` });
  };

  // keepAlive: nothing else may hold the process open between runs (the sandboxes' servers do here, a real
  // worker's idle database pool may not). The signal stops it; a listener that throws is logged, not lost.
  const auto = startAutoSync(
    connections.map((connection) => connection.engine),
    { every: EVERY, jitter: 0.2, keepAlive: true, signal: shutdown.signal, logger: console, onRun },
  );
  for (const id of auto.connections) console.log(`[${id}] first run at ${time(auto.nextRunAt(id) ?? new Date())}`);
  await auto.done;
  console.log('stopped');

  for (const connection of connections) {
    const recent = await connection.engine.recentSyncs({ limit: 1000, errorsPerRun: 0 });
    const statuses = new Map<string, number>();
    for (const run of recent) statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
    console.log(`[${connection.id}] Recent Syncs: ${[...statuses].map(([status, count]) => `${count} ${status}`).join(', ')}`);
    if (statuses.has('failed')) process.exitCode = 1;
  }
} catch (error) {
  if (!shutdown.signal.aborted) throw error;
  console.log('stopped before the first run');
} finally {
  await Promise.all(connections.map((connection) => connection.servers.close()));
  await database.close();
}
