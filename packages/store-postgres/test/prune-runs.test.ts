/**
 * `pruneRuns`: run retention of the Postgres store. Every test works on a schema of its own, so that a
 * prune of every connection only meets the runs the test made.
 */
import { ConfigurationError } from '@invoiced/netsuite-sync';
import type { RecordError } from '@invoiced/netsuite-sync';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresStore, PostgresStoreError } from '../src/index';
import type { PostgresStore } from '../src/index';
import { openBackend, randomSchema, recordingConnection, rejectionOf } from './support';

const backend = await openBackend();
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await backend.dropSchema(schema);
  await backend.close();
});

/** A store on a new schema; `record` sees every statement's text. */
function freshStore(record: (text: string) => void = () => undefined): PostgresStore {
  const schema = randomSchema('prune');
  schemas.push(schema);
  return postgresStore({ pool: recordingConnection(backend.pool, record), schema });
}

/** Midnight UTC of a day of January 2026, as the contract's text. */
const day = (n: number): string => `2026-01-${String(n).padStart(2, '0')}T00:00:00.000Z`;
const at = (text: string): Date => new Date(text);

const recordError = (sourceId: string): RecordError => ({
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId,
  number: null,
  code: 'INVALID_REQUEST',
  message: 'Refused.',
  resolution: 'Fix it.',
  occurredAt: day(1),
});

/** Starts a run and, unless `running`, finishes it; with `errors` record errors. */
async function addRun(store: PostgresStore, connectionId: string, id: string, startedAt: string, options: { running?: boolean; errors?: number } = {}): Promise<void> {
  await store.startRun(connectionId, { id, trigger: 'auto', startedAt });
  const errors = options.errors ?? 0;
  if (errors > 0) await store.addRecordErrors(connectionId, id, Array.from({ length: errors }, (_, index) => recordError(`${id}-${index}`)));
  if (options.running !== true) await store.finishRun(connectionId, id, { status: 'succeeded', finishedAt: startedAt, counts: {}, error: null });
}

/** The IDs of a connection's runs, newest first. */
const runIds = async (store: PostgresStore, connectionId: string): Promise<string[]> =>
  (await store.listRuns(connectionId, { limit: 1000 })).map((run) => run.id);

/** How many record errors of a connection are left in the table. */
async function errorRows(store: PostgresStore, connectionId: string): Promise<number> {
  const result = await backend.pool.query(`SELECT count(*)::integer AS n FROM "${store.schema}"."netsuite_sync_run_errors" WHERE connection_id = $1`, [connectionId]);
  return (result.rows[0] as { n: number }).n;
}

