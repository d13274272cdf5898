/**
 * Import jobs end to end: `importCustomers()` (the whole A/R list) and `importInvoices()` (every open
 * invoice), through the engine, the real clients, the sandbox's models and the store of `engineTestStore`:
 * job handles, checkpoints, resumption by a new engine after a cancel, a failure and a crash, the notify
 * hook, progress, the lease, and record errors.
 */
import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSandbox, generateBooks, type Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import {
  ConfigurationError,
  createInvoicedClient,
  createNetSuiteClient,
  createSyncEngine,
  ImportJobError,
  SyncInProgressError,
  tokenBasedAuth,
  type ImportProgress,
  type ImportResult,
  type SyncEngineOptions,
  type SyncStore,
} from '../src/index';
import { normalizeName } from '../src/mapping/index';

let now = new Date('2026-11-03T08:00:00Z');
const clock = () => now;
const later = (ms = 60_000) => {
  now = new Date(now.getTime() + ms);
};
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

const servers: ReturnType<typeof setupServer>[] = [];
afterAll(() => servers.forEach((server) => server.close()));

type Sizes = { customers: number; invoices: number; invoicedCustomers?: number };

function world(seed: number, sizes: Sizes, store: SyncStore = engineTestStore({ clock })) {
  const sandbox = createSandbox({ seed, clock });
  const books = generateBooks({
    seed,
    customers: sizes.customers,
    invoices: sizes.invoices,
    payments: 0,
    creditMemos: 0,
    invoiced: { customers: sizes.invoicedCustomers ?? 6, invoices: 0, payments: 0 },
  });
  sandbox.load(books);
  for (const server of servers.splice(0)) server.close();
  const server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  servers.push(server);
  const netsuite = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
    retries: fast,
  });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast });
  const connectionId = `imports-${seed}`;
  /** A new engine object over the same store: what a restarted process makes. */
  const engine = (overrides: Partial<SyncEngineOptions> = {}) => createSyncEngine({ netsuite, invoiced, store, connectionId, clock, ...overrides });
  return { sandbox, store, engine, connectionId };
}

/** The NetSuite A/R list: active customers, and which of them were written from Invoiced. */
function activeCustomers(sandbox: Sandbox) {
  return sandbox.netsuite.state.query("SELECT id, externalid FROM customer WHERE isinactive = 'F' ORDER BY id").map((row) => ({
    id: String(row.id),
    fromInvoiced: typeof row.externalid === 'string' && row.externalid.startsWith('invd-cust-'),
  }));
}

/** Open NetSuite invoices that did not come from Invoiced. */
function openInvoices(sandbox: Sandbox) {
  return sandbox.netsuite.state.query(
    "SELECT id, TO_CHAR(trandate, 'YYYY-MM-DD') AS trandate FROM transaction WHERE type = 'CustInvc' AND status = 'A' AND (externalid IS NULL OR externalid NOT LIKE 'invd-inv-%')",
  );
}

function duplicates(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((value) => (value === undefined || value === null ? false : seen.has(value) || (seen.add(value), false)));
}

/** NetSuite IDs carried by Invoiced customers (those the sync created or recovered). */
const invoicedNetSuiteIds = (sandbox: Sandbox) => sandbox.invoiced.state.list('customers').map((customer) => customer.metadata?.netsuite_id);

/** Each record of a customer import is counted once: created, linked, updated, skipped, or failed. */
const handled = (counts: Readonly<Record<string, number>>) =>
  ['customers_created', 'customers_linked', 'customers_updated', 'customers_skipped', 'records_failed'].reduce((sum, name) => sum + (counts[name] ?? 0), 0);

/** The records that failed in any run of the connection. */
async function failedInAnyRun(w: ReturnType<typeof world>): Promise<Set<string>> {
  const runs = await w.engine().recentSyncs({ errorsPerRun: 10_000 });
  return new Set(runs.flatMap((run) => run.recordErrors.map((error) => error.sourceId)));
}

