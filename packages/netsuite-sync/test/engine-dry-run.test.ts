/**
 * Dry runs end to end: `engine.sync({ dryRun: true })` against the sandbox plans what a sync would do,
 * record by record and with reasons, writing to neither service and to nothing in the store but the
 * connection's lease; the real sync that follows does what the plan said.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import {
  createNetSuiteClient,
  createSyncEngine,
  SyncInProgressError,
  tokenBasedAuth,
  type EntityKind,
  type PlannedChange,
  type RecordError,
  type SyncEvent,
  type SyncPlan,
  type SyncRun,
  type SyncStore,
} from '../src/index';
import { PHASES } from '../src/engine/phases';
import { customerDisplayName } from '../src/mapping/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 301,
  start: '2026-11-09T08:00:00Z',
  books: { customers: 12, invoices: 40, payments: 15, creditMemos: 0, invoiced: { customers: 6, invoices: 12, payments: 5 } },
});

/** The store's methods that change nothing but the connection's lease. */
const READS_AND_LEASE = new Set([
  'getCursor',
  'findLinkByNetSuiteId',
  'findLinkByInvoicedId',
  'listLinks',
  'getRun',
  'listRuns',
  'getRetry',
  'listRetries',
  'getCheckpoint',
  'listPendingEvents',
  'acquireLease',
  'renewLease',
  'releaseLease',
]);

/** The test file's store, with a log of the names of the methods called on it. */
function loggedStore(store: SyncStore): { store: SyncStore; calls: string[] } {
  const calls: string[] = [];
  const logged = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        calls.push(String(property));
        return Reflect.apply(value, target, args);
      };
    },
  });
  return { store: logged, calls };
}

const { store, calls: storeCalls } = loggedStore(engineTestStore({ clock }));
const connectionId = 'dry';
// Plans are compared with the real sync that follows, record by record: both handle one record at a time,
// since with records side by side which of two same-named NetSuite customers gets the Invoiced customer of
// that name depends on which invoice finishes first (the other is CUSTOMER_ALREADY_LINKED either way). The
// test "dry runs handle records side by side" plans with records side by side.
const engineOptions = { netsuite, invoiced, store, connectionId, clock, settings: { ...settings, subsidiary: books.netsuite.subsidiaries[0]?.id, recordConcurrency: 1 } };
const engine = createSyncEngine(engineOptions);
const KINDS: readonly EntityKind[] = ['customer', 'invoice', 'payment', 'creditNote'];
const SUITEQL = '/services/rest/query/v1/suiteql';
const FAST_RETRIES = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };

/** Everything the store holds for a connection, as its read methods show it. */
async function storeContents(connection = connectionId) {
  return {
    links: await Promise.all(KINDS.map((kind) => store.listLinks(connection, kind))),
    cursors: await Promise.all(PHASES.map((phase) => store.getCursor(connection, phase.name))),
    retries: await store.listRetries(connection),
    runs: await store.listRuns(connection, { limit: 100, errorsPerRun: 1000 }),
  };
}

/** Every record of both services. */
function serviceState() {
  return {
    invoiced: (['customers', 'invoices', 'payments'] as const).map((resource) => sandbox.invoiced.state.list(resource)),
    netsuite: (['customer', 'invoice', 'customerPayment'] as const).map((type) => sandbox.netsuite.state.list(type)),
  };
}

/** The requests both services received since `clearRequests()`, as `METHOD path`. */
function requests(): string[] {
  return [...sandbox.netsuite.requests, ...sandbox.invoiced.requests].map((entry) => `${entry.method} ${entry.path}`);
}
const clearRequests = () => {
  sandbox.netsuite.clearRequests();
  sandbox.invoiced.clearRequests();
};
/** Requests that could change something: anything but a GET or a SuiteQL query. */
const writesAmong = (sent: readonly string[]) => sent.filter((request) => !request.startsWith('GET ') && request !== `POST ${SUITEQL}`);

const EVENT_ACTION: Readonly<Record<PlannedChange['action'], string>> = { create: 'created', link: 'linked', update: 'updated', void: 'updated', delete: 'updated', skip: 'skipped', fail: 'failed' };