describe(`pruneRuns on ${backend.label}`, () => {
  it('keeps the latest keepLatest runs of each connection, in the order of listRuns (started_at, then the later started)', async () => {
    const store = freshStore();
    for (let n = 1; n <= 5; n += 1) await addRun(store, 'acme', `run-${n}`, day(n));
    // Same start time as run-5, started later: the latest of the two.
    await addRun(store, 'acme', 'run-5b', day(5));
    for (let n = 1; n <= 4; n += 1) await addRun(store, 'globex', `g-${n}`, day(n));

    const result = await store.pruneRuns({ olderThan: at(day(20)), keepLatest: 2 });

    expect(result).toEqual({ runsDeleted: 4 + 2, errorsDeleted: 0 });
    expect(await runIds(store, 'acme')).toEqual(['run-5b', 'run-5']);
    expect(await runIds(store, 'globex')).toEqual(['g-4', 'g-3']);
  });

  it('keeps 20 runs per connection by default, and none with keepLatest 0', async () => {
    const store = freshStore();
    for (let n = 1; n <= 23; n += 1) await addRun(store, 'acme', `run-${n}`, day(n));

    expect(await store.pruneRuns({ olderThan: at(day(31)) })).toEqual({ runsDeleted: 3, errorsDeleted: 0 });
    expect((await runIds(store, 'acme')).at(-1)).toBe('run-4');
    expect(await store.pruneRuns({ olderThan: at(day(31)), keepLatest: 0 })).toEqual({ runsDeleted: 20, errorsDeleted: 0 });
    expect(await runIds(store, 'acme')).toEqual([]);
  });

  it('deletes only runs started before olderThan', async () => {
    const store = freshStore();
    for (let n = 1; n <= 5; n += 1) await addRun(store, 'acme', `run-${n}`, day(n));

    // A run started exactly at the cutoff is kept.
    expect(await store.pruneRuns({ olderThan: at(day(3)), keepLatest: 0 })).toEqual({ runsDeleted: 2, errorsDeleted: 0 });
    expect(await runIds(store, 'acme')).toEqual(['run-5', 'run-4', 'run-3']);
    // One millisecond later, the cutoff's run goes too.
    expect(await store.pruneRuns({ olderThan: new Date(at(day(3)).getTime() + 1), keepLatest: 0 })).toEqual({ runsDeleted: 1, errorsDeleted: 0 });
    expect(await runIds(store, 'acme')).toEqual(['run-5', 'run-4']);
  });

  it('never deletes a running run, however old, and still counts it among the latest', async () => {
    const store = freshStore();
    await addRun(store, 'acme', 'stuck', day(1), { running: true });
    await addRun(store, 'acme', 'old', day(2));
    await addRun(store, 'acme', 'in-progress', day(3), { running: true });
    await addRun(store, 'acme', 'done', day(4));

    expect(await store.pruneRuns({ olderThan: at(day(10)), keepLatest: 0 })).toEqual({ runsDeleted: 2, errorsDeleted: 0 });
    expect(await runIds(store, 'acme')).toEqual(['in-progress', 'stuck']);

    const other = freshStore();
    await addRun(other, 'acme', 'old', day(1));
    await addRun(other, 'acme', 'latest', day(2), { running: true });
    // The running run is the latest one: keepLatest 1 keeps it, and nothing else.
    expect(await other.pruneRuns({ olderThan: at(day(10)), keepLatest: 1 })).toEqual({ runsDeleted: 1, errorsDeleted: 0 });
    expect(await runIds(other, 'acme')).toEqual(['latest']);
  });

  it('deletes the record errors of the runs it deletes, and counts them', async () => {
    const store = freshStore();
    await addRun(store, 'acme', 'run-1', day(1), { errors: 3 });
    await addRun(store, 'acme', 'run-2', day(2), { errors: 5 });
    await addRun(store, 'acme', 'run-3', day(3), { errors: 2 });

    expect(await store.pruneRuns({ olderThan: at(day(10)), keepLatest: 1 })).toEqual({ runsDeleted: 2, errorsDeleted: 8 });
    expect(await errorRows(store, 'acme')).toBe(2);
    expect(await store.getRun('acme', 'run-3')).toMatchObject({ recordErrorCount: 2, recordErrors: [{ sourceId: 'run-3-0' }, { sourceId: 'run-3-1' }] });
  });

  it('with connectionId, prunes that connection only and leaves the runs of the others untouched', async () => {
    const store = freshStore();
    for (let n = 1; n <= 4; n += 1) {
      await addRun(store, 'acme', `a-${n}`, day(n), { errors: 1 });
      await addRun(store, 'globex', `g-${n}`, day(n), { errors: 1 });
      await addRun(store, 'acme-2', `b-${n}`, day(n), { errors: 1 });
    }

    expect(await store.pruneRuns({ olderThan: at(day(10)), keepLatest: 1, connectionId: 'acme' })).toEqual({ runsDeleted: 3, errorsDeleted: 3 });
    expect(await runIds(store, 'acme')).toEqual(['a-4']);
    expect(await runIds(store, 'globex')).toEqual(['g-4', 'g-3', 'g-2', 'g-1']);
    expect(await runIds(store, 'acme-2')).toEqual(['b-4', 'b-3', 'b-2', 'b-1']);
    expect(await errorRows(store, 'globex')).toBe(4);
    expect(await errorRows(store, 'acme-2')).toBe(4);
    // A connection without runs: nothing to do.
    expect(await store.pruneRuns({ olderThan: at(day(10)), connectionId: 'initech' })).toEqual({ runsDeleted: 0, errorsDeleted: 0 });
  });

  it('deletes in batches of batchSize, one statement each, until a batch deletes fewer', async () => {
    const deletes: string[] = [];
    const store = freshStore((text) => {
      if (/\bDELETE FROM\b/.test(text)) deletes.push(text);
    });
    for (let n = 1; n <= 8; n += 1) await addRun(store, 'acme', `run-${n}`, day(n), { errors: 1 });

    expect(await store.pruneRuns({ olderThan: at(day(10)), keepLatest: 1, batchSize: 2 })).toEqual({ runsDeleted: 7, errorsDeleted: 7 });
    expect(await runIds(store, 'acme')).toEqual(['run-8']);
    // 2 + 2 + 2 + 1.
    expect(deletes).toHaveLength(4);

    deletes.length = 0;
    for (let n = 1; n <= 4; n += 1) await addRun(store, 'globex', `g-${n}`, day(n));
    // Exactly batchSize deletable: one more batch finds nothing.
    expect(await store.pruneRuns({ olderThan: at(day(10)), keepLatest: 0, batchSize: 2, connectionId: 'globex' })).toEqual({ runsDeleted: 4, errorsDeleted: 0 });
    expect(deletes).toHaveLength(3);
  });

  it('stops between batches when the signal aborts, rejecting with its reason; what was deleted stays deleted', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    let batches = 0;
    const store = freshStore((text) => {
      if (/\bDELETE FROM\b/.test(text) && (batches += 1) === 2) controller.abort(reason);
    });
    for (let n = 1; n <= 7; n += 1) await addRun(store, 'acme', `run-${n}`, day(n));

    const error = await rejectionOf(store.pruneRuns({ olderThan: at(day(10)), keepLatest: 0, batchSize: 2, signal: controller.signal }));

    expect(error).toBe(reason);
    expect(batches).toBe(2);
    // The oldest go first: the two batches that ran deleted run-1 to run-4.
    expect(await runIds(store, 'acme')).toEqual(['run-7', 'run-6', 'run-5']);
  });

  it('rejects with an AbortError and deletes nothing when the signal was aborted before the call', async () => {
    const deletes: string[] = [];
    const store = freshStore((text) => {
      if (/\bDELETE FROM\b/.test(text)) deletes.push(text);
    });
    await addRun(store, 'acme', 'run-1', day(1));
    const controller = new AbortController();
    controller.abort();

    const error = await rejectionOf(store.pruneRuns({ olderThan: at(day(10)), keepLatest: 0, signal: controller.signal }));

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(deletes).toEqual([]);
    expect(await runIds(store, 'acme')).toEqual(['run-1']);
  });

  it.each<[string, unknown, string]>([
    ['a negative keepLatest', { olderThan: new Date(), keepLatest: -1 }, 'keepLatest'],
    ['a fractional keepLatest', { olderThan: new Date(), keepLatest: 1.5 }, 'keepLatest'],
    ['batchSize 0', { olderThan: new Date(), batchSize: 0 }, 'batchSize'],
    ['batchSize over 10000', { olderThan: new Date(), batchSize: 10_001 }, 'batchSize'],
    ['olderThan as text', { olderThan: '2026-01-01T00:00:00.000Z' }, 'olderThan'],
    ['no olderThan', {}, 'olderThan'],
    ['an invalid Date', { olderThan: new Date(Number.NaN) }, 'olderThan'],
    ['a Date after the year 9999', { olderThan: new Date('+010000-01-01T00:00:00.000Z') }, 'olderThan'],
    ['an empty connectionId', { olderThan: new Date(), connectionId: '' }, 'connectionId'],
    ['a signal that is not an AbortSignal', { olderThan: new Date(), signal: { aborted: false } }, 'signal'],
  ])('rejects %s with ConfigurationError naming the argument, before any statement', async (_label, options, path) => {
    const statements: string[] = [];
    const store = freshStore((text) => statements.push(text));
    await store.ready();
    statements.length = 0;

    const error = await rejectionOf(store.pruneRuns(options as never));

    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((error as ConfigurationError).issues.map((issue) => issue.path)).toContain(path);
    expect(statements).toEqual([]);
  });

  it('rejects options that are not an object with ConfigurationError', async () => {
    const store = freshStore();
    expect(await rejectionOf(store.pruneRuns(undefined as never))).toBeInstanceOf(ConfigurationError);
  });

  it('wraps a database error in PostgresStoreError naming pruneRuns', async () => {
    const store = freshStore();
    await addRun(store, 'acme', 'run-1', day(1));
    // The same schema through a connection whose DELETE statements fail.
    const failing = postgresStore({
      schema: store.schema,
      pool: {
        query: (text, params) =>
          /\bDELETE FROM\b/.test(text)
            ? Promise.reject(Object.assign(new Error('permission denied for table netsuite_sync_runs'), { severity: 'ERROR', code: '42501' }))
            : backend.pool.query(text, params),
      },
    });

    const error = await rejectionOf(failing.pruneRuns({ olderThan: at(day(10)), keepLatest: 0 }));

    expect(error).toBeInstanceOf(PostgresStoreError);
    expect(error).toMatchObject({ operation: 'pruneRuns', sqlState: '42501' });
    expect(await runIds(store, 'acme')).toEqual(['run-1']);
  });
});
