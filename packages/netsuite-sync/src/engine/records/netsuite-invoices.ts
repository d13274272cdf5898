/**
 * NetSuite invoices into Invoiced, batch by batch: the one handler behind phase `netsuite_invoices` (open
 * invoices changed since the cursor) and the invoice import job (every open invoice). Each invoice gets
 * its customer matched by name or created, then is created, updated, voided, skipped or failed.
 */
import { fingerprint, MappingError, mergeMetadata, netsuiteInvoiceToInvoiced } from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { netsuiteClockOf } from '../netsuite-clock';
import { loadInvoiceLines, loadNetSuiteCustomers, valueText } from '../netsuite-queries';
import { recordSlots } from '../run/concurrent';
import { retryKey } from '../run/failures';
import { FieldMapper } from './field-mapper';
import { InvoicedCustomers } from './invoiced-customers';
import { skipUnchanged } from './outcomes';
import { InvoicedRecovery } from './recovery';
import { GONE, voidOnInvoiced } from './voids';

const DIRECTION = 'netsuite_to_invoiced' as const;
/** The statuses of a NetSuite invoice (`BUILTIN.CF(t.status)`) the handler tells apart; others are closed. */
const OPEN = 'CustInvc:A';
const VOIDED = 'CustInvc:V';

/** An invoice as the run names it. */
type RecordRef = { direction: typeof DIRECTION; entity: 'invoice'; sourceId: string; number: string | null };
/** Invoices handled per batch: one SuiteQL request for their lines and one for new customers. */
export const INVOICE_BATCH = 200;

/**
 * The handler of batches of NetSuite invoice rows (`INVOICE_SELECT`) for one run. For each batch it reads
 * the invoices' lines and customers (one query each), then handles its invoices,
 * `settings.recordConcurrency` at a time, calling `afterEach` once an invoice is done (not necessarily in
 * the batch's order), and writes the batch's record errors to the run. With `scanAll`, Invoiced's invoice
 * list is read once to find invoices that are there without a link (a first run, an import).
 */
