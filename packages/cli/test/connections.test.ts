/**
 * `netsuite-sync connections`: the worker fleet's registry on the CLI's Postgres store (a database of its
 * own on the DATABASE_URL server, else PGlite): every action, the fleet's errors with their resolution and
 * exit code, wrong arguments, and a store that is not Postgres.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { fleetStore, type FleetStore } from './fleet-support';
import { cli, jsonOf, tempDir } from './support';

let dir: { path: string; remove: () => Promise<void> };
let fleet: FleetStore;
let settingsFile: string;
beforeAll(async () => {
  dir = await tempDir();
  fleet = await fleetStore();
  settingsFile = join(dir.path, 'acme.json');
  await writeFile(settingsFile, JSON.stringify({ items: { defaultItem: '1' }, cursorOverlapMs: 0 }));
});
afterAll(async () => {
  await fleet.remove();
  await dir.remove();
});

/** `netsuite-sync connections ...` on the test's store. */
const connections = (...args: string[]) => cli(['connections', ...args, '--store', fleet.store], { cwd: dir.path });

interface ConnectionJson {
  id: string;
  netsuiteAccount: string;
  invoicedKeyId: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  schedule: { everyMs: number; jitter: number; paused: boolean };
  nextRunAt: string | null;
}
interface ErrorJson {
  ok: false;
  exitCode: number;
  error: { code: string; message: string; resolution: string };
}

