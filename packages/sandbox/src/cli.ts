/**
 * The logic of the `netsuite-sync-sandbox` command, separate from the process so it can be tested:
 * parses arguments, generates books, starts both servers, and returns what the command prints.
 */
import { parseArgs } from 'node:util';
import { generateBooks, summarizeBooks } from './generate';
import { createSandbox, type SandboxServers } from './sandbox';

export const SANDBOX_USAGE = `Usage: netsuite-sync-sandbox [options]

Starts simulated NetSuite and Invoiced servers on loopback and prints their URLs and credentials as JSON.

Options:
  --seed <n>            seed of the books, credentials and latencies (default 1)
  --customers <n>       NetSuite customers (default 50)
  --invoices <n>        NetSuite invoices (default 200)
  --payments <n>        NetSuite customer payments (default 100)
  --credit-memos <n>    NetSuite credit memos (default 10)
  --account-id <id>     NetSuite account ID (default 1234567_SB1)
  --host <host>         address to listen on (default 127.0.0.1)
  --netsuite-port <n>   port of the NetSuite server (default: any free port)
  --invoiced-port <n>   port of the Invoiced server (default: any free port)
  --latency <ms>        added delay per request, both services (default 0)
  --empty               start with no records
  --help                show this text`;

/** Wrong command-line arguments; the message says which. */
export class SandboxUsageError extends Error {
  override name = 'SandboxUsageError';
}

/** What a started sandbox command prints, and how to stop it. */
export interface StartedSandbox {
  readonly output: {
    netsuite: { url: string; accountId: string; credentials: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string } };
    invoiced: { url: string; apiKey: string };
    books: ReturnType<typeof summarizeBooks> | null;
  };
  readonly servers: SandboxServers;
}

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new SandboxUsageError(`--${name} must be a non-negative integer, got "${value}".`);
  }
  return number;
}

/**
 * Runs the command with `args` (without the node and script paths). Resolves to `undefined` for
 * `--help`. Throws {@link SandboxUsageError} for wrong arguments.
 */
export async function startSandboxFromArgs(args: readonly string[]): Promise<StartedSandbox | undefined> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        seed: { type: 'string' },
        customers: { type: 'string' },
        invoices: { type: 'string' },
        payments: { type: 'string' },
        'credit-memos': { type: 'string' },
        'account-id': { type: 'string' },
        host: { type: 'string' },
        'netsuite-port': { type: 'string' },
        'invoiced-port': { type: 'string' },
        latency: { type: 'string' },
        empty: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new SandboxUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return undefined;
  const seed = values.seed === undefined ? 1 : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const latency = count(values.latency, 'latency', 0);
  const sandbox = createSandbox({
    seed,
    netsuite: { ...(values['account-id'] === undefined ? {} : { accountId: values['account-id'] }), latencyMs: latency },
    invoiced: { latencyMs: latency },
  });
  const books = values.empty
    ? undefined
    : generateBooks({
        seed,
        customers: count(values.customers, 'customers', 50),
        invoices: count(values.invoices, 'invoices', 200),
        payments: count(values.payments, 'payments', 100),
        creditMemos: count(values['credit-memos'], 'credit-memos', 10),
      });
  if (books !== undefined) sandbox.load(books);
  const servers = await sandbox.listen({
    ...(values.host === undefined ? {} : { host: values.host }),
    netsuitePort: count(values['netsuite-port'], 'netsuite-port', 0),
    invoicedPort: count(values['invoiced-port'], 'invoiced-port', 0),
  });
  return {
    servers,
    output: {
      netsuite: { url: servers.netsuiteUrl, accountId: sandbox.netsuite.accountId, credentials: sandbox.netsuite.credentials },
      invoiced: { url: servers.invoicedUrl, apiKey: sandbox.invoiced.apiKey },
      books: books === undefined ? null : summarizeBooks(books),
    },
  };
}
