/**
 * "Sync Now" behind an HTTP endpoint, with node:http and no framework:
 *
 *   POST /connections/:id/sync   starts a sync of the connection; 202 with the run (status `running`) and
 *                                its Location, or 409 when the connection is already syncing
 *   GET  /connections/:id/runs   Recent Syncs: the latest runs with their record errors, newest first
 *   GET  /connections/:id/runs/:runId   one run with all its record errors
 *
 * Run against the sandbox, it starts the server, asks itself for a sync (twice: the second is refused
 * with 409 while the first runs), waits for the run to finish through GET /runs, prints what it got, and
 * exits:
 *
 *   node examples/sync-now-endpoint.ts      (after `pnpm build`)
 *
 * In production, build each connection's engine from its own credentials and a shared database store
 * (`postgresStore`), so that leases keep one sync per connection across every process that serves it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createInvoicedClient,
  createNetSuiteClient,
  createSyncEngine,
  SyncInProgressError,
  tokenBasedAuth,
  type SyncEngine,
  type SyncRun,
} from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';

// The sandbox stands in for a NetSuite and an Invoiced account.
const sandbox = createSandbox({ seed: 5 });
const books = generateBooks({ seed: 5, customers: 30, invoices: 200, payments: 80 });
sandbox.load(books);
const services = await sandbox.listen();
const store = memoryStore();

/** Resolves the ID of each connection's next run as soon as it starts (runs of a connection never overlap). */
const runStarted = new Map<string, (runId: string) => void>();

/** The engines, one per connection; here one connection, `acme`. */
const engines = new Map<string, SyncEngine>([
  [
    'acme',
    createSyncEngine({
      netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, baseUrl: services.netsuiteUrl, auth: tokenBasedAuth(sandbox.netsuite.credentials) }),
      invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: services.invoicedUrl }),
      store,
      connectionId: 'acme',
      settings: {
        items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
        subsidiary: books.netsuite.subsidiaries[0]?.id,
        currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
      },
      onEvent: (event) => {
        if (event.type === 'run_started') runStarted.get('acme')?.(event.runId);
      },
    }),
  ],
]);

/** Syncs started by the endpoint and not finished yet, so that shutting down can wait for them. */
const inFlight = new Set<Promise<unknown>>();

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Starts a sync and answers as soon as it has started (a sync can take minutes): 202 with the run as the
 * store has it, status `running`, or 409 when a sync of the connection holds its lease.
 */
async function startSync(engine: SyncEngine, response: ServerResponse): Promise<void> {
  const started = new Promise<string>((resolve) => runStarted.set(engine.connectionId, resolve));
  const sync = engine.sync({ trigger: 'manual' });
  const settled = sync.then(
    (run) => run,
    (error: unknown) => error,
  );
  inFlight.add(settled);
  void settled.finally(() => inFlight.delete(settled));
  try {
    // Whichever comes first: the run starts, or sync() rejects (another sync holds the lease).
    const runId = await Promise.race([started, sync.then((run) => run.id)]);
    const run = await engine.getSync(runId);
    send(response, 202, { run }, { location: `/connections/${engine.connectionId}/runs/${runId}` });
  } catch (error) {
    if (error instanceof SyncInProgressError) {
      send(response, 409, { error: { code: error.code, message: error.message, resolution: error.resolution } });
    } else {
      throw error;
    }
  } finally {
    runStarted.delete(engine.connectionId);
  }
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = /^\/connections\/([\w.:-]{1,200})\/(sync|runs)(?:\/([\w.:-]+))?$/.exec(url.pathname);
  const engine = match?.[1] === undefined ? undefined : engines.get(match[1]);
  if (match === null || engine === undefined) return send(response, 404, { error: { code: 'NOT_FOUND', message: 'No such connection or route.' } });
  const [, , action, runId] = match;
  if (action === 'sync' && runId === undefined && request.method === 'POST') return startSync(engine, response);
  if (action === 'runs' && request.method === 'GET') {
    if (runId === undefined) return send(response, 200, { runs: await engine.recentSyncs({ limit: Number(url.searchParams.get('limit') ?? 20) }) });
    const run = await engine.getSync(runId);
    return run === null ? send(response, 404, { error: { code: 'RUN_NOT_FOUND', message: `No run ${runId}.` } }) : send(response, 200, { run });
  }
  send(response, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${request.method ?? ''} is not allowed here.` } });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    // Secret-free by construction: the SDK's errors never carry credentials.
    if (!response.headersSent) send(response, 500, { error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } });
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`Sync Now endpoint at ${base}`);

try {
  const first = await fetch(`${base}/connections/acme/sync`, { method: 'POST' });
  const { run } = (await first.json()) as { run: SyncRun };
  console.log(`POST /connections/acme/sync -> ${first.status}, run ${run.id} ${run.status}, Location ${first.headers.get('location')}`);

  const second = await fetch(`${base}/connections/acme/sync`, { method: 'POST' });
  console.log(`POST /connections/acme/sync again -> ${second.status}`, await second.json());

  let latest: SyncRun | undefined;
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const listed = await fetch(`${base}/connections/acme/runs`);
    latest = ((await listed.json()) as { runs: SyncRun[] }).runs[0];
  } while (latest?.status === 'running');
  console.log(`GET /connections/acme/runs -> ${latest?.status} with counts`, latest?.counts);
  for (const error of latest?.recordErrors.slice(0, 3) ?? []) console.log(`  ${error.number ?? error.sourceId}: [${error.code}] ${error.message}\n    -> ${error.resolution}`);
  if (first.status !== 202 || second.status !== 409 || latest === undefined || latest.status === 'failed') process.exitCode = 1;
} finally {
  await Promise.all(inFlight);
  server.close();
  await services.close();
}
