/**
 * Customer links that a crash, a lost answer or a clashing name must not lose or cross: a customer the
 * sync created on one side is linked to the customer it was created for, found by what it carries
 * (`metadata.netsuite_id` on Invoiced, the external ID `invd-cust-<id>` in NetSuite), never matched by
 * name to another customer, and a create whose outcome is unknown is settled by the next run even when the
 * invoice it was made for is no longer read.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, currencyIdsOf, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import type { SyncEvent } from '../src/engine/contracts';
import { clientWriter } from '../src/engine/client-writer';
import { invoicedPaymentsPhase } from '../src/engine/phases/invoiced-payments';
import { RunContext } from '../src/engine/run/run-context';
import { parseSyncSettings } from '../src/engine/settings';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncEngineOptions, type SyncRun } from '../src/index';

let now = new Date('2026-11-04T08:00:00Z');
const clock = () => now;
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => server?.close());

/** A small account: no invoice yet, the records each test adds. */
function world(seed: number) {
  const sandbox = createSandbox({ seed, clock });
  const books = generateBooks({ seed, customers: 2, invoices: 0, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } });
  sandbox.load(books);
  server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const item = books.netsuite.items.find((entry) => entry.kind === 'service')?.id ?? '';
  const subsidiary = books.netsuite.subsidiaries[0]?.id ?? '1';
  const signed = () => Math.floor(now.getTime() / 1000);
  const netsuiteClient = (retries = fast) =>
    createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: signed }), retries });
  const invoicedClient = (retries: typeof fast | number = fast) => createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries });
  const store = engineTestStore({ clock });
  const connectionId = `links-${seed}`;
  const currencies = Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)]));
  const usd = currencies.USD ?? '1';
  const settings = { items: { defaultItem: item }, subsidiary, currencies, cursorOverlapMs: 0 };
  const engine = (overrides: Partial<SyncEngineOptions> = {}) =>
    createSyncEngine({ netsuite: netsuiteClient(), invoiced: invoicedClient(), store, connectionId, clock, settings, ...overrides });
  const ns = sandbox.netsuite.state;
  const ivd = sandbox.invoiced.state;
  const netsuiteCustomer = (name: string, externalId?: string) =>
    String(ns.insert('customer', { companyName: name, subsidiary: { id: subsidiary }, currency: { id: usd }, ...(externalId === undefined ? {} : { externalId }) }).id);
  const netsuiteInvoice = (customer: string, rate = 100) =>
    String(ns.insert('invoice', { entity: { id: customer }, tranDate: '2026-10-20', currency: { id: usd }, item: { items: [{ item: { id: item }, quantity: 1, rate }] } }).id);
  const invoicedCustomer = (name: string, metadata: Record<string, string> = {}) => ivd.insert('customers', { name, currency: 'usd', metadata }).id;
  const invoicedInvoice = (customer: number) => ivd.insert('invoices', { customer, currency: 'usd', items: [{ name: 'Work', quantity: 1, unit_cost: 250 }] }).id;
  const customerLink = async (side: 'netsuite' | 'invoiced', id: string | number) =>
    side === 'netsuite' ? store.findLinkByNetSuiteId(connectionId, 'customer', String(id)) : store.findLinkByInvoicedId(connectionId, 'customer', String(id));
  const later = () => {
    now = new Date(now.getTime() + 3_600_000);
  };
  return { sandbox, ns, ivd, store, connectionId, settings, engine, netsuiteClient, invoicedClient, netsuiteCustomer, netsuiteInvoice, invoicedCustomer, invoicedInvoice, customerLink, later };
}

const errorsOf = (run: SyncRun, code: string) => run.recordErrors.filter((error) => error.code === code);

