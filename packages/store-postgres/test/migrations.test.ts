import { ConfigurationError, isErrorOfClass } from '@invoiced/netsuite-sync';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, migrationLockKey, postgresStore, PostgresSchemaError, PostgresStoreError } from '../src/index';
import { MIGRATIONS } from '../src/schema';
import { openBackend, randomSchema, recordingConnection, rejectionOf, sleep } from './support';

const backend = await openBackend();
const schemas: string[] = [];
/** A fresh schema name, dropped after the file. */
const newSchema = (): string => {
  const schema = randomSchema('migrations');
  schemas.push(schema);
  return schema;
};
afterAll(async () => {
  for (const schema of schemas) await backend.dropSchema(schema);
  await backend.close();
});

const column = async <T>(text: string, params: unknown[], name: string): Promise<T[]> =>
  (await backend.pool.query(text, params)).rows.map((row) => (row as Record<string, T>)[name] as T);
const tablesOf = (schema: string): Promise<string[]> => column<string>('SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = $1 ORDER BY tablename', [schema], 'tablename');
const indexesOf = (schema: string): Promise<string[]> => column<string>('SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = $1 ORDER BY indexname', [schema], 'indexname');
const schemaExists = async (schema: string): Promise<boolean> => (await column<string>('SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema], 'nspname')).length === 1;

describe(`migrations on ${backend.label}`, () => {
  it('creates the schema, every table and index, and records each version once', async () => {
    const schema = newSchema();
    expect(await migrate(backend.pool, { schema })).toEqual({ schema, tablePrefix: 'netsuite_sync_', applied: MIGRATIONS.map((migration) => migration.version), version: LATEST_VERSION });
    expect(await tablesOf(schema)).toEqual(
      ['checkpoints', 'cursors', 'inbox_events', 'leases', 'links', 'migrations', 'retries', 'run_errors', 'runs'].map((table) => `netsuite_sync_${table}`),
    );
    expect(await indexesOf(schema)).toEqual(
      [
        'checkpoints_pkey',
        'cursors_pkey',
        'inbox_events_pkey',
        'inbox_events_status_idx',
        'leases_pkey',
        'links_netsuite_id_key',
        'links_pkey',
        'migrations_pkey',
        'retries_pkey',
        'retries_status_idx',
        'run_errors_pkey',
        'runs_pkey',
        'runs_recent_idx',
        'runs_status_idx',
      ].map((index) => `netsuite_sync_${index}`),
    );
    const recorded = await backend.pool.query(`SELECT version, name FROM "${schema}".netsuite_sync_migrations ORDER BY version`);
    expect(recorded.rows).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));

    expect(await migrate(backend.pool, { schema })).toEqual({ schema, tablePrefix: 'netsuite_sync_', applied: [], version: LATEST_VERSION });
    expect((await backend.pool.query(`SELECT version FROM "${schema}".netsuite_sync_migrations`)).rows).toHaveLength(MIGRATIONS.length);
  });

  it('keeps stores of two prefixes in one schema apart, and takes an empty prefix', async () => {
    const schema = newSchema();
    await migrate(backend.pool, { schema, tablePrefix: 'a_' });
    await migrate(backend.pool, { schema, tablePrefix: '' });
    expect(await tablesOf(schema)).toContain('a_links');
    expect(await tablesOf(schema)).toContain('links');
    const a = postgresStore({ pool: backend.pool, schema, tablePrefix: 'a_', migrate: false });
    const plain = postgresStore({ pool: backend.pool, schema, tablePrefix: '', migrate: false });
    await a.setCursor('acme', 'phase', 'from a');
    expect(await plain.getCursor('acme', 'phase')).toBeNull();
    await plain.setCursor('acme', 'phase', 'from plain');
    expect(await a.getCursor('acme', 'phase')).toBe('from a');
  });

  it('migrates on first use, once, however many calls race for it', async () => {
    const schema = newSchema();
    const statements: string[] = [];
    const store = postgresStore({ pool: recordingConnection(backend.pool, (text) => statements.push(text)), schema });
    expect(statements).toEqual([]); // nothing runs before the first call
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.setCursor('acme', `phase-${index}`, 'x')));
    expect(statements.filter((text) => text.includes('pg_advisory_xact_lock'))).toHaveLength(1);
    expect(statements.filter((text) => text.startsWith('CREATE TABLE'))).toHaveLength(9);
    statements.length = 0;
    await store.ready();
    await store.getCursor('acme', 'phase-3');
    expect(statements).toHaveLength(1);
  });

  it('does not lock or write when the schema is already current', async () => {
    const schema = newSchema();
    await migrate(backend.pool, { schema });
    const statements: string[] = [];
    expect(await migrate(recordingConnection(backend.pool, (text) => statements.push(text)), { schema })).toMatchObject({ applied: [] });
    expect(statements.some((text) => /pg_advisory|CREATE|INSERT|BEGIN/.test(text))).toBe(false);
  });

  it('with migrate: false, refuses to run on an unmigrated schema and changes nothing, then works once migrate() ran', async () => {
    const schema = newSchema();
    const store = postgresStore({ pool: backend.pool, schema, migrate: false });
    const error = await rejectionOf(store.getCursor('acme', 'phase'));
    expect(error).toBeInstanceOf(PostgresSchemaError);
    // Named in the brand the guards read, for code that holds another copy of the core package.
    expect([isErrorOfClass(error, 'PostgresSchemaError'), isErrorOfClass(error, 'PostgresStoreError')]).toEqual([true, true]);
    expect(error).toMatchObject({ code: 'POSTGRES_STORE_NOT_MIGRATED', expectedVersion: LATEST_VERSION, foundVersion: 0 });
    expect((error as PostgresSchemaError).resolution).toContain('migrate(');
    expect(await schemaExists(schema)).toBe(false);

    await migrate(backend.pool, { schema });
    await store.setCursor('acme', 'phase', 'now it works');
    expect(await store.getCursor('acme', 'phase')).toBe('now it works');
  });

  it('upgrades a schema of version 1 to the index of runs by status, keeping its rows', async () => {
    const schema = newSchema();
    // What the first release left: version 1 only.
    await migrate(backend.pool, { schema });
    await postgresStore({ pool: backend.pool, schema }).startRun('acme', { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    await backend.pool.query(`DROP INDEX "${schema}".netsuite_sync_runs_status_idx`);
    await backend.pool.query(`DROP TABLE "${schema}".netsuite_sync_inbox_events`);
    await backend.pool.query(`DELETE FROM "${schema}".netsuite_sync_migrations WHERE version > 1`);

    const checked = postgresStore({ pool: backend.pool, schema, migrate: false });
    expect(await rejectionOf(checked.listRuns('acme', { status: 'running' }))).toMatchObject({ code: 'POSTGRES_STORE_NOT_MIGRATED', expectedVersion: LATEST_VERSION, foundVersion: 1 });
    expect(await migrate(backend.pool, { schema })).toMatchObject({ applied: [2, 3], version: 3 });
    expect(await indexesOf(schema)).toContain('netsuite_sync_runs_status_idx');
    const upgraded = postgresStore({ pool: backend.pool, schema, migrate: false });
    expect((await upgraded.listRuns('acme', { status: 'running' })).map((run) => run.id)).toEqual(['run-1']);
  });

  it('upgrades a schema of version 2 to the event inbox, keeping its rows', async () => {
    const schema = newSchema();
    // What the second release left: versions 1 and 2.
    await migrate(backend.pool, { schema });
    await postgresStore({ pool: backend.pool, schema }).startRun('acme', { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    await backend.pool.query(`DROP TABLE "${schema}".netsuite_sync_inbox_events`);
    await backend.pool.query(`DELETE FROM "${schema}".netsuite_sync_migrations WHERE version > 2`);

    const checked = postgresStore({ pool: backend.pool, schema, migrate: false });
    expect(await rejectionOf(checked.listPendingEvents('acme'))).toMatchObject({ code: 'POSTGRES_STORE_NOT_MIGRATED', expectedVersion: LATEST_VERSION, foundVersion: 2 });
    expect(await migrate(backend.pool, { schema })).toMatchObject({ applied: [3], version: 3 });
    expect(await tablesOf(schema)).toContain('netsuite_sync_inbox_events');
    const upgraded = postgresStore({ pool: backend.pool, schema, migrate: false });
    const event = { id: '1001', type: 'payment.created', entity: 'payment', sourceId: '77', occurredAt: '2026-11-24T09:59:59.000Z', receivedAt: '2026-11-24T10:00:00.000Z' } as const;
    expect(await upgraded.addEvent('acme', event)).toBe(true);
    expect(await upgraded.listPendingEvents('acme')).toEqual([{ ...event, status: 'pending' }]);
    await upgraded.startRun('acme', { id: 'run-2', trigger: 'webhook', startedAt: '2026-11-24T10:00:01.000Z' });
    expect((await upgraded.listRuns('acme')).map((run) => [run.id, run.trigger])).toEqual([
      ['run-2', 'webhook'],
      ['run-1', 'auto'],
    ]);
  });

  it('rolls the whole migration back when a statement fails, and names the failure', async () => {
    const schema = newSchema();
    // A table of the same name that the migration does not expect makes its CREATE TABLE fail.
    await backend.pool.query(`CREATE SCHEMA "${schema}"`);
    await backend.pool.query(`CREATE TABLE "${schema}".netsuite_sync_runs (unrelated integer)`);
    const error = await rejectionOf(migrate(backend.pool, { schema }));
    expect(error).toBeInstanceOf(PostgresStoreError);
    expect(error).toMatchObject({ code: 'POSTGRES_STORE_FAILED', operation: 'migrate', sqlState: '42P07' });
    expect(await tablesOf(schema)).toEqual(['netsuite_sync_runs']);
  });

  it.skipIf(backend.kind === 'pglite')('waits for the advisory lock another session holds (server only: PGlite has one session)', async () => {
    const schema = newSchema();
    const holder = backend.newPool(1);
    const other = backend.newPool(1);
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey({ schema, tablePrefix: 'netsuite_sync_' })]);
    let done = false;
    const migrating = migrate(other, { schema }).finally(() => (done = true));
    await sleep(300);
    expect(done).toBe(false);
    await holder.query('COMMIT');
    expect(await migrating).toMatchObject({ applied: MIGRATIONS.map((migration) => migration.version) });
  });

  it('derives one advisory lock key per schema and prefix, as a signed 64-bit integer', () => {
    const key = migrationLockKey({ schema: 'public', tablePrefix: 'netsuite_sync_' });
    expect(key).toMatch(/^-?[0-9]{1,19}$/);
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
    expect(migrationLockKey({ schema: 'public', tablePrefix: 'netsuite_sync_' })).toBe(key);
    expect(migrationLockKey({ schema: 'other', tablePrefix: 'netsuite_sync_' })).not.toBe(key);
    expect(migrationLockKey({ schema: 'public', tablePrefix: 'x_' })).not.toBe(key);
  });

  it.each(['Public', 'a-b', 'x"; DROP TABLE y; --', '1abc', 'pg_temp', '', 'a'.repeat(64)])('refuses the schema name %j before running any statement', async (schema) => {
    const statements: string[] = [];
    const pool = recordingConnection(backend.pool, (text) => statements.push(text));
    expect(() => postgresStore({ pool, schema })).toThrow(ConfigurationError);
    const error = await rejectionOf(migrate(pool, { schema }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues.map((issue) => issue.path)).toEqual(['schema']);
    expect(statements).toEqual([]);
  });

  it.each(['A_', 'a-b', 'x"', '9_', 'a'.repeat(31)])('refuses the table prefix %j', (tablePrefix) => {
    expect(() => postgresStore({ pool: backend.pool, tablePrefix })).toThrow(ConfigurationError);
  });
});
