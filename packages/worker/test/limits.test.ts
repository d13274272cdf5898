import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseSlots, takeSlots } from '../src/limits';
import { fleetHarness } from './support';

const harness = fleetHarness('limits');
const defaults = { perNetSuiteAccount: 1, perInvoicedKey: 2 };

/** Takes slots for new holders until one is refused; resolves the holders that got one. */
async function fill(keys: { netsuiteAccount: string; invoicedKeyId: string }, sizes = defaults, ttlMs?: number): Promise<string[]> {
  const holders: string[] = [];
  for (;;) {
    const holder = randomUUID();
    const taken = await harness.core.db.transaction((tx) => takeSlots(tx, harness.core.sql, holder, keys, sizes, ttlMs));
    if (!taken) return holders;
    holders.push(holder);
    if (holders.length > 50) throw new Error('no limit');
  }
}

describe('fleet-wide limits', () => {
  it("hold a NetSuite account to the worker's size, and give a slot back when its holder ends", async () => {
    const holders = await fill({ netsuiteAccount: 'acct-1', invoicedKeyId: 'key-1' });
    expect(holders).toHaveLength(1);
    await releaseSlots(harness.core.db, harness.core.sql, holders[0] ?? '');
    expect(await fill({ netsuiteAccount: 'acct-1', invoicedKeyId: 'key-1b' })).toHaveLength(1);
  });

  it('take both slots or neither: a full Invoiced key leaves the account slot free', async () => {
    expect(await fill({ netsuiteAccount: 'acct-2', invoicedKeyId: 'key-2' }, { perNetSuiteAccount: 5, perInvoicedKey: 2 })).toHaveLength(2);
    // key-2 is full: acct-3's slot must not stay taken by the refused attempt.
    expect(await fill({ netsuiteAccount: 'acct-3', invoicedKeyId: 'key-2' })).toHaveLength(0);
    expect(await fill({ netsuiteAccount: 'acct-3', invoicedKeyId: 'key-3' })).toHaveLength(1);
  });

  it('free the slot of a holder that stopped renewing it once its time is out', async () => {
    expect(await fill({ netsuiteAccount: 'acct-4', invoicedKeyId: 'key-4' }, defaults, 200)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await fill({ netsuiteAccount: 'acct-4', invoicedKeyId: 'key-4b' })).toHaveLength(1);
  });

  it("use a limit set in the registry for an account over its scope's default, and that default over the worker's size", async () => {
    expect(await harness.fleet.setLimit({ scope: 'netsuite_account', runs: 2 })).toEqual({ scope: 'netsuite_account', key: null, runs: 2 });
    await harness.fleet.setLimit({ scope: 'netsuite_account', key: 'acct-plus', runs: 4 });
    await harness.fleet.setLimit({ scope: 'invoiced_key', runs: 10 });
    expect(await fill({ netsuiteAccount: 'acct-plus', invoicedKeyId: 'key-5' })).toHaveLength(4);
    expect(await fill({ netsuiteAccount: 'acct-standard', invoicedKeyId: 'key-6' })).toHaveLength(2);
    expect(await harness.fleet.listLimits()).toEqual([
      { scope: 'invoiced_key', key: null, runs: 10 },
      { scope: 'netsuite_account', key: null, runs: 2 },
      { scope: 'netsuite_account', key: 'acct-plus', runs: 4 },
    ]);
    expect(await harness.fleet.setLimit({ scope: 'netsuite_account', key: null, runs: null })).toBeNull();
    expect(await fill({ netsuiteAccount: 'acct-other', invoicedKeyId: 'key-7' })).toHaveLength(1);
    await harness.fleet.setLimit({ scope: 'netsuite_account', key: 'acct-plus', runs: null });
    await harness.fleet.setLimit({ scope: 'invoiced_key', runs: null });
    expect(await harness.fleet.listLimits()).toEqual([]);
  });

  it('refuse a limit out of range or of an unknown scope, with a typed error', async () => {
    await expect(harness.fleet.setLimit({ scope: 'netsuite_account', key: 'acct', runs: 0 })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
    await expect(harness.fleet.setLimit({ scope: 'netsuite_account', runs: 101 })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
    await expect(harness.fleet.setLimit({ scope: 'subsidiary' as never, runs: 1 })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
    await expect(harness.fleet.setLimit({ scope: 'invoiced_key', key: '', runs: 1 })).rejects.toMatchObject({ code: 'INVALID_FLEET_INPUT' });
  });
});