describe('engine: a customer create whose outcome was lost, the invoice it was made for no longer read', () => {
  it('links the Invoiced customer the lost create made, found by metadata.netsuite_id, though its invoice was paid in full meanwhile', async () => {
    const w = world(501);
    const customer = w.netsuiteCustomer('Lantern Works Ltd');
    const invoice = w.netsuiteInvoice(customer, 480);
    // The create reaches Invoiced, its answer is lost, and there is no retry: the run stops there.
    w.sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['POST'], pathIncludes: '/customers' } });
    const stopped = await w.engine({ invoiced: w.invoicedClient(0) }).sync();
    w.sandbox.invoiced.faults.clear();
    expect(stopped.status).toBe('failed');
    const made = w.ivd.list('customers').filter((entry) => entry.metadata?.netsuite_id === customer);
    expect(made).toHaveLength(1);
    // Paid in full in NetSuite before the next run: the invoice is closed and not imported any more.
    w.later();
    w.ns.insert('customerPayment', { customer: { id: customer }, tranId: 'PAY-LANTERN', payment: 480, apply: { items: [{ doc: { id: invoice }, amount: 480 }] } });
    w.later();
    const next = await w.engine().sync();
    expect(next.status).toBe('succeeded');
    expect(await w.customerLink('netsuite', customer)).toMatchObject({ invoicedId: String(made[0]?.id), origin: 'netsuite' });
    expect(w.ivd.list('customers').filter((entry) => entry.metadata?.netsuite_id === customer)).toHaveLength(1);
    expect(await w.store.listRetries(w.connectionId)).toEqual([]);
    // The run after has nothing left to settle.
    w.later();
    const after = await w.engine().sync();
    expect(after.counts.customers_linked ?? 0).toBe(0);
  });

  it('drops the note of a create that never reached Invoiced, creating nothing', async () => {
    const w = world(502);
    const customer = w.netsuiteCustomer('Quiet Harbor Co');
    const invoice = w.netsuiteInvoice(customer, 300);
    // The connection drops before the request reaches Invoiced.
    w.sandbox.invoiced.faults.set({ schedule: [{ request: 1, fault: 'drop' }], match: { methods: ['POST'], pathIncludes: '/customers' } });
    const stopped = await w.engine({ invoiced: w.invoicedClient(0) }).sync();
    w.sandbox.invoiced.faults.clear();
    expect(stopped.status).toBe('failed');
    expect(w.ivd.list('customers').filter((entry) => entry.metadata?.netsuite_id === customer)).toHaveLength(0);
    expect((await w.store.listRetries(w.connectionId)).map((item) => item.key)).toContain(`netsuite_to_invoiced:customer:${customer}`);
    w.later();
    w.ns.insert('customerPayment', { customer: { id: customer }, tranId: 'PAY-HARBOR', payment: 300, apply: { items: [{ doc: { id: invoice }, amount: 300 }] } });
    w.later();
    const next = await w.engine().sync();
    expect(next.status).toBe('succeeded');
    expect(w.ivd.list('customers').filter((entry) => entry.metadata?.netsuite_id === customer)).toHaveLength(0);
    expect(await w.customerLink('netsuite', customer)).toBeNull();
    expect(await w.store.listRetries(w.connectionId)).toEqual([]);
  });

  it('links the NetSuite customer a lost upsert made, found by its external ID, though the invoice it was made for was voided on Invoiced', async () => {
    const w = world(503);
    const customer = w.invoicedCustomer('Birchwood Supply GmbH');
    const invoice = w.invoicedInvoice(customer);
    w.sandbox.netsuite.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['PUT'], pathIncludes: '/customer/' } });
    const stopped = await w.engine({ netsuite: w.netsuiteClient({ ...fast, retries: 0 }) }).sync();
    w.sandbox.netsuite.faults.clear();
    expect(stopped.status).toBe('failed');
    const copy = w.ns.findByExternalId('customer', `invd-cust-${customer}`);
    expect(copy).toBeDefined();
    w.later();
    w.ivd.void('invoices', invoice);
    w.later();
    const next = await w.engine().sync();
    expect(next.status).toBe('succeeded');
    expect(await w.customerLink('invoiced', customer)).toMatchObject({ netsuiteId: String(copy?.id), origin: 'invoiced' });
    expect(await w.store.listRetries(w.connectionId)).toEqual([]);
  });
});

