import { join } from 'node:path';
import type { ConnectionCheckResult, ImportResult, SyncRun } from '@invoiced/netsuite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { cli, jsonOf, startWorld, type CliRun, type World } from './support';

let world: World;
const runs: CliRun[] = [];

beforeAll(async () => {
  world = await startWorld(23);
});
afterAll(() => world.close());

async function run(argv: readonly string[], options: { env?: Record<string, string>; signal?: AbortSignal } = {}) {
  const result = await cli([...argv, '--settings', world.settingsFile], {
    env: options.env ?? world.env,
    cwd: world.dir,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  runs.push(result);
  return result;
}

describe('check', () => {
  it('passes every check against the sandbox, with exit 0', async () => {
    const text = await run(['check']);
    expect(text.code).toBe(EXIT_CODES.success);
    expect(text.stdout).toContain(`Connection check: NetSuite account ${world.sandbox.netsuite.accountId}`);
    expect(text.stdout).toContain('✓ NetSuite credentials');
    expect(text.stdout).toContain('✓ Invoiced credentials');
    expect(text.stdout).toContain('Everything a sync needs is in place.');
    expect(text.stdout).not.toContain('✗');
    const json = jsonOf<ConnectionCheckResult & { exitCode: number }>(await run(['check', '--json']));
    expect(json).toMatchObject({ ok: true, exitCode: 0, problems: [] });
    expect(json.checks.length).toBeGreaterThanOrEqual(4);
  });

  it('reports refused credentials as problems with what to do, with exit 1', async () => {
    const text = await run(['check'], { env: { ...world.env, NETSUITE_TOKEN_SECRET: 'a'.repeat(64), INVOICED_API_KEY: 'sandbox_wrong_key_123456' } });
    expect(text.code).toBe(EXIT_CODES.failure);
    expect(text.stdout).toMatch(/✗ NetSuite credentials\s+INVALID_LOGIN/);
    expect(text.stdout).toMatch(/✗ Invoiced credentials\s+INVOICED_AUTHENTICATION_FAILED/);
    expect(text.stdout).toMatch(/2 problems:/);
    expect(text.stdout).toContain('→');
  });
});

describe('import', () => {
  it('imports the customer list, printing the job and its run; a finished job is shown again by --job', async () => {
    const text = await run(['import', 'customers', '--store', `sqlite:${join(world.dir, 'imports.db')}`, '--json']);
    const document = jsonOf<{ exitCode: number; import: ImportResult; run: SyncRun }>(text);
    // The generated books have customers of the same name: those fail, the others are imported.
    expect(document.import).toMatchObject({ kind: 'customers', status: 'partial' });
    expect(document.run).toMatchObject({ trigger: 'import', status: 'partial', id: document.import.runId });
    expect(document.run.counts.customers_created).toBeGreaterThan(0);
    expect(text.code).toBe(EXIT_CODES.partial);
    expect(document.exitCode).toBe(EXIT_CODES.partial);

    const again = await run(['import', 'customers', '--job', document.import.jobId, '--store', `sqlite:${join(world.dir, 'imports.db')}`]);
    expect(again.code).toBe(EXIT_CODES.partial);
    expect(again.stdout).toContain(`Import of customers (job ${document.import.jobId})`);
    expect(again.stdout).toMatch(/import\s+PARTIAL/);
    // Progress lines on stderr (not a terminal): one every tenth of the way, ending at 100%.
    const fresh = await run(['import', 'invoices', '--store', 'memory']);
    expect(fresh.stderr).toMatch(/Importing open NetSuite invoices \(job invoices-/);
    expect(fresh.stderr).toMatch(/\d+\/\d+ invoices \(100%\)/);
    const lines = fresh.stderr.match(/\(\d+%\)/g) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(fresh.stderr).not.toContain('(0%)');
    expect([EXIT_CODES.success, EXIT_CODES.partial]).toContain(fresh.code);
  });

  it('stops when interrupted (exit 130) and prints the command that resumes the job', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    const text = await run(['import', 'invoices', '--store', 'memory'], { signal: controller.signal });
    expect(text.code).toBe(EXIT_CODES.interrupted);
    expect(text.stdout).toMatch(/Resume it with: netsuite-sync import invoices --job invoices-\S+/);
  });

  it('refuses to resume a job as the other kind of import (exit 64)', async () => {
    const first = jsonOf<{ import: ImportResult }>(await run(['import', 'customers', '--store', 'memory', '--json']));
    // A memory store forgets the job, so resume it in a SQLite store that has it.
    const dir = `sqlite:${join(world.dir, 'imports.db')}`;
    const customers = jsonOf<{ import: ImportResult }>(await run(['import', 'customers', '--store', dir, '--json']));
    const wrong = await run(['import', 'invoices', '--job', customers.import.jobId, '--store', dir]);
    expect(first.import.status).toBe('partial');
    expect(wrong.code).toBe(EXIT_CODES.usage);
    expect(wrong.stderr).toContain('cannot be resumed as another kind of import');
  });
});

describe('auto', () => {
  it('runs the auto-sync loop, one line per run, and stops after --max-runs with the worst exit code', async () => {
    const text = await run(['auto', '--every', '100ms', '--jitter', '0', '--max-runs', '2', '--store', 'memory']);
    const lines = text.stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\d /.test(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/PARTIAL\s+customers \d+ created/);
    expect(lines[0]).toMatch(/next run \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ; run \S+/);
    expect(text.stderr).toContain('Auto-sync of connection "default" every 100ms');
    expect(text.code).toBe(EXIT_CODES.partial);
  });

  it('writes one JSON object per run with --json', async () => {
    const text = await run(['auto', '--every', '100ms', '--jitter', '0', '--max-runs', '2', '--store', 'memory', '--json']);
    const events = text.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; run: SyncRun; nextRunAt: string });
    expect(events.map((event) => event.type)).toEqual(['run', 'run']);
    expect(events.map((event) => event.run.trigger)).toEqual(['auto', 'auto']);
    expect(Date.parse(events[1]?.nextRunAt ?? '')).toBeGreaterThan(Date.parse(events[1]?.run.startedAt ?? ''));
  });

  it('exits 1 when every run fails, and goes on after a failed run', async () => {
    const text = await run(['auto', '--every', '100ms', '--jitter', '0', '--max-runs', '2', '--store', 'memory'], { env: { ...world.env, INVOICED_API_KEY: 'sandbox_wrong_key_123456' } });
    expect(text.stdout.match(/^\S+ \S+\s+FAILED /gm)).toHaveLength(2);
    expect(text.code).toBe(EXIT_CODES.failure);
  });

  it('stops on interruption with exit 130', async () => {
    const controller = new AbortController();
    const pending = run(['auto', '--every', '1h', '--store', 'memory'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('SIGTERM')), 300);
    const text = await pending;
    expect(text.code).toBe(EXIT_CODES.interrupted);
    expect(text.stderr).toContain('first run');
  });

  it('refuses an --every that is not a duration (exit 64)', async () => {
    const text = await run(['auto', '--every', 'hourly', '--store', 'memory']);
    expect(text.code).toBe(EXIT_CODES.usage);
    expect(text.stderr).toContain('every');
  });
});

describe('secrets', () => {
  it('never printed any credential', () => {
    for (const { stdout, stderr } of runs) for (const secret of world.secrets) expect(stdout + stderr).not.toContain(secret);
  });
});
