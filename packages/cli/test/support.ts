/**
 * What the CLI's tests share: a sandbox served over loopback with small generated books, the environment
 * that points the CLI at it, temporary directories, and a way to run the CLI and collect what it wrote.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, generateBooks, settingsForBooks, type Books, type GenerateBooksOptions, type Sandbox, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { runCli, type CliStream } from '../src/index';

/** What one run of the CLI wrote, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stream that keeps what is written; `onWrite` sees each chunk (to interrupt a command mid-way). */
export class Collector implements CliStream {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
    private readonly onWrite?: (chunk: string) => void,
  ) {}

  write(chunk: string): boolean {
    this.text += chunk;
    this.onWrite?.(chunk);
    return true;
  }
}

/** Runs the CLI with `argv`, an environment, a working directory and streams that collect the output. */
export async function cli(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd: string; signal?: AbortSignal; stdout?: Collector; stderr?: Collector },
): Promise<CliRun> {
  const stdout = options.stdout ?? new Collector();
  const stderr = options.stderr ?? new Collector();
  const code = await runCli(argv, { stdout, stderr, env: options.env ?? {}, cwd: options.cwd, signal: options.signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A new temporary directory, removed by the returned function. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'netsuite-sync-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Small books: a sync takes a fraction of a second, and the generator's deliberate problems give record errors. */
export const SMALL_BOOKS: Omit<GenerateBooksOptions, 'seed'> = {
  customers: 24,
  invoices: 90,
  payments: 40,
  creditMemos: 2,
  invoiced: { customers: 4, invoices: 8, payments: 4 },
};

/** A sandbox on loopback, the environment that points the CLI at it, and a settings file that fits its books. */
export interface World {
  readonly sandbox: Sandbox;
  readonly books: Books;
  readonly servers: SandboxServers;
  /** Every variable the CLI needs, with the sandbox's credentials. */
  readonly env: Record<string, string>;
  /** The secret values of `env`, which must never be printed. */
  readonly secrets: readonly string[];
  /** A directory holding `settings.json` (and the PGlite stores of the tests that use one). */
  readonly dir: string;
  readonly settingsFile: string;
  close(): Promise<void>;
}

/** Starts a world; close it in `afterAll`. */
export async function startWorld(seed: number, books: Omit<GenerateBooksOptions, 'seed'> = SMALL_BOOKS): Promise<World> {
  const sandbox = createSandbox({ seed });
  const generated = generateBooks({ seed, ...books });
  sandbox.load(generated);
  const servers = await sandbox.listen();
  const { path: dir, remove } = await tempDir();
  const settingsFile = join(dir, 'settings.json');
  const settings = settingsForBooks(generated);
  await writeFile(settingsFile, JSON.stringify(settings));
  const { consumerKey, consumerSecret, tokenId, tokenSecret } = sandbox.netsuite.credentials;
  const env = {
    NETSUITE_ACCOUNT_ID: sandbox.netsuite.accountId,
    NETSUITE_CONSUMER_KEY: consumerKey,
    NETSUITE_CONSUMER_SECRET: consumerSecret,
    NETSUITE_TOKEN_ID: tokenId,
    NETSUITE_TOKEN_SECRET: tokenSecret,
    NETSUITE_BASE_URL: servers.netsuiteUrl,
    INVOICED_API_KEY: sandbox.invoiced.apiKey,
    INVOICED_BASE_URL: servers.invoicedUrl,
  };
  return {
    sandbox,
    books: generated,
    servers,
    env,
    secrets: [consumerKey, consumerSecret, tokenId, tokenSecret, sandbox.invoiced.apiKey],
    dir,
    settingsFile,
    close: async () => {
      await servers.close();
      await remove();
    },
  };
}

/** Parses the one JSON document a `--json` run wrote on stdout. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}