describe('engine: a customer matched by name is never one created for another customer', () => {
  it('NetSuite to Invoiced: a NetSuite customer of the same name does not take the Invoiced customer whose NetSuite copy lost its link', async () => {
    const w = world(511);
    const invoicedId = w.invoicedCustomer('Copperfield Studios LLC');
    // The sync made this copy in NetSuite earlier; the link was lost (a crash between the write and the link).
    const copy = w.netsuiteCustomer('Copperfield Studios LLC', `invd-cust-${invoicedId}`);
    const twin = w.netsuiteCustomer('COPPERFIELD studios llc');
    w.netsuiteInvoice(twin, 220);
    const run = await w.engine().sync();
    expect(await w.customerLink('netsuite', twin)).toBeNull();
    const [refused] = errorsOf(run, 'CUSTOMER_ALREADY_LINKED');
    expect(refused?.message).toContain(`Invoiced customer #${invoicedId}`);
    expect(refused?.message).toContain(copy);
    expect(await w.customerLink('invoiced', invoicedId)).not.toMatchObject({ netsuiteId: twin });
  });

  it('NetSuite to Invoiced: an invoice of a customer the sync made in NetSuite goes to the Invoiced customer its external ID names, whatever the names', async () => {
    const w = world(512);
    const invoicedId = w.invoicedCustomer('Maple Media LLC');
    w.invoicedCustomer('maple media llc');
    const copy = w.netsuiteCustomer('Maple Media LLC', `invd-cust-${invoicedId}`);
    const invoice = w.netsuiteInvoice(copy, 640);
    const run = await w.engine().sync();
    expect(errorsOf(run, 'AMBIGUOUS_CUSTOMER')).toEqual([]);
    expect(await w.customerLink('netsuite', copy)).toMatchObject({ invoicedId: String(invoicedId), origin: 'invoiced' });
    const imported = w.ivd.list('invoices').find((entry) => entry.metadata?.netsuite_id === invoice);
    expect(imported?.customer).toBe(invoicedId);
  });

  it('Invoiced to NetSuite: a customer whose NetSuite copy lost its link is linked to that copy, not matched by name', async () => {
    const w = world(513);
    const invoicedId = w.invoicedCustomer('Ironwood Outfitters');
    const copy = w.netsuiteCustomer('Ironwood Outfitters', `invd-cust-${invoicedId}`);
    w.netsuiteCustomer('IRONWOOD  outfitters');
    const invoice = w.invoicedInvoice(invoicedId);
    const run = await w.engine().sync();
    expect(errorsOf(run, 'AMBIGUOUS_CUSTOMER')).toEqual([]);
    expect(await w.customerLink('invoiced', invoicedId)).toMatchObject({ netsuiteId: copy, origin: 'invoiced' });
    const written = w.ns.findByExternalId('invoice', `invd-inv-${invoice}`);
    expect((written?.entity as { id?: string } | undefined)?.id).toBe(copy);
  });

  it('Invoiced to NetSuite: a customer that came from NetSuite is linked to the customer its metadata.netsuite_id names', async () => {
    const w = world(514);
    const source = w.netsuiteCustomer('Pioneer Analytics GmbH');
    w.netsuiteCustomer('pioneer analytics gmbh');
    const invoicedId = w.invoicedCustomer('Pioneer Analytics GmbH', { netsuite_id: source });
    const invoice = w.invoicedInvoice(invoicedId);
    const run = await w.engine().sync();
    expect(errorsOf(run, 'AMBIGUOUS_CUSTOMER')).toEqual([]);
    expect(await w.customerLink('invoiced', invoicedId)).toMatchObject({ netsuiteId: source, origin: 'netsuite' });
    expect((w.ns.findByExternalId('invoice', `invd-inv-${invoice}`)?.entity as { id?: string } | undefined)?.id).toBe(source);
  });

  it('Invoiced to NetSuite: a customer new to the sync is matched by name to the one NetSuite customer of that name', async () => {
    const w = world(516);
    const existing = w.netsuiteCustomer('HARBOR  lights inc');
    const invoicedId = w.invoicedCustomer('Harbor Lights Inc');
    const invoice = w.invoicedInvoice(invoicedId);
    const run = await w.engine().sync();
    expect(await w.customerLink('invoiced', invoicedId)).toMatchObject({ netsuiteId: existing, origin: 'netsuite' });
    expect(run.counts.customers_linked).toBe(1);
    expect((w.ns.findByExternalId('invoice', `invd-inv-${invoice}`)?.entity as { id?: string } | undefined)?.id).toBe(existing);
    expect(w.ns.findByExternalId('customer', `invd-cust-${invoicedId}`)).toBeUndefined();
  });

  it('Invoiced to NetSuite: a NetSuite customer made for another Invoiced customer is not matched by name', async () => {
    const w = world(515);
    const renamed = w.invoicedCustomer('Westfield Foods (old name)');
    const copy = w.netsuiteCustomer('Westfield Foods PLC', `invd-cust-${renamed}`);
    const newcomer = w.invoicedCustomer('Westfield Foods PLC');
    w.invoicedInvoice(newcomer);
    const run = await w.engine().sync();
    expect(await w.customerLink('invoiced', newcomer)).toBeNull();
    const [refused] = errorsOf(run, 'CUSTOMER_ALREADY_LINKED');
    expect(refused?.message).toContain(copy);
    expect(refused?.message).toContain(`#${renamed}`);
  });
});

