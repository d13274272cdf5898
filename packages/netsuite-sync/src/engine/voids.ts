/**
 * An invoice or payment voided on Invoiced after the sync wrote it to NetSuite: its NetSuite copy is
 * deleted (NetSuite's REST API has no void), or, with `invoicedVoids: 'report'` or when NetSuite refuses,
 * a record error tells a person what to do.
 */
import { ApiError } from '../errors';
import { MappingError } from '../mapping/index';
import type { SyncLink } from '../store/sync-store';
import { GONE } from './netsuite-deletions';
import type { PhaseDeps } from './phases';
import type { RunContext } from './run-context';

const DIRECTION = 'invoiced_to_netsuite' as const;

/** Handles a voided Invoiced record of flow 3 or 4; throws the record's error for `context.failed`. */
export async function followInvoicedVoid(
  context: RunContext,
  deps: PhaseDeps,
  record: { kind: 'invoice' | 'payment'; invoicedId: string; label: string; number: string | null; link: SyncLink | null },
): Promise<void> {
  const { kind, invoicedId, label, number, link } = record;
  if (link === null || link.fingerprint === GONE.voided) {
    context.skipped(DIRECTION, kind, invoicedId, 'voided');
    return;
  }
  if (link.origin !== 'invoiced') {
    context.skipped(DIRECTION, kind, invoicedId, 'voided; it came from NetSuite');
    return;
  }
  if (link.fingerprint !== GONE.deletedInNetSuite) {
    const type = kind === 'invoice' ? 'invoice' : 'customerPayment';
    const what = kind === 'invoice' ? 'Invoice' : 'Payment';
    const netsuiteName = kind === 'invoice' ? 'invoice' : 'customer payment';
    const code = kind === 'invoice' ? 'INVOICE_VOIDED_ON_INVOICED' : 'PAYMENT_VOIDED_ON_INVOICED';
    if (deps.settings.invoicedVoids === 'report') {
      throw new MappingError(
        code,
        `${what} ${label} was voided on Invoiced after it was written to NetSuite (${netsuiteName} ${link.netsuiteId}).`,
        `Void or delete the ${netsuiteName} in NetSuite by hand, then ignore this record (or set invoicedVoids: 'delete' to let the sync delete it).`,
        number,
      );
    }
    try {
      await deps.netsuite.records.delete(type, link.netsuiteId, { signal: context.signal });
    } catch (error) {
      // Already gone (an earlier attempt whose answer was lost, or a person deleted it): done.
      if (!(error instanceof ApiError && error.status === 404)) {
        if (!(error instanceof ApiError && error.status === 400)) throw error;
        throw new MappingError(
          code,
          `${what} ${label} was voided on Invoiced, but NetSuite refused to delete ${netsuiteName} ${link.netsuiteId}: ${error.message}`,
          kind === 'invoice'
            ? 'Unapply or delete the payments and credits of the NetSuite invoice, then retry this record; or void it in NetSuite by hand and ignore this record.'
            : 'A deposited payment cannot be deleted: remove it from its deposit in NetSuite, then retry this record; or void it in NetSuite by hand and ignore this record.',
          number,
        );
      }
    }
    context.count(`${kind}s_deleted_in_netsuite`);
  }
  await deps.store.saveLink(deps.connectionId, { ...link, fingerprint: GONE.voided });
  await context.succeeded(DIRECTION, kind, invoicedId, link.netsuiteId, 'updated');
}