export function netsuiteInvoiceBatches(
  run: PhaseRun,
  deps: PhaseDeps,
  afterEach?: (row: SuiteQLRow) => void,
  options: { scanAll: boolean } = { scanAll: true },
): (batch: SuiteQLRow[]) => Promise<void> {
  const { store, connectionId, writer } = deps;
  const signal = run.signal;
  const invoicedCustomers = InvoicedCustomers.of(run, deps);
  const recovery = InvoicedRecovery.invoices(run, deps, options);
  if (options.scanAll) {
    // Invoiced's invoice and customer lists, each a chain of pages, are read side by side from the start,
    // not one after the other once the first invoice needs them.
    recovery.warm();
    invoicedCustomers.warm();
  }
  const mapper = new FieldMapper(run, deps);
  // Batches are read ahead; their records share the phase's slots.
  const slots = recordSlots(run, deps.settings.recordConcurrency);
  /** The NetSuite account's time zone, in which its dates are days: read with the first batch. */
  let timeZone: string | undefined;

  /**
   * A voided invoice, or a closed (paid in full...) one that was not imported: voided on Invoiced when its
   * copy is there; otherwise never written. One read again for its retry item (a create that went unconfirmed, then the invoice was paid or
   * voided) has its Invoiced copy looked for: found, it is linked (and voided), so that its payments are
   * applied like any imported invoice's; not found, nothing is left to do and the item goes. A closed one
   * found resolves to its new link: the copy has what the lost create sent, and is brought up to date like
   * any imported invoice's before its payments are applied (they wait for this phase).
   */
  const handleNotOpen = async (row: SuiteQLRow, ref: RecordRef, linked: SyncLink | null): Promise<SyncLink | undefined> => {
    const netsuiteId = ref.sourceId;
    const voided = valueText(row.state) === VOIDED;
    const key = retryKey(DIRECTION, 'invoice', netsuiteId);
    let link = linked;
    if (link === null) {
      const found = (await run.retryItem(key)) === null ? undefined : await recovery.find(netsuiteId, netsuiteId);
      if (found === undefined) {
        await run.skipped(ref, voided ? 'voided' : 'closed in NetSuite before it was imported');
        return;
      }
      link = await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(found), netsuiteId, origin: 'netsuite', fingerprint: null });
      if (!voided) return link;
    }
    if (!voided || link.fingerprint === GONE.voided) {
      await run.skipped(ref, voided ? 'voided' : 'closed in NetSuite');
      return;
    }
    await voidOnInvoiced(deps, 'invoice', Number(link.invoicedId), run.signal);
    await store.saveLink(connectionId, { ...link, fingerprint: GONE.voided });
    await run.succeeded({ ...ref, targetId: link.invoicedId, action: 'updated', change: 'void', reason: 'voided in NetSuite' });
  };

  const handleInvoice = async (row: SuiteQLRow, lines: readonly SuiteQLRow[], customer: SuiteQLRow | undefined): Promise<void> => {
    const netsuiteId = valueText(row.id);
    const number = valueText(row.tranid) || null;
    const ref = { direction: DIRECTION, entity: 'invoice' as const, sourceId: netsuiteId, number };
    let print: string | null = null;
    try {
      if (valueText(row.externalid).startsWith('invd-inv-')) {
        await run.skipped(ref, 'written to NetSuite from Invoiced');
        return;
      }
      let link = await store.findLinkByNetSuiteId(connectionId, 'invoice', netsuiteId);
      if (link?.origin === 'invoiced') {
        await run.skipped(ref, 'came from Invoiced');
        return;
      }
      const state = valueText(row.state);
      // A closed (paid in full) invoice that was imported is kept up to date like an open one: an edit made
      // before its payment must reach the Invoiced copy before the payment does.
      const importedAndClosed = state !== VOIDED && link !== null && link.fingerprint !== GONE.voided;
      // A closed invoice whose lost create is found on Invoiced now: linked, then kept up to date as imported.
      let foundClosed = false;
      if (state !== OPEN && !importedAndClosed) {
        const found = await handleNotOpen(row, ref, link);
        if (found === undefined) return;
        link = found;
        foundClosed = true;
      }
      if (customer === undefined) {
        throw new MappingError('CUSTOMER_NOT_FOUND', `Invoice ${number ?? netsuiteId}: its NetSuite customer ${valueText(row.entity)} cannot be read.`, 'Check that the role can see the customer record, then retry the invoice.', number);
      }
      const customerId = await invoicedCustomers.forInvoice(customer, number ?? netsuiteId);
      const mapped = await mapper.toInvoiced('invoice', netsuiteInvoiceToInvoiced(row, lines, customerId, { timeZone }), row, `Invoice ${number ?? netsuiteId}`);
      const body = mapped.body;
      print = fingerprint(body);
      if (await skipUnchanged(run, { ...ref, link, fingerprint: print })) return;
      const existing = link !== null ? Number(link.invoicedId) : await recovery.find(netsuiteId, netsuiteId);
      if (existing !== undefined) {
        // Paid in full in NetSuite, and already closed on Invoiced (its payment came first): Invoiced does not
        // change a closed invoice, and there is nothing left to collect on either side.
        if (state !== OPEN && (await deps.invoiced.invoices.retrieve(existing, { signal })).closed === true) {
          await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(existing), netsuiteId, origin: link?.origin ?? 'netsuite', fingerprint: print });
          if (foundClosed) await run.succeeded({ ...ref, targetId: String(existing), action: 'linked', change: 'link', reason: `found on Invoiced by metadata.netsuite_id: invoice #${existing} (closed in NetSuite since, and on Invoiced)` });
          else await run.skipped(ref, 'paid in full in NetSuite, and closed on Invoiced');
          return;
        }
        // An update on Invoiced replaces the whole metadata map: the invoice has its netsuite_id already
        // (it was created with it, or found by it), and whatever else a person put there stays.
        // When mappings (or the transform hook) set metadata keys, the update carries the whole map, those keys set or removed.
        const { metadata: _metadata, ...changes } = body;
        const metadata = Object.keys(mapped.metadata).length > 0 ? mergeMetadata((await deps.invoiced.invoices.retrieve(existing, { signal })).metadata, mapped.metadata) : undefined;
        await writer.invoiced.updateInvoice(existing, metadata === undefined ? changes : { ...changes, metadata }, { signal });
        await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(existing), netsuiteId, origin: link?.origin ?? 'netsuite', fingerprint: print });
        const reason = foundClosed ? 'found on Invoiced by metadata.netsuite_id (closed in NetSuite since), brought up to date' : link === null ? 'found on Invoiced by metadata.netsuite_id, not linked yet' : 'changed in NetSuite';
        await run.succeeded({ ...ref, targetId: String(existing), action: 'updated', change: 'update', reason });
        return;
      }
      const idempotencyKey = await recovery.beforeCreate(netsuiteId, number, print, `ns-inv-${netsuiteId}-${print.slice(0, 24)}`);
      const created = await writer.invoiced.createInvoice(body, { idempotencyKey, signal });
      await store.saveLink(connectionId, { kind: 'invoice', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: print });
      await run.succeeded({ ...ref, targetId: String(created.id), action: 'created', change: 'create', reason: 'new open invoice' });
    } catch (error) {
      await run.failed(ref, error, print);
    }
  };

  return async (batch: SuiteQLRow[]) => {
    // Read before any record of the batch: a failure to read NetSuite's clock is the run's, not each record's.
    timeZone ??= (await netsuiteClockOf(run, deps)).mappingTimeZone;
    // The batch's lines and customers are read at the same time.
    const [lines, customers] = await Promise.all([
      loadInvoiceLines(deps.netsuite, batch.map((row) => valueText(row.id)), signal),
      loadNetSuiteCustomers(deps.netsuite, [...new Set(batch.map((row) => valueText(row.entity)))], signal, deps.settings.netsuiteFields),
    ]);
    await slots(batch, async (row) => {
      await handleInvoice(row, lines.get(valueText(row.id)) ?? [], customers.get(valueText(row.entity)));
      afterEach?.(row);
    });
    await run.flushErrors();
  };
}