describe('engine: customers resolved by phases that run side by side', () => {
  it('Invoiced to NetSuite: a customer the NetSuite invoice phase links by name is linked as that phase decided, while a customer it cannot link is created at once', async () => {
    const w = world(517);
    // Two NetSuite customers of one name: matched by name from Invoiced, they would be ambiguous; the NetSuite
    // invoice phase links the one with an open invoice first, as when the phases ran one after the other.
    const withInvoice = w.netsuiteCustomer('Globex Industries');
    w.netsuiteCustomer('Globex Industries');
    w.netsuiteInvoice(withInvoice);
    const globex = w.invoicedCustomer('Globex Industries');
    const globexInvoice = w.invoicedInvoice(globex);
    const umbrella = w.invoicedCustomer('Umbrella Holdings');
    const umbrellaInvoice = w.invoicedInvoice(umbrella);
    const order: string[] = [];
    const run = await w
      .engine({
        onEvent: (event) => {
          if (event.type !== 'record_synced') return;
          if (event.direction === 'netsuite_to_invoiced' && event.entity === 'customer' && event.targetId === String(globex)) order.push('Globex linked by the NetSuite invoice phase');
          if (event.direction === 'invoiced_to_netsuite' && event.entity === 'invoice') order.push(`invoice ${event.sourceId}`);
        },
      })
      .sync();
    expect(errorsOf(run, 'AMBIGUOUS_CUSTOMER')).toEqual([]);
    expect(await w.customerLink('invoiced', globex)).toMatchObject({ netsuiteId: withInvoice });
    expect((w.ns.findByExternalId('invoice', `invd-inv-${globexInvoice}`)?.entity as { id?: string } | undefined)?.id).toBe(withInvoice);
    expect(w.ns.findByExternalId('customer', `invd-cust-${umbrella}`)).toBeDefined();
    expect(w.ns.findByExternalId('invoice', `invd-inv-${umbrellaInvoice}`)).toBeDefined();
    // The Globex invoice waited for the link the NetSuite invoice phase made (deferred, or found once made).
    expect(order.indexOf('Globex linked by the NetSuite invoice phase')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`invoice ${globexInvoice}`)).toBeGreaterThan(order.indexOf('Globex linked by the NetSuite invoice phase'));
  });

  it('Invoiced to NetSuite: payments start once the invoices that could be written at once are, and a payment of a deferred invoice waits for it', async () => {
    const w = world(520);
    const first = w.netsuiteCustomer('Globex Industries');
    w.netsuiteCustomer('Globex Industries');
    w.netsuiteInvoice(first);
    const globex = w.invoicedCustomer('Globex Industries');
    const umbrella = w.invoicedCustomer('Umbrella Holdings');
    const paid = (customer: number) => {
      const id = w.invoicedInvoice(customer);
      w.ivd.insert('payments', { customer, amount: 250, currency: 'usd', applied_to: [{ type: 'invoice', invoice: id, amount: 250 }] });
      return id;
    };
    const globexInvoice = paid(globex);
    const umbrellaInvoice = paid(umbrella);
    const order: string[] = [];
    const run = await w
      .engine({
        onEvent: (event) => {
          if (event.type === 'phase_started' || event.type === 'phase_finished') order.push(`${event.type} ${event.phase}`);
        },
      })
      .sync();
    expect(run.recordErrors).toEqual([]);
    // The Globex invoice waited for the NetSuite invoice phase; the payments did not wait for it.
    expect(order.indexOf('phase_started invoiced_payments')).toBeLessThan(order.indexOf('phase_finished invoiced_invoices'));
    for (const invoice of [globexInvoice, umbrellaInvoice]) {
      const copy = w.ns.findByExternalId('invoice', `invd-inv-${invoice}`);
      expect(copy?.amountRemaining).toBe(0);
    }
    expect(run.counts.payments_created).toBe(2);
  });

  it('Invoiced to NetSuite: an invoice waiting for its customer is written once the NetSuite invoice phase links it, and its payment once the invoice is, while that phase still runs', async () => {
    const w = world(521);
    // Two NetSuite customers of one name: the Invoiced invoice waits for the NetSuite invoice phase, which
    // links the one with an open invoice (the first it reads), then has many invoices of others to import.
    const withInvoice = w.netsuiteCustomer('Globex Industries');
    w.netsuiteCustomer('Globex Industries');
    w.netsuiteInvoice(withInvoice);
    const others = Array.from({ length: 10 }, (_, index) => w.netsuiteCustomer(`Customer ${index}`));
    for (let index = 0; index < 300; index += 1) w.netsuiteInvoice(others[index % others.length] ?? '');
    const globex = w.invoicedCustomer('Globex Industries');
    const invoice = w.invoicedInvoice(globex);
    const payment = w.ivd.insert('payments', { customer: globex, amount: 250, currency: 'usd', applied_to: [{ type: 'invoice', invoice, amount: 250 }] }).id;
    const order: string[] = [];
    const run = await w
      .engine({
        onEvent: (event) => {
          if (event.type === 'phase_finished') order.push(`finished ${event.phase}`);
          if (event.type === 'record_synced' && event.direction === 'invoiced_to_netsuite' && event.entity !== 'customer') order.push(`${event.entity} ${event.sourceId}`);
        },
      })
      .sync();
    expect(run.recordErrors).toEqual([]);
    expect(await w.customerLink('invoiced', globex)).toMatchObject({ netsuiteId: withInvoice, origin: 'invoiced' });
    expect(run.counts.records_deferred).toBeGreaterThanOrEqual(1);
    // Neither waited for the NetSuite phases to end: each went on once the link it lacked was saved.
    const finished = order.indexOf('finished netsuite_invoices');
    expect(order.indexOf(`invoice ${invoice}`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`invoice ${invoice}`)).toBeLessThan(finished);
    expect(order.indexOf(`payment ${payment}`)).toBeGreaterThan(order.indexOf(`invoice ${invoice}`));
    expect(order.indexOf(`payment ${payment}`)).toBeLessThan(finished);
    expect(w.ns.findByExternalId('invoice', `invd-inv-${invoice}`)?.amountRemaining).toBe(0);
  });

  it("NetSuite to Invoiced: a first sync reads Invoiced's customer and invoice lists side by side, not one after the other", async () => {
    const w = world(524);
    for (let index = 0; index < 250; index += 1) w.ivd.insert('customers', { name: `Listed ${index}`, currency: 'usd', metadata: {} });
    const customer = w.netsuiteCustomer('Harbor Lights Inc');
    w.netsuiteInvoice(customer);
    const lists: { path: string; start: number; end: number }[] = [];
    const invoiced = createInvoicedClient({
      apiKey: w.sandbox.invoiced.apiKey,
      sandbox: true,
      retries: fast,
      onResponse: (info) => {
        const path = info.url.pathname.replace(/^.*\//, '');
        // The lists the invoice phase reads whole on a first run: every customer, every invoice (no filter).
        if (info.method === 'GET' && (path === 'customers' || (path === 'invoices' && !info.url.search.includes('filter')))) {
          lists.push({ path, start: performance.now() - info.durationMs, end: performance.now() });
        }
      },
    });
    const run = await w.engine({ invoiced }).sync();
    expect(run.recordErrors).toEqual([]);
    const customerPages = lists.filter((entry) => entry.path === 'customers');
    const invoicePages = lists.filter((entry) => entry.path === 'invoices');
    expect(customerPages.length).toBeGreaterThanOrEqual(3);
    expect(invoicePages.length).toBeGreaterThanOrEqual(1);
    // The invoice list's first page was asked for before the customer list's last page came back.
    expect(Math.min(...invoicePages.map((entry) => entry.start))).toBeLessThan(Math.max(...customerPages.map((entry) => entry.end)));
  });

  it('NetSuite to Invoiced: the payment phase reads while the invoice phase runs, and writes a payment only once that phase has finished', async () => {
    const w = world(523);
    const customers = Array.from({ length: 5 }, (_, index) => w.netsuiteCustomer(`Harbor ${index}`));
    const invoices = Array.from({ length: 100 }, (_, index) => w.netsuiteInvoice(customers[index % customers.length] ?? '', 100));
    for (const [index, invoice] of invoices.slice(0, 20).entries()) {
      w.ns.insert('customerPayment', { customer: { id: customers[index % customers.length] }, tranId: `PAY-${index}`, payment: 40, apply: { items: [{ doc: { id: invoice }, amount: 40 }] } });
    }
    const order: string[] = [];
    const run = await w
      .engine({
        onEvent: (event) => {
          if (event.type === 'phase_started' || event.type === 'phase_finished') order.push(`${event.type} ${event.phase}`);
          if (event.type === 'record_synced' && event.entity === 'payment') order.push('payment written');
        },
      })
      .sync();
    expect(run.recordErrors).toEqual([]);
    expect(run.counts.payments_created).toBe(20);
    expect(order.indexOf('phase_started netsuite_payments')).toBeLessThan(order.indexOf('phase_finished netsuite_invoices'));
    expect(order.indexOf('payment written')).toBeGreaterThan(order.indexOf('phase_finished netsuite_invoices'));
  });

  it('Invoiced to NetSuite: a payment whose invoice is not in NetSuite waits only for the phases that write invoices, not for those of credits', async () => {
    const w = world(522);
    const umbrella = w.invoicedCustomer('Umbrella Holdings');
    await w.store.saveLink(w.connectionId, { kind: 'customer', invoicedId: String(umbrella), netsuiteId: w.netsuiteCustomer('Umbrella Holdings'), origin: 'invoiced', fingerprint: null });
    const invoice = w.invoicedInvoice(umbrella);
    w.ivd.insert('payments', { customer: umbrella, amount: 250, currency: 'usd', applied_to: [{ type: 'invoice', invoice, amount: 250 }] });
    const events: SyncEvent[] = [];
    await w.store.startRun(w.connectionId, { id: 'run-522', trigger: 'manual', startedAt: clock().toISOString() });
    const run = new RunContext('run-522', w.connectionId, w.store, undefined, clock, (event) => events.push(event), undefined);
    // The invoice phases have ended (the invoice was not written); the credit phases still run, and never end here.
    const running = new Promise<never>(() => undefined);
    for (const phase of ['netsuite_invoices', 'invoiced_invoices']) run.trackPhase(phase, Promise.resolve());
    for (const phase of ['netsuite_credit_memos', 'netsuite_payments', 'invoiced_credit_notes']) run.trackPhase(phase, running);
    await Promise.resolve();
    const netsuite = w.netsuiteClient();
    const invoiced = w.invoicedClient();
    const deps = { netsuite, invoiced, writer: clientWriter(netsuite, invoiced), settings: parseSyncSettings(w.settings), store: w.store, connectionId: w.connectionId };
    const ended = await Promise.race([invoicedPaymentsPhase.run(run, deps).then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000))]);
    expect(ended).toBe('ended');
    expect(events.flatMap((event) => (event.type === 'record_failed' ? [event.error.code] : []))).toEqual(['PAYMENT_INVOICES_NOT_SYNCED']);
  });

  it('Invoiced to NetSuite: a customer whose one NetSuite namesake the NetSuite invoice phase links is linked as that phase decides', async () => {
    const w = world(519);
    const namesake = w.netsuiteCustomer('Harbor Lights Inc');
    w.netsuiteInvoice(namesake);
    const invoicedId = w.invoicedCustomer('HARBOR lights  inc');
    const invoice = w.invoicedInvoice(invoicedId);
    const run = await w.engine().sync();
    expect(run.recordErrors).toEqual([]);
    // Linked by the NetSuite invoice phase (the customer was on Invoiced first), once, as when it ran first.
    expect(await w.customerLink('invoiced', invoicedId)).toMatchObject({ netsuiteId: namesake, origin: 'invoiced' });
    expect((w.ns.findByExternalId('invoice', `invd-inv-${invoice}`)?.entity as { id?: string } | undefined)?.id).toBe(namesake);
    expect(run.counts.customers_linked).toBe(1);
  });

  it('Invoiced to NetSuite: a customer whose source NetSuite customer is inactive, with an open invoice, is linked to it, not copied again', async () => {
    const w = world(518);
    const source = w.netsuiteCustomer('Dormant Traders');
    w.ns.update('customer', source, { isInactive: true });
    w.netsuiteInvoice(source);
    // On Invoiced, the customer came from NetSuite (its metadata names the source), and has an invoice of its own.
    const copy = w.invoicedCustomer('Dormant Traders Ltd', { netsuite_id: source });
    const invoice = w.invoicedInvoice(copy);
    const run = await w.engine().sync();
    expect(run.recordErrors.map((error) => error.code)).toEqual([]);
    expect(await w.customerLink('invoiced', copy)).toMatchObject({ netsuiteId: source });
    expect(w.ns.findByExternalId('customer', `invd-cust-${copy}`)).toBeUndefined();
    expect((w.ns.findByExternalId('invoice', `invd-inv-${invoice}`)?.entity as { id?: string } | undefined)?.id).toBe(source);
  });

  it("reads Invoiced's customer list once per run, however many phases resolve NetSuite customers", async () => {
    const sandbox = createSandbox({ seed: 57, clock });
    const books = generateBooks({ seed: 57, customers: 30, invoices: 60, payments: 40, creditMemos: 12, invoiced: { customers: 3, invoices: 4, payments: 2 } });
    sandbox.load(books);
    server = setupServer(...sandbox.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const item = books.netsuite.items.find((entry) => entry.kind === 'service')?.id ?? '';
    const currencies = Object.fromEntries(currencyIdsOf(books.netsuite));
    // A customer with no invoice, only an open credit memo: the credit memo phase resolves it.
    const ns = sandbox.netsuite.state;
    const usd = currencies.USD ?? '1';
    const creditOnly = ns.insert('customer', { companyName: 'Credit Only Ltd', subsidiary: { id: books.netsuite.subsidiaries[0]?.id ?? '1' }, currency: { id: usd } });
    ns.insert('creditMemo', { entity: { id: String(creditOnly.id) }, currency: { id: usd }, tranId: 'CM-ONLY', item: { items: [{ item: { id: item }, quantity: 1, rate: 40, amount: 40 }] } });
    const engine = createSyncEngine({
      netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
      invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast }),
      store: engineTestStore({ clock }),
      connectionId: 'one-list',
      clock,
      settings: { items: { defaultItem: item }, currencies, cursorOverlapMs: 0 },
    });
    const run = await engine.sync();
    expect(run.status).not.toBe('failed');
    expect(run.counts.creditNotes_created).toBeGreaterThan(0);
    const listed = sandbox.invoiced.requests.filter((entry) => entry.method === 'GET' && entry.path === '/customers');
    expect(listed.map((entry) => entry.query.page ?? '1')).toEqual(['1']);
  });
});
