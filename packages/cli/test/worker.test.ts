/**
 * `netsuite-sync worker`, in this process on the CLI's Postgres store (a database of its own on the
 * DATABASE_URL server, else PGlite): a Sync Now queued with `connections sync-now` runs to its end with the
 * clients of a `--clients` module or of the CLI's variables, one line per job, and an abort drains it.
 * Wrong options, modules and stores are refused before anything runs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSandbox, generateBooks, settingsForBooks } from '@invoiced/netsuite-sync-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { fleetStore, until, writeClientsModule, type FleetStore } from './fleet-support';
import { cli, Collector, jsonOf, startWorld, tempDir, type World } from './support';

let world: World;
let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  world = await startWorld(17);
  dir = await tempDir();
});
afterAll(async () => {
  await dir.remove();
  await world.close();
});

declare global {
  var cliClientsModuleCalls: number | undefined;
}

interface ErrorJson {
  error: { code: string; message: string; resolution: string };
}

describe('worker: refused before it starts', () => {
  it.each([['2h'], ['90m'], ['soon']])('--drain %s', async (value) => {
    const run = await cli(['worker', '--drain', value, '--store', 'pglite:./never'], { cwd: dir.path, env: world.env });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(`--drain must be a duration from 0s to 1h, such as '30s' or '2m', got "${value}".`);
  });

  it.each([['0'], ['257'], ['two']])('--concurrency %s', async (value) => {
    const run = await cli(['worker', '--concurrency', value, '--store', 'pglite:./never'], { cwd: dir.path, env: world.env });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(`--concurrency must be a whole number from 1 to 256, got "${value}".`);
  });

  it('a store that is not Postgres', async () => {
    const run = await cli(['worker', '--json'], { cwd: dir.path, env: world.env });
    expect(run.code).toBe(EXIT_CODES.usage);
    const { error } = jsonOf<ErrorJson>(run);
    expect(error.code).toBe('FLEET_NEEDS_POSTGRES');
    expect(error.resolution).toContain('Set DATABASE_URL=postgres://');
  });

  it('without --clients, the variables `sync` reads are required', async () => {
    const run = await cli(['worker', '--store', 'pglite:./never'], { cwd: dir.path, env: {} });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain('Missing configuration: NETSUITE_ACCOUNT_ID');
  });

  it('a --clients module that cannot be loaded, or exports no function', async () => {
    const missing = await cli(['worker', '--clients', './nope.mjs', '--store', 'pglite:./never', '--json'], { cwd: dir.path });
    expect(missing.code).toBe(EXIT_CODES.usage);
    expect(jsonOf<ErrorJson>(missing).error).toMatchObject({ code: 'CLIENTS_MODULE_UNLOADABLE', message: expect.stringContaining(`Cannot load the --clients module ${join(dir.path, 'nope.mjs')}`) as string });
    await writeFile(join(dir.path, 'object.mjs'), 'export default { netsuite: 1 };\nexport const clientsFor = 42;\n');
    const object = await cli(['worker', '--clients', 'object.mjs', '--store', 'pglite:./never'], { cwd: dir.path });
    expect(object.code).toBe(EXIT_CODES.usage);
    expect(object.stderr).toContain(`error: The --clients module ${join(dir.path, 'object.mjs')} exports no function: its default export is a object, its export clientsFor a number.`);
    expect(object.stderr).toContain('→ Export `async (connection, { signal }) => ({ netsuite, invoiced })` as the default export or as `clientsFor`');
  });
});

describe('worker: runs the fleet\'s jobs', () => {
  let fleet: FleetStore;
  beforeAll(async () => {
    fleet = await fleetStore();
  });
  afterAll(() => fleet.remove());

  const store = () => ['--store', fleet.store];

  /** Starts `worker` with `args`, waits until its job lines (text or JSON) name each of `connections`, then aborts it. */
  async function runWorker(args: readonly string[], env: Record<string, string>, connections: readonly string[]) {
    const controller = new AbortController();
    const stdout = new Collector();
    const stderr = new Collector();
    const running = cli(['worker', ...args, ...store()], { cwd: dir.path, env, signal: controller.signal, stdout, stderr });
    const jobLines = () => stdout.text.split('\n').filter((line) => /^(\d{4}-\d\d-\d\d |\{"type":"job")/.test(line));
    const named = (id: string) => jobLines().some((line) => line.includes(`  ${id}  `) || line.includes(`"connectionId":"${id}"`));
    try {
      await until(() => connections.every(named), 45_000, `job lines of ${connections.join(', ')}; stderr: ${stderr.text}`);
    } finally {
      controller.abort(new Error('test stop'));
    }
    const run = await running;
    return { ...run, jobLines: jobLines() };
  }

  it('runs a Sync Now with the clients of a --clients module, prints its line, and drains on abort (exit 130)', async () => {
    const added = await cli(['connections', 'add', 'acme', '--netsuite-account', world.sandbox.netsuite.accountId, '--invoiced-key-id', 'acme', '--settings', world.settingsFile, '--paused', ...store()], { cwd: dir.path });
    expect(added.code, added.stderr).toBe(0);
    const queued = await cli(['connections', 'sync-now', 'acme', '--json', ...store()], { cwd: dir.path });
    const { jobId } = jsonOf<{ jobId: string }>(queued);
    const module = await writeClientsModule(dir.path, world.env, 'default');
    globalThis.cliClientsModuleCalls = 0;

    const run = await runWorker(['--clients', module, '--concurrency', '2'], {}, ['acme']);
    expect(run.code).toBe(EXIT_CODES.interrupted);
    expect(run.stderr).toMatch(/Worker \S+ runs up to 2 jobs at once on the (PGlite|Postgres) store .*, with the clients of \/.*clients-default\.mjs\. Ctrl-C or SIGTERM drains it\./);
    expect(run.stderr).toMatch(/Draining worker \S+: no new job/);
    expect(run.stderr).toMatch(/Worker \S+ stopped\./);
    expect(run.jobLines).toHaveLength(1);
    expect(run.jobLines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ  (SUCCEEDED|PARTIAL  )  acme  sync  run \\S+  \\(took [^;]+; job ${jobId}\\)$`));
    expect(globalThis.cliClientsModuleCalls).toBe(1);
    for (const secret of world.secrets) expect(run.stdout + run.stderr).not.toContain(secret);

    // The run is in the store the other commands read, and the registry has the job's end.
    const runs = await cli(['runs', '--connection', 'acme', ...store()], { cwd: dir.path });
    expect(runs.stdout).toMatch(/manual +(SUCCEEDED|PARTIAL)/);
    const show = jsonOf<{ status: { connection: { lastRun: { kind: string; status: string; runId: string } }; pending: unknown[]; running: null } }>(
      await cli(['connections', 'show', 'acme', '--json', ...store()], { cwd: dir.path }),
    );
    expect(show.status.connection.lastRun).toMatchObject({ kind: 'sync', status: expect.stringMatching(/^(succeeded|partial)$/) as string });
    expect(run.jobLines[0]).toContain(`run ${show.status.connection.lastRun.runId}`);
    expect(show.status.pending).toEqual([]);
    expect(show.status.running).toBeNull();
  });

  it("without --clients, uses the CLI's variables for the connections of that account, fails any other's job with the reason, and writes --json lines", async () => {
    const other = await cli(['connections', 'add', 'other', '--netsuite-account', '999999', '--invoiced-key-id', 'other', '--paused', ...store()], { cwd: dir.path });
    expect(other.code, other.stderr).toBe(0);
    for (const id of ['acme', 'other']) expect((await cli(['connections', 'sync-now', id, ...store()], { cwd: dir.path })).code).toBe(0);

    const run = await runWorker(['--json'], world.env, ['acme', 'other']);
    expect(run.code).toBe(EXIT_CODES.interrupted);
    const jobs = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; connectionId: string; kind: string; status: string; runId: string | null; lagMs: number | null });
    const byConnection = new Map(jobs.map((job) => [job.connectionId, job]));
    expect(byConnection.get('acme')).toMatchObject({ type: 'job', kind: 'sync', status: expect.stringMatching(/^(succeeded|partial)$/) as string, lagMs: null });
    expect(byConnection.get('other')).toMatchObject({
      type: 'job',
      kind: 'sync',
      status: 'error',
      runId: null,
      error: { name: 'CliError', code: 'NO_CREDENTIALS_FOR_CONNECTION', message: expect.stringContaining('Connection "other" is on NetSuite account 999999') as string },
    });
    expect(run.stderr).toContain('ERROR      other sync: fleet job failed; pg-boss retries it: CliError: Connection "other" is on NetSuite account 999999, and this worker holds the credentials of account');
    expect(run.stderr).toContain('Start the worker with --clients <module>');
    for (const secret of world.secrets) expect(run.stdout + run.stderr).not.toContain(secret);
    // Its job waits for a retry: removing the connection takes it out of the queue, for the next test's worker.
    expect((await cli(['connections', 'remove', 'other', ...store()], { cwd: dir.path })).code).toBe(0);
  });
  it.each([
    ['lets a job in flight finish when it drains (exit 130)', [], '30.0s'],
    ['with --drain 0s, cancels a job in flight at once and queues it again for another worker', ['--drain', '0s'], '0ms'],
  ] as const)('%s', async (_, drain, grace) => {
    // A slow sandbox: each request takes 150 ms, so the sync is still running when the worker is stopped.
    const sandbox = createSandbox({ seed: 23, netsuite: { latencyMs: 150 }, invoiced: { latencyMs: 150 } });
    const books = generateBooks({ seed: 23, customers: 4, invoices: 6, payments: 2, creditMemos: 0, invoiced: { customers: 2, invoices: 2, payments: 1 } });
    sandbox.load(books);
    const servers = await sandbox.listen();
    try {
      const settingsFile = join(dir.path, 'slow.json');
      await writeFile(settingsFile, JSON.stringify(settingsForBooks(books)));
      const { consumerKey, consumerSecret, tokenId, tokenSecret } = sandbox.netsuite.credentials;
      const env = { NETSUITE_ACCOUNT_ID: sandbox.netsuite.accountId, NETSUITE_CONSUMER_KEY: consumerKey, NETSUITE_CONSUMER_SECRET: consumerSecret, NETSUITE_TOKEN_ID: tokenId, NETSUITE_TOKEN_SECRET: tokenSecret, NETSUITE_BASE_URL: servers.netsuiteUrl, INVOICED_API_KEY: sandbox.invoiced.apiKey, INVOICED_BASE_URL: servers.invoicedUrl };
      const added = await cli(['connections', 'add', 'slow', '--netsuite-account', sandbox.netsuite.accountId, '--invoiced-key-id', 'slow', '--settings', settingsFile, '--paused', ...store()], { cwd: dir.path });
      expect(added.code, added.stderr).toBe(0);
      expect((await cli(['connections', 'sync-now', 'slow', ...store()], { cwd: dir.path })).code).toBe(0);
      const module = await writeClientsModule(dir.path, env, 'clientsFor');
      globalThis.cliClientsModuleCalls = 0;

      const controller = new AbortController();
      const stdout = new Collector();
      const stderr = new Collector();
      const running = cli(['worker', '--clients', module, ...drain, ...store()], { cwd: dir.path, env: {}, signal: controller.signal, stdout, stderr });
      await until(() => (globalThis.cliClientsModuleCalls ?? 0) > 0, 45_000, `the job to start; stderr: ${stderr.text}`);
      controller.abort(new Error('test stop'));
      const run = await running;
      expect(run.code).toBe(EXIT_CODES.interrupted);
      expect(run.stderr).toContain(`: no new job; 1 in flight get ${grace} to finish, then go back to the queue.`);
      const show = jsonOf<{ status: { connection: { lastRun: { status: string } | null }; running: null; pending: { kind: string; trigger: string }[] } }>(
        await cli(['connections', 'show', 'slow', '--json', ...store()], { cwd: dir.path }),
      );
      expect(show.status.running).toBeNull();
      if (drain.length === 0) {
        expect(run.stdout).toMatch(/ {2}(SUCCEEDED|PARTIAL {2}) {2}slow {2}sync {2}run \S+ {2}\(took /);
        expect(show.status.connection.lastRun?.status).toMatch(/^(succeeded|partial)$/);
        expect(show.status.pending).toEqual([]);
      } else {
        expect(run.stdout).toMatch(/ {2}DEFERRED {3}slow {2}sync {2}run \S+ {2}\(took (?!0ms)/);
        expect(show.status.pending.map((job) => [job.kind, job.trigger])).toEqual([['sync', 'manual']]);
      }
      expect((await cli(['connections', 'remove', 'slow', ...store()], { cwd: dir.path })).code).toBe(0);
    } finally {
      await servers.close();
    }
  });
});
