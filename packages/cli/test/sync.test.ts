import { join } from 'node:path';
import type { PlannedChange, RecordError, RetryItem, SyncRun } from '@invoiced/netsuite-sync';
import { sqliteStore } from '@invoiced/netsuite-sync-store-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { cli, Collector, jsonOf, startWorld, type CliRun, type World } from './support';

let world: World;
let store: string;
/** Every run of this file, to check at the end that no secret was ever printed. */
const runs: CliRun[] = [];

beforeAll(async () => {
  world = await startWorld(11);
  store = `sqlite:${join(world.dir, 'state.db')}`;
});
afterAll(() => world.close());

/** Runs the CLI against the world, with its settings and SQLite store unless `argv` says otherwise. */
async function run(argv: readonly string[], options: { env?: Record<string, string>; signal?: AbortSignal; stderr?: Collector; withStore?: boolean } = {}) {
  const result = await cli([...argv, '--settings', world.settingsFile, ...(options.withStore === false ? [] : ['--store', store])], {
    env: options.env ?? world.env,
    cwd: world.dir,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.stderr === undefined ? {} : { stderr: options.stderr }),
  });
  runs.push(result);
  return result;
}

type RunDocument = { ok: boolean; exitCode: number; run: Omit<SyncRun, 'recordErrors'> & { recordErrors: (RecordError & { retryKey: string })[] } };