/** What a plan says each record would go through: `direction:entity:sourceId -> created|updated|linked|failed (target)`. */
function planned(plan: SyncPlan): string[] {
  return plan.changes
    .filter((change) => change.action !== 'skip')
    .map((change) => `${change.direction}:${change.entity}:${change.sourceId} -> ${EVENT_ACTION[change.action]}${change.action === 'create' || change.action === 'fail' ? '' : ` ${change.targetId ?? ''}`}`)
    .sort();
}

/** What a real run's events say each record went through, in the same form. */
function happened(events: readonly SyncEvent[]): string[] {
  return events
    .flatMap((event) => {
      if (event.type === 'record_synced') return [`${event.direction}:${event.entity}:${event.sourceId} -> ${event.action}${event.action === 'created' ? '' : ` ${event.targetId}`}`];
      if (event.type === 'record_failed') return [`${event.error.direction}:${event.error.entity}:${event.error.sourceId} -> failed`];
      return [];
    })
    .sort();
}

/** The counts of what is written or fails (reads and skips differ: see docs/dry-run.md). */
// `records_deferred` tells how the phases' timing fell (records that waited for a phase beside theirs), not what was written.
const writeCounts = (counts: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(counts).filter(([name]) => !name.endsWith('_read') && !name.endsWith('_skipped') && name !== 'records_deferred'));

/** A real sync of the connection, with its events. */
/**
 * The real sync the plans are compared with, one record at a time as a plan is made: with records side by
 * side, which of two same-named NetSuite customers gets the Invoiced customer of that name depends on
 * which invoice is handled first (the other is CUSTOMER_ALREADY_LINKED either way).
 */
async function syncWithEvents(): Promise<{ run: SyncRun; events: SyncEvent[] }> {
  const events: SyncEvent[] = [];
  const settings = { ...engineOptions.settings, recordConcurrency: 1 };
  const run = await createSyncEngine({ ...engineOptions, settings, onEvent: (event) => events.push(event) }).sync();
  return { run, events };
}

/**
 * A NetSuite client of the sandbox whose first request waits until `open()`: `arrived` resolves when it
 * is sent, by which time the sync or dry run that sent it holds the connection's lease.
 */
function gatedNetSuite() {
  let arrive = () => {};
  let open = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  let sent = 0;
  const client = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(clock().getTime() / 1000) }),
    retries: FAST_RETRIES,
    fetch: async (input, init) => {
      sent += 1;
      if (sent === 1) {
        arrive();
        await gate;
      }
      return fetch(input, init);
    },
  });
  return { client, arrived, open };
}

/** Open NetSuite invoices that did not come from Invoiced, per the sandbox's own SuiteQL. */
const openNetSuiteInvoices = () =>
  sandbox.netsuite.state.query("SELECT id, tranid, entity FROM transaction WHERE type = 'CustInvc' AND status = 'A' AND (externalid IS NULL OR externalid NOT LIKE 'invd-inv-%')");

// Two Invoiced customers share the name of a NetSuite customer with open invoices: its invoices fail as
// AMBIGUOUS_CUSTOMER, in the plan as in the sync.
const ambiguous = (() => {
  const invoicedNames = new Set(sandbox.invoiced.state.list('customers').map((customer) => customer.name.toLowerCase()));
  for (const row of openNetSuiteInvoices()) {
    const customer = sandbox.netsuite.state.get('customer', String(row.entity));
    const name = typeof customer?.companyName === 'string' ? customer.companyName : '';
    if (name === '' || invoicedNames.has(name.toLowerCase()) || name.toLowerCase().startsWith('acme')) continue;
    sandbox.invoiced.state.insert('customers', { name, currency: 'usd' });
    sandbox.invoiced.state.insert('customers', { name: ` ${name.toUpperCase()}  `, currency: 'usd' });
    return { netsuiteCustomerId: String(row.entity), name: name.replace(/\s+/g, ' ').trim() };
  }
  throw new Error('the books have an open invoice of a company customer');
})();

