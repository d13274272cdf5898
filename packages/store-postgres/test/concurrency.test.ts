/**
 * Races between workers, each with a pool (connections) of its own, as separate processes would have. On
 * the server of DATABASE_URL they really run in parallel. On PGlite, which has one connection, the same
 * tests run with every statement serialized: they still check the outcome, not the interleaving.
 */
import { LinkConflictError, RunStateError } from '@invoiced/netsuite-sync';
import type { RecordError, SyncStore } from '@invoiced/netsuite-sync';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, postgresStore } from '../src/index';
import { MIGRATIONS } from '../src/schema';
import { openBackend, randomSchema, sleep } from './support';

const backend = await openBackend();
const schema = randomSchema('concurrency');
const schemas = [schema];
await migrate(backend.pool, { schema });
afterAll(async () => {
  for (const each of schemas) await backend.dropSchema(each);
  await backend.close();
});

const WORKERS = 8;
/** One store per worker, each on a pool of its own (the same PGlite instance on PGlite). */
const workers: SyncStore[] = Array.from({ length: WORKERS }, () => postgresStore({ pool: backend.newPool(2), schema }));
const unique = (label: string): string => `${label}-${crypto.randomUUID()}`;

const title =
  backend.kind === 'server'
    ? 'concurrency on the PostgreSQL server (separate pools racing in parallel)'
    : 'concurrency on PGlite (serialized: PGlite has one connection, so these races run one statement at a time)';