describe('sync, runs, retry and ignore on a SQLite store that persists between commands', () => {
  let firstRun: RunDocument['run'];

  it('plans a sync with --dry-run, changing nothing on either side or in the store', async () => {
    const invoicesBefore = world.sandbox.invoiced.state.count('invoices');
    const netsuiteBefore = world.sandbox.netsuite.state.count('invoice');
    const text = await run(['sync', '--dry-run', '--limit', '3']);
    expect(text.stdout).toContain('Dry run of connection "default": nothing was changed.');
    expect(text.stdout).toMatch(/A sync now would do: customers \d+ created.*invoices \d+ created/);
    expect(text.stdout).toMatch(/more changes \(--limit <n>, or --json for all\)/);
    const json = await run(['sync', '--dry-run', '--json']);
    const { plan, exitCode } = jsonOf<{ exitCode: number; plan: { dryRun: true; changes: PlannedChange[]; recordErrors: unknown[] } }>(json);
    expect(plan.dryRun).toBe(true);
    expect(plan.changes.some((change) => change.action === 'create' && change.side === 'invoiced' && change.entity === 'invoice')).toBe(true);
    // Some generated records would fail (customers with the same name): exit 2, as for a partial run.
    expect(plan.recordErrors.length).toBeGreaterThan(0);
    expect([json.code, text.code, exitCode]).toEqual([EXIT_CODES.partial, EXIT_CODES.partial, EXIT_CODES.partial]);
    expect(world.sandbox.invoiced.state.count('invoices')).toBe(invoicesBefore);
    expect(world.sandbox.netsuite.state.count('invoice')).toBe(netsuiteBefore);
    const none = await run(['runs']);
    expect(none.stdout).toContain('No syncs yet for connection "default"');
  });

  it('syncs, ending partial with exit 2, and prints each failed record with what to do and its retry key', async () => {
    const text = await run(['sync', '--json']);
    expect(text.code).toBe(EXIT_CODES.partial);
    const document = jsonOf<RunDocument>(text);
    expect(document).toMatchObject({ ok: false, exitCode: 2, run: { status: 'partial', trigger: 'manual' } });
    firstRun = document.run;
    expect(firstRun.counts.invoices_created).toBeGreaterThan(0);
    expect(firstRun.recordErrors[0]?.retryKey).toMatch(/^(netsuite_to_invoiced|invoiced_to_netsuite):(customer|invoice|payment):\S+$/);
    // Progress goes to stderr, one line per phase when stderr is not a terminal; nothing with --json.
    expect(text.stderr).toBe('');
    expect(world.sandbox.invoiced.state.count('invoices')).toBeGreaterThan(8);
  });

  it('prints Recent Syncs with the run, its counts, its record errors, their resolutions and retry keys', async () => {
    const text = await run(['runs', '--errors', '2']);
    expect(text.code).toBe(EXIT_CODES.success);
    const error = firstRun.recordErrors[0];
    expect(text.stdout).toContain('Recent Syncs of connection "default"');
    expect(text.stdout).toMatch(/STARTED\s+TRIGGER\s+STATUS\s+TOOK\s+RUN/);
    expect(text.stdout).toMatch(new RegExp(`manual\\s+PARTIAL\\s+\\S+\\s+${firstRun.id}`));
    expect(text.stdout).toMatch(/invoices \d+ created/);
    expect(text.stdout).toContain(`${error?.code}  ${error?.message}`);
    expect(text.stdout).toContain(`→ ${error?.resolution}`);
    expect(text.stdout).toContain(`retry key: ${error?.retryKey}`);
    if (firstRun.recordErrorCount > 2) expect(text.stdout).toContain(`… ${firstRun.recordErrorCount - 2} more record error`);

    const one = await run(['runs', firstRun.id, '--json']);
    const [shown] = jsonOf<{ runs: SyncRun[] }>(one).runs;
    expect(shown?.recordErrors).toHaveLength(firstRun.recordErrorCount);
    const missing = await run(['runs', 'no-such-run']);
    expect(missing.code).toBe(EXIT_CODES.usage);
    expect(missing.stderr).toContain('has no run no-such-run');
  });

  it('lists the retry queue, ignores records (then a sync succeeds with exit 0), and puts one back with retry --now', async () => {
    const queue = await run(['retry', '--json']);
    const items = jsonOf<{ retryQueue: RetryItem[] }>(queue).retryQueue;
    expect(items.length).toBe(firstRun.recordErrorCount);
    expect(items.every((item) => item.status === 'pending')).toBe(true);
    const listed = await run(['retry']);
    expect(listed.stdout).toContain(`${items.length} pending, 0 ignored`);
    expect(listed.stdout).toContain(items[0]?.key);

    const ignored = await run(['ignore', ...items.map((item) => item.key)]);
    expect(ignored.code).toBe(EXIT_CODES.success);
    expect(ignored.stdout).toContain(`${items.length} record${items.length === 1 ? '' : 's'} ignored until changed`);

    const clean = await run(['sync']);
    expect(clean.stdout).toContain('SUCCEEDED');
    expect(clean.code).toBe(EXIT_CODES.success);

    const key = items[0]?.key ?? '';
    const unknown = await run(['retry', key, 'netsuite_to_invoiced:invoice:nope']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toContain('no failed record with key "netsuite_to_invoiced:invoice:nope"; nothing was changed');
    const stillIgnored = jsonOf<{ retryQueue: RetryItem[] }>(await run(['retry', '--json'])).retryQueue;
    expect(stillIgnored.every((item) => item.status === 'ignored')).toBe(true);

    const retried = await run(['retry', key, '--now', '--json']);
    const document = jsonOf<RunDocument>(retried);
    expect(document.run.trigger).toBe('retry');
    expect(document.run.recordErrors.map((error) => error.retryKey)).toEqual([key]);
    expect(retried.code).toBe(EXIT_CODES.partial);

    const all = await run(['retry', '--all']);
    expect(all.stdout).toContain(`${items.length - 1} records back in line for the next run`);
  });

  it('says another process is syncing (exit 1) when the connection lease is held', async () => {
    const other = sqliteStore({ path: join(world.dir, 'state.db') });
    try {
      await other.acquireLease('held', 'another-worker', 600_000);
    } finally {
      await other.close();
    }
    const held = await run(['sync', '--connection', 'held']);
    expect(held.code).toBe(EXIT_CODES.failure);
    expect(held.stderr).toContain('A sync of connection "held" is already running.');
    expect(held.stderr).toContain('→ Wait for it to finish');
  });
});

describe('exit codes of failed and interrupted syncs', () => {
  it('exits 1 when the run fails, with the reason and what to do', async () => {
    const failed = await run(['sync'], { env: { ...world.env, NETSUITE_TOKEN_SECRET: 'f'.repeat(64) }, withStore: false });
    expect(failed.code).toBe(EXIT_CODES.failure);
    expect(failed.stdout).toContain('FAILED');
    expect(failed.stdout).toMatch(/✗ INVALID_LOGIN/);
    expect(failed.stdout).toContain('→');
  });

  it('exits 130 when interrupted before the run starts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('Ctrl-C'));
    const interrupted = await run(['sync', '--store', 'memory', '--json'], { signal: controller.signal, withStore: false });
    expect(interrupted.code).toBe(EXIT_CODES.interrupted);
    expect(jsonOf<RunDocument>(interrupted).run.status).toBe('cancelled');
  });

  it('exits 130 when interrupted mid-run: the run stops at its next safe point as cancelled', async () => {
    const controller = new AbortController();
    // Interrupts as soon as the first phase reports that it finished.
    const stderr = new Collector(false, 100, (chunk) => {
      if (chunk.includes('NetSuite invoices → Invoiced:')) controller.abort(new Error('Ctrl-C'));
    });
    const interrupted = await run(['sync', '--store', 'memory'], { signal: controller.signal, stderr, withStore: false });
    expect(interrupted.code).toBe(EXIT_CODES.interrupted);
    expect(interrupted.stdout).toContain('CANCELLED');
    expect(interrupted.stdout).toMatch(/to finish, run again: netsuite-sync sync --store memory --settings \S+\n/);
    expect(interrupted.stderr).toContain('NetSuite invoices → Invoiced:');
    expect(interrupted.stderr).not.toContain('NetSuite payments → Invoiced:');
  });
});

describe('secrets', () => {
  it('never printed any credential, in text, JSON or errors', () => {
    expect(runs.length).toBeGreaterThan(15);
    for (const { stdout, stderr } of runs) {
      for (const secret of world.secrets) {
        expect(stdout).not.toContain(secret);
        expect(stderr).not.toContain(secret);
      }
    }
  });
});
