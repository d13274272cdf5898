/**
 * Phase `netsuite_invoices` (the spec's "importing outstanding invoices" and, during a sync, "importing
 * customers that have invoices"): open NetSuite invoices changed since the cursor become Invoiced
 * invoices, each with its customer matched by name or created.
 */
import type { Phase } from '../contracts';
import { netsuitePhaseWindow } from '../netsuite-clock';
import { changedInvoicesQuery, valueText } from '../netsuite-queries';
import { mappedSelect, withMappedColumns } from '../mapped-columns';
import { settleCustomerCreates } from '../records/customer-creates';
import { INVOICE_BATCH, netsuiteInvoiceBatches } from '../records/netsuite-invoices';
import { pendingRetries, retriesSeen, settleVanished } from '../records/outcomes';
import { GONE, voidOnInvoiced } from '../records/voids';
import { inBatches } from '../run/concurrent';

export const netsuiteInvoicesPhase: Phase = {
  name: 'netsuite_invoices',
  after: [],
  enabled: (settings) => settings.phases.readNetSuiteInvoices,
  async run(run, deps) {
    // Its first runs note when they began: invoices a run that never completed imported, paid in full since,
    // are read again by the next.
    const reach = await netsuitePhaseWindow(run, deps, 'netsuite_invoices', { noteBegun: true });
    const pending = await pendingRetries(run, 'netsuite_to_invoiced', 'invoice');
    // suiteqlAll streams in ascending id order, each row once: only one batch is held at a time.
    const query = changedInvoicesQuery(reach.since, deps.settings.invoiceStartDate, pending.map((item) => item.sourceId), mappedSelect(deps.settings.netsuiteFields, 'invoice', 't'), reach.since ?? reach.begun);
    // On the phase's first run, invoices may already be on Invoiced from before: Invoiced's list is read once.
    const { seen, see } = retriesSeen(pending);
    const handle = netsuiteInvoiceBatches(run, deps, (row) => see(valueText(row.id)), { scanAll: reach.since === null });
    const rows = withMappedColumns(deps.netsuite.suiteqlAll(query, { signal: run.signal }), deps.settings.netsuiteFields, 'invoice');
    // Batches read ahead while one is written: the phases beside this one keep NetSuite's request slots
    // busy, so a batch's reads wait their turn, and Invoiced must not wait for them.
    const read = await inBatches(rows, INVOICE_BATCH, handle, { ahead: 3 });
    run.count('netsuite_invoices_read', read);
    // An invoice waiting for a retry that NetSuite no longer has: a create that went unconfirmed may have
    // gone through, and its Invoiced copy is voided as any deleted invoice's.
    await settleVanished(run, deps, pending, seen, async (item) => {
      const copy = await deps.invoiced.invoices.findByNetsuiteId(item.sourceId, { signal: run.signal });
      if (copy === undefined || copy.status === 'voided') return false;
      const link = await deps.store.saveLink(deps.connectionId, { kind: 'invoice', invoicedId: String(copy.id), netsuiteId: item.sourceId, origin: 'netsuite', fingerprint: null });
      await voidOnInvoiced(deps, 'invoice', copy.id, run.signal);
      await deps.store.saveLink(deps.connectionId, { ...link, fingerprint: GONE.voided });
      await run.succeeded({ ...item, targetId: String(copy.id), action: 'updated', change: 'void', reason: 'deleted in NetSuite' });
      return true;
    });
    // Customers whose create on Invoiced went unconfirmed and whose invoice did not come back to settle it.
    await settleCustomerCreates(run, deps, 'netsuite_to_invoiced');
    // Only now, with every record handled, does the phase move on: a crash or abort before this line
    // re-reads the same window next time, and links make the repeat harmless.
    await reach.advance();
  },
};