describe('engine: dry run of a first connection', () => {
  let plan: SyncPlan;
  let dryRequests: string[] = [];

  it('plans without writing to either service, or to the store beyond its lease', async () => {
    const before = { services: serviceState(), store: await storeContents() };
    clearRequests();
    storeCalls.length = 0;
    plan = await engine.sync({ dryRun: true });
    dryRequests = requests();
    const planCalls = [...storeCalls];

    expect(plan).toMatchObject({ dryRun: true, error: null });
    expect(plan.changes.length).toBeGreaterThan(50);
    expect(writesAmong(dryRequests)).toEqual([]);
    expect(serviceState()).toEqual(before.services);
    expect(await storeContents()).toEqual(before.store);
    expect(planCalls.filter((name) => !READS_AND_LEASE.has(name))).toEqual([]);
    expect(planCalls[0]).toBe('acquireLease');
    expect(planCalls.at(-1)).toBe('releaseLease');
  });

  it('lists every open NetSuite invoice, each created on Invoiced or failing, by number, with its customer created or linked first', () => {
    const open = openNetSuiteInvoices();
    const invoices = plan.changes.filter((change) => change.entity === 'invoice' && change.direction === 'netsuite_to_invoiced' && change.action !== 'skip');
    expect(invoices.map((change) => change.sourceId).sort()).toEqual(open.map((row) => String(row.id)).sort());
    for (const change of invoices) {
      const row = open.find((candidate) => String(candidate.id) === change.sourceId);
      expect(change.number).toBe(row?.tranid);
      expect(change.side).toBe('invoiced');
      if (change.action === 'create') {
        expect(change.reason).toBe('new open invoice');
        expect(change.placeholderId).toMatch(/^9\d{15}$/);
        expect(change.targetId).toBeUndefined();
      } else expect(change.action).toBe('fail');
    }
    expect(invoices.filter((change) => change.action === 'create').length).toBeGreaterThan(20);

    // Each customer appears once, before its first invoice that is created, as created, matched by name, or
    // linked to the Invoiced customer it was written from (its external ID).
    const customers = plan.changes.filter((change) => change.entity === 'customer' && change.direction === 'netsuite_to_invoiced');
    expect(new Set(customers.map((change) => change.sourceId)).size).toBe(customers.length);
    for (const change of customers) {
      const source = sandbox.netsuite.state.get('customer', change.sourceId);
      expect(change.number).toBe(customerDisplayName(source ?? {}));
      if (change.action === 'create') expect(change.reason).toBe('not on Invoiced yet: no customer there has its name');
      else if (source?.externalId === `invd-cust-${change.targetId}`) {
        expect(change.action).toBe('link');
        expect(change.reason).toBe(`written to NetSuite from Invoiced customer #${change.targetId} (its external ID)`);
      } else {
        expect(change.action).toBe('link');
        expect(change.reason).toBe(`matched by name to Invoiced customer #${change.targetId}`);
        expect(sandbox.invoiced.state.get('customers', Number(change.targetId))?.name.toLowerCase()).toBe(change.number?.toLowerCase());
      }
    }
    expect(customers.some((change) => change.action === 'create')).toBe(true);
    expect(customers.some((change) => change.action === 'link')).toBe(true);
    for (const invoice of invoices.filter((change) => change.action === 'create')) {
      const entity = String(open.find((row) => String(row.id) === invoice.sourceId)?.entity);
      expect(plan.changes.findIndex((change) => change.entity === 'customer' && change.sourceId === entity)).toBeLessThan(plan.changes.indexOf(invoice));
    }
  });

  it('lists the Invoiced invoices and payments that would be written to NetSuite, and what each skip is', () => {
    const toNetSuite = plan.changes.filter((change) => change.direction === 'invoiced_to_netsuite');
    const invoices = toNetSuite.filter((change) => change.entity === 'invoice' && change.action === 'create');
    expect(invoices.length).toBeGreaterThan(0);
    for (const change of invoices) {
      expect(change).toMatchObject({ side: 'netsuite', reason: 'new invoice on Invoiced' });
      expect(change.number).toBe(sandbox.invoiced.state.get('invoices', Number(change.sourceId))?.number);
      expect(change.placeholderId).toMatch(/^planned-\d+$/);
    }
    expect(toNetSuite.some((change) => change.entity === 'payment' && change.action === 'create' && change.reason === 'new payment on Invoiced')).toBe(true);
    const skipped = new Set(plan.changes.filter((change) => change.action === 'skip').map((change) => change.reason));
    expect(skipped).toContain('written to NetSuite from Invoiced');
    expect(skipped).toContain('voided');
  });

  it('lists what would fail with its code and resolution: here, a customer whose name matches two Invoiced customers', () => {
    const failed = plan.recordErrors.filter((error) => error.code === 'AMBIGUOUS_CUSTOMER');
    expect(failed.length).toBeGreaterThan(0);
    for (const error of failed) {
      expect(error.message).toContain(`customer "${ambiguous.name}" matches 2 Invoiced customers`);
      expect(error.resolution).toMatch(/Rename or merge the duplicates on Invoiced/);
      const change = plan.changes.find((candidate) => candidate.action === 'fail' && candidate.sourceId === error.sourceId && candidate.entity === error.entity);
      expect(change).toMatchObject({ side: 'invoiced', number: error.number, reason: error.message });
    }
    expect(plan.counts.records_failed).toBe(plan.recordErrors.length);
    expect(plan.changes.filter((change) => change.action === 'fail')).toHaveLength(plan.recordErrors.length);
  });

  it('is what the first real sync then does, record by record, with fewer requests', async () => {
    clearRequests();
    const { run, events } = await syncWithEvents();
    const realRequests = requests();
    expect(run.status).toBe('partial');
    expect(planned(plan)).toEqual(happened(events));
    expect(writeCounts(plan.counts)).toEqual(writeCounts(run.counts));
    // The sync handles records side by side, so its errors come in the order records finish: compare as sets.
    const described = (errors: readonly RecordError[]) =>
      errors.map((error) => [error.direction, error.entity, error.sourceId, error.code, error.resolution].join(' | ')).sort();
    expect(described(plan.recordErrors)).toEqual(described(run.recordErrors));
    expect(writesAmong(realRequests).length).toBeGreaterThan(0);
    expect(dryRequests.length).toBeLessThan(realRequests.length);
  });
});

