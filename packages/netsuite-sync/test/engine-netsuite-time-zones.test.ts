/**
 * Incremental NetSuite reads in the account's time zone: SuiteQL compares `lastmodifieddate` with a
 * datetime literal read as the integration user's wall clock. A change made after a sync is read by the
 * next one at every UTC offset (whole, half and quarter hours, UTC-12 to UTC+14) and across daylight
 * saving time changes, whether the zone is learned from NetSuite or named in the settings, with no
 * overlap window to hide behind.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, generateBooks, type Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { createInvoicedClient, createNetSuiteClient, createSyncEngine, tokenBasedAuth, type SyncSettingsInput } from '../src/index';

const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
let server: ReturnType<typeof setupServer> | undefined;
afterEach(() => server?.close());

function world(timeZone: string, start: string, settings: SyncSettingsInput = {}) {
  let now = new Date(start);
  const clock = () => now;
  const sandbox: Sandbox = createSandbox({ seed: 5, clock, netsuite: { timeZone } });
  sandbox.load(generateBooks({ seed: 5, customers: 4, invoices: 12, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } }));
  server = setupServer(...sandbox.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const netsuite = createNetSuiteClient({
    accountId: sandbox.netsuite.accountId,
    auth: tokenBasedAuth({ ...sandbox.netsuite.credentials, timestamp: () => Math.floor(now.getTime() / 1000) }),
    retries: fast,
  });
  const invoiced = createInvoicedClient({ apiKey: sandbox.invoiced.apiKey, sandbox: true, retries: fast });
  const store = engineTestStore({ clock });
  const engine = createSyncEngine({
    netsuite,
    invoiced,
    store,
    connectionId: 'tz',
    clock,
    settings: { cursorOverlapMs: 0, phases: { readNetSuitePayments: false, writeInvoicedInvoices: false, writeInvoicedPayments: false }, ...settings },
  });
  // Invoices the first sync imported (generated books have same-named customers on purpose; which of them
  // wins when records run side by side is not fixed, so the test takes what was imported).
  const openInvoices = async () => (await store.listLinks('tz', 'invoice')).map((link) => link.netsuiteId).sort((x, y) => Number(x) - Number(y));
  let day = 0;
  return {
    sandbox,
    store,
    engine,
    later: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    now: () => now,
    /** Moves an open invoice's due date in NetSuite (a change made now) and returns its new due date. */
    change: (netsuiteId: string): string => {
      day += 1;
      const dueDate = `2027-01-${String(day).padStart(2, '0')}`;
      sandbox.netsuite.state.update('invoice', netsuiteId, { dueDate });
      return dueDate;
    },
    /** The due date of the Invoiced copy of a NetSuite invoice, as NetSuite's day. */
    invoicedDueDate: async (netsuiteId: string, zone: string): Promise<string | undefined> => {
      const link = await store.findLinkByNetSuiteId('tz', 'invoice', netsuiteId);
      const invoice = link === null ? undefined : sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
      const due = invoice?.due_date;
      return typeof due === 'number' ? new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(due * 1000)) : undefined;
    },
    openInvoices,
  };
}

const ZONES = [
  'Etc/GMT+12', // UTC-12
  'Pacific/Marquesas', // UTC-9:30
  'America/Los_Angeles', // UTC-7 in June
  'America/St_Johns', // UTC-2:30 in June
  'UTC',
  'Asia/Kolkata', // UTC+5:30
  'Asia/Kathmandu', // UTC+5:45
  'Pacific/Chatham', // UTC+12:45 in June
  'Pacific/Kiritimati', // UTC+14
];

