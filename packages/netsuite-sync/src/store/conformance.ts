/**
 * The conformance suite of {@link SyncStore}: one set of behaviour tests every store package must pass,
 * published as `@invoiced/netsuite-sync/testing`. It registers vitest tests, so it runs inside vitest only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeInbox } from './conformance-inbox';
import { DEFAULT_RUN_LIMIT, LinkConflictError, RunStateError } from './sync-store';
import type { RunStateReason } from './sync-store';
import type { EntityKind, ImportCheckpoint, RecordError, RetryItem, Side, SyncLink, SyncRun, SyncStore } from './sync-store';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Names the suite in the test report, e.g. `'postgresStore'`. */
  name: string;
  /**
   * Makes the store under test; called before every test. The store may be shared across tests (a
   * database): every test works on connection IDs of its own. Lease tests wait for short ttls to pass, so
   * the store must run on the real clock.
   */
  createStore: () => SyncStore | Promise<SyncStore>;
  /** Called after every test with the store `createStore` made, e.g. to close a pool. */
  cleanup?: (store: SyncStore) => void | Promise<void>;
}

/**
 * Registers the conformance tests of a {@link SyncStore} as a vitest `describe` block. Call it at the top
 * level of a test file.
 *
 * @example
 * ```ts
 * // A store package's test file, here the memory store's
 * import { runStoreConformance } from '@invoiced/netsuite-sync/testing';
 * import { memoryStore } from '@invoiced/netsuite-sync-store-memory';
 *
 * runStoreConformance({ name: 'memoryStore', createStore: () => memoryStore() });
 * ```
 */
export function runStoreConformance(options: StoreConformanceOptions): void {
  describe(`SyncStore conformance: ${options.name}`, () => {
    let current: SyncStore | undefined;
    beforeEach(async () => {
      current = await options.createStore();
    });
    afterEach(async () => {
      if (current !== undefined && options.cleanup !== undefined) await options.cleanup(current);
      current = undefined;
    });
    const store = (): SyncStore => {
      if (current === undefined) throw new Error('createStore() did not run before the test.');
      return current;
    };

    describeLeases(store);
    describeCursors(store);
    describeLinks(store);
    describeRuns(store);
    describeRecordErrorCodes(store);
    describeRetries(store);
    describeCheckpoints(store);
    describeIsolation(store);
    describeRoundTrips(store);
    describeInbox(store, [
      { label: 'awkward text', text: AWKWARD },
      { label: 'text with NUL characters and unpaired surrogates', text: UNSTORABLE },
    ]);
  });
}

type GetStore = () => SyncStore;

/** A connection ID no other test (or earlier run against a persistent store) uses. */
function freshConnection(label = 'conn'): string {
  return `conformance-${label}-${crypto.randomUUID()}`;
}

/**
 * A ttl that passes within a test, long enough that a slow store (a database under load) still answers the
 * next call before it ends; tests wait {@link PAST_SHORT_TTL_MS} for it to pass.
 */
const SHORT_TTL_MS = 200;
const PAST_SHORT_TTL_MS = 350;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The time format of the contract. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `2026-11-24T10:00:00.000Z` plus `seconds`. */
function time(seconds: number): string {
  return new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + seconds * 1000).toISOString();
}

function link(invoicedId: string, netsuiteId: string, overrides: Partial<Omit<SyncLink, 'updatedAt'>> = {}): Omit<SyncLink, 'updatedAt'> {
  return { kind: 'invoice', invoicedId, netsuiteId, origin: 'netsuite', fingerprint: `fp-${invoicedId}-${netsuiteId}`, ...overrides };
}

function recordError(sourceId: string, overrides: Partial<RecordError> = {}): RecordError {
  return {
    entity: 'invoice',
    direction: 'netsuite_to_invoiced',
    sourceId,
    number: `INV-${sourceId}`,
    code: 'INVALID_REQUEST',
    message: `Invoice ${sourceId} was refused.`,
    resolution: 'Fix the invoice, then retry it.',
    occurredAt: time(1),
    ...overrides,
  };
}

function retryItem(sourceId: string, overrides: Partial<RetryItem> = {}): RetryItem {
  const direction = overrides.direction ?? 'netsuite_to_invoiced';
  const entity = overrides.entity ?? 'invoice';
  return {
    key: `${direction}:${entity}:${sourceId}`,
    entity,
    direction,
    sourceId,
    number: `INV-${sourceId}`,
    attempts: 1,
    lastError: { code: 'INVALID_REQUEST', message: 'Refused.', resolution: 'Fix it.' },
    status: 'pending',
    fingerprint: `fp-${sourceId}`,
    updatedAt: time(2),
    ...overrides,
  };
}

function checkpoint(jobId: string, overrides: Partial<ImportCheckpoint> = {}): ImportCheckpoint {
  return { jobId, kind: 'invoices', status: 'running', cursor: 'page-1', processed: 100, total: 1000, result: null, updatedAt: time(3), ...overrides };
}

/** Awaits `promise` and checks it rejected with a `RunStateError` of `reason` naming `runId`. */
async function expectRunState(promise: Promise<unknown>, reason: RunStateReason, runId: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error, `the call resolved instead of failing with RunStateError (${reason})`).toBeInstanceOf(RunStateError);
  expect(error).toMatchObject({ reason, runId });
}

/** Awaits `promise` and checks it rejected with a `LinkConflictError` naming `expected`. */
async function expectLinkConflict(promise: Promise<unknown>, expected: { kind: EntityKind; side?: Side; id?: string }): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'saveLink resolved instead of failing with LinkConflictError').toBeInstanceOf(LinkConflictError);
  expect(error).toMatchObject({ code: 'LINK_CONFLICT', ...expected });
}