describe('connections: a store that is not Postgres', () => {
  it('the default SQLite store is a usage error naming DATABASE_URL and --store, and creates nothing', async () => {
    const run = await cli(['connections', 'list'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain('error: The worker fleet needs a Postgres database, and the SQLite store .netsuite-sync/state.db (the default: neither --store nor DATABASE_URL is set) is configured.');
    expect(run.stderr).toContain('→ Set DATABASE_URL=postgres://user:password@host:5432/database (or pass --store postgres://...)');
    expect(existsSync(join(dir.path, '.netsuite-sync'))).toBe(false);
  });

  it('the memory store too, with the code in --json', async () => {
    const run = await cli(['connections', 'show', 'acme', '--store', 'memory', '--json'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(jsonOf<ErrorJson>(run).error.code).toBe('FLEET_NEEDS_POSTGRES');
  });
});

describe('connections: wrong arguments (nothing is opened)', () => {
  it.each([
    [['frobnicate', 'acme'], 'Unknown action "frobnicate". Actions: list, add, show, update, pause, resume, remove, sync-now, import, limits, limit.'],
    [['show'], '`netsuite-sync connections show` needs a connection ID'],
    [['list', 'acme'], '`netsuite-sync connections list` takes no connection ID.'],
    [['add', 'acme', '--netsuite-account', '123'], '`connections add` needs --invoiced-key-id.'],
    [['add', 'acme'], '`connections add` needs --netsuite-account and --invoiced-key-id.'],
    [['update', 'acme'], '`connections update` needs something to change'],
    [['pause', 'acme', '--every', '1h'], '--every only applies to `connections add` and `connections update`.'],
    [['add', 'acme', '--netsuite-account', '1', '--invoiced-key-id', 'k', '--kind', 'invoices'], '--kind only applies to `connections import`.'],
    [['import', 'acme'], '`connections import` needs --kind invoices or --kind customers.'],
    [['import', 'acme', '--kind', 'payments'], '`connections import` needs --kind invoices or --kind customers, got "payments".'],
    [['add', 'acme', '--netsuite-account', '1', '--invoiced-key-id', 'k', '--jitter', '2'], '--jitter must be a number from 0 to 1 (a fraction of --every), got "2".'],
    [['add', 'acme', '--netsuite-account', '1', '--invoiced-key-id', 'k', '--nope'], "Unknown option '--nope'"],
    [['limit', 'netsuite-account', '1234567'], '`connections limit` needs --runs <n> (1 to 100) or --remove, not both.'],
    [['limit', 'netsuite-account', '--runs', '2', '--remove'], '`connections limit` needs --runs <n> (1 to 100) or --remove, not both.'],
    [['limit', 'subsidiary', '--runs', '2'], '`connections limit` needs netsuite-account or invoiced-key, got "subsidiary"'],
    [['limit', 'invoiced-key', 'k', '--runs', '0'], '--runs must be a whole number from 1 to 100, got "0".'],
    [['limit', 'invoiced-key', 'k', '--runs', '2', '--every', '1h'], '--every does not apply to `connections limit`.'],
    [['pause', 'acme', '--runs', '2'], '--runs only applies to `connections limit`.'],
    [['limits', 'acme'], '`netsuite-sync connections limits` takes no connection ID.'],
    [['show', 'acme', 'beta'], '`netsuite-sync connections show` takes at most one connection ID.'],
  ])('%j', async (args, message) => {
    const run = await cli(['connections', ...args, '--store', 'pglite:./never-opened'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: netsuite-sync connections <list|add|show|update|pause|resume|remove|sync-now|import|limits|limit> [<id>] [options]');
    expect(existsSync(join(dir.path, 'never-opened'))).toBe(false);
  });
});

describe('connections: the registry', () => {
  it('starts empty', async () => {
    const run = await connections('list');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No connections in the registry of the');
  });

  it('adds a connection with its settings and schedule, and refuses the same ID again (exit 1)', async () => {
    const added = await connections('add', 'acme', '--netsuite-account', '1234567_SB1', '--invoiced-key-id', 'acme-key', '--every', '15m', '--jitter', '0', '--settings', settingsFile, '--json');
    expect(added.code).toBe(0);
    const { connection } = jsonOf<{ connection: ConnectionJson }>(added);
    expect(connection).toMatchObject({ id: 'acme', netsuiteAccount: '1234567_SB1', invoicedKeyId: 'acme-key', enabled: true, schedule: { everyMs: 900_000, jitter: 0, paused: false } });
    // The file as written, not the settings with every default filled in.
    expect(connection.settings).toEqual({ items: { defaultItem: '1' }, cursorOverlapMs: 0 });
    const paused = await connections('add', 'beta', '--netsuite-account', '7654321', '--invoiced-key-id', 'beta-key', '--paused');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('Added connection "beta"');
    expect(paused.stdout).toContain('paused: not scheduled');

    const again = await connections('add', 'acme', '--netsuite-account', '1234567', '--invoiced-key-id', 'other');
    expect(again.code).toBe(EXIT_CODES.failure);
    expect(again.stderr).toContain('error: A connection "acme" is already registered in the');
    expect(again.stderr).toContain('→ Change it with netsuite-sync connections update acme <options>, or remove it first');
    const json = jsonOf<ErrorJson>(await connections('add', 'acme', '--netsuite-account', '1234567', '--invoiced-key-id', 'other', '--json'));
    expect(json.error.code).toBe('CONNECTION_EXISTS');
  });

  it('lists them: ID, state, schedule, next run, last run', async () => {
    const run = await connections('list');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('  ID    STATE    EVERY    NEXT RUN              LAST RUN  ENDED');
    expect(lines[1]).toMatch(/^ {2}acme {2}enabled {2}15m ±0% {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}- {9}-$/);
    expect(lines[2]).toBe(`  beta  paused   1h ±10%  -${' '.repeat(21)}-${' '.repeat(9)}-`);
    const { connections: listed } = jsonOf<{ connections: ConnectionJson[] }>(await connections('list', '--json'));
    expect(listed.map((each) => each.id)).toEqual(['acme', 'beta']);
  });

  it('updates, pauses and resumes', async () => {
    const updated = jsonOf<{ connection: ConnectionJson }>(await connections('update', 'acme', '--every', '2h', '--invoiced-key-id', 'acme-key-2', '--json')).connection;
    expect(updated).toMatchObject({ invoicedKeyId: 'acme-key-2', netsuiteAccount: '1234567_SB1', schedule: { everyMs: 7_200_000, jitter: 0, paused: false } });
    const paused = await connections('pause', 'acme');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('Paused connection "acme": no scheduled sync until resumed; Sync Now and imports still run.');
    const show = await connections('show', 'acme', '--json');
    expect(jsonOf<{ status: { connection: ConnectionJson } }>(show).status.connection).toMatchObject({ nextRunAt: null, schedule: { paused: true } });
    const resumed = await connections('resume', 'acme');
    expect(resumed.stdout).toMatch(/Resumed connection "acme": next sync due about \d{4}-/);
  });

  it('queues a Sync Now and an import, and show prints them as pending', async () => {
    const first = await connections('sync-now', 'acme', '--json');
    expect(first.code).toBe(0);
    const enqueued = jsonOf<{ jobId: string; queued: boolean; importJobId: null }>(first);
    expect(enqueued).toMatchObject({ queued: true, importJobId: null });
    const second = await connections('sync-now', 'acme');
    expect(second.stdout).toContain(`A sync of connection "acme" was already waiting (job ${enqueued.jobId}): it serves this request too.`);
    const imported = await connections('import', 'acme', '--kind', 'customers');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/A customer import of connection "acme" is queued \(job \S+, import job \S+\); a worker runs it\./);
    const show = await connections('show', 'acme');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Connection "acme"');
    expect(show.stdout).toMatch(/ {2}NetSuite account {2}1234567_SB1\n/);
    expect(show.stdout).toMatch(/ {2}State {13}enabled, every 2h ±0%\n/);
    expect(show.stdout).toContain(`sync (manual), queued `);
    expect(show.stdout).toContain('import_customers (import), queued ');
    expect(show.stdout).toContain('Running           nothing');
    expect(show.stdout).toContain('Last job          none yet');
  });

  it('refuses invalid values with the fleet\'s message and the options to correct (exit 64)', async () => {
    const run = await connections('update', 'acme', '--every', '2s', '--netsuite-account', 'no spaces', '--json');
    expect(run.code).toBe(EXIT_CODES.usage);
    const { error } = jsonOf<ErrorJson>(run);
    expect(error.code).toBe('INVALID_FLEET_INPUT');
    expect(error.message).toContain('netsuiteAccount must be the NetSuite account ID');
    expect(error.resolution).toContain('netsuiteAccount is --netsuite-account');
    const every = await connections('add', 'gamma', '--netsuite-account', '1', '--invoiced-key-id', 'k', '--every', 'soon');
    expect(every.code).toBe(EXIT_CODES.usage);
    expect(every.stderr).toContain("schedule.every must be a duration such as '1h', '15m' or '90s'");
  });

  it('refuses a settings file the engine rejects before writing anything', async () => {
    const bad = join(dir.path, 'bad.json');
    await writeFile(bad, JSON.stringify({ cursorOverlapMs: 'long' }));
    const run = await connections('update', 'acme', '--settings', bad);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(`${bad}: `);
    const show = jsonOf<{ status: { connection: ConnectionJson } }>(await connections('show', 'acme', '--json'));
    expect(show.status.connection.settings).toEqual({ items: { defaultItem: '1' }, cursorOverlapMs: 0 });
  });

  it('removes a connection; an unknown ID is CONNECTION_NOT_FOUND (exit 64) with the commands to run', async () => {
    const removed = await connections('remove', 'beta');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed connection "beta" from the registry');
    for (const args of [['show', 'beta'], ['remove', 'beta'], ['sync-now', 'beta'], ['pause', 'beta'], ['update', 'beta', '--every', '1h']]) {
      const run = await connections(...args, '--json');
      expect(run.code, args.join(' ')).toBe(EXIT_CODES.usage);
      const { error } = jsonOf<ErrorJson>(run);
      expect(error.code, args.join(' ')).toBe('CONNECTION_NOT_FOUND');
      expect(error.message).toMatch(/^No connection "beta" in the registry of the /);
      expect(error.resolution).toContain('connections list');
      expect(error.resolution).toContain('netsuite-sync connections add beta --netsuite-account <account ID> --invoiced-key-id <key name>');
    }
    const list = jsonOf<{ connections: ConnectionJson[] }>(await connections('list', '--json'));
    expect(list.connections.map((each) => each.id)).toEqual(['acme']);
  });

  it('sets, lists and removes fleet-wide limits', async () => {
    const empty = await connections('limits');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('No limits in the registry: each worker uses its own');
    const set = await connections('limit', 'netsuite-account', '1234567', '--runs', '3');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('NetSuite account 1234567: at most 3 runs at once across the fleet, for jobs that start from now.');
    expect((await connections('limit', 'invoiced-key', '--runs', '1')).stdout).toContain('Every Invoiced key without a limit of its own: at most 1 run at once');
    const listed = await connections('limits');
    expect(listed.stdout.trimEnd().split('\n')).toEqual([
      'KIND              ACCOUNT OR KEY               RUNS AT ONCE',
      'Invoiced key      (every one without its own)  1',
      'NetSuite account  1234567                      3',
    ]);
    const json = jsonOf<{ limits: unknown[] }>(await connections('limits', '--json'));
    expect(json.limits).toEqual([
      { scope: 'invoiced_key', key: null, runs: 1 },
      { scope: 'netsuite_account', key: '1234567', runs: 3 },
    ]);
    expect((await connections('limit', 'netsuite-account', '1234567', '--remove')).stdout).toContain('Removed the limit of NetSuite account 1234567');
    await connections('limit', 'invoiced-key', '--remove');
    expect((await connections('limits')).stdout).toContain('No limits in the registry');
  });
});
