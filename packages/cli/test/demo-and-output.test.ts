import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SyncRun } from '@invoiced/netsuite-sync';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { formatDuration, formatTime, summarizeCounts } from '../src/format';
import { cli, Collector, jsonOf, startWorld, tempDir, type World } from './support';

/** Small books for the demo: the same steps as the default ones, in a few seconds. */
const SMALL_DEMO = ['--customers', '30', '--invoices', '150', '--payments', '60'];

describe('demo', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('syncs, changes both sides, syncs again, imports, and ends with a populated Recent Syncs table and exit 0', async () => {
    const run = await cli(['demo', ...SMALL_DEMO], { cwd: dir.path });
    expect(run.code).toBe(EXIT_CODES.success);
    for (const step of ['1/6 Generating books', '2/6 First sync', '3/6 Changing records', '4/6 Incremental sync', '5/6 Import job', '6/6 Recent Syncs']) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toContain('NetSuite: 30 customers, 150 invoices, 60 payments');
    expect(run.stdout.match(/✓ /g)).toHaveLength(4);
    const moved = /edited \(memo, due date moved to (\d{4}-\d\d-\d\d)\)/.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(new RegExp(`✓ NetSuite invoice \\S+ edited: updated on Invoiced: invoice #\\d+ is due ${moved}`));
    expect(run.stdout).toMatch(/✓ Invoiced payment of DEMO-1001 received: .*invoice paid: yes/);
    const table = run.stdout.slice(run.stdout.indexOf('6/6 Recent Syncs'));
    expect(table).toMatch(/import\s+PARTIAL/);
    expect(table.match(/manual\s+(PARTIAL|SUCCEEDED)/g)).toHaveLength(2);
    expect(table).toContain('→ ');
    expect(run.stdout).toMatch(/Done in \S+\./);
  });

  it('writes one JSON document with the runs, the changes and Recent Syncs with --json', async () => {
    const run = await cli(['demo', ...SMALL_DEMO, '--json', '--seed', '3'], { cwd: dir.path });
    const document = jsonOf<{ ok: boolean; runs: SyncRun[]; changes: { synced: boolean }[]; recentSyncs: SyncRun[] }>(run);
    expect(run.code).toBe(0);
    expect(document.ok).toBe(true);
    expect(document.runs.map((entry) => entry.trigger)).toEqual(['manual', 'manual', 'import']);
    expect(document.changes.map((change) => change.synced)).toEqual([true, true, true, true]);
    expect(document.recentSyncs).toHaveLength(3);
    expect(run.stderr).toBe('');
  });
});

describe('demo, refused', () => {
  it('refuses a store where the connection already has runs (exit 64): their links would name other books', async () => {
    const dir = await tempDir();
    try {
      const db = await PGlite.create(join(dir.path, 'state'));
      try {
        await postgresStore({ pool: db }).startRun('default', { id: 'earlier', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
      } finally {
        await db.close();
      }
      const run = await cli(['demo', ...SMALL_DEMO, '--store', 'pglite:state'], { cwd: dir.path });
      expect(run.code).toBe(EXIT_CODES.usage);
      expect(run.stderr).toContain('already has runs in the PGlite store in');
      expect(run.stderr).toContain('→ Run the demo with another --connection');
    } finally {
      await dir.remove();
    }
  });
});

describe('demo, interrupted', () => {
  it('stops after the run in progress, still prints Recent Syncs, and exits 130', async () => {
    const dir = await tempDir();
    try {
      const controller = new AbortController();
      controller.abort(new Error('Ctrl-C'));
      const run = await cli(['demo', ...SMALL_DEMO], { cwd: dir.path, signal: controller.signal });
      expect(run.code).toBe(EXIT_CODES.interrupted);
      expect(run.stdout).toContain('CANCELLED');
      expect(run.stdout).toMatch(/6\/6 Recent Syncs[\s\S]*manual\s+CANCELLED/);
      expect(run.stdout).not.toContain('3/6 Changing records');
    } finally {
      await dir.remove();
    }
  });
});

describe('output on a terminal', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld(31);
  });
  afterAll(() => world.close());

  it('draws a progress bar on stderr and colours on stdout, and none of it with NO_COLOR or --no-progress', async () => {
    const stdout = new Collector(true);
    const stderr = new Collector(true, 120);
    const coloured = await cli(['sync', '--store', 'memory', '--settings', world.settingsFile], { env: world.env, cwd: world.dir, stdout, stderr });
    expect(coloured.code).toBe(EXIT_CODES.partial);
    expect(coloured.stderr).toContain('\r\u001b[2K[');
    expect(coloured.stderr).toMatch(/\[░{16}\] 0\/9 NetSuite invoices → Invoiced · [\d,]+ records/);
    // Phases that do not depend on each other run at the same time: the bar names those running, and
    // fills as they finish.
    expect(coloured.stderr).toMatch(/\[░{16}\] 0\/9 NetSuite invoices → Invoiced, NetSuite payments → Invoiced, NetSuite deletions · [\d,]+ records/);
    // (a line naming several phases may be cut to the terminal's width before its counts)
    expect(coloured.stderr).toMatch(/\[█+░+\] [1-8]\/9 [^·\r]*NetSuite payments → Invoiced/);
    expect(coloured.stderr).toMatch(/\[█{16}\] 9\/9 phases done · [\d,]+ records · \d+ failed/);
    // The bar is cleared before the result is printed.
    expect(coloured.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(coloured.stdout).toContain('\u001b[33mPARTIAL\u001b[39m');

    const plain = await cli(['sync', '--store', 'memory', '--settings', world.settingsFile, '--no-progress'], {
      env: { ...world.env, NO_COLOR: '1' },
      cwd: world.dir,
      stdout: new Collector(true),
      stderr: new Collector(true),
    });
    expect(plain.stdout).toContain('PARTIAL');
    expect(plain.stdout + plain.stderr).not.toContain('\u001b[');
    expect(plain.stderr).toBe('');
  });

  it('masks every secret of the environment, even where a message would repeat one', async () => {
    // An account ID is not a secret, so the client's error may quote it: here it is the token secret.
    const env = { ...world.env, NETSUITE_ACCOUNT_ID: world.env.NETSUITE_TOKEN_SECRET ?? '' };
    const run = await cli(['check', '--json', '--verbose'], { env, cwd: world.dir });
    expect(run.code).not.toBe(EXIT_CODES.success);
    for (const secret of world.secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

describe('formats', () => {
  it('summarizes counters by entity, leaving out read counters', () => {
    expect(
      summarizeCounts({ invoices_created: 1474, invoices_skipped: 12, customers_linked: 3, customers_created: 2, records_failed: 5, netsuite_invoices_read: 9000, payments_read: 4 }),
    ).toBe('customers 2 created, 3 linked · invoices 1,474 created, 12 skipped · 5 failed');
    expect(summarizeCounts({ netsuite_deletions_read: 0 })).toBe('nothing to do');
    expect(summarizeCounts({ widgets_frobbed: 2 })).toBe('widgets frobbed 2');
  });

  it('formats durations and times the same on every machine', () => {
    expect([formatDuration(850), formatDuration(12_400), formatDuration(185_000), formatDuration(7_260_000)]).toEqual(['850ms', '12.4s', '3m 05s', '2h 01m']);
    expect(formatTime('2026-11-24T10:00:00.000Z')).toBe('2026-11-24 10:00:00Z');
  });
});
