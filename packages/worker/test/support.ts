/**
 * What the worker's test files share: a database (the server of DATABASE_URL, PGlite otherwise) with
 * schemas of their own for the registry, pg-boss and the store, and sandboxes served over real HTTP whose
 * clients a `clientsFor` hands out by connection.
 */
import { createInvoicedClient, createNetSuiteClient, tokenBasedAuth } from '@invoiced/netsuite-sync';
import type { SyncSettingsInput } from '@invoiced/netsuite-sync';
import { createSandbox, generateBooks, settingsForBooks, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { afterAll, beforeAll } from 'vitest';
import { openBackend, randomSchema, type Backend } from '../../store-postgres/test/support';
import { openCore, type FleetCore } from '../src/core';
import { createFleet, type ClientsFor, type ConnectionClients, type Fleet, type FleetOptions } from '../src/index';

export { openBackend, randomSchema, sleep } from '../../store-postgres/test/support';
export type { Backend } from '../../store-postgres/test/support';

/** The fleet's location in schemas no other test uses. */
export function freshLocation(label: string): Omit<FleetOptions, 'database'> {
  return {
    schema: randomSchema(`${label}_reg`),
    bossSchema: randomSchema(`${label}_boss`),
    store: { schema: randomSchema(`${label}_store`) },
  };
}

/** Drops the schemas of `location`. */
export async function dropLocation(backend: Backend, location: Omit<FleetOptions, 'database'>): Promise<void> {
  for (const schema of [location.schema, location.bossSchema, location.store?.schema]) if (schema !== undefined) await backend.dropSchema(schema);
}

/** One sandbox (a NetSuite account and an Invoiced account) on loopback servers. */
export interface SandboxAccount {
  readonly sandbox: Sandbox;
  readonly servers: SandboxServers;
  readonly settings: SyncSettingsInput;
  clients(): ConnectionClients;
}

const FAST_RETRIES = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

/** Starts a sandbox with small generated books; closed after the file's tests. */
export async function sandboxAccount(seed: number, books: { customers?: number; invoices?: number; latencyMs?: number } = {}): Promise<SandboxAccount> {
  const latency = books.latencyMs ?? 0;
  const sandbox = createSandbox({ seed, netsuite: { latencyMs: latency }, invoiced: { latencyMs: latency } });
  const generated = generateBooks({ seed, customers: books.customers ?? 3, invoices: books.invoices ?? 4, payments: 1, creditMemos: 0, invoiced: { customers: 2, invoices: 3, payments: 1 } });
  sandbox.load(generated);
  const servers = await sandbox.listen();
  afterAll(() => servers.close());
  return {
    sandbox,
    servers,
    settings: { ...settingsForBooks(generated), cursorOverlapMs: 0 },
    clients: () => ({
      netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth(sandbox.netsuite.credentials), baseUrl: servers.netsuiteUrl, retries: FAST_RETRIES }),
      invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl, retries: FAST_RETRIES }),
    }),
  };
}

/** A `clientsFor` that hands each connection the clients of its sandbox account. */
export function clientsFrom(accounts: ReadonlyMap<string, SandboxAccount>): ClientsFor {
  return (connection) => {
    const account = accounts.get(connection.id);
    if (account === undefined) throw new Error(`no sandbox for ${connection.id}`);
    return account.clients();
  };
}

/** Waits until `check` holds, polling every 50 ms, for at most `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A test file's fleet: its database, a migrated `createFleet()`, and the core the internals run on. */
export interface FleetHarness {
  readonly backend: Backend;
  readonly fleet: Fleet;
  readonly core: FleetCore;
  readonly location: Omit<FleetOptions, 'database'>;
}

/** Opens a fleet in schemas of its own before the file's tests, and drops them after; call at the top level. */
export function fleetHarness(label: string): FleetHarness {
  const location = freshLocation(label);
  const harness = { location } as { -readonly [K in keyof FleetHarness]: FleetHarness[K] };
  beforeAll(async () => {
    harness.backend = await openBackend();
    harness.fleet = createFleet({ database: harness.backend.pool, ...location });
    await harness.fleet.migrate();
    harness.core = openCore({ database: harness.backend.pool, ...location }, { supervise: false });
  });
  afterAll(async () => {
    await harness.core.stop({ graceful: false });
    await harness.fleet.close();
    await dropLocation(harness.backend, location);
    await harness.backend.close();
  });
  return harness;
}
