/**
 * What resolving a NetSuite customer's Invoiced customer found, as the run reports it.
 */
import type { SyncLink } from '../../store/sync-store';
import type { RecordOutcome } from '../contracts';

/**
 * How an unlinked NetSuite customer found its Invoiced customer; `existing` when another record of the
 * run linked it meanwhile (two invoices of one new customer handled at once).
 */
export type Resolution = { id: number; link: SyncLink; how: 'existing' | 'metadata' | 'external-id' | 'name' | 'created' };

/** What resolving an unlinked NetSuite customer did, and why. */
export function resolvedOutcome(netsuiteId: string, name: string | null, resolved: Resolution): RecordOutcome {
  const targetId = String(resolved.id);
  const record = { direction: 'netsuite_to_invoiced' as const, entity: 'customer' as const, sourceId: netsuiteId, number: name === '' ? null : name, targetId };
  if (resolved.how === 'created') return { ...record, action: 'created', change: 'create', reason: 'not on Invoiced yet: no customer there has its name' };
  if (resolved.how === 'name') return { ...record, action: 'linked', change: 'link', reason: `matched by name to Invoiced customer #${targetId}` };
  if (resolved.how === 'external-id') return { ...record, action: 'linked', change: 'link', reason: `written to NetSuite from Invoiced customer #${targetId} (its external ID)` };
  return { ...record, action: 'linked', change: 'link', reason: `found on Invoiced by metadata.netsuite_id: customer #${targetId}` };
}