describe('engine: dry runs after the first sync', () => {
  it('plans only skips, and the failures that would be retried, when it reads again what changed in the last day', async () => {
    later();
    const before = await storeContents();
    clearRequests();
    const plan = await createSyncEngine({ ...engineOptions, settings: { ...engineOptions.settings, cursorOverlapMs: 86_400_000 } }).sync({ dryRun: true });
    expect(plan.error).toBeNull();
    expect(plan.changes.filter((change) => change.action !== 'skip' && change.action !== 'fail')).toEqual([]);
    const pending = (await store.listRetries(connectionId, { status: 'pending' })).map((item) => item.key).sort();
    expect(plan.changes.filter((change) => change.action === 'fail').map((change) => `${change.direction}:${change.entity}:${change.sourceId}`).sort()).toEqual(pending);
    const reasons = new Set(plan.changes.map((change) => change.reason));
    expect(reasons).toContain('unchanged');
    expect(reasons).toContain('imported from NetSuite');
    expect(writesAmong(requests())).toEqual([]);
    // The failures were retried in the plan only: the retry queue (attempts included) is as it was.
    expect(await storeContents()).toEqual(before);
  });

  it('lists exactly what changed since: one invoice changed in NetSuite is one update, and a sync after the dry run still makes it', async () => {
    const links = (await store.listLinks(connectionId, 'invoice')).filter((link) => link.origin === 'netsuite');
    const [changed, touched] = links;
    if (changed === undefined || touched === undefined) throw new Error('the first sync imported invoices');
    later();
    sandbox.netsuite.state.update('invoice', changed.netsuiteId, { dueDate: '2026-12-31' });
    sandbox.netsuite.state.update('invoice', touched.netsuiteId, {});
    later();
    const cursors = (await storeContents()).cursors;

    const plan = await engine.sync({ dryRun: true });
    const tranid = sandbox.netsuite.state.get('invoice', changed.netsuiteId)?.tranId;
    expect(plan.changes.filter((change) => change.action !== 'skip' && change.action !== 'fail')).toEqual([
      { side: 'invoiced', action: 'update', entity: 'invoice', direction: 'netsuite_to_invoiced', sourceId: changed.netsuiteId, number: tranid, reason: 'changed in NetSuite', targetId: changed.invoicedId },
    ]);
    expect(plan.changes).toContainEqual(expect.objectContaining({ sourceId: touched.netsuiteId, action: 'skip', reason: 'unchanged' }));
    expect((await storeContents()).cursors).toEqual(cursors);

    const run = await engine.sync();
    expect(run.counts.invoices_updated).toBe(1);
    const dueDate = sandbox.invoiced.state.get('invoices', Number(changed.invoicedId))?.due_date ?? 0;
    expect(new Date(dueDate * 1000).toISOString().slice(0, 10)).toBe('2026-12-31');
  });

  it('plans voids and deletes on either side as the sync then makes them', async () => {
    const links = await Promise.all((['invoice', 'payment'] as const).map((kind) => store.listLinks(connectionId, kind)));
    const [invoiceLinks = [], paymentLinks = []] = links;
    const unpaid = (link: { invoicedId: string }) => {
      const invoice = sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
      return invoice !== undefined && invoice.status !== 'voided' && invoice.balance === invoice.total && invoice.total > 0;
    };
    const paid = new Set(paymentLinks.flatMap((link) => sandbox.invoiced.state.get('payments', Number(link.invoicedId))?.applied_to?.map((entry) => String(entry.invoice)) ?? []));
    const voidInNetSuite = invoiceLinks.find((link) => link.origin === 'netsuite' && unpaid(link) && !paid.has(link.invoicedId));
    const voidOnInvoiced = invoiceLinks.find((link) => link.origin === 'invoiced' && unpaid(link) && !paid.has(link.invoicedId));
    const deleteInNetSuite = paymentLinks.find((link) => link.origin === 'netsuite' && sandbox.invoiced.state.get('payments', Number(link.invoicedId))?.voided === false);
    if (voidInNetSuite === undefined || voidOnInvoiced === undefined || deleteInNetSuite === undefined) throw new Error('the books have such records');
    later();
    sandbox.netsuite.state.update('invoice', voidInNetSuite.netsuiteId, { voided: true });
    sandbox.invoiced.state.void('invoices', Number(voidOnInvoiced.invoicedId));
    sandbox.netsuite.state.delete('customerPayment', deleteInNetSuite.netsuiteId);
    later();

    clearRequests();
    const plan = await engine.sync({ dryRun: true });
    expect(writesAmong(requests())).toEqual([]);
    expect(plan.changes).toContainEqual(expect.objectContaining({ side: 'invoiced', action: 'void', entity: 'invoice', sourceId: voidInNetSuite.netsuiteId, reason: 'voided in NetSuite', targetId: voidInNetSuite.invoicedId }));
    expect(plan.changes).toContainEqual(expect.objectContaining({ side: 'netsuite', action: 'delete', entity: 'invoice', sourceId: voidOnInvoiced.invoicedId, reason: 'voided on Invoiced', targetId: voidOnInvoiced.netsuiteId }));
    expect(plan.changes).toContainEqual(expect.objectContaining({ side: 'invoiced', action: 'void', entity: 'payment', sourceId: deleteInNetSuite.netsuiteId, reason: 'deleted in NetSuite', targetId: deleteInNetSuite.invoicedId }));
    expect(plan.counts).toMatchObject({ payments_voided: 1, invoices_deleted_in_netsuite: 1 });
    expect(sandbox.invoiced.state.get('invoices', Number(voidInNetSuite.invoicedId))?.status).not.toBe('voided');

    const { events } = await syncWithEvents();
    expect(planned(plan)).toEqual(happened(events));
    expect(sandbox.invoiced.state.get('invoices', Number(voidInNetSuite.invoicedId))?.status).toBe('voided');
    expect(sandbox.invoiced.state.get('payments', Number(deleteInNetSuite.invoicedId))?.voided).toBe(true);
    expect(sandbox.netsuite.state.get('invoice', voidOnInvoiced.netsuiteId)).toBeUndefined();
  });
});

