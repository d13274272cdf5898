/**
 * A worker of the fleet (`@invoiced/netsuite-sync-worker`): two connections (one sandbox each, over real
 * HTTP) in the fleet's registry, a worker that runs their scheduled syncs and a Sync Now, each job's end
 * printed as it comes, and a drain on Ctrl+C or SIGTERM. It stops on its own once each connection has
 * ended ROUNDS jobs, then prints the fleet's metrics and each connection's status.
 *
 *   pnpm build && cd examples && node fleet-worker.ts
 *
 * Options (environment): ROUNDS (default 3), EVERY (each connection's schedule, default '5s'), DATABASE_URL.
 *
 * The database is PGlite (Postgres compiled to WebAssembly, in this process) in a temporary directory, or
 * the Postgres server of DATABASE_URL through a `pg.Pool`. With a server, start this script in several
 * terminals: the workers share the connections, and each job runs on one of them. The registry, pg-boss
 * and the store live in schemas of their own (`fleet_example*`), so a rerun finds its connections again.
 *
 * In production the backend that registers connections (createFleet) and the workers (startWorker) are
 * different processes, `fleet.migrate()` runs in a deploy step, and `clientsFor` builds the clients from
 * your secret storage: the registry holds no credential. See docs/scaling.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createInvoicedClient, createNetSuiteClient, tokenBasedAuth, type Logger, type SyncSettingsInput } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks, settingsForBooks, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { ConnectionExistsError, createFleet, startWorker, type ClientsFor, type FleetLocation, type JobEnded } from '@invoiced/netsuite-sync-worker';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const EVERY = process.env.EVERY ?? '5s';
const CONNECTIONS = ['acme', 'globex'];
/** Where the fleet's tables are: the registry, pg-boss and the store, each in a schema of its own. */
const LOCATION: FleetLocation = { schema: 'fleet_example', bossSchema: 'fleet_example_boss', store: { schema: 'fleet_example_store' } };