function describeLeases(store: GetStore): void {
  describe('leases', () => {
    it('acquires a free lease', async () => {
      expect(await store().acquireLease(freshConnection(), 'worker-a', 60_000)).toBe(true);
    });

    it('refuses a second holder while the lease is held', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
    });

    it('lets the holder renew by acquiring again, which extends the expiry', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', SHORT_TTL_MS)).toBe(true);
      expect(await store().acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
    });

    it('lets the holder extend its lease with renewLease', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', SHORT_TTL_MS)).toBe(true);
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(true);
    });

    it('refuses renewLease by a non-holder and changes nothing', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', SHORT_TTL_MS)).toBe(true);
      expect(await store().renewLease(connection, 'worker-b', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      // The refused renewal neither extended nor took over worker-a's lease: it still expires on time.
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store().acquireLease(connection, 'worker-c', 60_000)).toBe(true);
    });

    it('refuses renewLease when nobody holds the lease, without taking it', async () => {
      const connection = freshConnection();
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(true);
    });

    it('refuses renewLease by the holder once the ttl has passed', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', SHORT_TTL_MS)).toBe(true);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(true);
    });

    it('lets another holder take the lease once the ttl has passed', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', SHORT_TTL_MS)).toBe(true);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(false);
      await sleep(PAST_SHORT_TTL_MS);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(true);
      // worker-a lost it: it can neither renew, re-take nor release worker-b's lease.
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-a', 60_000)).toBe(false);
      await store().releaseLease(connection, 'worker-a');
      expect(await store().acquireLease(connection, 'worker-c', 60_000)).toBe(false);
    });

    it('ignores releaseLease by a non-holder', async () => {
      const connection = freshConnection();
      expect(await store().acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      await store().releaseLease(connection, 'worker-b');
      expect(await store().acquireLease(connection, 'worker-c', 60_000)).toBe(false);
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(true);
    });

    it('frees the lease for another holder when the holder releases it', async () => {
      const connection = freshConnection();
      await store().releaseLease(connection, 'worker-a'); // releasing a free lease is not an error
      expect(await store().acquireLease(connection, 'worker-a', 60_000)).toBe(true);
      await store().releaseLease(connection, 'worker-a');
      expect(await store().renewLease(connection, 'worker-a', 60_000)).toBe(false);
      expect(await store().acquireLease(connection, 'worker-b', 60_000)).toBe(true);
    });

    it('gives the lease to exactly one of 20 holders racing for it', async () => {
      const connection = freshConnection();
      const holders = Array.from({ length: 20 }, (_, index) => `worker-${index}`);
      const results = await Promise.all(holders.map((holder) => store().acquireLease(connection, holder, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = holders[results.indexOf(true)] ?? '';
      const renewals = await Promise.all(holders.map((holder) => store().renewLease(connection, holder, 60_000)));
      expect(renewals).toEqual(holders.map((holder) => holder === winner));
    });

    it('gives exactly one lease per connection when many connections race at once', async () => {
      const connections = Array.from({ length: 10 }, (_, index) => freshConnection(`race${index}`));
      const holders = Array.from({ length: 10 }, (_, index) => `worker-${index}`);
      // Interleaved, so calls for one connection are not all issued back to back.
      const calls = holders.flatMap((holder) => connections.map((connection) => ({ connection, holder })));
      const results = await Promise.all(calls.map(({ connection, holder }) => store().acquireLease(connection, holder, 60_000)));
      for (const connection of connections) {
        const won = calls.filter((call, index) => call.connection === connection && results[index] === true);
        expect(won, `winners for ${connection}`).toHaveLength(1);
      }
    });

    it('keeps the leases of different connections independent', async () => {
      const first = freshConnection('first');
      const second = freshConnection('second');
      expect(await store().acquireLease(first, 'worker-a', 60_000)).toBe(true);
      expect(await store().acquireLease(second, 'worker-b', 60_000)).toBe(true);
      expect(await store().acquireLease(second, 'worker-a', 60_000)).toBe(false);
      await store().releaseLease(second, 'worker-a');
      await store().releaseLease(first, 'worker-b');
      expect(await store().acquireLease(first, 'worker-c', 60_000)).toBe(false);
      await store().releaseLease(first, 'worker-a');
      expect(await store().acquireLease(second, 'worker-c', 60_000)).toBe(false);
      expect(await store().acquireLease(first, 'worker-c', 60_000)).toBe(true);
    });
  });
}

function describeCursors(store: GetStore): void {
  describe('cursors', () => {
    it('returns null for a phase that never completed', async () => {
      expect(await store().getCursor(freshConnection(), 'netsuite_invoices')).toBeNull();
    });

    it('returns the cursor that was set, and the latest one after it is overwritten', async () => {
      const connection = freshConnection();
      await store().setCursor(connection, 'netsuite_invoices', time(0));
      expect(await store().getCursor(connection, 'netsuite_invoices')).toBe(time(0));
      await store().setCursor(connection, 'netsuite_invoices', time(60));
      await store().setCursor(connection, 'netsuite_invoices', time(60));
      expect(await store().getCursor(connection, 'netsuite_invoices')).toBe(time(60));
    });

    it('keeps one cursor per phase', async () => {
      const connection = freshConnection();
      await store().setCursor(connection, 'netsuite_invoices', time(10));
      await store().setCursor(connection, 'netsuite_payments', time(20));
      expect(await store().getCursor(connection, 'netsuite_invoices')).toBe(time(10));
      expect(await store().getCursor(connection, 'netsuite_payments')).toBe(time(20));
      expect(await store().getCursor(connection, 'invoiced_invoices')).toBeNull();
    });

    it('keeps one cursor per connection', async () => {
      const first = freshConnection('first');
      const second = freshConnection('second');
      await store().setCursor(first, 'netsuite_invoices', time(10));
      await store().setCursor(second, 'netsuite_invoices', time(20));
      expect(await store().getCursor(first, 'netsuite_invoices')).toBe(time(10));
      expect(await store().getCursor(second, 'netsuite_invoices')).toBe(time(20));
    });
  });
}

function describeLinks(store: GetStore): void {
  describe('links', () => {
    it('finds nothing before a link is saved', async () => {
      const connection = freshConnection();
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '1')).toBeNull();
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '100')).toBeNull();
      expect(await store().listLinks(connection, 'invoice')).toEqual([]);
    });

    it('saves a link and finds it by either side', async () => {
      const connection = freshConnection();
      const saved = await store().saveLink(connection, link('1', '100', { origin: 'invoiced' }));
      expect(saved).toEqual({ ...link('1', '100', { origin: 'invoiced' }), updatedAt: expect.stringMatching(ISO_TIME) as unknown });
      expect(new Date(saved.updatedAt).toISOString()).toBe(saved.updatedAt);
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '1')).toEqual(saved);
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '100')).toEqual(saved);
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '100')).toBeNull();
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '1')).toBeNull();
    });

    it('keeps one link when the same link is saved again, with the new fingerprint', async () => {
      const connection = freshConnection();
      const first = await store().saveLink(connection, link('1', '100', { fingerprint: 'v1' }));
      const again = await store().saveLink(connection, link('1', '100', { fingerprint: 'v2' }));
      expect(again).toEqual({ ...first, fingerprint: 'v2', updatedAt: again.updatedAt });
      expect(again.updatedAt >= first.updatedAt).toBe(true);
      expect(await store().listLinks(connection, 'invoice')).toEqual([again]);
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '100')).toEqual(again);
      const cleared = await store().saveLink(connection, link('1', '100', { fingerprint: null }));
      expect(cleared.fingerprint).toBeNull();
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '1')).toEqual(cleared);
    });

    it('never changes the origin of an existing link', async () => {
      const connection = freshConnection();
      await store().saveLink(connection, link('1', '100', { origin: 'netsuite' }));
      const again = await store().saveLink(connection, link('1', '100', { origin: 'invoiced', fingerprint: 'v2' }));
      expect(again.origin).toBe('netsuite');
      expect(again.fingerprint).toBe('v2');
      expect((await store().findLinkByInvoicedId(connection, 'invoice', '1'))?.origin).toBe('netsuite');
    });

    it('refuses a link whose Invoiced ID is linked to another NetSuite record, and changes nothing', async () => {
      const connection = freshConnection();
      const existing = await store().saveLink(connection, link('1', '100'));
      await expectLinkConflict(store().saveLink(connection, link('1', '200', { fingerprint: 'other' })), { kind: 'invoice', side: 'invoiced', id: '1' });
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '1')).toEqual(existing);
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '200')).toBeNull();
      expect(await store().listLinks(connection, 'invoice')).toEqual([existing]);
    });

    it('refuses a link whose NetSuite ID is linked to another Invoiced record, and changes nothing', async () => {
      const connection = freshConnection();
      const existing = await store().saveLink(connection, link('1', '100'));
      await expectLinkConflict(store().saveLink(connection, link('2', '100', { fingerprint: 'other' })), { kind: 'invoice', side: 'netsuite', id: '100' });
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '100')).toEqual(existing);
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '2')).toBeNull();
      expect(await store().listLinks(connection, 'invoice')).toEqual([existing]);
    });

    it('refuses a link whose two IDs are each linked to other records, and changes nothing', async () => {
      const connection = freshConnection();
      const one = await store().saveLink(connection, link('1', '100'));
      const two = await store().saveLink(connection, link('2', '200'));
      await expectLinkConflict(store().saveLink(connection, link('1', '200')), { kind: 'invoice' });
      expect(await store().listLinks(connection, 'invoice')).toEqual([one, two]);
    });

    it('keeps the same IDs in different kinds independent', async () => {
      const connection = freshConnection();
      const customer = await store().saveLink(connection, link('1', '100', { kind: 'customer' }));
      const invoice = await store().saveLink(connection, link('1', '200', { kind: 'invoice' }));
      const payment = await store().saveLink(connection, link('2', '100', { kind: 'payment' }));
      expect(await store().findLinkByInvoicedId(connection, 'customer', '1')).toEqual(customer);
      expect(await store().findLinkByInvoicedId(connection, 'invoice', '1')).toEqual(invoice);
      expect(await store().findLinkByNetSuiteId(connection, 'customer', '100')).toEqual(customer);
      expect(await store().findLinkByNetSuiteId(connection, 'payment', '100')).toEqual(payment);
      expect(await store().findLinkByNetSuiteId(connection, 'creditNote', '100')).toBeNull();
      expect(await store().listLinks(connection, 'payment')).toEqual([payment]);
    });

    it('leaves one link when the same pair is saved concurrently', async () => {
      const connection = freshConnection();
      const fingerprints = Array.from({ length: 20 }, (_, index) => `fp-${index}`);
      const results = await Promise.allSettled(fingerprints.map((fingerprint) => store().saveLink(connection, link('1', '100', { fingerprint }))));
      expect(results.map((result) => result.status)).toEqual(fingerprints.map(() => 'fulfilled'));
      const links = await store().listLinks(connection, 'invoice');
      expect(links).toHaveLength(1);
      expect(fingerprints).toContain(links[0]?.fingerprint);
      expect(await store().findLinkByNetSuiteId(connection, 'invoice', '100')).toEqual(links[0]);
    });

    it.each([
      { side: 'Invoiced', make: (index: number) => link('1', `${100 + index}`) },
      { side: 'NetSuite', make: (index: number) => link(`${index + 1}`, '100') },
    ])('lets exactly one of 20 concurrent links sharing one $side ID win', async ({ make }) => {
      const connection = freshConnection();
      const attempts = Array.from({ length: 20 }, (_, index) => make(index));
      const results = await Promise.allSettled(attempts.map((attempt) => store().saveLink(connection, attempt)));
      const winners = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(LinkConflictError);
      }
      expect(await store().listLinks(connection, 'invoice')).toEqual(winners);
    });

    it('lists the links of a kind ordered by Invoiced ID: digit IDs numerically first, then the others', async () => {
      const connection = freshConnection();
      // Code point order puts U+FFFD before U+1F600, UTF-16 order (JavaScript's `<`) after it.
      const ordered = ['2', '007', '7', '9', '10', '100', '12345678901234567890', '12345678901234567891', '1a', 'B', 'a', 'ab', 'x\uFFFD', 'x\u{1F600}'];
      const shuffled = ['ab', '10', 'x\u{1F600}', '12345678901234567891', 'B', '7', '100', 'a', '2', 'x\uFFFD', '12345678901234567890', '1a', '9', '007'];
      expect([...shuffled].sort()).toEqual([...ordered].sort());
      for (const [index, invoicedId] of shuffled.entries()) {
        await store().saveLink(connection, link(invoicedId, `ns-${index}`));
      }
      await store().saveLink(connection, link('5', 'ns-customer', { kind: 'customer' }));
      expect((await store().listLinks(connection, 'invoice')).map((saved) => saved.invoicedId)).toEqual(ordered);
      expect((await store().listLinks(connection, 'customer')).map((saved) => saved.invoicedId)).toEqual(['5']);
      expect(await store().listLinks(connection, 'creditNote')).toEqual([]);
    });
  });
}

