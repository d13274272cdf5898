/**
 * What runs, sync, auto and the dry run say about a run: its record errors counted by code before the
 * examples, a run that failed before any record, the placeholder IDs of a plan and what it cannot check;
 * and options that do not apply to a command are refused instead of ignored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PlannedChange, RecordError, SyncRun, SyncStore } from '@invoiced/netsuite-sync';
import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
import { postgresStore } from '@invoiced/netsuite-sync-store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../src/command';
import { FULL_ERRORS_LIMIT, withErrorCodes } from '../src/commands/runs';
import { errorCodesLine, formatNumber } from '../src/format';
import { EXIT_CODES } from '../src/index';
import { cli, jsonOf, startWorld, type World } from './support';

let world: World;
/** Settings without a default item: Invoiced invoices fail to go to NetSuite, so a run has several error codes. */
let noItem: string;

beforeAll(async () => {
  world = await startWorld(37);
  const { items: _items, ...settings } = JSON.parse(await readFile(world.settingsFile, 'utf8')) as Record<string, unknown>;
  noItem = join(world.dir, 'no-item.json');
  await writeFile(noItem, JSON.stringify(settings));
});
afterAll(() => world.close());

const run = (argv: readonly string[], env: Record<string, string> = world.env) => cli(argv, { env, cwd: world.dir });

/**
 * A memory store holding two runs (one with more record errors than the CLI reads whole), and the IDs of
 * the runs read with getRun. With `counts: false`, it answers as a store written before
 * `recordErrorCodes` did: without them.
 */