describe('engine: dry runs handle records side by side, as a real run does', () => {
  it('plans with settings.recordConcurrency records in flight, planning the same records as one at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    // Each link lookup takes a moment: records handled side by side overlap in it.
    const slowLookups = new Proxy(store, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]): Promise<unknown> => {
          if (property !== 'findLinkByNetSuiteId') return Reflect.apply(value, target, args);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          try {
            return await Reflect.apply(value, target, args);
          } finally {
            inFlight -= 1;
          }
        };
      },
    });
    const side = { ...engineOptions, store: slowLookups, connectionId: 'dry-side', settings: { ...engineOptions.settings, recordConcurrency: 8 } };
    const sideBySide = await createSyncEngine(side).sync({ dryRun: true });
    expect(sideBySide.error).toBeNull();
    expect(peak).toBeGreaterThan(1);
    // Two batches may overlap (the next one's reads start while the last records of the previous finish).
    expect(peak).toBeLessThanOrEqual(2 * 8);
    const peakSide = peak;
    peak = 0;
    const oneByOne = await createSyncEngine({ ...side, settings: { ...side.settings, recordConcurrency: 1 } }).sync({ dryRun: true });
    // One record at a time in each phase; the phases that look links up by NetSuite ID and run side by side
    // (the NetSuite invoices and the deletions) make two.
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeLessThan(peakSide);
    const records = (plan: SyncPlan) => plan.changes.map((change) => `${change.direction}:${change.entity}:${change.sourceId}`).sort();
    expect(records(sideBySide)).toEqual(records(oneByOne));
  });
});

