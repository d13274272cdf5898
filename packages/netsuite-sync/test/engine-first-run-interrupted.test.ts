/**
 * A first sync that imported invoices and never completed: the next run, still a first run of the invoice
 * phase (no cursor), reads again the invoices paid in full since the first began, so that one edited and
 * paid in NetSuite in between reaches its Invoiced copy before its payment does.
 */
import { setupServer } from 'msw/node';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncEngineOptions } from '../src/index';
import { engineTestStore } from './support/engine-store';

let now = new Date('2026-11-02T08:00:00Z');
const clock = () => now;
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const seed = 84;
const sandbox = createSandbox({ seed, clock });
const books = generateBooks({ seed, customers: 15, invoices: 40, payments: 0, creditMemos: 0, invoiced: { customers: 4, invoices: 0, payments: 0 } });
sandbox.load(books);
const server = setupServer(...sandbox.handlers);
server.listen({ onUnhandledFrame: 'error' });
afterAll(() => server.close());
const store = engineTestStore({ clock });
const engine = (onEvent?: SyncEngineOptions['onEvent']) =>
  createSyncEngine({
    netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
    invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast }),
    store,
    connectionId: 'first-run',
    clock,
    settings: { cursorOverlapMs: 60_000 },
    onEvent,
  });

describe('engine: a first sync cancelled after it imported invoices', () => {
  it('brings an invoice it imported, edited and paid in full since, up to date on Invoiced before its payment, on the next run', async () => {
    // The first sync stops once it has imported a few invoices: its invoice phase never completes.
    const controller = new AbortController();
    let imported = 0;
    const stopped = await engine((event) => {
      if (event.type === 'record_synced' && event.entity === 'invoice' && event.direction === 'netsuite_to_invoiced' && ++imported === 3) controller.abort(new Error('stopped by the test'));
    }).sync({ signal: controller.signal });
    expect(stopped.status).toBe('cancelled');
    expect(await store.getCursor('first-run', 'netsuite_invoices')).toBeNull();
    const link = (await store.listLinks('first-run', 'invoice')).find((entry) => entry.origin === 'netsuite');
    if (link === undefined) throw new Error('the first sync imported no invoice');
    const netsuiteId = link.netsuiteId;
    const customer = (sandbox.netsuite.state.get('invoice', netsuiteId)?.entity as { id?: string } | undefined)?.id;
    const item = books.netsuite.items.find((entry) => entry.kind === 'service')?.id ?? '';

    // A person adds a line of 300, then the customer pays the new total: closed in NetSuite.
    now = new Date(now.getTime() + 3_600_000);
    sandbox.netsuite.state.update('invoice', netsuiteId, { item: { items: [{ item: { id: item }, quantity: 1, rate: 300 }] } });
    const total = Number(sandbox.netsuite.state.get('invoice', netsuiteId)?.total);
    const payment = String(sandbox.netsuite.state.insert('customerPayment', { customer: { id: customer }, tranId: 'PAY-AFTER-STOP', payment: total, apply: { items: [{ doc: { id: netsuiteId }, amount: total }] } }).id);
    expect(sandbox.netsuite.state.query(`SELECT BUILTIN.CF(status) AS state FROM transaction WHERE id = ${netsuiteId}`)[0]?.state).toBe('CustInvc:B');
    now = new Date(now.getTime() + 60_000);

    const next = await engine().sync();
    expect(next.status).not.toBe('failed');
    expect(next.recordErrors.filter((error) => error.sourceId === netsuiteId || error.sourceId === payment)).toEqual([]);
    const copy = sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
    expect(copy?.total).toBe(total);
    expect(copy?.balance).toBe(0);
    expect(await store.getCursor('first-run', 'netsuite_invoices')).not.toBeNull();
  });
});