function describeRuns(store: GetStore): void {
  describe('runs', () => {
    const outcome = { status: 'partial' as const, finishedAt: time(30), counts: { invoices_created: 3, records_failed: 1 }, error: null };

    it('starts a run as running with no counts, error or record errors', async () => {
      const connection = freshConnection();
      const started = await store().startRun(connection, { id: 'run-1', trigger: 'manual', startedAt: time(0) });
      const expected: SyncRun = { id: 'run-1', trigger: 'manual', status: 'running', startedAt: time(0), finishedAt: null, counts: {}, error: null, recordErrors: [], recordErrorCount: 0, recordErrorCodes: {} };
      expect(started).toEqual(expected);
      expect(await store().getRun(connection, 'run-1')).toEqual(expected);
    });

    it('returns null for an unknown run', async () => {
      expect(await store().getRun(freshConnection(), 'missing')).toBeNull();
    });

    it('refuses to start a run with an ID the connection already has, and changes nothing', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'manual', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-1', [recordError('1')]);
      const before = await store().getRun(connection, 'run-1');
      await expectRunState(store().startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: time(60) }), 'exists', 'run-1');
      expect(await store().getRun(connection, 'run-1')).toEqual(before);
      expect(await store().listRuns(connection)).toEqual([before]);
    });

    it('appends record errors in order across calls', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-1', [recordError('3'), recordError('1')]);
      await store().addRecordErrors(connection, 'run-1', []);
      await store().addRecordErrors(connection, 'run-1', [recordError('2', { entity: 'payment', direction: 'invoiced_to_netsuite' })]);
      const run = await store().getRun(connection, 'run-1');
      expect(run?.recordErrors).toEqual([recordError('3'), recordError('1'), recordError('2', { entity: 'payment', direction: 'invoiced_to_netsuite' })]);
      expect(run?.recordErrorCount).toBe(3);
      expect(run?.status).toBe('running');
    });

    it('finishes a run with its status, finishedAt, counts and error, and returns it with its record errors', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'manual', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-1', [recordError('1')]);
      const finished = await store().finishRun(connection, 'run-1', outcome);
      const expected: SyncRun = { id: 'run-1', trigger: 'manual', startedAt: time(0), ...outcome, recordErrors: [recordError('1')], recordErrorCount: 1, recordErrorCodes: { INVALID_REQUEST: 1 } };
      expect(finished).toEqual(expected);
      expect(await store().getRun(connection, 'run-1')).toEqual(expected);
    });

    it.each(['succeeded', 'partial', 'failed', 'cancelled', 'abandoned'] as const)('finishes a run as %s', async (status) => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'retry', startedAt: time(0) });
      const error =
        status === 'failed' ? { code: 'INVALID_LOGIN', message: 'NetSuite refused the credentials.', resolution: 'Check the token.' } : status === 'abandoned' ? { code: 'ABANDONED', message: 'Its process stopped.', resolution: null } : null;
      const finished = await store().finishRun(connection, 'run-1', { status, finishedAt: time(5), counts: {}, error });
      expect(finished).toMatchObject({ status, finishedAt: time(5), counts: {}, error });
      expect(await store().getRun(connection, 'run-1')).toEqual(finished);
    });

    it('refuses to finish a run twice and keeps the first outcome', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'manual', startedAt: time(0) });
      const first = await store().finishRun(connection, 'run-1', outcome);
      await expectRunState(
        store().finishRun(connection, 'run-1', { status: 'failed', finishedAt: time(90), counts: { other: 9 }, error: { code: 'X', message: 'x', resolution: null } }),
        'finished',
        'run-1',
      );
      expect(await store().getRun(connection, 'run-1')).toEqual(first);
    });

    it('refuses to finish, or add record errors to, a run that does not exist', async () => {
      const connection = freshConnection();
      await expectRunState(store().finishRun(connection, 'missing', outcome), 'not_found', 'missing');
      await expectRunState(store().addRecordErrors(connection, 'missing', [recordError('1')]), 'not_found', 'missing');
      expect(await store().getRun(connection, 'missing')).toBeNull();
      expect(await store().listRuns(connection)).toEqual([]);
    });

    it('lists runs newest first by startedAt, with their outcome and record errors', async () => {
      const connection = freshConnection();
      for (const [id, second] of [['run-b', 20], ['run-c', 30], ['run-a', 10]] as const) {
        await store().startRun(connection, { id, trigger: 'auto', startedAt: time(second) });
      }
      await store().addRecordErrors(connection, 'run-b', [recordError('1')]);
      const finished = await store().finishRun(connection, 'run-b', outcome);
      const runs = await store().listRuns(connection);
      expect(runs.map((run) => run.id)).toEqual(['run-c', 'run-b', 'run-a']);
      expect(runs[1]).toEqual(finished);
    });

    it('lists runs with the same startedAt later-started first', async () => {
      const connection = freshConnection();
      for (const id of ['run-1', 'run-2', 'run-3']) await store().startRun(connection, { id, trigger: 'auto', startedAt: time(0) });
      await store().startRun(connection, { id: 'run-0', trigger: 'auto', startedAt: time(-1) });
      expect((await store().listRuns(connection)).map((run) => run.id)).toEqual(['run-3', 'run-2', 'run-1', 'run-0']);
    });

    it('returns at most limit runs, and 20 by default', async () => {
      const connection = freshConnection();
      for (let index = 0; index < 25; index += 1) {
        await store().startRun(connection, { id: `run-${index}`, trigger: 'auto', startedAt: time(index) });
      }
      const newest = Array.from({ length: 25 }, (_, index) => `run-${24 - index}`);
      expect((await store().listRuns(connection)).map((run) => run.id)).toEqual(newest.slice(0, 20));
      expect((await store().listRuns(connection, {})).map((run) => run.id)).toEqual(newest.slice(0, 20));
      expect((await store().listRuns(connection, { limit: 3 })).map((run) => run.id)).toEqual(newest.slice(0, 3));
      expect((await store().listRuns(connection, { limit: 100 })).map((run) => run.id)).toEqual(newest);
    });

    it('lists the first errorsPerRun record errors of each run (100 by default) with the full count', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-big', trigger: 'auto', startedAt: time(0) });
      const errors = Array.from({ length: 130 }, (_, index) => recordError(String(index)));
      await store().addRecordErrors(connection, 'run-big', errors.slice(0, 70));
      await store().addRecordErrors(connection, 'run-big', errors.slice(70));
      await store().startRun(connection, { id: 'run-small', trigger: 'auto', startedAt: time(10) });
      await store().addRecordErrors(connection, 'run-small', [recordError('x')]);

      const [small, big] = await store().listRuns(connection);
      expect(big?.recordErrors).toEqual(errors.slice(0, 100));
      expect(big?.recordErrorCount).toBe(130);
      expect(small).toMatchObject({ recordErrors: [recordError('x')], recordErrorCount: 1 });
      const [, fewer] = await store().listRuns(connection, { errorsPerRun: 2 });
      expect(fewer).toMatchObject({ id: 'run-big', recordErrors: errors.slice(0, 2), recordErrorCount: 130 });
      const [, none] = await store().listRuns(connection, { errorsPerRun: 0 });
      expect(none).toMatchObject({ recordErrors: [], recordErrorCount: 130 });
      expect((await store().getRun(connection, 'run-big'))?.recordErrors).toEqual(errors);
    });

    it('closes a run left running as abandoned, keeping its record errors, and then refuses its late finish', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-dead', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-dead', [recordError('1')]);
      const error = { code: 'ABANDONED', message: `The process stopped before the run finished; found at ${time(600)}.`, resolution: 'Nothing to do.' };
      const closed = await store().finishRun(connection, 'run-dead', { status: 'abandoned', finishedAt: time(600), counts: { invoices_created: 2 }, error });
      const expected: SyncRun = { id: 'run-dead', trigger: 'auto', status: 'abandoned', startedAt: time(0), finishedAt: time(600), counts: { invoices_created: 2 }, error, recordErrors: [recordError('1')], recordErrorCount: 1, recordErrorCodes: { INVALID_REQUEST: 1 } };
      expect(closed).toEqual(expected);
      await expectRunState(store().finishRun(connection, 'run-dead', outcome), 'finished', 'run-dead');
      expect(await store().listRuns(connection)).toEqual([expected]);
      // A run that ended is not closed as abandoned either.
      await store().startRun(connection, { id: 'run-done', trigger: 'auto', startedAt: time(10) });
      const done = await store().finishRun(connection, 'run-done', outcome);
      await expectRunState(store().finishRun(connection, 'run-done', { status: 'abandoned', finishedAt: time(600), counts: {}, error }), 'finished', 'run-done');
      expect(await store().getRun(connection, 'run-done')).toEqual(done);
    });

    it('lists only the runs of a status when asked: newest first, limit and errorsPerRun counted among them', async () => {
      const connection = freshConnection();
      const other = freshConnection('other');
      await store().startRun(other, { id: 'run-other', trigger: 'auto', startedAt: time(50) });
      await store().startRun(connection, { id: 'run-old', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-old', [recordError('1'), recordError('2')]);
      // More finished runs after it than one page of listRuns holds.
      for (let index = 1; index <= DEFAULT_RUN_LIMIT + 1; index += 1) {
        await store().startRun(connection, { id: `run-${index}`, trigger: 'auto', startedAt: time(index) });
        await store().finishRun(connection, `run-${index}`, { status: index % 2 === 0 ? 'succeeded' : 'failed', finishedAt: time(index), counts: {}, error: null });
      }
      await store().startRun(connection, { id: 'run-a', trigger: 'manual', startedAt: time(100) });
      await store().startRun(connection, { id: 'run-b', trigger: 'manual', startedAt: time(100) });
      await store().startRun(connection, { id: 'run-abandoned', trigger: 'auto', startedAt: time(90) });
      await store().finishRun(connection, 'run-abandoned', { status: 'abandoned', finishedAt: time(95), counts: {}, error: { code: 'ABANDONED', message: 'Its process stopped.', resolution: null } });

      const running = await store().listRuns(connection, { status: 'running' });
      expect(running.map((run) => run.id)).toEqual(['run-b', 'run-a', 'run-old']);
      expect(running.every((run) => run.status === 'running')).toBe(true);
      expect(running[2]).toEqual(await store().getRun(connection, 'run-old'));
      expect((await store().listRuns(connection, { status: 'running', limit: 2 })).map((run) => run.id)).toEqual(['run-b', 'run-a']);
      expect(await store().listRuns(connection, { status: 'running', limit: 0 })).toEqual([]);
      const [, , first] = await store().listRuns(connection, { status: 'running', errorsPerRun: 1 });
      expect(first).toMatchObject({ id: 'run-old', recordErrors: [recordError('1')], recordErrorCount: 2 });
      expect((await store().listRuns(connection, { status: 'abandoned' })).map((run) => run.id)).toEqual(['run-abandoned']);
      expect((await store().listRuns(connection, { status: 'succeeded', limit: 3 })).map((run) => run.id)).toEqual(['run-20', 'run-18', 'run-16']);
      expect(await store().listRuns(connection, { status: 'partial' })).toEqual([]);
      expect((await store().listRuns(connection)).map((run) => run.id)).not.toContain('run-old');
      expect((await store().listRuns(other, { status: 'running' })).map((run) => run.id)).toEqual(['run-other']);
    });
  });
}

