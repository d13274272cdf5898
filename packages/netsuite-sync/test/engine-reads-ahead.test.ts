/**
 * Nothing of a run goes on once `sync()` has settled: on a phase's first run Invoiced's lists (invoices,
 * customers, payments) are read ahead, page by page, into indexes the phase's records look things up in,
 * and a list still being read when the run's work is over stops being read then; the run ends once it has.
 */
import { createSandbox, currencyIdsOf, generateBooks, type SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth } from '../src/index';
import { engineTestStore } from './support/engine-store';

describe('engine: lists read ahead on a first run', () => {
  let servers: SandboxServers | undefined;
  afterEach(async () => {
    await servers?.close();
    servers = undefined;
  });

  it('are no longer read once the run has settled, when no record needed them', async () => {
    const now = new Date('2026-11-10T08:00:00Z');
    const clock = () => now;
    // Invoiced answers each request in 20 ms: its 600 invoices take seven pages to list. NetSuite has
    // nothing to import, so the run's work is over long before the list is.
    const sandbox = createSandbox({ seed: 41, clock, invoiced: { latencyMs: 20 } });
    const books = generateBooks({ seed: 41, customers: 3, invoices: 0, payments: 0, creditMemos: 0, invoiced: { customers: 2, invoices: 600, payments: 0 } });
    sandbox.load(books);
    servers = await sandbox.listen();
    const invoicedRequests: { path: string; at: number }[] = [];
    const invoicedFetch: typeof fetch = (input, init) => {
      invoicedRequests.push({ path: new URL(input instanceof Request ? input.url : String(input)).pathname, at: performance.now() });
      return fetch(input, init);
    };
    const engine = createSyncEngine({
      netsuite: createNetSuiteClient({
        accountId: sandbox.netsuite.accountId,
        baseUrl: servers.netsuiteUrl,
        auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
      }),
      invoiced: createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, baseUrl: servers.invoicedUrl, fetch: invoicedFetch }),
      store: engineTestStore(),
      connectionId: 'reads-ahead',
      clock,
      settings: {
        items: { defaultItem: books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '' },
        currencies: Object.fromEntries(currencyIdsOf(books.netsuite)),
        // Only the NetSuite phases: the Invoiced requests are the lists they read ahead.
        phases: { writeInvoicedInvoices: false, writeInvoicedCreditNotes: false, writeInvoicedPayments: false, writeInvoicedRefunds: false, followInvoicedDeletions: false },
      },
    });
    const run = await engine.sync();
    const settled = performance.now();
    expect(run.status).toBe('succeeded');
    // Long enough for the rest of the list, had it gone on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(invoicedRequests.filter((request) => request.at > settled)).toEqual([]);
    // It was read ahead indeed, and stopped before its end.
    const invoicePages = invoicedRequests.filter((request) => request.path === '/invoices').length;
    expect(invoicePages).toBeGreaterThan(0);
    expect(invoicePages).toBeLessThan(7);
  });
});