/** The database: a `pg` pool on DATABASE_URL when it is set, else PGlite in a temporary directory. */
async function openDatabase(): Promise<{ database: pg.Pool | PGlite; label: string; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return { database: pool, label: 'PostgreSQL (DATABASE_URL)', close: () => pool.end() };
  }
  const directory = await mkdtemp(join(tmpdir(), 'netsuite-sync-fleet-'));
  const db = await PGlite.create(join(directory, 'pgdata'));
  return {
    database: db,
    label: `PGlite in ${directory}`,
    close: async () => {
      await db.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** One connection's accounts: a sandbox pair on loopback, and the settings that fit its books. */
interface Account {
  readonly sandbox: Sandbox;
  readonly servers: SandboxServers;
  readonly settings: SyncSettingsInput;
}

const started = Date.now();
const say = (text: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${text}`);

const { database, label, close } = await openDatabase();
const accounts = new Map<string, Account>();
const fleet = createFleet({ database, ...LOCATION });
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
try {
  // What a deploy step does before workers start: the registry's, the store's and pg-boss's tables.
  await fleet.migrate();
  say(`database: ${label}; registry, store and pg-boss migrated`);

  for (const [index, id] of CONNECTIONS.entries()) {
    const seed = 300 + index;
    const sandbox = createSandbox({ seed, netsuite: { latencyMs: { min: 2, max: 10 } }, invoiced: { latencyMs: { min: 2, max: 10 } } });
    const books = generateBooks({ seed, customers: 10, invoices: 40, payments: 15, creditMemos: 0, invoiced: { customers: 4, invoices: 8, payments: 3 } });
    sandbox.load(books);
    const account: Account = { sandbox, servers: await sandbox.listen(), settings: settingsForBooks(books) };
    accounts.set(id, account);

    // The registry holds what a job needs but the credentials: the accounts that share limits, the
    // settings, the schedule, and metadata of your own (never a secret). The sandboxes all answer as one
    // NetSuite account ID, so these two connections share its limit of one run at a time: a job of one
    // that finds the other running is deferred and runs a moment later.
    const input = {
      netsuiteAccount: sandbox.netsuite.accountId,
      invoicedKeyId: `${id}-invoiced`,
      settings: account.settings,
      schedule: { every: EVERY, jitter: 0.2 },
      metadata: { tenant: id },
    };
    try {
      await fleet.registerConnection({ id, ...input });
      say(`[${id}] registered (NetSuite account ${input.netsuiteAccount}, every ${EVERY})`);
    } catch (error) {
      // A rerun on the same database: the connection is there already (its sandbox is new, so update it).
      if (!(error instanceof ConnectionExistsError)) throw error;
      await fleet.updateConnection(id, input);
      say(`[${id}] already registered: updated`);
    }
  }

  // Builds a connection's clients when one of its jobs runs. A real one reads the credentials from your
  // secret storage by `connection.metadata` or `connection.id`.
  const clientsFor: ClientsFor = (connection) => {
    const account = accounts.get(connection.id);
    if (account === undefined) throw new Error(`No accounts for connection ${connection.id}.`);
    return {
      netsuite: createNetSuiteClient({ accountId: account.sandbox.netsuite.accountId, baseUrl: account.servers.netsuiteUrl, auth: tokenBasedAuth(account.sandbox.netsuite.credentials) }),
      invoiced: createInvoicedClient({ apiKey: account.sandbox.invoiced.apiKey, baseUrl: account.servers.invoicedUrl }),
    };
  };

  const ended = new Map<string, number>(CONNECTIONS.map((id) => [id, 0]));
  let finished: () => void = () => undefined;
  const allEnded = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const onJob = (event: JobEnded) => {
    const { outcome } = event;
    const ms = outcome.finishedAt.getTime() - outcome.startedAt.getTime();
    const lag = outcome.lagMs === null ? '' : `, started ${outcome.lagMs} ms after it was due`;
    say(`[${event.connectionId}] ${event.kind} job ${event.jobId.slice(0, 8)}: ${outcome.status} in ${ms} ms${lag} (worker ${event.workerId})`);
    if (outcome.status === 'deferred') return; // queued again for later: not an end
    ended.set(event.connectionId, (ended.get(event.connectionId) ?? 0) + 1);
    if ([...ended.values()].every((count) => count >= ROUNDS)) finished();
  };

  // The worker's own messages (a job deferred by a fleet-wide limit, a job that failed) and every error;
  // the engine's per-record warnings stay in Recent Syncs (fleet.status(id).lastRuns).
  const logger: Logger = {
    info: (message, fields) => message.startsWith('fleet') && say(`${message} ${JSON.stringify(fields ?? {})}`),
    warn: (message, fields) => message.startsWith('fleet') && say(`${message} ${JSON.stringify(fields ?? {})}`),
    error: (message, fields) => say(`error: ${message} ${JSON.stringify(fields ?? {})}`),
  };
  worker = await startWorker({ database, ...LOCATION, clientsFor, concurrency: 4, tickMs: 500, pollingIntervalSeconds: 0.5, onJob, logger });
  say(`worker ${worker.workerId} started`);

  // Ctrl+C or SIGTERM: the worker drains (no new job; jobs in flight get drainMs, then are cancelled at a
  // safe point and queued again for another worker).
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      say(`${signal}: draining`);
      finished();
    });
  }

  // Sync Now: queued ahead of scheduled syncs. Asked twice, the second finds the first still waiting
  // (unless a worker already took it) and is served by it.
  const first = await fleet.syncNow('acme');
  const second = await fleet.syncNow('acme');
  say(`[acme] Sync Now: job ${first.jobId.slice(0, 8)} queued=${first.queued}; again: job ${second.jobId.slice(0, 8)} queued=${second.queued}`);

  await allEnded;
  if (!stopping) say(`every connection ended ${ROUNDS} jobs: stopping`);
  await worker.stop();
  say('worker stopped');

  const metrics = await fleet.metrics();
  say(`metrics: jobs ${JSON.stringify(metrics.jobs)}, connections ${JSON.stringify(metrics.connections)}, schedule lag ms ${JSON.stringify(metrics.scheduleLag)}`);
  for (const id of CONNECTIONS) {
    const status = await fleet.status(id, { runs: 3 });
    const next = status.connection.nextRunAt?.toISOString().slice(11, 19) ?? 'none';
    say(`[${id}] next run ${next}; waiting: ${status.pending.map((job) => `${job.kind} (${job.trigger})`).join(', ') || 'none'}; latest runs: ${status.lastRuns.map((run) => `${run.trigger} ${run.status}`).join(', ')}`);
    if (status.lastRuns.some((run) => run.status === 'failed')) process.exitCode = 1;
  }
} finally {
  await worker?.stop();
  await fleet.close();
  await Promise.all([...accounts.values()].map((account) => account.servers.close()));
  await close();
}
