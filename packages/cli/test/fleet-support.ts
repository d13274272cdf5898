/**
 * What the tests of `worker` and `connections` share: a Postgres store of their own for the fleet, a
 * database created on the server of DATABASE_URL (dropped at the end) when it is set, else a PGlite
 * directory, and a `--clients` module pointing at a sandbox.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { tempDir } from './support';

/** The server the tests use, if any. */
export const DATABASE_URL = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;

/** A store for the fleet: the `--store` value, and what removes it. */
export interface FleetStore {
  readonly store: string;
  /** `PostgreSQL server` or `PGlite`, for test names. */
  readonly label: string;
  remove(): Promise<void>;
}

/** A new, empty Postgres store: a database of its own on the test server, or a PGlite directory. */
export async function fleetStore(): Promise<FleetStore> {
  if (DATABASE_URL === undefined) {
    const dir = await tempDir();
    return { store: `pglite:${join(dir.path, 'pglite')}`, label: 'PGlite', remove: dir.remove };
  }
  const name = `nss_cli_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    store: url.toString(),
    label: 'PostgreSQL server',
    remove: async () => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Writes a `--clients` module into `dir` whose function hands every connection the clients of the sandbox
 * that `env` (a world's variables) points at, and counts its calls in `globalThis.cliClientsModuleCalls`; `exportAs` chooses its export.
 */
export async function writeClientsModule(dir: string, env: Readonly<Record<string, string>>, exportAs: 'default' | 'clientsFor' = 'default'): Promise<string> {
  const file = join(dir, `clients-${exportAs}.mjs`);
  const config = {
    accountId: env.NETSUITE_ACCOUNT_ID,
    credentials: { consumerKey: env.NETSUITE_CONSUMER_KEY, consumerSecret: env.NETSUITE_CONSUMER_SECRET, tokenId: env.NETSUITE_TOKEN_ID, tokenSecret: env.NETSUITE_TOKEN_SECRET },
    netsuiteUrl: env.NETSUITE_BASE_URL,
    apiKey: env.INVOICED_API_KEY,
    invoicedUrl: env.INVOICED_BASE_URL,
  };
  const text = `import { createInvoicedClient, createNetSuiteClient, tokenBasedAuth } from '@invoiced/netsuite-sync';
const config = ${JSON.stringify(config)};
${exportAs === 'default' ? 'export default' : 'export'} function clientsFor(connection) {
  globalThis.cliClientsModuleCalls = (globalThis.cliClientsModuleCalls ?? 0) + 1;
  return {
    netsuite: createNetSuiteClient({ accountId: config.accountId, auth: tokenBasedAuth(config.credentials), baseUrl: config.netsuiteUrl }),
    invoiced: createInvoicedClient({ apiKey: config.apiKey, baseUrl: config.invoicedUrl }),
  };
}
`;
  await writeFile(file, text);
  return file;
}

/** Waits until `check` holds, polling every 50 ms, for at most `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
