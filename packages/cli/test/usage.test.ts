import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, EXIT_CODES, parseStoreSpec, VERSION } from '../src/index';
import { describePostgresUrl } from '../src/store';
import { cli, jsonOf, tempDir } from './support';

let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

const FULL_ENV = {
  NETSUITE_ACCOUNT_ID: '1234567_SB1',
  NETSUITE_CONSUMER_KEY: 'consumer-key-value-0001',
  NETSUITE_CONSUMER_SECRET: 'consumer-secret-value-0002',
  NETSUITE_TOKEN_ID: 'token-id-value-0003',
  NETSUITE_TOKEN_SECRET: 'token-secret-value-0004',
  INVOICED_API_KEY: 'invoiced-api-key-value-0005',
};

describe('usage', () => {
  it('prints the commands, options, variables and exit codes for --help, with exit 0', async () => {
    const run = await cli(['--help'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.success);
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name}`);
    for (const text of ['--store <store>', 'NETSUITE_TOKEN_SECRET', 'INVOICED_SANDBOX', 'DATABASE_URL', '130 interrupted']) expect(run.stdout).toContain(text);
    expect(run.stderr).toBe('');
  });

  it('prints the help of one command for `<command> --help` and `help <command>`', async () => {
    const a = await cli(['sync', '--help'], { cwd: dir.path });
    const b = await cli(['help', 'sync'], { cwd: dir.path });
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('Usage: netsuite-sync sync [--dry-run]');
    expect(a.stdout).toContain('--dry-run');
    expect(b.stdout).toBe(a.stdout);
  });

  it('prints the version', async () => {
    const run = await cli(['--version'], { cwd: dir.path });
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [[], 'Which command?'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['sync', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['sync', 'extra'], 'takes no arguments'],
    [['import'], '`netsuite-sync import` takes `invoices|customers [--job <id>]`, got none'],
    [['import', 'credit-notes'], 'Expected `invoices` or `customers`'],
    [['ignore'], 'got none'],
    [['runs', '--limit', 'many'], '--limit must be a whole number'],
    [['auto', '--jitter', '2'], '--jitter must be a number from 0 to 1'],
    [['demo', '--customers=-3'], '--customers must be a whole number from 20 to 100000, got "-3"'],
    [['retry', 'a-key', '--all'], 'Give keys or --all, not both'],
    [['runs', '--connection', 'no spaces allowed'], '--connection must be 1 to 200 letters'],
  ])('refuses %j with exit 64 and says why', async (argv, message) => {
    const run = await cli(argv, { cwd: dir.path, env: FULL_ENV });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('writes a usage error as a JSON document with --json', async () => {
    const run = await cli(['sync', '--json', '--frobnicate'], { cwd: dir.path });
    expect(run.code).toBe(64);
    expect(jsonOf(run)).toMatchObject({ ok: false, exitCode: 64, error: { code: 'USAGE' } });
  });
});

describe('configuration', () => {
  it('names every missing variable, where to find its value and what to do, with exit 64', async () => {
    const run = await cli(['sync', '--store', 'memory'], { cwd: dir.path, env: { NETSUITE_ACCOUNT_ID: '1234567', NETSUITE_TOKEN_ID: '   ' } });
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain(
      'Missing configuration: NETSUITE_CONSUMER_KEY, NETSUITE_CONSUMER_SECRET, NETSUITE_TOKEN_ID, NETSUITE_TOKEN_SECRET, INVOICED_API_KEY are not set.',
    );
    expect(run.stderr).toContain('NETSUITE_TOKEN_ID is not set: the access token\'s TOKEN ID: Setup > Users/Roles > Access Tokens > New');
    expect(run.stderr).toContain('INVOICED_API_KEY is not set: the Invoiced API key: in Invoiced, Settings > Developers > New API Key');
    expect(run.stderr).toContain('docs/connecting-to-netsuite.md');
    expect(run.stderr).not.toContain('NETSUITE_ACCOUNT_ID (or --account-id) is not set');
  });

  it('says which variable is invalid', async () => {
    const run = await cli(['check', '--json'], { cwd: dir.path, env: { ...FULL_ENV, NETSUITE_BASE_URL: 'not a url', INVOICED_SANDBOX: 'perhaps' } });
    expect(run.code).toBe(64);
    const document = jsonOf<{ error: { code: string; message: string } }>(run);
    expect(document.error.code).toBe('INVALID_CONFIGURATION');
    expect(document.error.message).toContain('NETSUITE_BASE_URL (or --netsuite-base-url) must be an http(s) URL');
    expect(document.error.message).toContain("INVOICED_SANDBOX (or --invoiced-sandbox) must be 'true' or 'false'");
  });

  it('refuses an account ID that is not one, through the client', async () => {
    const run = await cli(['check'], { cwd: dir.path, env: { ...FULL_ENV, NETSUITE_ACCOUNT_ID: 'https://example.com' } });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Company Information');
  });

  it('reads variables from --env-file, those of the environment winning', async () => {
    const file = join(dir.path, 'netsuite.env');
    await writeFile(file, Object.entries(FULL_ENV).map(([name, value]) => `${name}=${value}`).join('\n'));
    // Everything is set, so the command gets as far as reading the settings file, which is missing.
    const run = await cli(['sync', '--env-file', 'netsuite.env', '--settings', 'missing.json', '--store', 'memory'], { cwd: dir.path, env: { NETSUITE_ACCOUNT_ID: '7654321' } });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Cannot read the settings file');
    const missing = await cli(['sync', '--env-file', 'nowhere.env'], { cwd: dir.path });
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('Cannot read the env file');
  });

  it('refuses a settings file that is not JSON, or whose settings are invalid, naming the field', async () => {
    await writeFile(join(dir.path, 'broken.json'), '{ "items": ');
    await writeFile(join(dir.path, 'invalid.json'), JSON.stringify({ currencies: { usd: '1' }, leaseTtlMs: 5 }));
    const broken = await cli(['sync', '--settings', 'broken.json', '--store', 'memory'], { cwd: dir.path, env: FULL_ENV });
    expect(broken.code).toBe(64);
    expect(broken.stderr).toContain('is not valid JSON');
    const invalid = await cli(['sync', '--settings', 'invalid.json', '--store', 'memory', '--json'], { cwd: dir.path, env: FULL_ENV });
    expect(invalid.code).toBe(64);
    const document = jsonOf<{ error: { code: string; message: string; resolution: string } }>(invalid);
    expect(document.error.code).toBe('INVALID_SETTINGS');
    expect(document.error.message).toContain('currencies');
    expect(document.error.message).toContain('leaseTtlMs');
    expect(document.error.resolution).toContain('docs/configuration.md');
  });

  it('refuses an unknown store', async () => {
    const run = await cli(['runs', '--store', 'redis://localhost'], { cwd: dir.path });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown store "redis://..."');
    expect(run.stderr).toContain('--store memory, --store pglite:<directory>');
  });
});

describe('stores', () => {
  it('parses --store, falling back on DATABASE_URL and then the default SQLite file', () => {
    expect(parseStoreSpec('memory', undefined)).toEqual({ kind: 'memory' });
    expect(parseStoreSpec('sqlite:./state.db', undefined)).toEqual({ kind: 'sqlite', file: './state.db' });
    expect(parseStoreSpec('sqlite', undefined)).toEqual({ kind: 'sqlite', file: '.netsuite-sync/state.db' });
    expect(parseStoreSpec(undefined, undefined)).toEqual({ kind: 'sqlite', file: '.netsuite-sync/state.db', byDefault: true });
    expect(parseStoreSpec(undefined, '  ')).toEqual({ kind: 'sqlite', file: '.netsuite-sync/state.db', byDefault: true });
    expect(parseStoreSpec('pglite:./state', undefined)).toEqual({ kind: 'pglite', dir: './state' });
    expect(parseStoreSpec('pglite', undefined)).toEqual({ kind: 'pglite', dir: '.netsuite-sync' });
    expect(parseStoreSpec(undefined, 'postgres://u:p@db/x')).toEqual({ kind: 'postgres', url: 'postgres://u:p@db/x' });
    expect(parseStoreSpec('memory', 'postgres://u:p@db/x')).toEqual({ kind: 'memory' });
    expect(() => parseStoreSpec('pglite:', undefined)).toThrow('needs a directory');
    expect(() => parseStoreSpec('sqlite:', undefined)).toThrow('needs a file');
  });

  it('keeps its state in .netsuite-sync/state.db by default, creating the directory, and lets several commands share it', async () => {
    const first = await cli(['runs'], { cwd: dir.path });
    expect(first.code).toBe(EXIT_CODES.success);
    expect(first.stdout).toContain(`No syncs yet for connection "default" in the SQLite store ${join(dir.path, '.netsuite-sync', 'state.db')}`);
    expect(await readdir(join(dir.path, '.netsuite-sync'))).toContain('state.db');
    // No lock file: SQLite locks the file itself, so two commands at once both succeed.
    const both = await Promise.all([cli(['runs'], { cwd: dir.path }), cli(['runs', '--store', 'sqlite'], { cwd: dir.path })]);
    expect(both.map((run) => run.code)).toEqual([EXIT_CODES.success, EXIT_CODES.success]);
    const other = await cli(['runs', '--store', 'sqlite:nested/dir/other.db'], { cwd: dir.path });
    expect(other.stdout).toContain(`in the SQLite store ${join(dir.path, 'nested', 'dir', 'other.db')}`);
  });

  it('keeps using the PGlite data an earlier version left in .netsuite-sync when no store is chosen', async () => {
    const earlier = join(dir.path, 'earlier');
    await mkdir(earlier);
    const created = await cli(['runs', '--store', 'pglite'], { cwd: earlier });
    expect(created.code).toBe(EXIT_CODES.success);
    const byDefault = await cli(['runs'], { cwd: earlier });
    expect(byDefault.stdout).toContain(`in the PGlite store in ${join(earlier, '.netsuite-sync')}`);
    expect(await readdir(join(earlier, '.netsuite-sync'))).not.toContain('state.db');
    const chosen = await cli(['runs', '--store', 'sqlite'], { cwd: earlier });
    expect(chosen.stdout).toContain('in the SQLite store');
  });

  it('fails with exit 1 and what to do when the SQLite file cannot be created', async () => {
    await writeFile(join(dir.path, 'a-file'), 'not a directory');
    const run = await cli(['runs', '--store', 'sqlite:a-file/state.db', '--json'], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.failure);
    expect(jsonOf(run)).toMatchObject({ ok: false, exitCode: 1, error: { code: 'STORE_UNAVAILABLE' } });
  });

  it('never shows the password of a Postgres URL', () => {
    expect(describePostgresUrl('postgres://sync:s3cr%40t@db.internal:5432/books?sslmode=require')).toBe('the Postgres store at postgres://sync:***@db.internal:5432/books');
  });

  it('lets one process use a PGlite directory at a time, taking over the lock of a process that died', async () => {
    const state = join(dir.path, 'locked');
    await mkdir(state);
    await writeFile(join(state, 'netsuite-sync.lock'), String(process.pid));
    const busy = await cli(['runs', '--store', 'pglite:locked'], { cwd: dir.path });
    expect(busy.code).toBe(EXIT_CODES.failure);
    expect(busy.stderr).toContain(`is in use by another netsuite-sync command (process ${process.pid})`);
    expect(busy.stderr).toContain('→ PGlite lets one process use a directory at a time');

    // No process has this ID (the kernel's pid_max is far below it): the lock is stale.
    await writeFile(join(state, 'netsuite-sync.lock'), '2147483646');
    const taken = await cli(['runs', '--store', 'pglite:locked'], { cwd: dir.path });
    expect(taken.code).toBe(EXIT_CODES.success);
    expect(taken.stdout).toContain('No syncs yet for connection "default" in the PGlite store in');
    expect(await readdir(state)).not.toContain('netsuite-sync.lock');
  });

  it('fails with exit 1 and what to do when the Postgres server cannot be reached, without printing its password', async () => {
    const run = await cli(['runs', '--json'], { cwd: dir.path, env: { DATABASE_URL: 'postgres://sync:VeryS3cretPassw0rd@127.0.0.1:1/books' } });
    expect(run.code).toBe(EXIT_CODES.failure);
    expect(jsonOf(run)).toMatchObject({ ok: false, exitCode: 1, error: { code: 'POSTGRES_STORE_FAILED' } });
    expect(run.stdout + run.stderr).not.toContain('VeryS3cretPassw0rd');
  });
});
