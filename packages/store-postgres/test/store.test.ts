/**
 * What the conformance suite does not cover: options, validation of what goes in and comes out, the
 * clock, redaction of credentials, and the lazily opened pool.
 */
import { ConfigurationError, LinkConflictError } from '@invoiced/netsuite-sync';
import type { ImportCheckpoint, RecordError, SyncStore } from '@invoiced/netsuite-sync';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { migrate, postgresStore, PostgresRowError, PostgresStoreError } from '../src/index';
import type { PostgresConnection } from '../src/index';
import { openBackend, randomSchema, recordingConnection, rejectionOf } from './support';

const backend = await openBackend();
const schema = randomSchema('store');
await migrate(backend.pool, { schema });
afterAll(async () => {
  await backend.dropSchema(schema);
  await backend.close();
});

let connectionCount = 0;
/** A connection ID of this test alone. */
const fresh = (): string => `store-test-${(connectionCount += 1)}-${Date.now()}`;
const store = postgresStore({ pool: backend.pool, schema });

const recordError = (sourceId: string): RecordError => ({
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId,
  number: `INV-${sourceId}`,
  code: 'INVALID_REQUEST',
  message: 'Refused.',
  resolution: 'Fix it.',
  occurredAt: '2026-11-24T10:00:01.000Z',
});