describe('engine: dry runs and the connection lease', () => {
  it('refuses a dry run while a sync of the connection runs', async () => {
    const gated = gatedNetSuite();
    later();
    const running = createSyncEngine({ ...engineOptions, netsuite: gated.client }).sync();
    await gated.arrived;
    await expect(engine.sync({ dryRun: true })).rejects.toBeInstanceOf(SyncInProgressError);
    gated.open();
    expect((await running).status).not.toBe('failed');
  });

  it('refuses a sync while a dry run of the connection computes its plan, and lets it start afterwards', async () => {
    const gated = gatedNetSuite();
    later();
    const planning = createSyncEngine({ ...engineOptions, netsuite: gated.client }).sync({ dryRun: true });
    await gated.arrived;
    await expect(engine.sync()).rejects.toBeInstanceOf(SyncInProgressError);
    gated.open();
    expect((await planning).error).toBeNull();
    expect((await engine.sync()).status).not.toBe('failed');
  });
});

describe('engine: dry runs that cannot finish', () => {
  it('ends the plan with one clear error, writing nothing, when NetSuite refuses the credentials', async () => {
    const refused = createNetSuiteClient({
      accountId: sandbox.netsuite.accountId,
      auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, tokenSecret: 'x'.repeat(64), timestamp: () => Math.floor(clock().getTime() / 1000) }),
      retries: FAST_RETRIES,
    });
    const plan = await createSyncEngine({ ...engineOptions, netsuite: refused, connectionId: 'dry-refused' }).sync({ dryRun: true });
    expect(plan.error).toMatchObject({ code: 'INVALID_LOGIN' });
    expect(plan.error?.resolution).toMatch(/Login Audit Trail/);
    expect(plan.changes).toEqual([]);
    expect(JSON.stringify(plan)).not.toContain(sandbox.netsuite.credentials.tokenSecret);
    expect(await storeContents('dry-refused')).toEqual({ links: [[], [], [], []], cursors: PHASES.map(() => null), retries: [], runs: [] });
  });

  it('stops at the next record when its signal aborts, with the error CANCELLED and the changes planned so far', async () => {
    // One record at a time: with records side by side, the ones in flight when the signal aborts end in any
    // order, so only a plan made one record at a time is a prefix of the whole plan.
    const oneByOne = { ...engineOptions, connectionId: 'dry-cut', settings: { ...engineOptions.settings, recordConcurrency: 1 } };
    const full = await createSyncEngine(oneByOne).sync({ dryRun: true });
    const controller = new AbortController();
    let seen = 0;
    const plan = await createSyncEngine({
      ...oneByOne,
      store: new Proxy(store, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]): unknown => {
            // The twentieth link lookup stops the plan: the first invoices were planned by then.
            if (property === 'findLinkByNetSuiteId' && (seen += 1) === 20) controller.abort(new Error('stop'));
            return Reflect.apply(value, target, args);
          };
        },
      }),
    }).sync({ dryRun: true, signal: controller.signal });
    expect(plan.error).toMatchObject({ code: 'CANCELLED' });
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.changes.length).toBeLessThan(full.changes.length);
    // Phases run side by side, so the order of their changes depends on timing: what was planned before the
    // stop is part of the whole plan, change for change.
    const key = (change: SyncPlan['changes'][number]) => JSON.stringify(change, (name, value: unknown) => (name === 'placeholderId' ? undefined : value));
    const whole = new Set(full.changes.map(key));
    expect(plan.changes.map(key).filter((change) => !whole.has(change))).toEqual([]);

    const early = new AbortController();
    early.abort();
    const none = await createSyncEngine({ ...engineOptions, connectionId: 'dry-cut' }).sync({ dryRun: true, signal: early.signal });
    expect(none).toMatchObject({ error: { code: 'CANCELLED' }, changes: [], recordErrors: [] });
    expect(none.counts).toEqual({});
    expect(await storeContents('dry-cut')).toEqual({ links: [[], [], [], []], cursors: PHASES.map(() => null), retries: [], runs: [] });
  });
});
