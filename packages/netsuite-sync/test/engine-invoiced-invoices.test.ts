/**
 * Flow 3 end to end: non-draft invoices created on Invoiced are written to NetSuite (upsert by external
 * ID), customers matched by name or created; imported invoices are never written back.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks, type Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncEngineOptions, type SyncSettingsInput } from '../src/index';

let now = new Date('2026-11-03T08:00:00Z');
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => server?.close());

function world(seed: number, settings: SyncSettingsInput = {}) {
  const clock = () => now;
  const sandbox = createSandbox({ seed, clock });
  const books = generateBooks({ seed, customers: 12, invoices: 0, payments: 0, creditMemos: 0, invoiced: { customers: 8, invoices: 16, payments: 0, draftRatio: 0.25 } });
  const ids = sandbox.load(books);
  server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const serviceItem = books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '';
  const netsuite = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
    retries: fast,
  });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast });
  const store = engineTestStore({ clock });
  const currencies = Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)]));
  const engine = (overrides: Partial<SyncEngineOptions> = {}) =>
    createSyncEngine({
      netsuite,
      invoiced,
      store,
      connectionId: `w-${seed}`,
      clock,
      settings: { items: { defaultItem: serviceItem }, subsidiary: books.netsuite.subsidiaries[0]?.id, currencies, cursorOverlapMs: 0, ...settings },
      ...overrides,
    });
  return { sandbox, books, ids, store, engine, connectionId: `w-${seed}` };
}

/** The NetSuite invoice written for an Invoiced invoice, if any. */
function netsuiteInvoiceFor(sandbox: Sandbox, invoicedId: number) {
  return sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoicedId}`);
}

const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe('engine: Invoiced invoices into NetSuite', () => {
  it('writes every non-draft invoice once, skips drafts, and links each to its NetSuite invoice', async () => {
    const w = world(81);
    const run = await w.engine().sync();
    expect(['succeeded', 'partial']).toContain(run.status);
    const invoices = w.sandbox.invoiced.state.list('invoices');
    const failed = new Set(run.recordErrors.filter((error) => error.direction === 'invoiced_to_netsuite' && error.entity === 'invoice').map((error) => error.sourceId));
    for (const invoice of invoices) {
      const written = netsuiteInvoiceFor(w.sandbox, invoice.id);
      if (invoice.draft) {
        expect(written).toBeUndefined();
        continue;
      }
      if (failed.has(String(invoice.id))) continue;
      expect(written).toBeDefined();
      expect(written?.total).toBeCloseTo(invoice.total, 6);
      const link = await w.store.findLinkByInvoicedId(w.connectionId, 'invoice', String(invoice.id));
      expect(link).toMatchObject({ netsuiteId: String(written?.id), origin: 'invoiced' });
    }
    expect(invoices.some((invoice) => invoice.draft)).toBe(true);
    expect((await w.store.listLinks(w.connectionId, 'invoice')).length).toBeGreaterThan(0);
    // Customers already in NetSuite (the books' copies `invd-cust-<id>` written by an earlier sync) were
    // linked to them, not created again; the others were created, once each.
    const customerLinks = await w.store.listLinks(w.connectionId, 'customer');
    const copies = w.sandbox.netsuite.state.list('customer').filter((customer) => typeof customer.externalId === 'string' && customer.externalId.startsWith('invd-cust-'));
    expect(new Set(copies.map((customer) => customer.externalId)).size).toBe(copies.length);
    for (const link of customerLinks) {
      const copy = w.sandbox.netsuite.state.findByExternalId('customer', `invd-cust-${link.invoicedId}`);
      if (copy !== undefined) expect(link.netsuiteId).toBe(String(copy.id));
    }
    expect(customerLinks.filter((link) => copies.some((copy) => String(copy.id) === link.netsuiteId)).length).toBeGreaterThan(copies.length / 2);
    expect(customerLinks.every((link) => link.origin === 'invoiced')).toBe(true);
  });

  it('reports each invoice as a record error naming its number and the fix when no default item is set', async () => {
    const w = world(82, { items: {} });
    const run = await w.engine().sync();
    const missing = run.recordErrors.filter((error) => error.code === 'DEFAULT_ITEM_REQUIRED');
    expect(missing.length).toBe(w.sandbox.invoiced.state.list('invoices').filter((invoice) => !invoice.draft).length - run.recordErrors.filter((error) => error.code !== 'DEFAULT_ITEM_REQUIRED' && error.entity === 'invoice').length);
    expect(missing[0]?.number).toMatch(/^IVD-/);
    expect(missing[0]?.resolution).toMatch(/item/i);
    expect(run.status).toBe('partial');
  });

  it('writes only invoices changed since the last sync, and a draft once it is finalized', async () => {
    const w = world(83);
    const [changed] = w.sandbox.invoiced.state.list('invoices').filter((invoice) => !invoice.draft);
    // A draft of a customer whose name is not ambiguous in NetSuite (its other invoice is written below).
    const draft = w.sandbox.invoiced.state.insert('invoices', { customer: changed?.customer, draft: true, items: [{ name: 'Setup', quantity: 1, unit_cost: 90 }] });
    await w.engine().sync();
    expect(netsuiteInvoiceFor(w.sandbox, changed?.id ?? 0)).toBeDefined();
    expect(netsuiteInvoiceFor(w.sandbox, draft.id)).toBeUndefined();
    later(60_000);
    w.sandbox.invoiced.state.update('invoices', changed?.id ?? 0, { due_date: Math.floor(Date.parse('2027-01-15T12:00:00Z') / 1000) });
    w.sandbox.invoiced.state.update('invoices', draft.id, { draft: false });
    later(60_000);
    w.sandbox.netsuite.clearRequests();
    const run = await w.engine().sync();
    const upserts = w.sandbox.netsuite.requests.filter((entry) => entry.method === 'PUT' && entry.path.includes('/invoice/eid:'));
    expect(upserts.map((entry) => entry.path).sort()).toEqual([`/services/rest/record/v1/invoice/eid:invd-inv-${changed?.id}`, `/services/rest/record/v1/invoice/eid:invd-inv-${draft.id}`].sort());
    expect(netsuiteInvoiceFor(w.sandbox, changed?.id ?? 0)?.dueDate).toBe('2027-01-15');
    expect(netsuiteInvoiceFor(w.sandbox, draft.id)).toBeDefined();
    expect(run.counts.invoices_updated).toBe(1);
  });

  it('never writes back an invoice imported from NetSuite, even after it is edited on Invoiced', async () => {
    const w = world(84);
    const customer = w.books.netsuite.customers.find((entry) => !entry.isInactive && entry.companyName !== undefined);
    const item = w.books.netsuite.items.find((entry) => entry.kind === 'service')?.id ?? '';
    const imported = w.sandbox.netsuite.state.insert('invoice', { entity: { id: customer?.id }, tranDate: '2026-10-01', item: { items: [{ item: { id: item }, quantity: 1, rate: 250 }] } });
    await w.engine().sync();
    const link = await w.store.findLinkByNetSuiteId(w.connectionId, 'invoice', String(imported.id));
    expect(link?.origin).toBe('netsuite');
    later(60_000);
    w.sandbox.invoiced.state.update('invoices', Number(link?.invoicedId), { notes: 'edited on Invoiced' });
    later(60_000);
    w.sandbox.netsuite.clearRequests();
    const run = await w.engine().sync();
    expect(w.sandbox.netsuite.requests.filter((entry) => entry.method === 'PUT')).toHaveLength(0);
    expect(netsuiteInvoiceFor(w.sandbox, Number(link?.invoicedId))).toBeUndefined();
    expect(run.counts.invoices_skipped).toBeGreaterThanOrEqual(1);
  });

  it('leaves one NetSuite invoice when the answer to its upsert was lost', async () => {
    const w = world(85);
    w.sandbox.netsuite.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }, { request: 3, fault: 'lost_response' }], match: { methods: ['PUT'], pathIncludes: '/invoice/' } });
    const run = await w.engine().sync();
    expect(['succeeded', 'partial']).toContain(run.status);
    expect(w.sandbox.netsuite.faults.injected.length).toBe(2);
    const externalIds = w.sandbox.netsuite.state.list('invoice').map((record) => record.externalId).filter((id): id is string => typeof id === 'string');
    expect(new Set(externalIds).size).toBe(externalIds.length);
  });
});
