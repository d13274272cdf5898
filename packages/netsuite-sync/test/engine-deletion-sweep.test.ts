/**
 * Deletions in NetSuite that SuiteQL's DeletedRecord does not show the sync: Oracle documents the table
 * for some record types only (and the deletion log only for accounts on the first System Notes), and a
 * deletion from before the phase's first run is outside its window anyway. The phase also checks, a
 * bounded slice per run, that the NetSuite invoices and payments it linked still exist.
 */
import { describe, expect, it } from 'vitest';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine, type SyncSettingsInput } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 173,
  start: '2026-11-14T08:00:00Z',
  books: { customers: 12, invoices: 40, payments: 25, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const engineWith = (overrides: SyncSettingsInput = {}) => createSyncEngine({ netsuite, invoiced, store, connectionId: 'sweep', clock, settings: { ...settings, ...overrides } });

describe('engine: deletions DeletedRecord does not show', () => {
  it('voids the Invoiced payment and invoice of records deleted in NetSuite before the deletion phase first ran', async () => {
    later();
    const first = await engineWith({ phases: { followNetSuiteDeletions: false } }).sync();
    later();
    expect(first.status).not.toBe('failed');
    expect(await store.getCursor('sweep', 'netsuite_deletions')).toBeNull();

    // A payment that pays exactly one invoice, which no other payment pays.
    const payments = sandbox.invoiced.state.list('payments').filter((payment) => !payment.voided);
    const payment = payments.find((candidate) => {
      const applied = (candidate.applied_to ?? []).filter((entry) => entry.type === 'invoice');
      return applied.length === 1 && payments.filter((other) => (other.applied_to ?? []).some((entry) => entry.invoice === applied[0]?.invoice)).length === 1;
    });
    expect(payment, 'the books have a payment of one invoice').toBeDefined();
    const invoiceId = Number(payment?.applied_to?.find((entry) => entry.type === 'invoice')?.invoice);
    const paymentLink = await store.findLinkByInvoicedId('sweep', 'payment', String(payment?.id));
    const invoiceLink = await store.findLinkByInvoicedId('sweep', 'invoice', String(invoiceId));
    sandbox.netsuite.state.delete('customerPayment', paymentLink?.netsuiteId ?? '');
    sandbox.netsuite.state.delete('invoice', invoiceLink?.netsuiteId ?? '');
    later();

    const run = await engineWith().sync();
    later();
    expect(run.counts).toMatchObject({ payments_voided: 1, invoices_voided: 1 });
    expect(sandbox.invoiced.state.get('payments', Number(payment?.id))?.voided).toBe(true);
    expect(sandbox.invoiced.state.get('invoices', invoiceId)?.status).toBe('voided');

    // Checked again on later runs, they need nothing more.
    const again = await engineWith().sync();
    expect(again.counts.payments_voided ?? 0).toBe(0);
    expect(again.counts.invoices_voided ?? 0).toBe(0);
    expect(again.recordErrors.filter((error) => [paymentLink?.netsuiteId, invoiceLink?.netsuiteId].includes(error.sourceId))).toEqual([]);
  });
});
