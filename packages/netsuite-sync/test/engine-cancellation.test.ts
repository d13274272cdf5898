/**
 * All four flows, cancelled at many points and run again: nothing is duplicated on either side and the
 * second run finishes what the first left.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '../src/index';

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => server?.close());

function duplicates(values: readonly unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((value) => (value === undefined || value === null ? false : seen.has(value) || (seen.add(value), false)));
}

describe('engine: cancelled at any point, then run again', () => {
  it.each([1, 4, 9, 17, 30, 48])('leaves no duplicate on either side when the first run stops after %i records', async (cutAfter) => {
    let now = new Date('2026-11-06T08:00:00Z');
    const clock = () => now;
    const sandbox = createSandbox({ seed: 200 + cutAfter, clock });
    const books = generateBooks({ seed: 200 + cutAfter, customers: 10, invoices: 25, payments: 12, creditMemos: 0, invoiced: { customers: 5, invoices: 10, payments: 5 } });
    sandbox.load(books);
    server = setupServer(...sandbox.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const store = engineTestStore({ clock });
    const options = {
      netsuite: createNetSuiteClient({ accountId: sandbox.netsuite.accountId, auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }), retries: fast }),
      invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast }),
      store,
      connectionId: `cut-${cutAfter}`,
      clock,
      settings: {
        items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id },
        subsidiary: books.netsuite.subsidiaries[0]?.id,
        currencies: Object.fromEntries(books.netsuite.currencies.map((code, index) => [code, String(index + 1)])),
      },
    };
    const controller = new AbortController();
    let synced = 0;
    const first = await createSyncEngine({
      ...options,
      onEvent: (event) => {
        if (event.type === 'record_synced' && ++synced === cutAfter) controller.abort(new Error('stopped'));
      },
    }).sync({ signal: controller.signal });
    expect(['cancelled', 'succeeded', 'partial']).toContain(first.status);
    now = new Date(now.getTime() + 60_000);
    const second = await createSyncEngine(options).sync();
    expect(['succeeded', 'partial']).toContain(second.status);
    now = new Date(now.getTime() + 60_000);
    // A third run creates nothing on either side: the second finished the work (what still fails, fails
    // again), and the books' NetSuite records with invd-* external IDs are copies of the Invoiced records
    // with those IDs, so writing those again changes nothing that would be read back as new.
    const sizes = () => ({
      invoiced: (['customers', 'invoices', 'payments'] as const).map((resource) => sandbox.invoiced.state.count(resource)),
      netsuite: (['customer', 'invoice', 'customerPayment'] as const).map((type) => sandbox.netsuite.state.count(type)),
    });
    const before = sizes();
    const third = await createSyncEngine(options).sync();
    expect(['succeeded', 'partial']).toContain(third.status);
    expect(Object.entries(third.counts).filter(([name, count]) => name.endsWith('_created') && count > 0)).toEqual([]);
    expect(sizes()).toEqual(before);

    const invoicedInvoices = sandbox.invoiced.state.list('invoices');
    expect(duplicates(invoicedInvoices.map((invoice) => invoice.metadata?.netsuite_id))).toEqual([]);
    expect(duplicates(invoicedInvoices.map((invoice) => invoice.number))).toEqual([]);
    expect(duplicates(sandbox.invoiced.state.list('payments').filter((payment) => !payment.voided).map((payment) => payment.reference))).toEqual([]);
    expect(duplicates(sandbox.invoiced.state.list('customers').map((customer) => customer.metadata?.netsuite_id))).toEqual([]);
    for (const type of ['customer', 'invoice', 'customerPayment'] as const) {
      expect(duplicates(sandbox.netsuite.state.list(type).map((record) => record.externalId))).toEqual([]);
    }
    // Every link points at a record that exists, once.
    for (const kind of ['customer', 'invoice', 'payment'] as const) {
      const links = await store.listLinks(`cut-${cutAfter}`, kind);
      expect(duplicates(links.map((link) => link.netsuiteId))).toEqual([]);
    }
  });
});
