/**
 * What the command loads to start: `--version` and `--help` load neither zod nor the SDK, and `runs` loads
 * no command but its own, neither the clients' nor the engine's entry points of the CLI, no sandbox, no
 * PGlite and no Postgres driver. The tests run in order in one process and record which of these modules
 * the CLI loaded so far. The timing is measured by `bench/src/cli-store.ts`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../src/command';

const { loaded, watch } = vi.hoisted(() => {
  const loaded = new Set<string>();
  /** Records that the module was loaded, then gives the real one. */
  const watch = (name: string) => async (importOriginal: () => Promise<unknown>) => {
    loaded.add(name);
    return importOriginal();
  };
  return { loaded, watch };
});

vi.mock('zod', watch('zod'));
vi.mock('@invoiced/netsuite-sync', watch('sdk'));
vi.mock('@invoiced/netsuite-sync-sandbox', watch('sandbox'));
vi.mock('@invoiced/netsuite-sync-store-sqlite', watch('store-sqlite'));
vi.mock('@invoiced/netsuite-sync-store-postgres', watch('store-postgres'));
vi.mock('@invoiced/netsuite-sync-store-memory', watch('store-memory'));
vi.mock('@electric-sql/pglite', watch('pglite'));
vi.mock('pg', watch('pg'));
vi.mock('../src/commands/demo', watch('command demo'));
vi.mock('../src/commands/check', watch('command check'));
vi.mock('../src/commands/sync', watch('command sync'));
vi.mock('../src/commands/import', watch('command import'));
vi.mock('../src/commands/runs', watch('command runs'));
vi.mock('../src/commands/retry', watch('command retry'));
vi.mock('../src/commands/auto', watch('command auto'));
vi.mock('../src/config', watch('config'));

// Nothing of ./support: it loads the sandbox and the whole CLI.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netsuite-sync-cli-startup-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A stream that keeps what is written. */
class Collector {
  text = '';
  readonly isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Runs the CLI as bin.ts does (main.ts loads cli.ts). The tests run in order: `loaded` is what the CLI loaded so far. */
async function start(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../src/cli');
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await runCli(argv, { stdout, stderr, env: {}, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('what the CLI loads to start', () => {
  it('--version loads neither zod, nor the SDK, nor any command', async () => {
    const run = await start(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect([...loaded]).toEqual([]);
  });

  it('--help lists every command and the variables without loading them', async () => {
    const run = await start(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  runs  ');
    expect(run.stdout).toContain('NETSUITE_ACCOUNT_ID');
    expect([...loaded]).toEqual([]);
  });

  it('the --help of a command loads that command only', async () => {
    const run = await start(['runs', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: netsuite-sync runs');
    expect([...loaded].filter((name) => name.startsWith('command '))).toEqual(['command runs']);
    expect(loaded.has('sandbox')).toBe(false);
  });

  it('runs on the default store loads the SQLite store and no other command, store, sandbox or driver', async () => {
    const run = await start(['runs']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No syncs yet');
    expect([...loaded].filter((name) => name.startsWith('command '))).toEqual(['command runs']);
    expect(loaded.has('store-sqlite')).toBe(true);
    for (const heavy of ['sandbox', 'store-postgres', 'store-memory', 'pglite', 'pg']) expect(loaded.has(heavy), heavy).toBe(false);
  });

  it('an unknown command is a usage error with the general usage, loading no command', async () => {
    const run = await start(['nope']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Unknown command "nope"');
    expect(run.stderr).toContain('Usage: netsuite-sync <command> [options]');
    expect([...loaded].filter((name) => name.startsWith('command '))).toEqual(['command runs']);
  });
});

describe('the command catalog', () => {
  it('agrees with each command: name, summary and options, in the order --help lists them', async () => {
    const { COMMANDS } = await import('../src/catalog');
    const names: string[] = [];
    for (const entry of COMMANDS) {
      const command: Command = await entry.load();
      names.push(command.name);
      expect({ name: entry.name, summary: entry.summary, options: entry.options }).toEqual({ name: command.name, summary: command.summary, options: command.options });
    }
    expect(names).toEqual(['demo', 'check', 'sync', 'import', 'runs', 'retry', 'ignore', 'auto', 'worker', 'connections']);
  });
});
