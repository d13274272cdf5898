/**
 * The command lines the CLI prints as hints run as printed: a POSIX shell splits them into the words the
 * test runs the CLI with, and they reach the same connection, store, settings and services.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportResult } from '@invoiced/netsuite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlobalFlags } from '../src/context';
import { commandLine, shellQuote } from '../src/hint';
import { EXIT_CODES } from '../src/index';
import { cli, jsonOf, startWorld, type CliRun, type World } from './support';

let world: World;
/** A store directory whose name a shell would split, and a connection other than `default`. */
let options: string[];

beforeAll(async () => {
  world = await startWorld(31);
  // Without a default item, Invoiced invoices cannot go to NetSuite: more record errors than are shown.
  const { items: _items, ...settings } = JSON.parse(await readFile(world.settingsFile, 'utf8')) as Record<string, unknown>;
  const settingsFile = join(world.dir, 'no item settings.json');
  await writeFile(settingsFile, JSON.stringify(settings));
  options = ['--connection', 'acme', '--store', `sqlite:${join(world.dir, "it's state.db")}`, '--settings', settingsFile];
});
afterAll(() => world.close());

const run = (argv: readonly string[], signal?: AbortSignal): Promise<CliRun> =>
  cli(argv, { env: world.env, cwd: world.dir, ...(signal === undefined ? {} : { signal }) });

/** The arguments of a printed `netsuite-sync ...` command line, as a POSIX shell reads them (comments too). */
function shellWords(line: string): string[] {
  const command = line.slice(line.indexOf('netsuite-sync '));
  const words = execFileSync('sh', ['-c', `set -- ${command}\nshift\nprintf '%s\\0' "$@"`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  return words.split('\0').slice(0, -1);
}

/** The text after `marker` on the line that holds it. */
function lineAfter(text: string, marker: string): string {
  const line = text.split('\n').find((candidate) => candidate.includes(marker));
  if (line === undefined) throw new Error(`No line with ${JSON.stringify(marker)} in:\n${text}`);
  return line.slice(line.indexOf(marker) + marker.length);
}

describe('hints run as printed', () => {
  it('"… more record errors: netsuite-sync runs <id>" of runs and sync keeps --connection and --store', async () => {
    const synced = await run(['sync', ...options]);
    expect(synced.code).toBe(EXIT_CODES.partial);
    const listed = await run(['runs', '--errors', '1', ...options]);
    const hint = lineAfter(listed.stdout, 'more record errors: ');
    expect(hint).toContain("--connection acme --store 'sqlite:");
    expect(hint).not.toContain('--settings');
    const shown = await run(shellWords(hint));
    expect(shown.code).toBe(EXIT_CODES.success);
    expect(shown.stdout).toContain('Recent Syncs of connection "acme"');
    expect(shown.stdout).not.toContain('more record error');
    expect(shown.stdout.match(/retry key: /g)?.length).toBeGreaterThan(1);
  });

  it('the resume command of an interrupted import reaches the same job', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    const stopped = await run(['import', 'customers', ...options], controller.signal);
    expect(stopped.code).toBe(EXIT_CODES.interrupted);
    const hint = lineAfter(stopped.stdout, 'Resume it with: ');
    const jobId = /--job (\S+)/.exec(hint)?.[1];
    const resumed = await run([...shellWords(hint), '--json']);
    expect(resumed.stderr).toBe('');
    // The same store: the default one (.netsuite-sync in the working directory) was never opened.
    expect(existsSync(join(world.dir, '.netsuite-sync'))).toBe(false);
    expect(jsonOf<{ import: ImportResult }>(resumed).import).toMatchObject({ jobId, kind: 'customers' });
    expect([EXIT_CODES.success, EXIT_CODES.partial]).toContain(resumed.code);
  });

  it('the runs command of an auto-sync line shows that run', async () => {
    const auto = await run(['auto', '--every', '100ms', '--jitter', '0', '--max-runs', '1', ...options]);
    const hint = lineAfter(auto.stdout, 'more record errors: ');
    const runId = /run (\S+)\)/.exec(auto.stdout)?.[1];
    const shown = await run(shellWords(hint));
    expect(shown.code).toBe(EXIT_CODES.success);
    expect(shown.stdout).toContain(runId);
    expect(shown.stdout).toMatch(/auto\s+PARTIAL/);
  });

  it('the command that finishes an interrupted sync keeps every option in effect', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    const stopped = await run(['sync', ...options], controller.signal);
    const hint = lineAfter(stopped.stdout, 'to finish, run again: ');
    expect(shellWords(hint)).toEqual(['sync', ...options]);
  });
});

describe('commandLine', () => {
  const flags: GlobalFlags = {
    connection: 'default',
    store: undefined,
    settings: undefined,
    envFile: undefined,
    accountId: undefined,
    netsuiteBaseUrl: undefined,
    invoicedBaseUrl: undefined,
    invoicedSandbox: false,
    json: true,
    progress: false,
    verbose: true,
  };

  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('pglite:./state')).toBe('pglite:./state');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
  });

  it('leaves out --store when the store came from DATABASE_URL, so that its password is never printed', () => {
    const url = 'postgres://sync:S3cretPassw0rd@db.internal:5432/books';
    expect(commandLine(['runs', 'r1'], { ...flags, store: url }, { DATABASE_URL: url }, 'store')).toBe('netsuite-sync runs r1');
    expect(commandLine(['runs', 'r1'], flags, { DATABASE_URL: url }, 'store')).toBe('netsuite-sync runs r1');
  });

  it('masks the password of a --store URL that did not come from DATABASE_URL, saying so in a comment', () => {
    const line = commandLine(['runs', 'r1'], { ...flags, store: 'postgres://sync:S3cretPassw0rd@db.internal/books' }, {}, 'store');
    expect(line).not.toContain('S3cretPassw0rd');
    expect(line).toMatch(/^netsuite-sync runs r1 --store 'postgres:\/\/sync:\*\*\*@db\.internal\/books' {2}# \*\*\* stands for the password/);
  });

  it('keeps the env file, and for services the settings and connection flags, never the output options', () => {
    const all = { ...flags, envFile: 'prod.env', settings: 'acme settings.json', accountId: '123_SB1', netsuiteBaseUrl: 'http://127.0.0.1:9/ns', invoicedSandbox: true };
    expect(commandLine(['sync'], all, {}, 'services')).toBe(
      "netsuite-sync sync --env-file prod.env --settings 'acme settings.json' --account-id 123_SB1 --netsuite-base-url http://127.0.0.1:9/ns --invoiced-sandbox",
    );
    expect(commandLine(['retry', 'k'], all, {}, 'store')).toBe('netsuite-sync retry k --env-file prod.env');
  });

  it('says that the memory store kept nothing', () => {
    expect(commandLine(['runs', 'r1'], { ...flags, store: 'memory' }, {}, 'store')).toMatch(/--store memory {2}# the memory store kept nothing/);
  });
});
