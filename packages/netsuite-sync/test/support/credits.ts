/**
 * What the end-to-end tests of credits and refunds share: a run's record errors less the books' own
 * customers of one name, a reference's ID, and an imported invoice with something left to credit or pay.
 */
import type { Sandbox } from '@invoiced/netsuite-sync-sandbox';
import type { SyncStore } from '../../src/index';

/** A run's record errors as `CODE: message`, less the books' customers of one name (an edge case the generator makes on purpose). */
export function errorsOf(run: { recordErrors: readonly { code: string; message: string }[] }): string[] {
  return run.recordErrors.filter((error) => error.code !== 'CUSTOMER_ALREADY_LINKED').map((error) => `${error.code}: ${error.message}`);
}

/** The internal ID of a NetSuite reference (`{ id, refName }`). */
export const refOf = (value: unknown): string => (value as { id: string }).id;

/** An invoice imported from NetSuite (origin NetSuite), in USD, with at least `amount` left; its link and both records. */
export async function importedInvoice(sandbox: Sandbox, store: SyncStore, connectionId: string, amount: number) {
  for (const link of await store.listLinks(connectionId, 'invoice')) {
    if (link.origin !== 'netsuite') continue;
    const record = sandbox.netsuite.state.get('invoice', link.netsuiteId);
    const copy = sandbox.invoiced.state.get('invoices', Number(link.invoicedId));
    if (record !== undefined && copy !== undefined && Number(record.amountRemaining) >= amount && copy.currency === 'usd') return { link, record, copy };
  }
  throw new Error(`no imported USD invoice with ${amount} left`);
}
