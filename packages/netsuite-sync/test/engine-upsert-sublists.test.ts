/**
 * Upserts that carry a whole sublist replace it: on an update NetSuite adds the lines of a sublist given
 * without keys (an invoice's `item` lines) to those already there, and merges keyed ones (a payment's
 * `apply`, by `doc`), unless the request names the sublist in `replace` (Oracle: "Updating a Sublist",
 * "Replacing a Sublist"; "Using the Upsert Operation": a PUT on an existing record updates it).
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { payInvoicedInvoice, sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 131,
  start: '2026-11-07T08:00:00Z',
  books: { customers: 6, invoices: 6, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engine = createSyncEngine({
  netsuite,
  invoiced,
  store,
  connectionId: 'sublists',
  clock,
  settings: { ...settings, paymentAccounts: [{ currency: '*' as const, method: '*' as const, account: 'undeposited' as const }] },
});

type Json = Record<string, unknown>;
const itemsOf = (record: Json | undefined, sublist: string) => ((record?.[sublist] as Json | undefined)?.items as Json[] | undefined) ?? [];
const netsuiteInvoice = (invoicedId: number) => sandbox.netsuite.state.findByExternalId('invoice', `invd-inv-${invoicedId}`);

/** An Invoiced customer linked to a NetSuite customer (the first run imports them), the clock past the last run. */
async function linkedCustomer(): Promise<number> {
  if ((await store.listLinks('sublists', 'customer')).length === 0) await engine.sync();
  later();
  const link = (await store.listLinks('sublists', 'customer'))[0];
  return Number(link?.invoicedId);
}

function newInvoice(customer: number, name: string) {
  return sandbox.invoiced.state.insert('invoices', {
    customer,
    items: [
      { name: `${name} design`, quantity: 2, unit_cost: 150 },
      { name: `${name} build`, quantity: 1, unit_cost: 75.5 },
    ],
  });
}

describe('engine: upserts replace the sublists they write', () => {
  it('keeps exactly the invoice lines in NetSuite when an invoice edited on Invoiced is written again', async () => {
    const invoice = newInvoice(await linkedCustomer(), 'Edited');
    later();
    await engine.sync();
    expect(itemsOf(netsuiteInvoice(invoice.id), 'item')).toHaveLength(2);
    later();
    sandbox.invoiced.state.update('invoices', invoice.id, { due_date: Math.floor(Date.parse('2027-02-01T12:00:00Z') / 1000) });
    later();
    sandbox.netsuite.clearRequests();
    const run = await engine.sync();
    expect(run.counts.invoices_updated).toBe(1);
    const written = netsuiteInvoice(invoice.id);
    expect(itemsOf(written, 'item').map((line) => line.amount)).toEqual([300, 75.5]);
    expect(written?.total).toBe(375.5);
    const upsert = sandbox.netsuite.requests.find((entry) => entry.method === 'PUT' && entry.path.endsWith(`/invoice/eid:invd-inv-${invoice.id}`));
    expect(upsert?.query.replace).toBe('item');
  });

  it('keeps exactly the invoice lines when the answer to its first PUT was lost and the PUT was sent again', async () => {
    const invoice = newInvoice(await linkedCustomer(), 'Retried');
    sandbox.netsuite.faults.set({ schedule: [{ request: 1, fault: 'lost_response' }], match: { methods: ['PUT'], pathIncludes: `/invoice/eid:invd-inv-${invoice.id}` } });
    later();
    await engine.sync();
    expect(sandbox.netsuite.faults.injected).toHaveLength(1);
    sandbox.netsuite.faults.set({ schedule: [] });
    const written = netsuiteInvoice(invoice.id);
    expect(itemsOf(written, 'item').map((line) => line.amount)).toEqual([300, 75.5]);
    expect(written?.total).toBe(375.5);
  });

  it('leaves a payment applied only to what it pays on Invoiced when its applications change there', async () => {
    const customer = await linkedCustomer();
    const first = newInvoice(customer, 'First');
    const second = newInvoice(customer, 'Second');
    const payment = payInvoicedInvoice(sandbox, first, 375.5, { method: 'check', reference: 'CHK-77' });
    later();
    await engine.sync();
    const applied = () =>
      itemsOf(sandbox.netsuite.state.findByExternalId('customerPayment', `invd-pay-${payment.id}`), 'apply')
        .filter((line) => line.apply === true)
        .map((line) => [(line.doc as Json).id, line.amount]);
    const firstId = String(netsuiteInvoice(first.id)?.id);
    const secondId = String(netsuiteInvoice(second.id)?.id);
    expect(applied()).toEqual([[firstId, 375.5]]);
    later();
    sandbox.invoiced.state.update('payments', payment.id, { applied_to: [{ type: 'invoice', invoice: second.id, amount: 375.5 }] });
    later();
    await engine.sync();
    expect(applied()).toEqual([[secondId, 375.5]]);
    expect(netsuiteInvoice(first.id)?.amountRemaining).toBe(375.5);
    expect(netsuiteInvoice(second.id)?.amountRemaining).toBe(0);
  });
});
