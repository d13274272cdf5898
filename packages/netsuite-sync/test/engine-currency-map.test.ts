/**
 * The currency map of records written to NetSuite: without `settings.currencies` the engine reads the
 * account's currency table once per run and maps by ISO code (`symbol`); entries given win, and a
 * partial map is merged with the account's; a currency the account does not have, or has inactive, fails
 * its record with UNKNOWN_CURRENCY.
 */
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncSettingsInput } from '../src/index';

const now = new Date('2026-11-03T08:00:00Z');
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => server?.close());

function world(seed: number, settings: SyncSettingsInput = {}) {
  const clock = () => now;
  const sandbox = createSandbox({ seed, clock });
  const books = generateBooks({
    seed,
    currencies: ['USD', 'EUR', 'GBP'],
    customers: 3,
    invoices: 0,
    payments: 0,
    creditMemos: 0,
    invoiced: { customers: 6, invoices: 12, payments: 0, draftRatio: 0 },
  });
  sandbox.load(books);
  server = setupServer(...sandbox.handlers);
  const queries: string[] = [];
  server.events.on('request:start', ({ request }) => {
    if (new URL(request.url).pathname.endsWith('/suiteql')) void request.clone().text().then((body) => queries.push(body));
  });
  server.listen({ onUnhandledFrame: 'error' });
  const netsuite = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
    retries: fast,
  });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast });
  const serviceItem = books.netsuite.items.find((item) => item.kind === 'service')?.id ?? '';
  const taxItem = books.netsuite.items.find((item) => item.kind === 'tax')?.id;
  const discountItem = books.netsuite.items.find((item) => item.kind === 'discount')?.id;
  const engine = () =>
    createSyncEngine({
      netsuite,
      invoiced,
      store: engineTestStore({ clock }),
      connectionId: `cur-${seed}`,
      clock,
      settings: {
        phases: { readNetSuiteInvoices: false, readNetSuitePayments: false, followNetSuiteDeletions: false, writeInvoicedPayments: false },
        items: { defaultItem: serviceItem, ...(taxItem === undefined ? {} : { taxItem }), ...(discountItem === undefined ? {} : { discountItem }) },
        subsidiary: books.netsuite.subsidiaries[0]?.id,
        ...settings,
      },
    });
  /** Each written invoice's Invoiced currency and the ISO code of the NetSuite currency it was written in. */
  const written = () =>
    sandbox.invoiced.state.list('invoices').flatMap((invoice) => {
      const rows = sandbox.netsuite.state.query(
        `SELECT c.symbol FROM transaction t JOIN currency c ON c.id = t.currency WHERE t.type = 'CustInvc' AND t.externalid = 'invd-inv-${invoice.id}'`,
      );
      return rows.map((row) => ({ invoiced: String(invoice.currency).toUpperCase(), netsuite: row.symbol }));
    });
  const suiteqlOnCurrency = () => queries.filter((body) => body.includes('FROM currency')).length;
  return { sandbox, books, engine, written, suiteqlOnCurrency };
}

describe('engine: the currency map', () => {
  it('without settings.currencies, writes every invoice in the NetSuite currency of its ISO code, reading the table once', async () => {
    const w = world(304);
    const run = await w.engine().sync();
    const currencyErrors = run.recordErrors.filter((error) => error.code === 'UNKNOWN_CURRENCY');
    expect(currencyErrors).toEqual([]);
    const written = w.written();
    expect(new Set(written.map((entry) => entry.invoiced)).size).toBeGreaterThan(1);
    expect(written.length).toBeGreaterThan(5);
    for (const entry of written) expect(entry.netsuite).toBe(entry.invoiced);
    expect(w.suiteqlOnCurrency()).toBe(1);
  });

  it('a given map wins, and a partial map is merged with the account currencies', async () => {
    // USD is given a wrong ID on purpose (EUR's, 2): the given entry wins; EUR and GBP come from the account.
    const w = world(302, { currencies: { USD: '2' } });
    const run = await w.engine().sync();
    expect(run.recordErrors.filter((error) => error.code === 'UNKNOWN_CURRENCY')).toEqual([]);
    const written = w.written();
    expect(written.some((entry) => entry.invoiced === 'USD')).toBe(true);
    for (const entry of written) expect(entry.netsuite).toBe(entry.invoiced === 'USD' ? 'EUR' : entry.invoiced);
  });

  it('a complete map reads no currency table', async () => {
    const w = world(303, { currencies: { USD: '1', EUR: '2', GBP: '3' } });
    await w.engine().sync();
    expect(w.written().length).toBeGreaterThan(0);
    expect(w.suiteqlOnCurrency()).toBe(0);
  });

  it('a currency inactive in NetSuite fails its records with UNKNOWN_CURRENCY, saying how to fix it', async () => {
    const w = world(304);
    w.sandbox.netsuite.state.setInactive('currency', '2', true); // EUR
    const run = await w.engine().sync();
    const euro = w.sandbox.invoiced.state.list('invoices').filter((invoice) => String(invoice.currency).toUpperCase() === 'EUR');
    expect(euro.length).toBeGreaterThan(0);
    const errors = run.recordErrors.filter((error) => error.code === 'UNKNOWN_CURRENCY');
    expect(new Set(errors.map((error) => error.sourceId))).toEqual(new Set(euro.map((invoice) => String(invoice.id))));
    expect(errors[0]?.message).toContain('EUR is inactive in NetSuite');
    expect(errors[0]?.resolution).toContain('Lists > Accounting > Currencies');
    for (const entry of w.written()) expect(entry.netsuite).not.toBe('EUR');
  });
});
