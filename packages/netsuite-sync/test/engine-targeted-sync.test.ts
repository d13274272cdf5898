/**
 * Targeted runs (`syncRecords`, `syncPending`) and the inbox: only the records named are written, with the
 * phases' guards; no cursor moves; a record deleted on Invoiced is followed; a payment that waited for its
 * invoice goes with it; the inbox's events are marked done; a sync takes pending events too.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { invoiceOfLinkedCustomer, payInvoicedInvoice, sandboxWorld } from './support/world';
import { ConfigurationError, createSyncEngine, SyncInProgressError } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 311,
  start: '2026-11-05T08:00:00Z',
  books: { customers: 6, invoices: 12, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const connectionId = 'targeted';
const engineOptions = {
  netsuite,
  invoiced,
  store,
  connectionId,
  clock,
  settings: { ...settings, paymentAccounts: [{ currency: '*' as const, method: '*' as const, account: 'undeposited' as const }] },
};
const engine = createSyncEngine(engineOptions);
const inNetSuite = (type: 'invoice' | 'customerPayment', externalId: string) => sandbox.netsuite.state.findByExternalId(type, externalId);
let eventId = 9000;
const accept = (type: string, entity: 'invoice' | 'payment' | 'customer', sourceId: number) => {
  eventId += 1;
  const at = clock().toISOString();
  return store.addEvent(connectionId, { id: String(eventId), type, entity, sourceId: String(sourceId), occurredAt: at, receivedAt: at });
};

describe('engine: targeted runs', () => {
  it('writes only the records named, moves no cursor, and records the run', async () => {
    await engine.sync();
    const cursors = await Promise.all(['invoiced_invoices', 'invoiced_payments'].map((phase) => store.getCursor(connectionId, phase)));
    later();
    const named = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-100', 120);
    const other = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-101', 80);
    later();
    const run = await engine.syncRecords([{ kind: 'invoice', invoicedId: named.id }]);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', counts: { invoices_created: 1 } });
    expect(inNetSuite('invoice', `invd-inv-${named.id}`)).toBeDefined();
    expect(inNetSuite('invoice', `invd-inv-${other.id}`)).toBeUndefined();
    expect(await Promise.all(['invoiced_invoices', 'invoiced_payments'].map((phase) => store.getCursor(connectionId, phase)))).toEqual(cursors);
    expect((await engine.recentSyncs({ limit: 1 }))[0]?.id).toBe(run.id);
    // The next sync writes the other one, and skips the named one as unchanged.
    later();
    const sync = await engine.sync();
    expect(inNetSuite('invoice', `invd-inv-${other.id}`)).toBeDefined();
    expect(sync.counts.invoices_created).toBe(1);
  });

  it('writes a payment that waited for its invoice in the run that writes the invoice', async () => {
    later();
    const invoice = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-102', 200);
    const payment = payInvoicedInvoice(sandbox, invoice, 200, { method: 'check', reference: 'CHK-T102' });
    later();
    sandbox.netsuite.clearRequests();
    sandbox.invoiced.clearRequests();
    // Delivered out of order: the payment first.
    const first = await engine.syncRecords([{ kind: 'payment', invoicedId: payment.id }]);
    expect(first.status).toBe('partial');
    expect(first.recordErrors.map((error) => error.code)).toEqual(['PAYMENT_INVOICES_NOT_SYNCED']);
    // What a targeted run costs: NetSuite's clock (no netsuiteTimeZone set) and the payment read, nothing else.
    const calls = () => [...sandbox.netsuite.requests, ...sandbox.invoiced.requests].map((entry) => `${entry.method} ${entry.path.replace(/^.*\/(record|query)\/v1\//, '')}`);
    expect(calls()).toEqual(['POST suiteql', `GET /payments/${payment.id}`]);
    sandbox.netsuite.clearRequests();
    sandbox.invoiced.clearRequests();
    const second = await engine.syncRecords([{ kind: 'invoice', invoicedId: invoice.id }]);
    expect(second).toMatchObject({ status: 'succeeded', counts: { invoices_created: 1, payments_created: 1 } });
    expect(calls().sort()).toEqual(['POST suiteql', `GET /invoices/${invoice.id}`, `GET /payments/${payment.id}`, `PUT invoice/eid:invd-inv-${invoice.id}`, `PUT customerPayment/eid:invd-pay-${payment.id}`].sort());
    expect(inNetSuite('customerPayment', `invd-pay-${payment.id}`)).toBeDefined();
    expect((await engine.retryQueue()).filter((item) => item.direction === 'invoiced_to_netsuite')).toEqual([]);
  });

  it('syncs the records of pending inbox events, marks them done, and starts no run when none is pending', async () => {
    later();
    const invoice = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-103', 50);
    expect(await accept('invoice.created', 'invoice', invoice.id)).toBe(true);
    expect(await accept('customer.updated', 'customer', invoice.customer)).toBe(true);
    const run = await engine.syncPending();
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'webhook', counts: { invoices_created: 1, inbox_events_done: 2 } });
    expect(await store.listPendingEvents(connectionId)).toEqual([]);
    const runs = (await engine.recentSyncs()).length;
    expect(await engine.syncPending()).toBeNull();
    // Events of customers only (a customer reaches NetSuite with its first document): done, and no run.
    await accept('customer.updated', 'customer', invoice.customer);
    expect(await engine.syncPending()).toBeNull();
    expect(await store.listPendingEvents(connectionId)).toEqual([]);
    expect(await engine.recentSyncs()).toHaveLength(runs);
  });

  it('follows an invoice deleted on Invoiced: its NetSuite copy is deleted', async () => {
    later();
    const invoice = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-104', 75);
    await engine.syncRecords([{ kind: 'invoice', invoicedId: invoice.id }]);
    const copy = inNetSuite('invoice', `invd-inv-${invoice.id}`);
    expect(copy).toBeDefined();
    later();
    await invoiced.request('DELETE', `/invoices/${invoice.id}`);
    await accept('invoice.deleted', 'invoice', invoice.id);
    // A dry run plans the deletion, and leaves the event pending.
    const plan = await engine.sync({ dryRun: true });
    expect(plan.changes).toContainEqual(expect.objectContaining({ side: 'netsuite', action: 'delete', entity: 'invoice', sourceId: String(invoice.id), reason: 'deleted on Invoiced' }));
    expect(await store.listPendingEvents(connectionId)).toHaveLength(1);
    const run = await engine.syncPending();
    expect(run).toMatchObject({ status: 'succeeded', counts: { invoices_deleted_in_netsuite: 1 } });
    expect(inNetSuite('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
    expect((await store.findLinkByInvoicedId(connectionId, 'invoice', String(invoice.id)))?.fingerprint).toBe('voided');
  });

  it('a sync takes the pending events too, and the events list finds deletions no webhook told', async () => {
    later();
    const invoice = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-105', 90);
    await engine.sync();
    expect(inNetSuite('invoice', `invd-inv-${invoice.id}`)).toBeDefined();
    later();
    await invoiced.request('DELETE', `/invoices/${invoice.id}`);
    later();
    const run = await engine.sync();
    expect(run.counts).toMatchObject({ invoices_deleted_in_netsuite: 1, invoiced_deletions_found: 1 });
    expect(inNetSuite('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
    expect(await store.listPendingEvents(connectionId)).toEqual([]);
  });

  it('refuses bad targets, and a targeted run while the connection syncs', async () => {
    await expect(engine.syncRecords([])).rejects.toBeInstanceOf(ConfigurationError);
    await expect(engine.syncRecords([{ kind: 'invoice', invoicedId: 'INV-1' }])).rejects.toThrow(/Invoiced ID/);
    await expect(engine.syncRecords([{ kind: 'customer' as 'invoice', invoicedId: 1 }])).rejects.toBeInstanceOf(ConfigurationError);
    // Another process holds the connection's lease (a sync running there).
    expect(await store.acquireLease(connectionId, 'another-process', 60_000)).toBe(true);
    await expect(engine.syncRecords([{ kind: 'invoice', invoicedId: 1 }])).rejects.toBeInstanceOf(SyncInProgressError);
    await expect(engine.syncPending()).rejects.toBeInstanceOf(SyncInProgressError);
    await store.releaseLease(connectionId, 'another-process');
  });

  it('reads no record that came from NetSuite: its link says it is never written back', async () => {
    const imported = (await store.listLinks(connectionId, 'invoice')).find((link) => link.origin === 'netsuite');
    expect(imported).toBeDefined();
    await accept('invoice.updated', 'invoice', Number(imported?.invoicedId));
    sandbox.invoiced.clearRequests();
    sandbox.netsuite.clearRequests();
    const run = await engine.syncPending();
    expect(run?.status).toBe('succeeded');
    expect(sandbox.invoiced.requests).toEqual([]);
    // NetSuite's clock only, which the phase reads before any record.
    expect(sandbox.netsuite.requests.map((entry) => entry.path)).toEqual(['/services/rest/query/v1/suiteql']);
  });

  it('takes the events accepted while it reads into the same run', async () => {
    later();
    const invoice = await invoiceOfLinkedCustomer(sandbox, store, connectionId, 'T-106', 300);
    await engine.syncRecords([{ kind: 'invoice', invoicedId: invoice.id }]);
    const first = payInvoicedInvoice(sandbox, invoice, 100, { method: 'check', reference: 'CHK-T106-1' });
    const second = payInvoicedInvoice(sandbox, invoice, 100, { method: 'check', reference: 'CHK-T106-2' });
    later();
    await accept('payment.created', 'payment', first.id);
    // The second payment's event is accepted while the run writes the first (the transform hook is awaited
    // before the first payment's write).
    let accepted = false;
    const live = createSyncEngine({
      ...engineOptions,
      transform: async (record, context) => {
        if (context.type === 'customerPayment' && !accepted) {
          accepted = true;
          await accept('payment.created', 'payment', second.id);
        }
        return record;
      },
    });
    const run = await live.syncPending();
    expect(run).toMatchObject({ status: 'succeeded', counts: { payments_created: 2, inbox_events_done: 2 } });
    expect(await store.listPendingEvents(connectionId)).toEqual([]);
  });
});

describe('engine: the events list of a connection whose first run was a targeted one', () => {
  it('follows a deletion no webhook told of an invoice a targeted run wrote before any sync', async () => {
    const fresh = createSyncEngine({ netsuite, invoiced, store, connectionId: 'first-webhook', clock, settings });
    later();
    const customer = (await store.listLinks(connectionId, 'customer'))[0];
    const invoice = sandbox.invoiced.state.insert('invoices', { customer: Number(customer?.invoicedId), currency: 'usd', number: 'T-200', draft: false, items: [{ name: 'Consulting', quantity: 1, unit_cost: 40 }] });
    later();
    const written = await fresh.syncRecords([{ kind: 'invoice', invoicedId: invoice.id }]);
    expect(written.status).toBe('succeeded');
    const netsuiteId = (await store.findLinkByInvoicedId('first-webhook', 'invoice', String(invoice.id)))?.netsuiteId;
    expect(netsuiteId).toBeDefined();
    later();
    await invoiced.request('DELETE', `/invoices/${invoice.id}`);
    later();
    const run = await fresh.sync();
    expect(run.counts).toMatchObject({ invoiced_deletions_found: 1, invoices_deleted_in_netsuite: 1 });
    expect(sandbox.netsuite.state.get('invoice', netsuiteId ?? '')).toBeUndefined();
  });
});
