/**
 * The store a bench child runs the engine over: memory, or SQLite in a new temporary file that `close()`
 * removes with its -wal and -shm. Run with `node --test bench/src/child-store.test.ts`.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { openChildStore } from '#bench/child-store';
import type { StoreName } from '#bench/protocol';

const clock = () => new Date('2026-01-01T00:00:00Z');
const link = { kind: 'invoice', invoicedId: '1', netsuiteId: '2', origin: 'netsuite', fingerprint: null } as const;

void describe('openChildStore', () => {
  void it('opens a memory store with nothing to remove', async () => {
    const opened = await openChildStore('memory', clock);
    assert.equal(opened.file, null);
    await opened.store.saveLink('bench', link);
    assert.equal((await opened.store.findLinkByNetSuiteId('bench', 'invoice', '2'))?.invoicedId, '1');
    await opened.close();
  });

  void it('opens a memory store when no store is named (a parent started before --store existed)', async () => {
    const opened = await openChildStore(undefined as unknown as StoreName, clock);
    assert.equal(opened.file, null);
    await opened.close();
  });

  void it('opens a sqlite store in a new temporary file, then closes it and removes its files', async () => {
    const opened = await openChildStore('sqlite', clock);
    assert.ok(opened.file !== null);
    await opened.store.saveLink('bench', link);
    assert.equal((await opened.store.findLinkByNetSuiteId('bench', 'invoice', '2'))?.invoicedId, '1');
    const files = await readdir(dirname(opened.file));
    assert.ok(files.some((name) => name.endsWith('-wal')), `a WAL beside the file: ${files.join(', ')}`);
    await opened.close();
    assert.equal(existsSync(dirname(opened.file)), false);
  });

  void it('gives each sqlite store a file of its own', async () => {
    const [a, b] = await Promise.all([openChildStore('sqlite', clock), openChildStore('sqlite', clock)]);
    assert.notEqual(a.file, b.file);
    await Promise.all([a.close(), b.close()]);
  });
});