/** Checks that every active NetSuite customer is on Invoiced exactly once (linked), or failed with a record error. */
async function expectEachCustomerOnce(w: ReturnType<typeof world>, failedIds: ReadonlySet<string>) {
  const links = await w.store.listLinks(w.connectionId, 'customer');
  expect(duplicates(links.map((link) => link.invoicedId))).toEqual([]);
  expect(duplicates(invoicedNetSuiteIds(w.sandbox))).toEqual([]);
  const linked = new Set(links.map((link) => link.netsuiteId));
  for (const customer of activeCustomers(w.sandbox)) {
    if (customer.fromInvoiced) continue;
    expect(linked.has(customer.id) || failedIds.has(customer.id), `customer ${customer.id}`).toBe(true);
  }
  for (const link of links) expect(w.sandbox.invoiced.state.get('customers', Number(link.invoicedId))).toBeDefined();
}

describe('importCustomers: the whole A/R list', () => {
  const w = world(501, { customers: 80, invoices: 10 });
  const notified: ImportResult[] = [];
  const progress: ImportProgress[] = [];
  let first: ImportResult;

  it('imports every active customer once (created, or matched by name and linked), with a job handle, progress and one notify', async () => {
    const job = w.engine().importCustomers({ notify: (result) => void notified.push(result), onProgress: (step) => void progress.push(step) });
    expect(job.kind).toBe('customers');
    expect(job.status()).toBe('running');
    first = await job.done;
    expect(job.status()).toBe(first.status);
    expect(['succeeded', 'partial']).toContain(first.status);
    expect(first).toMatchObject({ jobId: job.id, kind: 'customers', error: null });

    const active = activeCustomers(w.sandbox);
    expect(active.length).toBeLessThan(80); // the books have inactive customers: they are not imported
    const run = await w.engine().getSync(first.runId);
    expect(run).toMatchObject({ trigger: 'import', status: first.status });
    await expectEachCustomerOnce(w, new Set(run?.recordErrors.map((error) => error.sourceId)));
    expect(first.counts.customers_created).toBeGreaterThan(0);
    expect(first.counts.customers_linked).toBeGreaterThan(0); // the Invoiced customers of the books match by name
    expect(first.counts.netsuite_customers_read).toBe(active.length);
    expect(handled(first.counts)).toBe(active.length);

    expect(notified).toEqual([first]);
    expect(progress.length).toBeGreaterThan(active.length);
    for (let index = 1; index < progress.length; index += 1) expect(progress[index]!.processed).toBeGreaterThanOrEqual(progress[index - 1]!.processed);
    expect(progress.at(-1)).toEqual({ processed: active.length, total: active.length });
    expect(job.progress()).toEqual({ processed: active.length, total: active.length });

    const checkpoint = await w.engine().getImport(job.id);
    expect(checkpoint).toMatchObject({ jobId: job.id, kind: 'customers', status: 'succeeded', processed: active.length, total: active.length, cursor: active.at(-1)?.id });
    expect(checkpoint?.result).toMatchObject({ status: first.status, runId: first.runId, notified: true });
    // It does not move the sync's cursors.
    expect(await w.store.getCursor(w.connectionId, 'netsuite_invoices')).toBeNull();
  });

  it('updates on Invoiced a customer changed in NetSuite, with one request, and leaves alone one that was on Invoiced first', async () => {
    const links = await w.store.listLinks(w.connectionId, 'customer');
    // One created with NetSuite's entity ID as its number (one whose number was taken on Invoiced is
    // written twice: with the number, refused, then without it).
    const created = links.find(
      (link) => link.origin === 'netsuite' && w.sandbox.invoiced.state.get('customers', Number(link.invoicedId))?.number === w.sandbox.netsuite.state.get('customer', link.netsuiteId)?.entityId,
    );
    const matched = links.find((link) => link.origin === 'invoiced');
    expect(created && matched).toBeDefined();
    const matchedEmail = w.sandbox.invoiced.state.get('customers', Number(matched?.invoicedId))?.email;
    later();
    w.sandbox.netsuite.state.update('customer', created?.netsuiteId ?? '', { email: 'new.billing@example.com' });
    w.sandbox.netsuite.state.update('customer', matched?.netsuiteId ?? '', { email: 'not.copied@example.com' });
    for (const item of await w.engine().retryQueue()) await w.engine().ignore(item.key);
    w.sandbox.netsuite.clearRequests();
    w.sandbox.invoiced.clearRequests();

    const result = await w.engine().importCustomers().done;
    expect(result.status).toBe('succeeded');
    expect(result.counts.customers_updated).toBe(1);
    expect(result.counts.customers_created ?? 0).toBe(0);
    expect(w.sandbox.invoiced.state.get('customers', Number(created?.invoicedId))?.email).toBe('new.billing@example.com');
    expect(w.sandbox.invoiced.state.get('customers', Number(matched?.invoicedId))?.email).toBe(matchedEmail);
    // One COUNT and one page of customers; on Invoiced only the update.
    expect(w.sandbox.netsuite.requests).toHaveLength(2);
    expect(w.sandbox.invoiced.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([`PATCH /customers/${created?.invoicedId}`]);
  });

  it('returns a finished job as it is, without work and without notifying again; refuses its ID for the other kind of import', async () => {
    w.sandbox.netsuite.clearRequests();
    w.sandbox.invoiced.clearRequests();
    const notify = vi.fn();
    const again = w.engine().importCustomers({ jobId: first.jobId, notify });
    await expect(again.done).resolves.toEqual(first);
    expect(again.status()).toBe(first.status);
    expect(notify).not.toHaveBeenCalled();
    expect(w.sandbox.netsuite.requests).toHaveLength(0);
    expect(w.sandbox.invoiced.requests).toHaveLength(0);

    // A process that saved the end of the job but stopped before notifying: the next call notifies, once.
    const checkpoint = await w.engine().getImport(first.jobId);
    await w.store.saveCheckpoint(w.connectionId, { ...checkpoint!, result: { ...checkpoint!.result, notified: false } });
    await expect(w.engine().importCustomers({ jobId: first.jobId, notify }).done).resolves.toEqual(first);
    await expect(w.engine().importCustomers({ jobId: first.jobId, notify }).done).resolves.toEqual(first);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith(first);
    expect(w.sandbox.netsuite.requests).toHaveLength(0);

    const wrongKind = w.engine().importInvoices({ jobId: first.jobId });
    await expect(wrongKind.done).rejects.toMatchObject({ name: 'ImportJobError', code: 'IMPORT_KIND_MISMATCH', jobId: first.jobId });
    await expect(wrongKind.done).rejects.toBeInstanceOf(ImportJobError);
    expect(wrongKind.status()).toBe('failed');
    expect(() => w.engine().importCustomers({ jobId: 'not a job id!' })).toThrow(ConfigurationError);
  });
});

describe('importCustomers: record errors', () => {
  it('reports a customer whose name matches two Invoiced customers, naming both, and links it once the duplicate is renamed', async () => {
    const w = world(502, { customers: 12, invoices: 5 });
    // A customer without a same-named twin in NetSuite: of twins, either may win the match when customers
    // are handled side by side.
    const nameOf = (id: string) => {
      const record = w.sandbox.netsuite.state.get('customer', id);
      return typeof record?.companyName === 'string' ? record.companyName : `${String(record?.firstName)} ${String(record?.lastName)}`;
    };
    const active = activeCustomers(w.sandbox).filter((customer) => !customer.fromInvoiced);
    const target = active.find((customer) => active.filter((other) => normalizeName(nameOf(other.id)) === normalizeName(nameOf(customer.id))).length === 1);
    const name = nameOf(target?.id ?? '');
    const one = w.sandbox.invoiced.state.insert('customers', { name, currency: 'usd' });
    const two = w.sandbox.invoiced.state.insert('customers', { name: ` ${name.toUpperCase()}  `, currency: 'usd' });

    const result = await w.engine().importCustomers().done;
    expect(result.status).toBe('partial');
    expect(result.counts.records_failed).toBeGreaterThanOrEqual(1);
    const run = await w.engine().getSync(result.runId);
    const error = run?.recordErrors.find((candidate) => candidate.sourceId === target?.id);
    expect(error).toMatchObject({ entity: 'customer', direction: 'netsuite_to_invoiced', number: name, code: 'AMBIGUOUS_CUSTOMER' });
    expect(error?.message).toContain(`#${one.id}`);
    expect(error?.message).toContain(`#${two.id}`);
    expect(error?.resolution).toMatch(/Rename or merge the duplicates on Invoiced/);
    expect((await w.engine().retryQueue()).map((item) => item.key)).toContain(`netsuite_to_invoiced:customer:${target?.id}`);
    expect(await w.store.findLinkByNetSuiteId(w.connectionId, 'customer', target?.id ?? '')).toBeNull();

    later();
    w.sandbox.invoiced.state.update('customers', two.id, { name: `${name} (old)` });
    const fixed = await w.engine().importCustomers().done;
    expect(fixed.counts.customers_linked).toBe(1);
    expect((await w.store.findLinkByNetSuiteId(w.connectionId, 'customer', target?.id ?? ''))?.invoicedId).toBe(String(one.id));
    expect((await w.engine().retryQueue()).map((item) => item.key)).not.toContain(`netsuite_to_invoiced:customer:${target?.id}`);
  });
});

describe('importCustomers: resuming', () => {
  it('resumes a cancelled job in a new engine over the same store, creating nothing twice, with counts that add up', async () => {
    const w = world(503, { customers: 60, invoices: 5 });
    const notified: ImportResult[] = [];
    let synced = 0;
    const job = w
      .engine({ onEvent: (event) => void (event.type === 'record_synced' && ++synced === 17 && job.cancel()) })
      .importCustomers({ notify: (result) => void notified.push(result) });
    const cancelled = await job.done;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toMatchObject({ code: 'CANCELLED' });
    expect(cancelled.error?.resolution).toContain(job.id);
    const stopped = await w.engine().getImport(job.id);
    expect(stopped).toMatchObject({ status: 'cancelled', processed: job.progress().processed });
    expect(stopped?.cursor).toMatch(/^\d+$/);
    const before = w.sandbox.invoiced.state.count('customers');

    later();
    const resumedJob = w.engine().importCustomers({ jobId: job.id, notify: (result) => void notified.push(result) });
    expect(resumedJob.id).toBe(job.id);
    const resumed = await resumedJob.done;
    expect(['succeeded', 'partial']).toContain(resumed.status);
    expect(resumed.runId).not.toBe(cancelled.runId);
    expect(resumed.startedAt).toBe(cancelled.startedAt);
    const run = await w.engine().getSync(resumed.runId);
    await expectEachCustomerOnce(w, await failedInAnyRun(w));

    // The resumed run starts after the cursor: it reads only the rest of the list.
    const active = activeCustomers(w.sandbox).length;
    expect(run?.counts.netsuite_customers_read).toBe(active - (stopped?.processed ?? 0));
    // The job's counts are those of both runs; every record is counted once.
    expect(handled(resumed.counts)).toBe(active);
    expect(resumed.counts.customers_created).toBe((cancelled.counts.customers_created ?? 0) + (run?.counts.customers_created ?? 0));
    // Creates in flight when the job was cancelled may still have been carried out by Invoiced: the
    // resumed run finds those by metadata.netsuite_id and links them instead of creating them again.
    const added = w.sandbox.invoiced.state.count('customers') - before;
    expect(added).toBeGreaterThanOrEqual(run?.counts.customers_created ?? 0);
    expect(added).toBeLessThanOrEqual((run?.counts.customers_created ?? 0) + (run?.counts.customers_linked ?? 0));
    expect(resumedJob.progress()).toEqual({ processed: active, total: active });
    expect(notified.map((result) => result.status)).toEqual(['cancelled', resumed.status]);

    const runs = await w.engine().recentSyncs();
    expect(runs.filter((candidate) => candidate.trigger === 'import').map((candidate) => candidate.id)).toEqual([resumed.runId, cancelled.runId]);
  });

  it('resumes a job that failed on a fault injected by the sandbox (Invoiced down after every retry)', async () => {
    const w = world(504, { customers: 60, invoices: 5 });
    // Invoiced goes down from the 21st customer create on: every later create and retry fails, and the
    // first record whose retries run out stops the job as failed.
    const down = Array.from({ length: 200 }, (_, index) => ({ request: 21 + index, fault: 'server_error' as const }));
    w.sandbox.invoiced.faults.set({ schedule: down, match: { methods: ['POST'], pathIncludes: '/customers' } });
    const job = w.engine().importCustomers();
    const failed = await job.done;
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBeTruthy();
    expect(failed.error?.resolution).toBeTruthy();
    // At least one create and its three retries; other records were in flight beside it.
    expect(w.sandbox.invoiced.faults.injected.length).toBeGreaterThanOrEqual(4);
    const checkpoint = await w.engine().getImport(job.id);
    expect(checkpoint?.status).toBe('failed');
    expect(checkpoint?.processed).toBeGreaterThan(0);
    expect((await w.engine().getSync(failed.runId))?.status).toBe('failed');

    w.sandbox.invoiced.faults.clear();
    later();
    const resumed = await w.engine().importCustomers({ jobId: job.id }).done;
    expect(['succeeded', 'partial']).toContain(resumed.status);
    const run = await w.engine().getSync(resumed.runId);
    await expectEachCustomerOnce(w, await failedInAnyRun(w));
    const active = activeCustomers(w.sandbox).length;
    // It continues after the last record done: nothing is read twice.
    expect(run?.counts.netsuite_customers_read).toBe(active - (checkpoint?.processed ?? 0));
    expect(handled(resumed.counts)).toBe(active);
  });

  it('resumes a job left running by a process that stopped, once its lease expired, after the last checkpoint', async () => {
    // A store that stops answering from the third checkpoint on: the process "dies" after two batches
    // of 100 were done but only the first was checkpointed.
    const backing = engineTestStore({ clock });
    let checkpoints = 0;
    let dead = false;
    const dying = new Proxy(backing, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'saveCheckpoint' && ++checkpoints === 3) dead = true;
          if (dead) return new Promise(() => undefined);
          return (value as (...rest: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const w = world(505, { customers: 260, invoices: 5 }, backing);
    const crashed = w.engine({ store: dying }).importCustomers();
    await vi.waitFor(() => expect(dead).toBe(true), { timeout: 15_000 });
    const left = await w.engine().getImport(crashed.id);
    expect(left).toMatchObject({ status: 'running', processed: 100 });
    expect(crashed.status()).toBe('running');

    const beforeResume = w.sandbox.invoiced.state.count('customers');
    // The dead process still holds the lease until it expires.
    await expect(w.engine().importCustomers({ jobId: crashed.id }).done).rejects.toBeInstanceOf(SyncInProgressError);
    later(w.engine().settings.leaseTtlMs + 1_000);
    const resumedJob = w.engine().importCustomers({ jobId: crashed.id });
    const resumed = await resumedJob.done;
    expect(['succeeded', 'partial']).toContain(resumed.status);
    const run = await w.engine().getSync(resumed.runId);
    await expectEachCustomerOnce(w, await failedInAnyRun(w));
    const active = activeCustomers(w.sandbox).length;
    expect(run?.counts.netsuite_customers_read).toBe(active - 100);
    // Records done after the last checkpoint are done again, found by their links: none is created twice.
    expect(run?.counts.customers_created).toBeLessThanOrEqual(active - 200);
    expect(w.sandbox.invoiced.state.count('customers')).toBe(beforeResume + (run?.counts.customers_created ?? 0));
    expect(handled(resumed.counts)).toBe(active);
    // The dead process's run is closed in Recent Syncs.
    const stale = (await w.engine().recentSyncs()).find((candidate) => candidate.id !== resumed.runId);
    expect(stale).toMatchObject({ trigger: 'import', status: 'failed', error: { code: 'INTERRUPTED' } });
  }, 30_000);
});

describe('import jobs: the lease and the notify hook', () => {
  it('refuses a second job, and a sync, while an import runs; and an import while a sync runs (SyncInProgressError)', async () => {
    const w = world(506, { customers: 40, invoices: 20 });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = w.engine().importCustomers({ onProgress: () => started() });
    await running;
    const second = w.engine().importInvoices();
    await expect(second.done).rejects.toBeInstanceOf(SyncInProgressError);
    expect(second.status()).toBe('failed');
    await expect(w.engine().sync()).rejects.toBeInstanceOf(SyncInProgressError);
    expect(['succeeded', 'partial']).toContain((await first.done).status);

    let syncing!: () => void;
    const syncStarted = new Promise<void>((resolve) => (syncing = resolve));
    const sync = w.engine({ onEvent: (event) => event.type === 'run_started' && syncing() }).sync();
    await syncStarted;
    const refused = w.engine().importCustomers({ notify: () => expect.unreachable('a refused job never ran') });
    await expect(refused.done).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
    await sync;
  });

  it('calls notify once with the result; a notify or onProgress that throws is logged and changes nothing', async () => {
    const w = world(507, { customers: 20, invoices: 5 });
    const warn = vi.fn();
    const notify = vi.fn(() => {
      throw new Error('SMTP server unreachable');
    });
    const job = w.engine({ logger: { warn } }).importCustomers({
      notify,
      onProgress: () => {
        throw new Error('progress bar broke');
      },
    });
    const result = await job.done;
    expect(['succeeded', 'partial']).toContain(result.status);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledWith(result);
    expect(warn).toHaveBeenCalledWith('import notify hook threw', expect.objectContaining({ jobId: job.id, error: 'SMTP server unreachable' }));
    expect(warn).toHaveBeenCalledWith('onProgress listener threw', expect.objectContaining({ jobId: job.id }));
    expect((await w.engine().getImport(job.id))?.result).toMatchObject({ notified: true });

    const rejecting = vi.fn(() => Promise.reject(new Error('mail queue full')));
    const second = await w.engine({ logger: { warn } }).importInvoices({ notify: rejecting }).done;
    expect(['succeeded', 'partial']).toContain(second.status);
    expect(rejecting).toHaveBeenCalledTimes(1);
  });
});

describe('importInvoices: every open invoice with its customer', () => {
  it('imports what phase 1 would, without moving its cursor; the next sync creates nothing', async () => {
    const w = world(508, { customers: 20, invoices: 90 });
    const job = w.engine().importInvoices();
    const result = await job.done;
    expect(['succeeded', 'partial']).toContain(result.status);
    const open = openInvoices(w.sandbox);
    const run = await w.engine().getSync(result.runId);
    const failed = run?.recordErrors.filter((error) => error.entity === 'invoice') ?? [];
    const links = await w.store.listLinks(w.connectionId, 'invoice');
    expect(links.length + failed.length).toBe(open.length);
    expect(result.counts.invoices_created).toBe(links.length);
    expect(result.counts.customers_created).toBeGreaterThan(0);
    expect(job.progress()).toEqual({ processed: result.counts.netsuite_invoices_read, total: result.counts.netsuite_invoices_read });
    expect(duplicates(w.sandbox.invoiced.state.list('invoices').map((invoice) => invoice.metadata?.netsuite_id))).toEqual([]);
    expect(duplicates(invoicedNetSuiteIds(w.sandbox))).toEqual([]);
    expect(await w.store.getCursor(w.connectionId, 'netsuite_invoices')).toBeNull();

    later();
    const sync = await w.engine({ settings: { phases: { readNetSuitePayments: false, followNetSuiteDeletions: false, writeInvoicedInvoices: false, writeInvoicedPayments: false } } }).sync();
    expect(sync.counts.invoices_created ?? 0).toBe(0);
    expect(sync.counts.customers_created ?? 0).toBe(0);
    expect(sync.counts.invoices_updated ?? 0).toBe(0);
    // Phase 1 reads every open invoice (its cursor is unset) and finds each imported one unchanged.
    expect(sync.counts.invoices_skipped).toBeGreaterThanOrEqual(links.length);
  });

  it('respects invoiceStartDate, and resumes after a cancel without creating an invoice twice', async () => {
    const w = world(509, { customers: 15, invoices: 60 });
    const open = openInvoices(w.sandbox);
    const dates = open.map((row) => String(row.trandate)).sort();
    const startDate = dates[Math.floor(dates.length / 2)]!.slice(0, 10);
    const inRange = open.filter((row) => String(row.trandate).slice(0, 10) >= startDate);
    const settings = { invoiceStartDate: startDate };
    let synced = 0;
    const controller = new AbortController();
    const job = w
      .engine({ settings, onEvent: (event) => void (event.type === 'record_synced' && event.entity === 'invoice' && ++synced === 5 && controller.abort()) })
      .importInvoices({ signal: controller.signal });
    expect((await job.done).status).toBe('cancelled');
    expect(job.status()).toBe('cancelled');
    later();
    const resumed = await w.engine({ settings }).importInvoices({ jobId: job.id }).done;
    expect(['succeeded', 'partial']).toContain(resumed.status);
    expect(resumed.counts.netsuite_invoices_read).toBe(inRange.length);
    const links = await w.store.listLinks(w.connectionId, 'invoice');
    const linked = new Set(links.map((link) => link.netsuiteId));
    expect(open.filter((row) => linked.has(String(row.id))).every((row) => String(row.trandate).slice(0, 10) >= startDate)).toBe(true);
    expect(links.length + (resumed.counts.records_failed ?? 0)).toBe(inRange.length);
    expect(duplicates(w.sandbox.invoiced.state.list('invoices').map((invoice) => invoice.metadata?.netsuite_id))).toEqual([]);
    expect(w.sandbox.invoiced.state.count('invoices')).toBe(links.length);
  });
});