async function storeWithRuns(options: { counts: boolean }): Promise<{ store: SyncStore; reads: string[] }> {
  const base = memoryStore();
  await base.startRun('acme', { id: 'run-huge', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
  const huge = [recordError('A', 0), recordError('A', 1), ...Array.from({ length: FULL_ERRORS_LIMIT }, (_, index) => recordError('B', index + 2)), recordError('A', FULL_ERRORS_LIMIT + 2)];
  await base.addRecordErrors('acme', 'run-huge', huge);
  await base.startRun('acme', { id: 'run-small', trigger: 'auto', startedAt: '2026-11-24T09:00:00.000Z' });
  const small = [...Array.from({ length: 30 }, (_, index) => recordError('CUSTOMER_ALREADY_LINKED', index)), recordError('DEFAULT_ITEM_REQUIRED', 31), recordError('DEFAULT_ITEM_REQUIRED', 32)];
  await base.addRecordErrors('acme', 'run-small', small);
  const reads: string[] = [];
  const strip = (listed: SyncRun): SyncRun => {
    if (options.counts) return listed;
    const { recordErrorCodes: _codes, ...rest } = listed;
    return rest;
  };
  const store: SyncStore = {
    ...base,
    getRun: async (connectionId, runId) => {
      reads.push(runId);
      const found = await base.getRun(connectionId, runId);
      return found === null ? null : strip(found);
    },
    listRuns: async (connectionId, listOptions) => (await base.listRuns(connectionId, listOptions)).map(strip),
  };
  return { store, reads };
}

/** A record error of a code. */
const recordError = (code: string, index: number): RecordError => ({
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId: `${code}-${index}`,
  number: `INV-${index}`,
  code,
  message: `Invoice INV-${index} failed with ${code}.`,
  resolution: 'Fix it.',
  occurredAt: '2026-11-24T10:00:01.000Z',
});

describe('options that do not apply', () => {
  it('refuses `sync --limit` without --dry-run (exit 64) and writes nothing to either service', async () => {
    const invoices = world.sandbox.invoiced.state.count('invoices');
    const refused = await run(['sync', '--limit', '5', '--settings', world.settingsFile, '--store', 'memory']);
    expect(refused.code).toBe(EXIT_CODES.usage);
    expect(refused.stderr).toContain('--limit only applies with --dry-run');
    expect(refused.stdout).toBe('');
    expect(world.sandbox.invoiced.state.count('invoices')).toBe(invoices);
  });
});

// Before any sync: the services still hold only the generated books.
describe('dry run', () => {
  it('marks the records it would create with their placeholder IDs, and says what it cannot check', async () => {
    const text = await run(['sync', '--dry-run', '--limit', '1000', '--settings', world.settingsFile, '--store', 'memory']);
    expect(text.stdout).toMatch(/create\s+invoiced\s+invoice\s+\S+\s+new open invoice \(new invoiced invoice 9000000000000\d{3}, a placeholder ID\)/);
    expect(text.stdout).toMatch(/create\s+invoiced\s+customer\s+.*\(new invoiced customer 9000000000000\d{3}, a placeholder ID\)/);
    expect(text.stdout).toContain('A dry run cannot check what only the service finds when a record is written');
    expect(text.stdout).toContain('NetSuite refusing to delete an invoice with payments applied');

    const json = jsonOf<{ plan: { changes: PlannedChange[] }; notChecked: string[] }>(await run(['sync', '--dry-run', '--json', '--settings', world.settingsFile, '--store', 'memory']));
    const creates = json.plan.changes.filter((change) => change.action === 'create');
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((change) => change.placeholderId !== undefined)).toBe(true);
    expect(json.notChecked.length).toBeGreaterThan(0);
  });
});

describe('record errors counted by code', () => {
  it('sync prints the count of each code before the first example', async () => {
    const synced = await run(['sync', '--settings', noItem, '--store', 'memory']);
    expect(synced.code).toBe(EXIT_CODES.partial);
    const codes = /\n {4}(\d+) record errors: (.+)\n/.exec(synced.stdout);
    expect(codes?.[2]).toMatch(/^\d+ DEFAULT_ITEM_REQUIRED, \d+ \w+/);
    expect(synced.stdout.indexOf(codes?.[0] ?? '')).toBeLessThan(synced.stdout.indexOf('✗'));
  });

  it('runs counts every record error of a run by code, not only those it lists', async () => {
    const dir = join(world.dir, 'counted');
    const db = await PGlite.create(dir);
    const store = postgresStore({ pool: db });
    await store.startRun('acme', { id: 'run-many', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
    const errors = [...Array.from({ length: 30 }, (_, index) => recordError('CUSTOMER_ALREADY_LINKED', index)), recordError('DEFAULT_ITEM_REQUIRED', 31), recordError('DEFAULT_ITEM_REQUIRED', 32)];
    await store.addRecordErrors('acme', 'run-many', errors);
    await store.finishRun('acme', 'run-many', { status: 'partial', finishedAt: '2026-11-24T10:00:05.000Z', counts: { invoices_created: 4, records_failed: 32 }, error: null });
    await db.close();

    const listed = await run(['runs', '--errors', '2', '--connection', 'acme', '--store', `pglite:${dir}`]);
    expect(listed.stdout).toContain('    32 record errors: 30 CUSTOMER_ALREADY_LINKED, 2 DEFAULT_ITEM_REQUIRED\n    ✗ INV-0');
    const json = await run(['runs', '--errors', '2', '--connection', 'acme', '--store', `pglite:${dir}`, '--json']);
    expect(jsonOf<{ runs: unknown[] }>(json).runs[0]).toMatchObject({ recordErrorCodes: { CUSTOMER_ALREADY_LINKED: 30, DEFAULT_ITEM_REQUIRED: 2 }, recordErrorCodesComplete: true });
  });

  it('runs takes the counts of a run with more record errors than it would read whole from the store', async () => {
    const dir = join(world.dir, 'counted-many');
    const db = await PGlite.create(dir);
    const store = postgresStore({ pool: db });
    await store.startRun('acme', { id: 'run-huge', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    const many = Array.from({ length: FULL_ERRORS_LIMIT }, (_, index) => recordError('CUSTOMER_ALREADY_LINKED', index));
    await store.addRecordErrors('acme', 'run-huge', many);
    await store.addRecordErrors('acme', 'run-huge', [recordError('DEFAULT_ITEM_REQUIRED', FULL_ERRORS_LIMIT), recordError('DEFAULT_ITEM_REQUIRED', FULL_ERRORS_LIMIT + 1)]);
    await db.close();

    const listed = await run(['runs', '--errors', '1', '--connection', 'acme', '--store', `pglite:${dir}`]);
    expect(listed.stdout).toContain('    10,002 record errors: 10,000 CUSTOMER_ALREADY_LINKED, 2 DEFAULT_ITEM_REQUIRED\n    ✗ INV-0');
    const json = await run(['runs', '--errors', '1', '--connection', 'acme', '--store', `pglite:${dir}`, '--json']);
    expect(jsonOf<{ runs: unknown[] }>(json).runs[0]).toMatchObject({ recordErrorCount: 10_002, recordErrorCodes: { CUSTOMER_ALREADY_LINKED: 10_000, DEFAULT_ITEM_REQUIRED: 2 }, recordErrorCodesComplete: true });
  });

  it('uses the counts of a store that gives them, without reading any run again', async () => {
    const { store, reads } = await storeWithRuns({ counts: true });
    const runs = await store.listRuns('acme', { errorsPerRun: 2 });
    const counted = await withErrorCodes(store, 'acme', runs);
    expect(reads).toEqual([]);
    expect(counted).toEqual(runs);
    expect(counted.map((listed) => errorCodesLine(listed))).toEqual([
      `${formatNumber(FULL_ERRORS_LIMIT + 3)} record errors: ${formatNumber(FULL_ERRORS_LIMIT)} B, 3 A`,
      '32 record errors: 30 CUSTOMER_ALREADY_LINKED, 2 DEFAULT_ITEM_REQUIRED',
    ]);
    expect(counted.map((listed) => runJson(listed).recordErrorCodesComplete)).toEqual([true, true]);
  });

  it('reads whole the runs of a store without counts, up to a size, and else counts the first record errors and says so', async () => {
    const { store, reads } = await storeWithRuns({ counts: false });
    const runs = await store.listRuns('acme', { errorsPerRun: 2 });
    expect(runs.every((listed) => listed.recordErrorCodes === undefined)).toBe(true);
    const counted = await withErrorCodes(store, 'acme', runs);
    expect(reads).toEqual(['run-small']);
    expect(counted.map((listed) => errorCodesLine(listed))).toEqual([
      `${formatNumber(FULL_ERRORS_LIMIT + 3)} record errors; of the first 2: 2 A`,
      '32 record errors: 30 CUSTOMER_ALREADY_LINKED, 2 DEFAULT_ITEM_REQUIRED',
    ]);
    expect(counted.map((listed) => runJson(listed))).toMatchObject([
      { recordErrorCodes: { A: 2 }, recordErrorCodesComplete: false },
      { recordErrorCodes: { CUSTOMER_ALREADY_LINKED: 30, DEFAULT_ITEM_REQUIRED: 2 }, recordErrorCodesComplete: true },
    ]);
  });

  it('says the counts are of the first record errors when the run holds only those and has no counts by code', () => {
    const errors = [recordError('A', 1), recordError('B', 2), recordError('A', 3)];
    expect(errorCodesLine({ recordErrors: errors, recordErrorCount: 3 })).toBe('3 record errors: 2 A, 1 B');
    expect(errorCodesLine({ recordErrors: errors, recordErrorCount: 20_000 })).toBe('20,000 record errors; of the first 3: 2 A, 1 B');
    expect(errorCodesLine({ recordErrors: errors, recordErrorCount: 20_000, recordErrorCodes: { B: 1, A: 19_999 } })).toBe('20,000 record errors: 19,999 A, 1 B');
    expect(errorCodesLine({ recordErrors: [], recordErrorCount: 0 })).toBeUndefined();
    expect(errorCodesLine({ recordErrors: [], recordErrorCount: 0, recordErrorCodes: {} })).toBeUndefined();
  });
});

describe('a run that failed before any record', () => {
  it('says "failed before any record" with its error, never "nothing to do", in sync, auto and runs', async () => {
    const env = { ...world.env, NETSUITE_TOKEN_SECRET: 'f'.repeat(64) };
    const synced = await run(['sync', '--settings', world.settingsFile, '--store', 'memory'], env);
    expect(synced.code).toBe(EXIT_CODES.failure);
    expect(synced.stdout).toMatch(/\n {4}failed before any record\n {4}✗ INVALID_LOGIN {2}/);
    expect(synced.stdout).not.toContain('nothing to do');

    const auto = await run(['auto', '--every', '100ms', '--jitter', '0', '--max-runs', '1', '--settings', world.settingsFile, '--store', 'memory'], env);
    expect(auto.stdout).toMatch(/FAILED\s+failed before any record .*\n {4}✗ INVALID_LOGIN {2}/);

    const dir = join(world.dir, 'failed');
    const db = await PGlite.create(dir);
    const store = postgresStore({ pool: db });
    await store.startRun('acme', { id: 'run-failed', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    const error = { code: 'INVOICED_UNAVAILABLE', message: 'Invoiced did not answer the first request.', resolution: 'Try again later.' };
    await store.finishRun('acme', 'run-failed', { status: 'failed', finishedAt: '2026-11-24T10:00:01.000Z', counts: {}, error });
    await db.close();
    const listed = await run(['runs', '--connection', 'acme', '--store', `pglite:${dir}`]);
    expect(listed.stdout).toContain('    failed before any record\n    ✗ INVOICED_UNAVAILABLE  Invoiced did not answer the first request.');
  });
});
