/**
 * `netsuite-sync check` and the sync settings: settings a sync would fail for (none at all, an item the
 * account does not have, a currency mapped to another) exit with the configuration exit code (64) and
 * never claim that everything is in place; right settings exit 0.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionCheckResult } from '@invoiced/netsuite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../src/index';
import { cli, jsonOf, startWorld, type World } from './support';

let world: World;
beforeAll(async () => {
  world = await startWorld(29, { customers: 4, invoices: 6, payments: 0, creditMemos: 0, invoiced: { customers: 2, invoices: 3, payments: 0 } });
});
afterAll(() => world.close());

async function check(settings: unknown, json = false) {
  const file = join(world.dir, `settings-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(settings));
  return cli(['check', '--settings', file, ...(json ? ['--json'] : [])], { env: world.env, cwd: world.dir });
}

const item = (kind: string) => world.books.netsuite.items.find((entry) => entry.kind === kind)?.id;
const good = () => ({
  items: { defaultItem: item('service'), taxItem: item('tax'), discountItem: item('discount') },
  subsidiary: world.books.netsuite.subsidiaries[0]?.id,
});

describe('check: the settings proved against the account', () => {
  it('exits 0 and says everything is in place only when the settings were proved', async () => {
    const run = await check(good());
    expect(run.code).toBe(EXIT_CODES.success);
    expect(run.stdout).toContain('Everything a sync needs is in place. The settings were proved against the account');
    const json = jsonOf<ConnectionCheckResult & { exitCode: number }>(await check(good(), true));
    expect(json).toMatchObject({ ok: true, exitCode: 0, settings: 'proved' });
  });

  it('exits 64 with no settings at all: a sync would fail its invoices for want of a default item', async () => {
    const run = await check({});
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stdout).toMatch(/✗ NetSuite items\s+DEFAULT_ITEM_REQUIRED/);
    expect(run.stdout).not.toContain('Everything a sync needs is in place');
  });

  it('exits 64 for an item the account does not have and a currency mapped to another', async () => {
    const usd = world.sandbox.netsuite.state.query("SELECT id FROM currency WHERE symbol = 'USD'")[0]?.id;
    const json = jsonOf<ConnectionCheckResult & { exitCode: number }>(await check({ ...good(), items: { ...good().items, defaultItem: '99999' }, currencies: { EUR: usd } }, true));
    expect(json.exitCode).toBe(EXIT_CODES.usage);
    expect(json.settings).toBe('refuted');
    expect(json.problems.map((problem) => problem.code).toSorted()).toEqual(['CURRENCY_MAP_MISMATCH', 'ITEM_NOT_FOUND']);
  });

  it('exits 1, not 64, when the settings could not be proved because NetSuite refused the credentials', async () => {
    const file = join(world.dir, 'good.json');
    await writeFile(file, JSON.stringify(good()));
    const run = await cli(['check', '--settings', file], { env: { ...world.env, NETSUITE_TOKEN_SECRET: 'b'.repeat(64) }, cwd: world.dir });
    expect(run.code).toBe(EXIT_CODES.failure);
    expect(run.stdout).not.toContain('Everything a sync needs is in place');
  });
});