describe(`postgresStore on ${backend.label}`, () => {
  describe('options', () => {
    it.each([
      ['no pool', {}],
      ['a connection string instead of a pool', { pool: 'postgres://app:hunter22@db.internal/prod' }],
      ['a pool without query()', { pool: { connect: (): undefined => undefined } }],
      ['a migrate flag that is not a boolean', { pool: backend.pool, migrate: 'yes' }],
      ['a clock that is not a function', { pool: backend.pool, clock: new Date() }],
    ])('throws ConfigurationError synchronously for %s, without echoing values', (_label, options) => {
      let thrown: unknown;
      try {
        postgresStore(options as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect(JSON.stringify(thrown) + String(thrown)).not.toContain('hunter22');
    });

    it('returns the store at once and calls a pool function once, on first use, even when calls race', async () => {
      const factory = vi.fn(() => Promise.resolve(backend.pool));
      const lazy = postgresStore({ pool: factory, schema });
      expect(lazy.schema).toBe(schema);
      expect(lazy.tablePrefix).toBe('netsuite_sync_');
      expect(factory).not.toHaveBeenCalled();
      const connection = fresh();
      await Promise.all([lazy.getCursor(connection, 'a'), lazy.setCursor(connection, 'b', 'x'), lazy.ready()]);
      expect(await lazy.getCursor(connection, 'b')).toBe('x');
      expect(factory).toHaveBeenCalledTimes(1);
    });

    it('passes on a failing pool function as PostgresStoreError, redacted, and tries again on the next call', async () => {
      let calls = 0;
      const flaky = postgresStore({
        pool: () => {
          calls += 1;
          if (calls === 1) throw new Error('could not reach postgres://app:hunter22@db.internal:5432/prod');
          return backend.pool;
        },
        schema,
      });
      const error = await rejectionOf(flaky.ready());
      expect(error).toBeInstanceOf(PostgresStoreError);
      expect(error).toMatchObject({ code: 'POSTGRES_STORE_FAILED', operation: 'connect' });
      const shown = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)} ${(error as Error).stack ?? ''}`;
      expect(shown).not.toContain('hunter22');
      expect((error as Error).message).toContain('postgres://app:[REDACTED]@db.internal:5432/prod');
      await flaky.ready();
      expect(calls).toBe(2);
    });

    it.each([
      ['a URL', 'connect to postgres://app:hunter22@db.internal:5432/prod failed', 'postgres://app:[REDACTED]@db.internal:5432/prod'],
      ['a URL whose password has a slash', 'bad postgresql://app:hun/ter22@db/prod', 'postgresql://app:[REDACTED]@db/prod'],
      ['libpq settings', 'could not parse "host=db user=app password=hunter22 dbname=prod"', 'password=[REDACTED] dbname=prod'],
      ['quoted libpq settings', "host=db password='hunter22' port=5432", 'password=[REDACTED] port=5432'],
    ])('masks the password of %s in what a failing pool function said', async (_label, said, shown) => {
      const failing = postgresStore({ pool: () => Promise.reject(new Error(said)), schema });
      const error = await rejectionOf(failing.ready());
      expect((error as Error).message).toContain(shown);
      expect(`${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)} ${(error as Error).stack ?? ''}`).not.toContain('hunter22');
    });

    it('refuses a pool function that returns something other than a pool', async () => {
      const wrong = postgresStore({ pool: () => 'postgres://localhost' as unknown as PostgresConnection, schema });
      expect(await rejectionOf(wrong.ready())).toMatchObject({ code: 'POSTGRES_STORE_INVALID_POOL' });
    });
  });

  describe('database errors', () => {
    it('never puts the password of an unreachable server into the error', async () => {
      const pool = new pg.Pool({ connectionString: 'postgres://app:s3cret-pass@127.0.0.1:1/prod', connectionTimeoutMillis: 2_000 });
      try {
        const error = await rejectionOf(postgresStore({ pool }).getCursor('acme', 'phase'));
        expect(error).toBeInstanceOf(PostgresStoreError);
        // The first statement of a store is the check of its migrations.
        expect(error).toMatchObject({ code: 'POSTGRES_STORE_FAILED', operation: 'migrate', sqlState: undefined });
        const shown = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).cause)} ${(error as Error).stack ?? ''}`;
        expect(shown).not.toContain('s3cret-pass');
      } finally {
        await pool.end();
      }
    });

    it('wraps a failed statement with its SQLSTATE, and keeps neither its parameters nor its detail in the cause', async () => {
      const failure = Object.assign(new Error('permission denied for table netsuite_sync_cursors'), {
        severity: 'ERROR',
        code: '42501',
        detail: 'Key (connection_id)=(secret-tenant) is involved.',
        params: ['secret-tenant'],
      });
      let ready = false;
      const pool = recordingConnection(backend.pool, () => undefined);
      const failing = postgresStore({
        schema,
        pool: {
          query: (text, params) => {
            if (ready && text.includes('cursors')) return Promise.reject(failure);
            return pool.query(text, params);
          },
        },
      });
      await failing.ready();
      ready = true;
      const error = await rejectionOf(failing.getCursor('secret-tenant', 'phase'));
      expect(error).toBeInstanceOf(PostgresStoreError);
      expect(error).toMatchObject({ operation: 'getCursor', sqlState: '42501', message: expect.stringContaining('permission denied') as unknown });
      const cause = (error as Error).cause as Record<string, unknown>;
      expect(cause).toBeInstanceOf(Error);
      expect(cause['code']).toBe('42501');
      expect(cause['params']).toBeUndefined();
      expect(cause['detail']).toBeUndefined();
      expect(JSON.stringify(error)).not.toContain('secret-tenant');
    });
  });

  describe('arguments', () => {
    it.each<[string, (target: SyncStore) => Promise<unknown>, string]>([
      ['an unknown kind', (target) => target.saveLink('acme', { kind: 'order' as never, invoicedId: '1', netsuiteId: '2', origin: 'netsuite', fingerprint: null }), 'link.kind'],
      ['an empty connection ID', (target) => target.getCursor('', 'phase'), 'connectionId'],
      ['a time that is not ISO 8601 UTC', (target) => target.startRun('acme', { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24 10:00:00' }), 'run.startedAt'],
      ['a time with an offset', (target) => target.startRun('acme', { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000+01:00' }), 'run.startedAt'],
      ['an impossible date', (target) => target.startRun('acme', { id: 'run-1', trigger: 'auto', startedAt: '2026-02-30T10:00:00.000Z' }), 'run.startedAt'],
      ['a count that is not a number', (target) => target.finishRun('acme', 'run-1', { status: 'succeeded', finishedAt: '2026-11-24T10:00:00.000Z', counts: { created: Number.NaN }, error: null }), 'outcome.counts.created'],
      ['a negative ttl', (target) => target.acquireLease('acme', 'worker', -1), 'ttlMs'],
      ['a fractional limit', (target) => target.listRuns('acme', { limit: 1.5 }), 'options.limit'],
      ['an unknown run status to list', (target) => target.listRuns('acme', { status: 'done' as never }), 'options.status'],
      ['finishing a run as running', (target) => target.finishRun('acme', 'run-1', { status: 'running' as never, finishedAt: '2026-11-24T10:00:00.000Z', counts: {}, error: null }), 'outcome.status'],
      ['an event of an unknown entity', (target) => target.addEvent('acme', { id: '1', type: 'order.created', entity: 'order' as never, sourceId: '2', occurredAt: '2026-11-24T10:00:00.000Z', receivedAt: '2026-11-24T10:00:00.000Z' }), 'event.entity'],
      ['an event with an empty type', (target) => target.addEvent('acme', { id: '1', type: '', entity: 'invoice', sourceId: '2', occurredAt: '2026-11-24T10:00:00.000Z', receivedAt: '2026-11-24T10:00:00.000Z' }), 'event.type'],
      ['a fractional event limit', (target) => target.listPendingEvents('acme', { limit: 1.5 }), 'options.limit'],
      ['an empty event ID to complete', (target) => target.completeEvents('acme', ['1', '']), 'ids.1'],
      ['a prune time that is not ISO 8601 UTC', (target) => target.pruneEvents('acme', '2026-11-24'), 'before'],
      ['a checkpoint result that is not JSON', (target) => target.saveCheckpoint('acme', { jobId: 'job', kind: 'invoices', status: 'running', cursor: null, processed: 0, total: null, result: { when: new Date() }, updatedAt: '2026-11-24T10:00:00.000Z' }), 'checkpoint.result.when'],
    ])('rejects %s with ConfigurationError naming the field, before any statement', async (_label, call, path) => {
      const statements: string[] = [];
      const target = postgresStore({ pool: recordingConnection(backend.pool, (text) => statements.push(text)), schema });
      await target.ready();
      statements.length = 0;
      const error = await rejectionOf(call(target));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as ConfigurationError).issues.map((issue) => issue.path)).toContain(path);
      expect(statements).toEqual([]);
    });

    it('adds no record error of a batch in which one is invalid', async () => {
      const connection = fresh();
      await store.startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
      await expect(store.addRecordErrors(connection, 'run-1', [recordError('1'), { ...recordError('2'), occurredAt: 'yesterday' }])).rejects.toThrow(ConfigurationError);
      expect(await store.getRun(connection, 'run-1')).toMatchObject({ recordErrors: [], recordErrorCount: 0 });
    });

    it('ignores properties outside the contract, such as the updatedAt of a link passed back in', async () => {
      const connection = fresh();
      const saved = await store.saveLink(connection, { kind: 'invoice', invoicedId: '1', netsuiteId: '2', origin: 'netsuite', fingerprint: 'v1' });
      const again = await store.saveLink(connection, { ...saved, fingerprint: 'v2' });
      expect(again).toEqual({ ...saved, fingerprint: 'v2', updatedAt: again.updatedAt });
    });
  });

  describe('rows read back', () => {
    it('normalizes bigint columns to numbers, up to 2^53 - 1', async () => {
      const connection = fresh();
      const big: ImportCheckpoint = { jobId: 'job', kind: 'invoices', status: 'running', cursor: null, processed: Number.MAX_SAFE_INTEGER, total: Number.MAX_SAFE_INTEGER, result: null, updatedAt: '2026-11-24T10:00:00.000Z' };
      await store.saveCheckpoint(connection, big);
      expect(await store.getCheckpoint(connection, 'job')).toEqual(big);
    });

    it('refuses a bigint beyond 2^53 - 1 written by hand instead of rounding it', async () => {
      const connection = fresh();
      await store.saveCheckpoint(connection, { jobId: 'job', kind: 'invoices', status: 'running', cursor: null, processed: 1, total: null, result: null, updatedAt: '2026-11-24T10:00:00.000Z' });
      await backend.pool.query(`UPDATE "${schema}".netsuite_sync_checkpoints SET processed = 9007199254740993 WHERE connection_id = $1`, [connection]);
      const error = await rejectionOf(store.getCheckpoint(connection, 'job'));
      expect(error).toBeInstanceOf(PostgresRowError);
      expect(error).toMatchObject({ code: 'POSTGRES_STORE_INVALID_ROW', table: 'checkpoints', operation: 'getCheckpoint' });
      expect((error as PostgresRowError).issues.map((issue) => issue.path)).toEqual(['processed']);
    });

    it('refuses a run whose columns were changed by hand, naming the table and columns but not the values', async () => {
      const connection = fresh();
      await store.startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
      await backend.pool.query(`UPDATE "${schema}".netsuite_sync_runs SET trigger = 'sometimes', counts = '{"created": "many"}' WHERE connection_id = $1`, [connection]);
      for (const read of [() => store.getRun(connection, 'run-1'), () => store.listRuns(connection)]) {
        const error = await rejectionOf(read());
        expect(error).toBeInstanceOf(PostgresRowError);
        expect(error).toMatchObject({ table: 'runs' });
        expect((error as PostgresRowError).issues.map((issue) => issue.path).sort()).toEqual(['counts.created', 'trigger']);
        expect(JSON.stringify(error)).not.toContain('sometimes');
      }
    });
  });

  describe('inbox rows read back', () => {
    it('refuses an event whose status or entity was changed by hand, naming the table and columns', async () => {
      const connection = fresh();
      await store.addEvent(connection, { id: '1', type: 'invoice.created', entity: 'invoice', sourceId: '2', occurredAt: '2026-11-24T10:00:00.000Z', receivedAt: '2026-11-24T10:00:00.000Z' });
      await backend.pool.query(`UPDATE "${schema}".netsuite_sync_inbox_events SET entity = 'order' WHERE connection_id = $1`, [connection]);
      const error = await rejectionOf(store.listPendingEvents(connection));
      expect(error).toBeInstanceOf(PostgresRowError);
      expect(error).toMatchObject({ code: 'POSTGRES_STORE_INVALID_ROW', table: 'inbox_events', operation: 'listPendingEvents' });
      expect((error as PostgresRowError).issues.map((issue) => issue.path)).toEqual(['entity']);
    });
  });

  describe('with a clock', () => {
    const start = new Date('2026-11-24T10:00:00.000Z').getTime();
    function manualClock(): { clocked: SyncStore; advance: (ms: number) => void } {
      let now = start;
      return { clocked: postgresStore({ pool: backend.pool, schema, clock: () => new Date(now) }), advance: (ms) => (now += ms) };
    }

    it('expires a lease exactly when the clock reaches now + ttl', async () => {
      const { clocked, advance } = manualClock();
      const connection = fresh();
      expect(await clocked.acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      advance(59_999);
      expect(await clocked.acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      expect(await clocked.renewLease(connection, 'worker-a', 1)).toBe(true);
      advance(1);
      expect(await clocked.renewLease(connection, 'worker-a', 60_000)).toBe(false);
      expect(await clocked.acquireLease(connection, 'worker-b', 60_000)).toBe(true);
    });

    it('stamps saved links with the clock time', async () => {
      const { clocked, advance } = manualClock();
      const connection = fresh();
      const link = { kind: 'invoice' as const, invoicedId: '1', netsuiteId: '2', origin: 'netsuite' as const, fingerprint: 'v1' };
      expect((await clocked.saveLink(connection, link)).updatedAt).toBe('2026-11-24T10:00:00.000Z');
      advance(1_500);
      expect((await clocked.saveLink(connection, { ...link, fingerprint: 'v2' })).updatedAt).toBe('2026-11-24T10:00:01.500Z');
      expect((await clocked.findLinkByNetSuiteId(connection, 'invoice', '2'))?.updatedAt).toBe('2026-11-24T10:00:01.500Z');
    });

    it('refuses a clock that returns an invalid date', async () => {
      const broken = postgresStore({ pool: backend.pool, schema, clock: () => new Date(Number.NaN) });
      expect(await rejectionOf(broken.acquireLease(fresh(), 'worker', 1_000))).toMatchObject({ code: 'INVALID_CLOCK' });
    });
  });

  describe('without a clock: the database clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    // PGlite runs in this process: its clock_timestamp() reads this process's clock, so the skew cannot be staged.
    it.skipIf(backend.kind === 'pglite')('keeps a lease held and stamps links with the server time when this process\'s clock is hours off (server only)', async () => {
      const connection = fresh();
      const before = Date.now();
      expect(await store.acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      // This process now believes it is three hours later: a store on the local clock would see the lease expired.
      vi.useFakeTimers({ toFake: ['Date'], now: before + 3 * 3_600_000 });
      const skewed = postgresStore({ pool: backend.pool, schema });
      expect(await skewed.acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      expect(await skewed.renewLease(connection, 'worker-a', 60_000)).toBe(true);
      const saved = await skewed.saveLink(connection, { kind: 'customer', invoicedId: '1', netsuiteId: '2', origin: 'invoiced', fingerprint: null });
      expect(Math.abs(new Date(saved.updatedAt).getTime() - before)).toBeLessThan(60_000);
    });
  });

  describe('links', () => {
    it('saves again when a concurrent save of the same pair met the NetSuite-side constraint first', async () => {
      // What Postgres does when two sessions insert the same new pair at once: the loser's insert can fail
      // on the unique constraint of the NetSuite ID before it takes the ON CONFLICT path. Staged here.
      const connection = fresh();
      const first = await store.saveLink(connection, { kind: 'invoice', invoicedId: '1', netsuiteId: '100', origin: 'netsuite', fingerprint: 'v1' });
      const inserts: string[] = [];
      const racing = postgresStore({
        schema,
        pool: {
          query: (text, params) => {
            if (!text.includes('INSERT INTO') || !text.includes('_links')) return backend.pool.query(text, params);
            inserts.push(text);
            if (inserts.length > 1) return backend.pool.query(text, params);
            return Promise.reject(Object.assign(new Error('duplicate key value violates unique constraint "netsuite_sync_links_netsuite_id_key"'), { severity: 'ERROR', code: '23505' }));
          },
        },
      });
      const saved = await racing.saveLink(connection, { kind: 'invoice', invoicedId: '1', netsuiteId: '100', origin: 'invoiced', fingerprint: 'v2' });
      expect(inserts).toHaveLength(2);
      expect(saved).toEqual({ ...first, fingerprint: 'v2', updatedAt: saved.updatedAt });
    });

    it('reports a conflict on the Invoiced side when both IDs are linked elsewhere, and changes nothing', async () => {
      const connection = fresh();
      const one = await store.saveLink(connection, { kind: 'invoice', invoicedId: '1', netsuiteId: '100', origin: 'netsuite', fingerprint: null });
      const two = await store.saveLink(connection, { kind: 'invoice', invoicedId: '2', netsuiteId: '200', origin: 'netsuite', fingerprint: null });
      const error = await rejectionOf(store.saveLink(connection, { kind: 'invoice', invoicedId: '1', netsuiteId: '200', origin: 'netsuite', fingerprint: 'x' }));
      expect(error).toBeInstanceOf(LinkConflictError);
      expect(error).toMatchObject({ side: 'invoiced', id: '1' });
      expect(await store.listLinks(connection, 'invoice')).toEqual([one, two]);
    });
  });
});
