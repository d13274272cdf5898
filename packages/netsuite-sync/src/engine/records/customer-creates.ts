/**
 * Customer creates whose outcome may be unknown. A customer is created on the other side for an invoice
 * (phase `netsuite_invoices` on Invoiced, phase `invoiced_invoices` in NetSuite) or by the customer import;
 * a crash or a lost answer between the create and its link leaves a customer nobody links when the
 * invoice it was made for is not read again (paid in full, voided, deleted meanwhile).
 *
 * So before each create the engine notes it in the retry queue (`WRITE_UNCONFIRMED`, keyed by the source
 * customer), and the create's link removes the note. After its invoices, each of those phases settles the
 * notes that are left: the customer is looked for where the create would have put it (on Invoiced by
 * `metadata.netsuite_id`, in NetSuite by the external ID `invd-cust-<id>`) and linked when found; a note
 * whose create never arrived is dropped, and nothing is created for it.
 */
import { externalIdFor } from '../../mapping/customers';
import { MappingError } from '../../mapping/index';
import type { Direction, RetryItem, SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { customerIdByExternalId } from '../netsuite-queries';
import { retryKey } from '../run/failures';
import { WRITE_UNCONFIRMED } from './recovery';

const TARGET = { netsuite_to_invoiced: 'Invoiced', invoiced_to_netsuite: 'NetSuite' } as const;

/**
 * Notes in the retry queue, before a customer create, that it is under way (an item already noting it is
 * kept; one of an earlier failure gives way: the create now under way is the customer's latest state).
 */
export async function noteCustomerCreate(run: PhaseRun, customer: { direction: Direction; sourceId: string; name: string | null }): Promise<void> {
  const { direction, sourceId, name } = customer;
  const key = retryKey(direction, 'customer', sourceId);
  const queued = await run.retryItem(key);
  if (queued?.status === 'pending' && queued.lastError.code === WRITE_UNCONFIRMED) return;
  const label = `Customer ${name === null || name === '' ? sourceId : `"${name}"`}`;
  await run.saveRetry({
    key,
    entity: 'customer',
    direction,
    sourceId,
    number: name === '' ? null : name,
    attempts: queued?.attempts ?? 0,
    lastError: {
      code: WRITE_UNCONFIRMED,
      message: `${label}: its create was sent to ${TARGET[direction]}, and the sync stopped before ${TARGET[direction]} confirmed it.`,
      resolution: `Nothing to do: the next run looks for it on ${TARGET[direction]} and links it, or drops this note when it is not there.`,
    },
    status: 'pending',
    fingerprint: null,
    updatedAt: run.now().toISOString(),
  });
}

/**
 * Settles the notes of customer creates in `direction` that are still in the retry queue (one store read;
 * one look-up per note on the service the create was sent to).
 */
export async function settleCustomerCreates(run: PhaseRun, deps: PhaseDeps, direction: Direction): Promise<void> {
  const items = await run.retryItems('pending');
  const notes = items.filter((item) => item.direction === direction && item.entity === 'customer' && item.lastError.code === WRITE_UNCONFIRMED);
  for (const note of notes) {
    run.checkpoint();
    try {
      await settle(run, deps, note);
    } catch (error) {
      await run.failed(note, error, null);
    }
  }
  await run.flushErrors();
}

async function settle(run: PhaseRun, deps: PhaseDeps, note: RetryItem): Promise<void> {
  const { store, connectionId } = deps;
  const fromNetSuite = note.direction === 'netsuite_to_invoiced';
  const ref = { direction: note.direction, entity: 'customer' as const, sourceId: note.sourceId, number: note.number };
  const linked = fromNetSuite ? await store.findLinkByNetSuiteId(connectionId, 'customer', note.sourceId) : await store.findLinkByInvoicedId(connectionId, 'customer', note.sourceId);
  if (linked !== null) {
    await run.skipped(ref, 'linked already');
    return;
  }
  const found = fromNetSuite
    ? (await deps.invoiced.customers.findByNetsuiteId(note.sourceId, { signal: run.signal }))?.id
    : await customerIdByExternalId(deps.netsuite, externalIdFor('cust', Number(note.sourceId)), run.signal);
  if (found === undefined) {
    await run.skipped(ref, `its create did not reach ${TARGET[note.direction]}: nothing to link`);
    return;
  }
  const link: Omit<SyncLink, 'updatedAt'> = fromNetSuite
    ? { kind: 'customer', invoicedId: String(found), netsuiteId: note.sourceId, origin: 'netsuite', fingerprint: null }
    : { kind: 'customer', invoicedId: note.sourceId, netsuiteId: String(found), origin: 'invoiced', fingerprint: null };
  const taken = fromNetSuite ? await store.findLinkByInvoicedId(connectionId, 'customer', link.invoicedId) : await store.findLinkByNetSuiteId(connectionId, 'customer', link.netsuiteId);
  if (taken !== null) throw takenCopy(note, TARGET[note.direction], fromNetSuite ? `#${link.invoicedId}` : link.netsuiteId, fromNetSuite ? taken.netsuiteId : `#${taken.invoicedId}`);
  await store.saveLink(connectionId, link);
  const where = fromNetSuite ? `on Invoiced by metadata.netsuite_id: customer #${link.invoicedId}` : `in NetSuite by external ID ${externalIdFor('cust', Number(note.sourceId))}: customer ${link.netsuiteId}`;
  await run.succeeded({ ...ref, targetId: fromNetSuite ? link.invoicedId : link.netsuiteId, action: 'linked', change: 'link', reason: `its unconfirmed create went through: found ${where}` });
}

/** The customer an unconfirmed create made is linked to another customer already: a person must say which is right. */
function takenCopy(note: RetryItem, target: string, found: string, linkedTo: string): MappingError {
  const name = note.number === null ? note.sourceId : `"${note.number}"`;
  return new MappingError(
    'CUSTOMER_ALREADY_LINKED',
    `Customer ${name}: the ${target} customer ${found} made for it is already linked to customer ${linkedTo}.`,
    `Check which customer ${found} stands for; merge the duplicates on ${target} or fix the link, then retry this customer.`,
    note.number ?? undefined,
    { entity: 'customer' },
  );
}