describe('engine: incremental NetSuite reads in the account time zone', () => {
  for (const zone of ZONES) {
    for (const named of [false, true]) {
      it(`reads every change made after a sync in ${zone} (${named ? 'zone named in the settings' : 'offset learned from NetSuite'})`, async () => {
        const w = world(zone, '2026-06-10T12:00:00Z', named ? { netsuiteTimeZone: zone } : {});
        const first = await w.engine.sync();
        expect(first.status).not.toBe('failed');
        const [a, b] = (await w.openInvoices());
        expect(a).toBeDefined();
        for (let round = 0; round < 3; round += 1) {
          w.later(60_000);
          const due = w.change(round % 2 === 0 ? (a ?? '') : (b ?? ''));
          w.later(60_000);
          const run = await w.engine.sync();
          expect(run.status).not.toBe('failed');
          expect(await w.invoicedDueDate(round % 2 === 0 ? (a ?? '') : (b ?? ''), zone)).toBe(due);
        }
      });
    }
  }

  for (const [label, start] of [
    ['clocks go back (2026-11-01 in Los Angeles)', '2026-11-01T07:10:00Z'],
    ['clocks go forward (2026-03-08 in Los Angeles)', '2026-03-08T08:10:00Z'],
  ] as const) {
    for (const named of [false, true]) {
      it(`misses no change while ${label}, syncing every 20 minutes (${named ? 'zone named' : 'offset learned'})`, async () => {
        const zone = 'America/Los_Angeles';
        const w = world(zone, start, named ? { netsuiteTimeZone: zone } : {});
        expect((await w.engine.sync()).status).not.toBe('failed');
        const [id] = (await w.openInvoices());
        for (let round = 0; round < 14; round += 1) {
          w.later(10 * 60_000);
          const due = w.change(id ?? '');
          w.later(10 * 60_000);
          expect((await w.engine.sync()).status).not.toBe('failed');
          expect({ at: w.now().toISOString(), due: await w.invoicedDueDate(id ?? '', zone) }).toEqual({ at: w.now().toISOString(), due });
        }
      });
    }
  }

  it("writes each NetSuite cursor with the account's offset", async () => {
    const w = world('Asia/Kathmandu', '2026-06-10T12:00:00Z');
    await w.engine.sync();
    expect(await w.store.getCursor('tz', 'netsuite_invoices')).toBe('2026-06-10T17:45:00.000+05:45');
  });

  it('catches up, once, what a cursor written as UTC by an earlier version missed', async () => {
    const w = world('America/Los_Angeles', '2026-06-10T12:00:00Z');
    await w.engine.sync();
    const [id] = (await w.openInvoices());
    w.later(60_000);
    const due = w.change(id ?? '');
    w.later(60_000);
    // An earlier version wrote cursors as UTC and compared them as UTC wall clocks: 7 hours late here, so
    // the change above was missed and the cursor moved past it.
    await w.store.setCursor('tz', 'netsuite_invoices', new Date(w.now().getTime()).toISOString());
    w.later(60_000);
    await w.engine.sync();
    expect(await w.invoicedDueDate(id ?? '', 'America/Los_Angeles')).toBe(due);
  });

  it('fails the run with one clear error, not each record, when NetSuite answers its time with no usable offset', async () => {
    const w = world('UTC', '2026-06-10T12:00:00Z', {
      phases: { readNetSuiteInvoices: false, readNetSuitePayments: false, followNetSuiteDeletions: false, writeInvoicedInvoices: true },
      items: { defaultItem: '1' },
    });
    const customer = w.sandbox.invoiced.state.insert('customers', { name: 'Clockless Co' });
    w.sandbox.invoiced.state.insert('invoices', { customer: customer.id, items: [{ name: 'Work', quantity: 1, unit_cost: 10 }] });
    server?.use(
      http.post(`${w.sandbox.netsuite.baseUrl}/services/rest/query/v1/suiteql`, async ({ request }) => {
        const { q } = (await request.clone().json()) as { q: string };
        if (!q.includes('FROM DUAL')) return undefined;
        return HttpResponse.json({ links: [], count: 1, hasMore: false, offset: 0, totalResults: 1, items: [{ links: [], now: '6/10/2026' }] });
      }),
    );
    const run = await w.engine.sync();
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'NETSUITE_TIME_ZONE_UNKNOWN' });
    expect(run.recordErrors).toEqual([]);
    expect(w.sandbox.netsuite.state.count('invoice')).toBe(12);
  });

  it('refuses a netsuiteTimeZone that is not an IANA name', () => {
    expect(() => world('UTC', '2026-06-10T12:00:00Z', { netsuiteTimeZone: 'Pacific Time' })).toThrow(expect.objectContaining({ code: 'INVALID_SETTINGS' }) as Error);
  });
});