/** Codes a store must count as they are: names of `Object.prototype`, case, space, punctuation, NUL, surrogates, U+FDD0. */
const UNUSUAL_CODES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'a.b', 'a b', 'A', 'a', '\u00C9', 'E\u0301', `O'Brien "Ltd" \\ %_ -- 😀`, 'a\0', 'a\0\0', '\uFDD0', '\uFDD00000', 'lone \uD800', 'lone \uDFFF'];

function describeRecordErrorCodes(store: GetStore): void {
  describe('record errors by code', () => {
    const outcome = { status: 'partial' as const, finishedAt: time(30), counts: { records_failed: 1 }, error: null };
    const coded = (code: string, count: number, from = 0) => Array.from({ length: count }, (_, index) => recordError(`${code}-${from + index}`, { code }));

    it('counts every record error of a run by code, across addRecordErrors batches, in getRun, finishRun and listRuns', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-1', [...coded('CUSTOMER_ALREADY_LINKED', 3), ...coded('DEFAULT_ITEM_REQUIRED', 1)]);
      await store().addRecordErrors(connection, 'run-1', []);
      await store().addRecordErrors(connection, 'run-1', [...coded('DEFAULT_ITEM_REQUIRED', 2, 1), ...coded('CUSTOMER_ALREADY_LINKED', 1, 3)]);
      await store().addRecordErrors(connection, 'run-1', coded('INVALID_REQUEST', 1));
      const expected = { CUSTOMER_ALREADY_LINKED: 4, DEFAULT_ITEM_REQUIRED: 3, INVALID_REQUEST: 1 };
      expect((await store().getRun(connection, 'run-1'))?.recordErrorCodes).toEqual(expected);
      expect((await store().listRuns(connection, { status: 'running' }))[0]?.recordErrorCodes).toEqual(expected);
      const finished = await store().finishRun(connection, 'run-1', outcome);
      expect(finished).toMatchObject({ recordErrorCount: 8, recordErrorCodes: expected });
      for (const errorsPerRun of [undefined, 2, 0]) {
        const [listed] = await store().listRuns(connection, errorsPerRun === undefined ? {} : { errorsPerRun });
        expect(listed).toMatchObject({ recordErrorCount: 8, recordErrorCodes: expected });
      }
    });

    it('counts all the record errors when there are more than listRuns returns, each run of a listing its own', async () => {
      const connection = freshConnection();
      const other = freshConnection('other');
      // The first 100 (the default errorsPerRun) all have one code; the codes after them are counted too.
      await store().startRun(connection, { id: 'run-big', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(connection, 'run-big', coded('CUSTOMER_ALREADY_LINKED', 100));
      await store().addRecordErrors(connection, 'run-big', [...coded('DEFAULT_ITEM_REQUIRED', 25), ...coded('CUSTOMER_ALREADY_LINKED', 9, 100)]);
      await store().startRun(connection, { id: 'run-small', trigger: 'auto', startedAt: time(10) });
      await store().addRecordErrors(connection, 'run-small', coded('INVALID_REQUEST', 2));
      await store().startRun(connection, { id: 'run-none', trigger: 'auto', startedAt: time(20) });
      // Another connection's run of the same ID and codes is not counted.
      await store().startRun(other, { id: 'run-big', trigger: 'auto', startedAt: time(0) });
      await store().addRecordErrors(other, 'run-big', coded('CUSTOMER_ALREADY_LINKED', 7));

      const big = { CUSTOMER_ALREADY_LINKED: 109, DEFAULT_ITEM_REQUIRED: 25 };
      const listed = await store().listRuns(connection);
      expect(listed.map((run) => [run.id, run.recordErrors.length, run.recordErrorCount, run.recordErrorCodes])).toEqual([
        ['run-none', 0, 0, {}],
        ['run-small', 2, 2, { INVALID_REQUEST: 2 }],
        ['run-big', 100, 134, big],
      ]);
      expect((await store().listRuns(connection, { limit: 1 }))[0]?.recordErrorCodes).toEqual({});
      const [, , fewer] = await store().listRuns(connection, { errorsPerRun: 1 });
      expect(fewer).toMatchObject({ id: 'run-big', recordErrorCount: 134, recordErrorCodes: big });
      expect((await store().getRun(connection, 'run-big'))?.recordErrorCodes).toEqual(big);
      expect((await store().getRun(other, 'run-big'))?.recordErrorCodes).toEqual({ CUSTOMER_ALREADY_LINKED: 7 });
    });

    it('gives {} for a run without record errors, running or finished', async () => {
      const connection = freshConnection();
      expect(await store().startRun(connection, { id: 'run-1', trigger: 'manual', startedAt: time(0) })).toMatchObject({ recordErrorCodes: {} });
      await store().addRecordErrors(connection, 'run-1', []);
      expect(await store().getRun(connection, 'run-1')).toMatchObject({ recordErrorCount: 0, recordErrorCodes: {} });
      expect(await store().listRuns(connection, { status: 'running' })).toMatchObject([{ recordErrorCodes: {} }]);
      expect(await store().finishRun(connection, 'run-1', { status: 'succeeded', finishedAt: time(1), counts: {}, error: null })).toMatchObject({ recordErrorCodes: {} });
      expect(await store().listRuns(connection)).toMatchObject([{ recordErrorCodes: {} }]);
      const [run] = await store().listRuns(connection);
      expect(Object.keys(run?.recordErrorCodes ?? { missing: 1 })).toEqual([]);
    });

    it('counts codes with unusual characters as they are, each code apart', async () => {
      const connection = freshConnection();
      await store().startRun(connection, { id: 'run-1', trigger: 'auto', startedAt: time(0) });
      const errors = UNUSUAL_CODES.flatMap((code, index) => coded(code, index + 1));
      await store().addRecordErrors(connection, 'run-1', errors.slice(0, 40));
      await store().addRecordErrors(connection, 'run-1', errors.slice(40));
      const expected = Object.fromEntries(UNUSUAL_CODES.map((code, index) => [code, index + 1]));
      for (const run of [await store().getRun(connection, 'run-1'), ...(await store().listRuns(connection, { errorsPerRun: 3 }))]) {
        expect(run?.recordErrorCount).toBe(errors.length);
        const codes = run?.recordErrorCodes ?? {};
        // Own properties, `__proto__` included: compared entry by entry, in code point order.
        const entries = Object.entries(codes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(entries).toEqual(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    });
  });
}

function describeRetries(store: GetStore): void {
  describe('retries', () => {
    it('returns null for an unknown key, and lists nothing for a new connection', async () => {
      const connection = freshConnection();
      expect(await store().getRetry(connection, 'netsuite_to_invoiced:invoice:1')).toBeNull();
      expect(await store().listRetries(connection)).toEqual([]);
    });

    it('saves a retry item and gets it back by key', async () => {
      const connection = freshConnection();
      const item = retryItem('1');
      await store().saveRetry(connection, item);
      expect(await store().getRetry(connection, item.key)).toEqual(item);
    });

    it('replaces the item of the same key', async () => {
      const connection = freshConnection();
      await store().saveRetry(connection, retryItem('1'));
      const replaced = retryItem('1', { attempts: 2, status: 'ignored', number: null, fingerprint: null, updatedAt: time(50) });
      await store().saveRetry(connection, replaced);
      expect(await store().getRetry(connection, replaced.key)).toEqual(replaced);
      expect(await store().listRetries(connection)).toEqual([replaced]);
    });

    it('lists retry items ordered by key, in code point order', async () => {
      const connection = freshConnection();
      const items = [
        retryItem('x\u{1F600}'),
        retryItem('2'),
        retryItem('x\uFFFD'),
        retryItem('10', { direction: 'invoiced_to_netsuite', entity: 'payment' }),
        retryItem('Z'),
        retryItem('10'),
        retryItem('1', { entity: 'customer' }),
      ];
      for (const item of items) await store().saveRetry(connection, item);
      expect((await store().listRetries(connection)).map((item) => item.key)).toEqual([
        'invoiced_to_netsuite:payment:10',
        'netsuite_to_invoiced:customer:1',
        'netsuite_to_invoiced:invoice:10',
        'netsuite_to_invoiced:invoice:2',
        'netsuite_to_invoiced:invoice:Z',
        'netsuite_to_invoiced:invoice:x\uFFFD',
        'netsuite_to_invoiced:invoice:x\u{1F600}',
      ]);
    });

    it('lists only the items of a status when asked', async () => {
      const connection = freshConnection();
      const pending = [retryItem('1'), retryItem('3')];
      const ignored = [retryItem('2', { status: 'ignored' })];
      for (const item of [...pending, ...ignored]) await store().saveRetry(connection, item);
      expect(await store().listRetries(connection, { status: 'pending' })).toEqual(pending);
      expect(await store().listRetries(connection, { status: 'ignored' })).toEqual(ignored);
      expect(await store().listRetries(connection, {})).toHaveLength(3);
    });

    it('deletes a retry item, and deleting a missing key is not an error', async () => {
      const connection = freshConnection();
      await store().saveRetry(connection, retryItem('1'));
      await store().saveRetry(connection, retryItem('2'));
      await store().deleteRetry(connection, retryItem('1').key);
      await store().deleteRetry(connection, retryItem('1').key);
      await store().deleteRetry(connection, 'netsuite_to_invoiced:invoice:never');
      expect(await store().getRetry(connection, retryItem('1').key)).toBeNull();
      expect(await store().listRetries(connection)).toEqual([retryItem('2')]);
    });
  });
}

function describeCheckpoints(store: GetStore): void {
  describe('import checkpoints', () => {
    it('returns null for an unknown job', async () => {
      expect(await store().getCheckpoint(freshConnection(), 'job-1')).toBeNull();
    });

    it('saves a checkpoint and gets it back', async () => {
      const connection = freshConnection();
      await store().saveCheckpoint(connection, checkpoint('job-1'));
      await store().saveCheckpoint(connection, checkpoint('job-2', { kind: 'customers', cursor: null, total: null }));
      expect(await store().getCheckpoint(connection, 'job-1')).toEqual(checkpoint('job-1'));
      expect(await store().getCheckpoint(connection, 'job-2')).toEqual(checkpoint('job-2', { kind: 'customers', cursor: null, total: null }));
    });

    it('replaces the checkpoint of the same job', async () => {
      const connection = freshConnection();
      await store().saveCheckpoint(connection, checkpoint('job-1'));
      const done = checkpoint('job-1', { status: 'succeeded', cursor: null, processed: 1000, result: { created: 990, skipped: 10 }, updatedAt: time(99) });
      await store().saveCheckpoint(connection, done);
      expect(await store().getCheckpoint(connection, 'job-1')).toEqual(done);
    });
  });
}

function describeIsolation(store: GetStore): void {
  describe('tenant isolation', () => {
    let a = '';
    let b = '';
    beforeEach(() => {
      a = freshConnection('tenant-a');
      b = freshConnection('tenant-b');
    });

    it('keeps cursors apart', async () => {
      await store().setCursor(a, 'netsuite_invoices', time(1));
      expect(await store().getCursor(b, 'netsuite_invoices')).toBeNull();
      await store().setCursor(b, 'netsuite_invoices', time(2));
      expect(await store().getCursor(a, 'netsuite_invoices')).toBe(time(1));
    });

    it('keeps links apart: no visibility and no conflicts across connections', async () => {
      const mine = await store().saveLink(a, link('1', '100', { kind: 'customer' }));
      expect(await store().findLinkByInvoicedId(b, 'customer', '1')).toBeNull();
      expect(await store().findLinkByNetSuiteId(b, 'customer', '100')).toBeNull();
      expect(await store().listLinks(b, 'customer')).toEqual([]);
      await store().saveLink(b, link('1', '200', { kind: 'customer', origin: 'invoiced' }));
      await store().saveLink(b, link('2', '100', { kind: 'customer' }));
      expect(await store().listLinks(b, 'customer')).toHaveLength(2);
      expect(await store().listLinks(a, 'customer')).toEqual([mine]);
      expect(await store().findLinkByNetSuiteId(a, 'customer', '100')).toEqual(mine);
    });

    it('keeps runs and their record errors apart, even under the same run ID', async () => {
      const mine = await store().startRun(a, { id: 'run-1', trigger: 'manual', startedAt: time(0) });
      expect(await store().getRun(b, 'run-1')).toBeNull();
      expect(await store().listRuns(b)).toEqual([]);
      await expect(store().finishRun(b, 'run-1', { status: 'succeeded', finishedAt: time(1), counts: {}, error: null })).rejects.toThrow();
      await store().startRun(b, { id: 'run-1', trigger: 'auto', startedAt: time(5) });
      await store().addRecordErrors(b, 'run-1', [recordError('9')]);
      await store().finishRun(b, 'run-1', { status: 'partial', finishedAt: time(6), counts: { records_failed: 1 }, error: null });
      expect(await store().getRun(a, 'run-1')).toEqual(mine);
      expect(await store().listRuns(a)).toEqual([mine]);
      const finished = await store().finishRun(a, 'run-1', { status: 'succeeded', finishedAt: time(7), counts: {}, error: null });
      expect(finished.recordErrors).toEqual([]);
      expect((await store().getRun(b, 'run-1'))?.status).toBe('partial');
    });

    it('keeps retry items apart, even under the same key', async () => {
      const mine = retryItem('1');
      await store().saveRetry(a, mine);
      expect(await store().getRetry(b, mine.key)).toBeNull();
      expect(await store().listRetries(b)).toEqual([]);
      await store().saveRetry(b, retryItem('1', { attempts: 5, status: 'ignored' }));
      await store().deleteRetry(b, mine.key);
      expect(await store().getRetry(a, mine.key)).toEqual(mine);
      expect(await store().listRetries(a)).toEqual([mine]);
    });

    it('keeps import checkpoints apart, even under the same job ID', async () => {
      await store().saveCheckpoint(a, checkpoint('job-1'));
      expect(await store().getCheckpoint(b, 'job-1')).toBeNull();
      await store().saveCheckpoint(b, checkpoint('job-1', { status: 'failed', processed: 3 }));
      expect(await store().getCheckpoint(a, 'job-1')).toEqual(checkpoint('job-1'));
    });

    it('keeps leases apart, even for the same holder', async () => {
      expect(await store().acquireLease(a, 'worker', 60_000)).toBe(true);
      expect(await store().acquireLease(b, 'worker', 60_000)).toBe(true);
      await store().releaseLease(a, 'worker');
      expect(await store().acquireLease(b, 'other', 60_000)).toBe(false);
      expect(await store().acquireLease(a, 'other', 60_000)).toBe(true);
    });
  });
}

/** Text a careless store would mangle: quotes, backslashes, SQL, newlines, accents, CJK, emoji. */
const AWKWARD = `O'Brien "Ltd" \\ back\\slash; DROP TABLE links; -- \n\tZoë Ørsted 株式会社 😀 ‘curly’ %_`;

/**
 * Text a database may refuse, as a NetSuite `tranId` or customer name can hold it: NUL characters (not
 * allowed in Postgres `text`), unpaired surrogates, and text that looks like an escaped form of them (a
 * store that escapes must escape its escapes too), including the U+FDD0 escapes of the Postgres store.
 */
const UNSTORABLE = `INV\0 1001 \0\0 lone \uD800 and \uDFFF, pair \uD83D\uDE00, \\u0000 \\x00 %00 \\0 \uFDD0 \uFDD00000 \uFDD0FDD0 \uFDD0D800 \uFFFF end\0`;

function describeRoundTrips(store: GetStore): void {
  describe.each([
    { label: 'awkward text', text: AWKWARD },
    { label: 'text with NUL characters and unpaired surrogates', text: UNSTORABLE },
  ])('round-trips of $label', ({ text }) => {
    it('keeps connection IDs, leases, cursors, phases and link IDs exactly as given', async () => {
      const connection = `${freshConnection()} ${text}`;
      expect(await store().acquireLease(connection, `holder ${text}`, 60_000)).toBe(true);
      expect(await store().acquireLease(connection, 'other', 60_000)).toBe(false);
      expect(await store().renewLease(connection, `holder ${text}`, 60_000)).toBe(true);
      await store().setCursor(connection, text, `cursor ${text}`);
      expect(await store().getCursor(connection, text)).toBe(`cursor ${text}`);
      const saved = await store().saveLink(connection, { kind: 'creditNote', invoicedId: `inv ${text}`, netsuiteId: `ns ${text}`, origin: 'invoiced', fingerprint: `fp ${text}` });
      expect(saved).toMatchObject({ kind: 'creditNote', invoicedId: `inv ${text}`, netsuiteId: `ns ${text}`, origin: 'invoiced', fingerprint: `fp ${text}` });
      expect(await store().findLinkByNetSuiteId(connection, 'creditNote', `ns ${text}`)).toEqual(saved);
      expect(await store().findLinkByInvoicedId(connection, 'creditNote', `inv ${text}`)).toEqual(saved);
      expect(await store().listLinks(connection, 'creditNote')).toEqual([saved]);
      await expectLinkConflict(store().saveLink(connection, { kind: 'creditNote', invoicedId: 'other', netsuiteId: `ns ${text}`, origin: 'invoiced', fingerprint: null }), {
        kind: 'creditNote',
        side: 'netsuite',
        id: `ns ${text}`,
      });
      await store().releaseLease(connection, `holder ${text}`);
      expect(await store().acquireLease(connection, 'other', 60_000)).toBe(true);
    });

    it('keeps the links of each kind apart, refunds included: one ID may be linked once per kind', async () => {
      const connection = `${freshConnection()} ${text}`;
      const kinds = ['customer', 'invoice', 'payment', 'creditNote', 'refund'] as const;
      for (const [index, kind] of kinds.entries()) {
        await store().saveLink(connection, { kind, invoicedId: `${index} ${text}`, netsuiteId: `same ${text}`, origin: 'invoiced', fingerprint: kind });
      }
      for (const [index, kind] of kinds.entries()) {
        expect(await store().findLinkByNetSuiteId(connection, kind, `same ${text}`)).toMatchObject({ kind, invoicedId: `${index} ${text}`, fingerprint: kind });
        expect(await store().listLinks(connection, kind)).toHaveLength(1);
      }
    });

    it('keeps runs exactly: times as given, counts, the whole-run error and record errors', async () => {
      const connection = `${freshConnection()} ${text}`;
      const id = `run ${text}`;
      await store().startRun(connection, { id, trigger: 'import', startedAt: '2026-11-24T10:00:00.123Z' });
      const errors = [
        recordError(`src ${text}`, { number: text, message: text, resolution: text, code: `CODE_"1" ${text}`, occurredAt: '2026-11-24T10:00:01.001Z' }),
        recordError('2', { entity: 'creditNote', direction: 'invoiced_to_netsuite', number: null, occurredAt: '2026-11-24T10:00:01.999Z' }),
      ];
      await store().addRecordErrors(connection, id, errors);
      const counts = { invoices_created: 1_234_567, payments_skipped: 0, [`key ${text}`]: 42 };
      const error = { code: 'NETSUITE_DOWN', message: text, resolution: null };
      await store().finishRun(connection, id, { status: 'failed', finishedAt: '2026-11-24T10:05:00.500Z', counts, error });
      const expected: SyncRun = { id, trigger: 'import', status: 'failed', startedAt: '2026-11-24T10:00:00.123Z', finishedAt: '2026-11-24T10:05:00.500Z', counts, error, recordErrors: errors, recordErrorCount: errors.length, recordErrorCodes: { [`CODE_"1" ${text}`]: 1, INVALID_REQUEST: 1 } };
      expect(await store().getRun(connection, id)).toEqual(expected);
      expect(await store().listRuns(connection)).toEqual([expected]);
      await expectRunState(store().finishRun(connection, id, { status: 'succeeded', finishedAt: '2026-11-24T10:06:00.000Z', counts: {}, error: null }), 'finished', id);
    });

    it('keeps retry items and checkpoints exactly, nested results included', async () => {
      const connection = `${freshConnection()} ${text}`;
      const item = retryItem(text, { number: text, attempts: 17, lastError: { code: 'E"1', message: text, resolution: text }, fingerprint: text, updatedAt: '2026-11-24T10:00:00.007Z' });
      await store().saveRetry(connection, item);
      expect(await store().getRetry(connection, item.key)).toEqual(item);
      expect(await store().listRetries(connection)).toEqual([item]);
      expect(await store().listRetries(connection, { status: 'pending' })).toEqual([item]);
      const result = { created: 5, amount: '1234.56', ratio: 0.25, ok: true, none: null, [`key ${text}`]: text, failures: [{ number: text, codes: ['A', text] }], nested: { deeper: { text, list: [1, 'two', null, false] } } };
      const saved = checkpoint(`job ${text}`, { status: 'succeeded', cursor: text, processed: 0, total: 0, result, updatedAt: '2026-11-24T10:00:00.999Z' });
      await store().saveCheckpoint(connection, saved);
      expect(await store().getCheckpoint(connection, `job ${text}`)).toEqual(saved);
      await store().deleteRetry(connection, item.key);
      expect(await store().getRetry(connection, item.key)).toBeNull();
    });
  });

  it('orders IDs and keys holding NUL characters, unpaired surrogates and U+FDD0 in code point order', async () => {
    const connection = freshConnection();
    // Code point order; U+FDD0 (the Postgres store's escape character) and unpaired surrogates included.
    const ordered = ['12', 'a', 'a\0', 'a\0\0', 'a\0b', 'a\u0001', 'a0', 'a\uD800', 'a\uDFFF', 'a\uFDD0', 'a\uFDD00000', 'a\uFFFD', 'a\u{1F600}'];
    const shuffled = ['a\uFDD00000', 'a\0b', 'a\uDFFF', 'a\u{1F600}', 'a', 'a\0\0', '12', 'a\uFFFD', 'a\u0001', 'a\uD800', 'a\0', 'a0', 'a\uFDD0'];
    for (const [index, invoicedId] of shuffled.entries()) await store().saveLink(connection, link(invoicedId, `ns-${index}`));
    expect((await store().listLinks(connection, 'invoice')).map((saved) => saved.invoicedId)).toEqual(ordered);
    for (const sourceId of shuffled) await store().saveRetry(connection, retryItem(sourceId));
    expect((await store().listRetries(connection)).map((item) => item.sourceId)).toEqual(ordered);
  });
}
