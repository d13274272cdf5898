import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigurationError } from '@invoiced/netsuite-sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, SqliteSchemaError, SqliteStoreError, SqliteUnavailableError, sqliteStore } from '../src/index';
import type { SqliteStore } from '../src/index';
import { loadSqlite } from '../src/sqlite-module';
import type { SqliteHost } from '../src/sqlite-module';

let directory = '';
const stores: SqliteStore[] = [];
const open = (name = 'state.db', options: { busyTimeoutMs?: number } = {}): SqliteStore => {
  const store = sqliteStore({ path: join(directory, name), ...options });
  stores.push(store);
  return store;
};

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'netsuite-sync-sqlite-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('sqliteStore on a file', () => {
  it('keeps its state for the next process: links, runs and cursors survive closing the file', async () => {
    const first = open();
    await first.saveLink('acme', { kind: 'invoice', invoicedId: '1', netsuiteId: '100', origin: 'netsuite', fingerprint: 'fp' });
    await first.startRun('acme', { id: 'run-1', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
    await first.setCursor('acme', 'netsuite_invoices', '2026-11-24T10:00:00.000Z');
    await first.close();
    const second = open();
    expect(await second.findLinkByNetSuiteId('acme', 'invoice', '100')).toMatchObject({ invoicedId: '1', fingerprint: 'fp' });
    expect((await second.listRuns('acme')).map((run) => run.id)).toEqual(['run-1']);
    expect(await second.getCursor('acme', 'netsuite_invoices')).toBe('2026-11-24T10:00:00.000Z');
  });

  it('records each migration once in the migrations table and turns on WAL mode', async () => {
    await open().ready();
    await open().ready();
    const db = new DatabaseSync(join(directory, 'state.db'));
    try {
      expect(db.prepare('SELECT version FROM migrations ORDER BY version').all().map((row) => row['version'])).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      db.close();
    }
  });

  it('upgrades a file of version 1 to the event inbox, keeping its rows', async () => {
    const first = open();
    await first.startRun('acme', { id: 'run-1', trigger: 'manual', startedAt: '2026-11-24T10:00:00.000Z' });
    await first.close();
    // What the first release left: version 1 only.
    const db = new DatabaseSync(join(directory, 'state.db'));
    try {
      db.exec('DROP TABLE inbox_events');
      db.exec('DELETE FROM migrations WHERE version > 1');
    } finally {
      db.close();
    }
    const upgraded = open();
    expect((await upgraded.getRun('acme', 'run-1'))?.trigger).toBe('manual');
    const event = { id: '1001', type: 'payment.created', entity: 'payment', sourceId: '77', occurredAt: '2026-11-24T09:59:59.000Z', receivedAt: '2026-11-24T10:00:00.000Z' } as const;
    expect(await upgraded.addEvent('acme', event)).toBe(true);
    expect(await upgraded.listPendingEvents('acme')).toEqual([{ ...event, status: 'pending' }]);
    await upgraded.startRun('acme', { id: 'run-2', trigger: 'webhook', startedAt: '2026-11-24T10:00:01.000Z' });
    expect((await upgraded.listRuns('acme')).map((run) => run.trigger)).toEqual(['webhook', 'manual']);
  });

  it('refuses a file a newer version of the package migrated further', async () => {
    await open().ready();
    const db = new DatabaseSync(join(directory, 'state.db'));
    db.prepare('INSERT INTO migrations (version, description, applied_at) VALUES (?, ?, ?)').run(LATEST_VERSION + 1, 'from the future', '2027-01-01T00:00:00.000Z');
    db.close();
    const error: unknown = await open().ready().catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(SqliteSchemaError);
    expect(error).toMatchObject({ code: 'SQLITE_STORE_TOO_NEW', expectedVersion: LATEST_VERSION, foundVersion: LATEST_VERSION + 1 });
  });

  it('stores well-formed text as TEXT, and text with an unpaired surrogate as a BLOB that reads back exactly', async () => {
    const store = open();
    await store.setCursor('acme', 'plain', 'Zoë \0 😀');
    await store.setCursor('acme', 'lone', 'a\uD800b');
    const db = new DatabaseSync(join(directory, 'state.db'));
    try {
      const rows = db.prepare("SELECT phase, typeof(value) AS type FROM cursors WHERE connection_id = 'acme' ORDER BY phase").all();
      expect(rows).toEqual([
        { phase: 'lone', type: 'blob' },
        { phase: 'plain', type: 'text' },
      ]);
    } finally {
      db.close();
    }
    expect(await store.getCursor('acme', 'lone')).toBe('a\uD800b');
    expect(await store.getCursor('acme', 'plain')).toBe('Zoë \0 😀');
  });

  it("keeps every commit with synchronous: 'full'", async () => {
    const store = sqliteStore({ path: join(directory, 'full.db'), synchronous: 'full' });
    stores.push(store);
    await store.setCursor('acme', 'phase', 'value');
    await store.close();
    expect(await open('full.db').getCursor('acme', 'phase')).toBe('value');
  });

  it('gives a lease to one of two stores (two connections to one file) racing for it', async () => {
    const [a, b] = [open(), open()];
    await a.ready();
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? a : b).acquireLease('acme', `worker-${index}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('fails with SQLITE_STORE_BUSY when another connection holds the write lock past the busy timeout', async () => {
    const store = open('state.db', { busyTimeoutMs: 50 });
    await store.ready();
    const other = new DatabaseSync(join(directory, 'state.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const error: unknown = await store.acquireLease('acme', 'worker', 60_000).catch((cause: unknown) => cause);
      expect(error).toBeInstanceOf(SqliteStoreError);
      expect(error).toMatchObject({ code: 'SQLITE_STORE_BUSY', operation: 'acquireLease', sqliteCode: 5 });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.acquireLease('acme', 'worker', 60_000)).toBe(true);
  });

  it('rejects calls after close() with SQLITE_STORE_CLOSED', async () => {
    const store = open();
    await store.close();
    await store.close();
    await expect(store.getCursor('acme', 'x')).rejects.toMatchObject({ code: 'SQLITE_STORE_CLOSED' });
  });

  it('wraps a file it cannot open in SqliteStoreError', async () => {
    const store = open(join('missing-directory', 'state.db'));
    const error: unknown = await store.ready().catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(SqliteStoreError);
    expect(error).toMatchObject({ code: 'SQLITE_STORE_FAILED', operation: 'open' });
  });

  it('validates its options and arguments without echoing values', async () => {
    expect(() => sqliteStore({ path: '' })).toThrow(ConfigurationError);
    expect(() => sqliteStore({ path: 'x.db', busyTimeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => sqliteStore({ path: 'x.db', synchronous: 'off' as 'full' })).toThrow(ConfigurationError);
    const store = open();
    const error: unknown = await store.startRun('acme', { id: 'run-1', trigger: 'manual', startedAt: 'yesterday secret' }).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(String((error as Error).message)).not.toContain('secret');
  });

  it('validates the arguments of the inbox methods before any statement runs', async () => {
    const store = open();
    const event = { id: '1001', type: 'payment.created', entity: 'payment', sourceId: '77', occurredAt: '2026-11-24T09:59:59.000Z', receivedAt: '2026-11-24T10:00:00.000Z' } as const;
    await expect(store.addEvent('acme', { ...event, entity: 'order' as 'payment' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', issues: [{ path: 'event.entity' }] });
    await expect(store.addEvent('acme', { ...event, receivedAt: 'now' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.listPendingEvents('acme', { limit: 1.5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', issues: [{ path: 'options.limit' }] });
    await expect(store.completeEvents('acme', [''])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', issues: [{ path: 'ids.0' }] });
    await expect(store.pruneEvents('acme', '2026-11-24')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("pruneEvents (before: ") as unknown });
    expect(await store.listPendingEvents('acme')).toEqual([]);
  });
});

describe('loading node:sqlite', () => {
  const host = (getBuiltinModule: SqliteHost['getBuiltinModule'], warnings: unknown[][] = []): SqliteHost => ({
    version: 'v22.12.0',
    getBuiltinModule,
    emitWarning: (...args: unknown[]) => {
      warnings.push(args);
    },
  });

  it('throws SqliteUnavailableError naming the Node.js version needed when the module is missing', () => {
    for (const missing of [host(() => undefined), host(undefined)]) {
      const error: unknown = (() => {
        try {
          loadSqlite(missing);
          return undefined;
        } catch (cause) {
          return cause;
        }
      })();
      expect(error).toBeInstanceOf(SqliteUnavailableError);
      expect(error).toMatchObject({ code: 'SQLITE_UNAVAILABLE', nodeVersion: '22.12.0' });
      expect((error as SqliteUnavailableError).resolution).toContain('Node.js 22.13 or later');
      expect((error as Error).message).not.toContain('No such built-in module');
    }
  });

  it("drops only SQLite's ExperimentalWarning while the module loads, and restores emitWarning", () => {
    const warnings: unknown[][] = [];
    const loading = host(undefined, warnings);
    const original = loading.emitWarning;
    loading.getBuiltinModule = () => {
      loading.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning');
      loading.emitWarning('SQLite is an experimental feature and might change at any time', { type: 'ExperimentalWarning' });
      loading.emitWarning('Something else is an experimental feature', 'ExperimentalWarning');
      loading.emitWarning('SQLite is an experimental feature', 'DeprecationWarning');
      return { DatabaseSync };
    };
    expect(loadSqlite(loading).DatabaseSync).toBe(DatabaseSync);
    expect(warnings).toEqual([
      ['Something else is an experimental feature', 'ExperimentalWarning'],
      ['SQLite is an experimental feature', 'DeprecationWarning'],
    ]);
    expect(loading.emitWarning).toBe(original);
  });
});
