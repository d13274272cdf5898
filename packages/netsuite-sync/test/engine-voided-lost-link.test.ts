/**
 * An Invoiced invoice or payment the sync wrote to NetSuite whose link was lost (the sync stopped between
 * NetSuite's upsert and saving the link), then voided on Invoiced, end to end against the sandbox: its
 * NetSuite copy is found by the sync's external ID and deleted (or, with `invoicedVoids: 'report'`, a
 * record error says what to do), never left behind unexplained.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { invoiceOfLinkedCustomer, payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine, type SyncStore, type SyncSettingsInput } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 214,
  start: '2026-11-10T08:00:00Z',
  books: { customers: 6, invoices: 12, payments: 6, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const CONNECTION = 'lost-link';
const memory = engineTestStore({ clock });

/** The record whose next `saveLink` fails, as if the process died right after NetSuite's upsert. */
let loseNextLink: { kind: 'invoice' | 'payment'; invoicedId: string } | null = null;
const store: SyncStore = new Proxy(memory, {
  get(target, property, receiver) {
    if (property === 'saveLink') {
      return async (connectionId: string, link: Parameters<SyncStore['saveLink']>[1]) => {
        if (loseNextLink !== null && link.kind === loseNextLink.kind && link.invoicedId === loseNextLink.invoicedId) {
          loseNextLink = null;
          throw new Error('The process stopped before the link was saved.');
        }
        return target.saveLink(connectionId, link);
      };
    }
    const value: unknown = Reflect.get(target, property, receiver);
    return typeof value === 'function' ? (...args: unknown[]): unknown => Reflect.apply(value, target, args) : value;
  },
});
const engineWith = (overrides: SyncSettingsInput = {}) => createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: { ...settings, ...overrides } });
const engine = engineWith();

const sync = async (target = engine) => {
  later();
  const run = await target.sync();
  later();
  return run;
};

/** A new Invoiced invoice of a linked customer, finalized, with one line. */
const invoicedInvoice = (number: string, amount = 100) => invoiceOfLinkedCustomer(sandbox, memory, CONNECTION, number, amount);

const queries = () => sandbox.netsuite.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/suiteql')).length;

describe('engine: voids on Invoiced of records whose link was lost', () => {
  it('starts from a first run that imports the NetSuite books', async () => {
    const run = await sync();
    expect(run.status).not.toBe('failed');
    expect((await memory.listLinks(CONNECTION, 'customer')).length).toBeGreaterThan(0);
    // Records of the generated books that fail on purpose are set aside: later errors are this file's.
    for (const item of await engine.retryQueue()) await engine.ignore(item.key);
  });

  it('deletes the NetSuite copy of a voided payment whose link was lost', async () => {
    const invoice = await invoicedInvoice('INV-LOST-1');
    await sync();
    const payment = payInvoicedInvoice(sandbox, invoice, 100, { method: 'check', reference: 'CHK-LOST-1' });
    loseNextLink = { kind: 'payment', invoicedId: String(payment.id) };
    const lost = await sync();
    expect(lost.recordErrors.map((error) => error.sourceId)).toEqual([String(payment.id)]);
    const written = sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`);
    expect(written).toBeDefined();
    expect(await memory.findLinkByInvoicedId(CONNECTION, 'payment', String(payment.id))).toBeNull();

    sandbox.invoiced.state.void('payments', payment.id);
    const run = await sync();
    expect(run.recordErrors).toEqual([]);
    expect(run.counts.payments_deleted_in_netsuite).toBe(1);
    expect(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`)).toBeUndefined();
    expect(await memory.findLinkByInvoicedId(CONNECTION, 'payment', String(payment.id))).toMatchObject({ origin: 'invoiced', fingerprint: 'voided' });
    expect(await memory.getRetry(CONNECTION, `invoiced_to_netsuite:payment:${payment.id}`)).toBeNull();
  });

  it("reports the NetSuite copy of a voided invoice whose link was lost with invoicedVoids: 'report', then deletes it with 'delete'", async () => {
    const reporting = engineWith({ invoicedVoids: 'report' });
    const invoice = await invoicedInvoice('INV-LOST-2');
    loseNextLink = { kind: 'invoice', invoicedId: String(invoice.id) };
    await sync(reporting);
    const written = sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(written).toBeDefined();
    expect(await memory.findLinkByInvoicedId(CONNECTION, 'invoice', String(invoice.id))).toBeNull();

    sandbox.invoiced.state.void('invoices', invoice.id);
    const run = await sync(reporting);
    expect(run.recordErrors).toEqual([
      expect.objectContaining({ entity: 'invoice', direction: 'invoiced_to_netsuite', sourceId: String(invoice.id), number: 'INV-LOST-2', code: 'INVOICE_VOIDED_ON_INVOICED' }),
    ]);
    expect(run.recordErrors[0]?.message).toContain(String(written?.id));
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeDefined();
    expect(await memory.findLinkByInvoicedId(CONNECTION, 'invoice', String(invoice.id))).toMatchObject({ netsuiteId: String(written?.id), origin: 'invoiced' });

    // With 'delete', the waiting record is retried (its link now known) and its NetSuite copy deleted.
    const run2 = await sync();
    expect(run2.recordErrors).toEqual([]);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
  });

  it('skips a voided invoice that never reached NetSuite, with one more query than a run with nothing to do', async () => {
    await sync();
    sandbox.netsuite.clearRequests();
    await sync();
    const idle = queries();

    const invoice = await invoicedInvoice('INV-LOST-3');
    sandbox.invoiced.state.void('invoices', invoice.id);
    sandbox.netsuite.clearRequests();
    const skipped: string[] = [];
    const listening = createSyncEngine({
      netsuite,
      invoiced,
      store,
      connectionId: CONNECTION,
      clock,
      settings,
      onEvent: (event) => {
        if (event.type === 'record_skipped' && event.sourceId === String(invoice.id)) skipped.push(event.reason);
      },
    });
    const run = await sync(listening);
    expect(run.recordErrors).toEqual([]);
    expect(skipped).toEqual(['voided']);
    expect(queries()).toBe(idle + 1);
    expect(sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
    expect(await memory.findLinkByInvoicedId(CONNECTION, 'invoice', String(invoice.id))).toBeNull();
  });
});
