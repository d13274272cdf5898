/**
 * Invoiced replaces a record's whole metadata map when an update carries `metadata`. The sync keeps a
 * NetSuite ID there (`netsuite_id`), and people keep their own keys beside it: an update the sync makes
 * must leave both.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const w = sandboxWorld({ seed: 44, start: '2026-11-02T08:00:00Z', books: { customers: 6, invoices: 20, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } } });
const store = engineTestStore({ clock: w.clock });
const engine = createSyncEngine({ netsuite: w.netsuite, invoiced: w.invoiced, store, connectionId: 'meta', clock: w.clock, settings: w.settings });

describe('engine: metadata on Invoiced', () => {
  it("keeps a person's own metadata keys on an imported invoice and customer when the sync updates them", async () => {
    await engine.sync();
    const [invoiceLink] = await store.listLinks('meta', 'invoice');
    expect(invoiceLink).toBeDefined();
    const invoiceId = Number(invoiceLink?.invoicedId);
    const invoice = w.sandbox.invoiced.state.get('invoices', invoiceId);
    const customerLink = await store.findLinkByInvoicedId('meta', 'customer', String(invoice?.customer));
    expect(customerLink).not.toBeNull();
    // A person adds keys of their own on Invoiced.
    w.sandbox.invoiced.state.update('invoices', invoiceId, { metadata: { netsuite_id: invoiceLink?.netsuiteId, po_owner: 'alice' } });
    w.sandbox.invoiced.state.update('customers', Number(customerLink?.invoicedId), { metadata: { netsuite_id: customerLink?.netsuiteId, segment: 'enterprise' } });

    // Both change in NetSuite; the sync and a customer import update them on Invoiced.
    w.later();
    w.sandbox.netsuite.state.update('invoice', invoiceLink?.netsuiteId ?? '', { dueDate: '2027-02-01' });
    w.sandbox.netsuite.state.update('customer', customerLink?.netsuiteId ?? '', { email: 'new-ap@example.test' });
    w.later();
    const run = await engine.sync();
    expect(run.counts.invoices_updated).toBe(1);
    await engine.importCustomers().done;

    const updatedInvoice = w.sandbox.invoiced.state.get('invoices', invoiceId);
    expect(new Date((updatedInvoice?.due_date ?? 0) * 1000).toISOString().slice(0, 10)).toBe('2027-02-01');
    expect(updatedInvoice?.metadata).toEqual({ netsuite_id: invoiceLink?.netsuiteId, po_owner: 'alice' });
    const updatedCustomer = w.sandbox.invoiced.state.get('customers', Number(customerLink?.invoicedId));
    expect(updatedCustomer?.email).toBe('new-ap@example.test');
    expect(updatedCustomer?.metadata).toEqual({ netsuite_id: customerLink?.netsuiteId, segment: 'enterprise' });
  });
});
