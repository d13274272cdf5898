/**
 * A worker killed during a run, and the connection taken over by another: two worker processes share one
 * PostgreSQL store; worker A starts a sync and is killed with SIGKILL in the middle of it; worker B, syncing
 * the same connection every few seconds, is refused while A's lease lives, takes the connection over once
 * the lease expired (about a minute with the default `leaseTtlMs`), and closes A's run as `abandoned`.
 * Prints each step with its time, then Recent Syncs.
 *
 *   pnpm build && cd examples && DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node worker-takeover.ts
 *
 * Options (environment): DATABASE_URL (required: the workers are separate processes, so the store is a
 * Postgres server), LEASE_TTL_MS (default: the engine's default), EVERY (B's schedule, default '5s').
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, startAutoSync, tokenBasedAuth, type SyncEngine, type SyncRun } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';

/** What a worker is told by the parent (in its environment), and what it says back (by IPC). */
interface WorkerSetup {
  readonly name: 'A' | 'B';
  readonly databaseUrl: string;
  readonly schema: string;
  readonly connectionId: string;
  readonly netsuiteUrl: string;
  readonly invoicedUrl: string;
  readonly accountId: string;
  readonly credentials: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };
  readonly apiKey: string;
  readonly settings: Record<string, unknown>;
  readonly leaseTtlMs: number | undefined;
  readonly every: string;
}
type WorkerMessage = { type: 'phase'; phase: string } | { type: 'refused' } | { type: 'ran'; run: SyncRun };

const started = Date.now();
const at = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${new Date().toISOString().slice(11, 19)}`;
const say = (text: string) => console.log(`${at()}  ${text}`);

if (process.env.WORKER_SETUP !== undefined) await worker(JSON.parse(process.env.WORKER_SETUP) as WorkerSetup);
else await parent();

async function parent(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl === undefined || databaseUrl === '') {
    console.error('Set DATABASE_URL to a PostgreSQL server: the two workers are separate processes sharing one store.');
    process.exit(64);
  }
  const sandbox = createSandbox({ seed: 7, netsuite: { latencyMs: { min: 20, max: 40 } }, invoiced: { latencyMs: { min: 20, max: 40 } } });
  const books = generateBooks({ seed: 7, customers: 60, invoices: 400, payments: 100, creditMemos: 0 });
  sandbox.load(books);
  const servers = await sandbox.listen();
  const setup = (name: 'A' | 'B'): WorkerSetup => ({
    name,
    databaseUrl,
    schema: 'worker_takeover',
    connectionId: `takeover-${randomUUID().slice(0, 8)}`,
    netsuiteUrl: servers.netsuiteUrl,
    invoicedUrl: servers.invoicedUrl,
    accountId: sandbox.netsuite.accountId,
    credentials: sandbox.netsuite.credentials,
    apiKey: sandbox.invoiced.apiKey,
    settings: {
      items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
      subsidiary: books.netsuite.subsidiaries[0]?.id,
      currencies: Object.fromEntries(books.netsuite.currencies.map((code, position) => [code, String(position + 1)])),
    },
    leaseTtlMs: process.env.LEASE_TTL_MS === undefined ? undefined : Number(process.env.LEASE_TTL_MS),
    every: process.env.EVERY ?? '5s',
  });
  const a = setup('A');
  const b = { ...setup('B'), connectionId: a.connectionId };
  const spawn = (config: WorkerSetup): ChildProcess => fork(fileURLToPath(import.meta.url), { env: { ...process.env, WORKER_SETUP: JSON.stringify(config) }, stdio: 'inherit' });

  try {
    say(`worker A starts a sync of connection ${a.connectionId}`);
    const workerA = spawn(a);
    let killedAt = 0;
    await new Promise<void>((resolve) => {
      workerA.on('message', (message: WorkerMessage) => {
        if (message.type !== 'phase' || message.phase !== 'netsuite_payments') return;
        workerA.kill('SIGKILL');
        killedAt = Date.now();
        say('worker A killed with SIGKILL in the middle of its run (phase netsuite_payments)');
        resolve();
      });
    });

    say(`worker B syncs the connection every ${b.every}`);
    const workerB = spawn(b);
    const run = await new Promise<SyncRun>((resolve) => {
      workerB.on('message', (message: WorkerMessage) => {
        if (message.type === 'refused') say('worker B: refused, the connection is still leased by worker A');
        if (message.type === 'ran') resolve(message.run);
      });
    });
    say(`worker B ran the connection: ${run.status}, ${(Date.parse(run.startedAt) - killedAt) / 1000} s after worker A was killed`);
    workerB.kill('SIGTERM');

    const pool = new pg.Pool({ connectionString: databaseUrl });
    const store = postgresStore({ pool, schema: a.schema });
    const engine = createSyncEngine({
      netsuite: createNetSuiteClient({ accountId: a.accountId, baseUrl: a.netsuiteUrl, auth: tokenBasedAuth(a.credentials) }),
      invoiced: createInvoicedClient({ apiKey: a.apiKey, baseUrl: a.invoicedUrl }),
      store,
      connectionId: a.connectionId,
      settings: a.settings,
    });
    console.log('\nRecent Syncs:');
    for (const entry of await engine.recentSyncs()) {
      console.log(`  ${entry.startedAt.slice(11, 19)} -> ${entry.finishedAt?.slice(11, 19) ?? '...'}  ${entry.status.padEnd(10)} ${entry.error === null ? '' : `${entry.error.code}: ${entry.error.message}`}`);
    }
    await pool.end();
  } finally {
    await servers.close();
  }
}

async function worker(config: WorkerSetup): Promise<void> {
  const pool = new pg.Pool({ connectionString: config.databaseUrl });
  const store = postgresStore({ pool, schema: config.schema });
  await store.ready();
  const send = (message: WorkerMessage) => process.send?.(message);
  const engine: SyncEngine = createSyncEngine({
    netsuite: createNetSuiteClient({ accountId: config.accountId, baseUrl: config.netsuiteUrl, auth: tokenBasedAuth(config.credentials) }),
    invoiced: createInvoicedClient({ apiKey: config.apiKey, baseUrl: config.invoicedUrl }),
    store,
    connectionId: config.connectionId,
    settings: { ...config.settings, ...(config.leaseTtlMs === undefined ? {} : { leaseTtlMs: config.leaseTtlMs }) },
    onEvent: (event) => {
      if (event.type === 'phase_started') send({ type: 'phase', phase: event.phase });
    },
  });
  if (config.name === 'A') {
    await engine.sync({ trigger: 'manual' });
    return;
  }
  const auto = startAutoSync(engine, {
    every: config.every,
    jitter: 0,
    keepAlive: true,
    onRun: (event) => {
      if (event.type === 'skipped') send({ type: 'refused' });
      if (event.type === 'run') send({ type: 'ran', run: event.run });
    },
  });
  process.once('SIGTERM', () => {
    void auto.stop().then(() => pool.end());
  });
}