describe(title, () => {
  it('gives each of many connections exactly one holder at all times while many workers race for them', async () => {
    const connections = Array.from({ length: 6 }, (_, index) => unique(`race-${index}`));
    /** Who believes it holds each connection's lease, with an epoch that changes on every acquisition. */
    const believed = new Map<string, { holder: string; epoch: number }>();
    const violations: string[] = [];
    const wins = new Map<string, Set<string>>(connections.map((connection) => [connection, new Set()]));
    let epoch = 0;
    let racing = true;

    const work = async (store: SyncStore, holder: string): Promise<void> => {
      let turn = 0;
      while (racing) {
        // PGlite answers without I/O: yield to timers, or the race would never see `racing` turn false.
        await new Promise((resolve) => setImmediate(resolve));
        turn += 1;
        const connection = connections[(turn * 7 + holder.length + Number(holder.slice(7))) % connections.length] ?? '';
        if (!(await store.acquireLease(connection, holder, 30_000))) continue;
        const other = believed.get(connection);
        if (other !== undefined) violations.push(`${holder} acquired ${connection} while ${other.holder} held it`);
        believed.set(connection, { holder, epoch: (epoch += 1) });
        wins.get(connection)?.add(holder);
        if (!(await store.renewLease(connection, holder, 30_000))) violations.push(`${holder} could not renew ${connection} it holds`);
        await sleep(turn % 3);
        believed.delete(connection);
        await store.releaseLease(connection, holder);
      }
    };
    const sampler = backend.newPool(1);
    let samples = 0;
    const sample = async (): Promise<void> => {
      while (racing) {
        const before = new Map(believed);
        const { rows } = await sampler.query(
          `SELECT connection_id, holder FROM "${schema}".netsuite_sync_leases WHERE connection_id = ANY($1::text[]) AND expires_at > clock_timestamp()`,
          [connections],
        );
        const live = new Map(rows.map((row) => [(row as { connection_id: string }).connection_id, (row as { holder: string }).holder]));
        for (const [connection, belief] of before) {
          // Held in this process for the whole read: the database must name the same one holder.
          if (believed.get(connection)?.epoch === belief.epoch && live.get(connection) !== belief.holder) {
            violations.push(`the database says ${live.get(connection) ?? 'nobody'} holds ${connection}, ${belief.holder} believes it does`);
          }
        }
        samples += 1;
        await sleep(1);
      }
    };

    const running = [...workers.map((store, index) => work(store, `worker-${index}`)), sample()];
    await sleep(1_500);
    racing = false;
    await Promise.all(running);

    expect(violations).toEqual([]);
    expect(samples).toBeGreaterThan(10);
    for (const [connection, holders] of wins) expect(holders.size, `workers that held ${connection}`).toBeGreaterThan(1);
  });

  it('lets another worker take the lease of a holder that died, once its ttl has passed, and not before', async () => {
    const connection = unique('crash');
    const doomedPool = backend.newPool(1);
    const doomed = postgresStore({ pool: doomedPool, schema });
    expect(await doomed.acquireLease(connection, 'doomed', 500)).toBe(true);
    // The holder's process dies: its connections close and it never releases the lease.
    if (backend.kind === 'server') await (doomedPool as unknown as { end: () => Promise<void> }).end();
    const [survivor, other] = workers;
    expect(await survivor?.acquireLease(connection, 'survivor', 60_000)).toBe(false);
    const deadline = Date.now() + 5_000;
    let taken = false;
    while (!taken && Date.now() < deadline) {
      await sleep(50);
      taken = (await survivor?.acquireLease(connection, 'survivor', 60_000)) === true;
    }
    expect(taken).toBe(true);
    expect(await other?.acquireLease(connection, 'other', 60_000)).toBe(false);
    expect(await other?.renewLease(connection, 'doomed', 60_000)).toBe(false);
  });

  it('leaves one link when every worker saves the same pair at once', async () => {
    // Many rounds: on the server, a save that loses the race to insert the same pair sometimes meets the
    // NetSuite-side unique constraint before Postgres takes the ON CONFLICT path, and must save again.
    const connection = unique('same-pair');
    const [first] = workers;
    for (let round = 0; round < 40; round += 1) {
      const pair = { kind: 'invoice' as const, invoicedId: `${round}`, netsuiteId: `ns-${round}`, origin: 'netsuite' as const };
      const results = await Promise.allSettled(workers.map((store, index) => store.saveLink(connection, { ...pair, fingerprint: `fp-${index}` })));
      expect(results.map((result) => result.status)).toEqual(workers.map(() => 'fulfilled'));
      const found = await first?.findLinkByNetSuiteId(connection, 'invoice', pair.netsuiteId);
      expect(found).toMatchObject(pair);
      expect(workers.map((_, index) => `fp-${index}`)).toContain(found?.fingerprint);
    }
    expect(await first?.listLinks(connection, 'invoice')).toHaveLength(40);
  });

  it('lets exactly one of the workers saving conflicting links win, on either side', async () => {
    const [first] = workers;
    for (let round = 0; round < 5; round += 1) {
      const connection = unique('conflicts');
      const racesOnNetSuite = await Promise.allSettled(workers.map((store, index) => store.saveLink(connection, { kind: 'payment', invoicedId: `${index}`, netsuiteId: '500', origin: 'netsuite', fingerprint: null })));
      const racesOnInvoiced = await Promise.allSettled(workers.map((store, index) => store.saveLink(connection, { kind: 'customer', invoicedId: '7', netsuiteId: `${index}`, origin: 'invoiced', fingerprint: null })));
      for (const [results, kind] of [[racesOnNetSuite, 'payment'], [racesOnInvoiced, 'customer']] as const) {
        const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
        expect(winners).toHaveLength(1);
        for (const result of results) if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(LinkConflictError);
        expect(await first?.listLinks(connection, kind)).toEqual(winners);
      }
    }
  });

  it('appends concurrent batches of record errors whole and in order, and finishes a run once', async () => {
    const connection = unique('runs');
    const [first] = workers;
    await first?.startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: '2026-11-24T10:00:00.000Z' });
    const batch = (worker: number): RecordError[] =>
      Array.from({ length: 25 }, (_, index) => ({
        entity: 'invoice',
        direction: 'netsuite_to_invoiced',
        sourceId: `${worker}-${index}`,
        number: null,
        code: 'X',
        message: 'x',
        resolution: 'x',
        occurredAt: '2026-11-24T10:00:01.000Z',
      }));
    await Promise.all(workers.map((store, worker) => store.addRecordErrors(connection, 'run-1', batch(worker))));
    const run = await first?.getRun(connection, 'run-1');
    expect(run?.recordErrorCount).toBe(WORKERS * 25);
    const sources = run?.recordErrors.map((error) => error.sourceId) ?? [];
    // Each batch is one contiguous block, in its own order; the blocks may come in any order.
    const blocks = Array.from({ length: WORKERS }, (_, index) => sources.slice(index * 25, index * 25 + 25));
    const batches = blocks.map((block) => block[0]?.split('-')[0] ?? '');
    expect([...batches].sort()).toEqual(workers.map((_, worker) => String(worker)).sort());
    for (const [index, block] of blocks.entries()) expect(block).toEqual(batch(Number(batches[index])).map((error) => error.sourceId));

    const outcomes = await Promise.allSettled(workers.map((store, worker) => store.finishRun(connection, 'run-1', { status: 'succeeded', finishedAt: '2026-11-24T10:05:00.000Z', counts: { worker }, error: null })));
    const finished = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(finished).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ constructor: RunStateError, reason: 'finished' });
    expect(await first?.getRun(connection, 'run-1')).toEqual(finished[0]);
  });

  it('applies the migrations once when several processes migrate a new schema at once', async () => {
    const fresh = randomSchema('concurrent_migrate');
    schemas.push(fresh);
    const pools = Array.from({ length: 6 }, () => backend.newPool(1));
    const results = await Promise.all(pools.map((pool) => migrate(pool, { schema: fresh })));
    expect(results.map((result) => result.version)).toEqual(pools.map(() => LATEST_VERSION));
    expect(results.filter((result) => result.applied.length > 0)).toEqual([expect.objectContaining({ applied: MIGRATIONS.map((migration) => migration.version) })]);
    const { rows } = await backend.pool.query(`SELECT version FROM "${fresh}".netsuite_sync_migrations ORDER BY version`);
    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
    // And stores that migrate on first use, racing on another new schema.
    const other = randomSchema('concurrent_first_use');
    schemas.push(other);
    const stores = pools.map((pool) => postgresStore({ pool, schema: other }));
    await Promise.all(stores.map((store, index) => store.setCursor('acme', `phase-${index}`, 'x')));
    const recorded = await backend.pool.query(`SELECT count(*)::integer AS versions FROM "${other}".netsuite_sync_migrations`);
    expect(recorded.rows).toEqual([{ versions: MIGRATIONS.length }]);
  });
});
