/**
 * Phase `invoiced_events`: Invoiced's events list read as a change feed. A record deleted on Invoiced
 * leaves no trace in the lists the other phases read, only its `*.deleted` event: each one since the
 * cursor is put in the store's inbox (where a webhook may have put it already: the event ID is the key),
 * and the phases after this one read its record by ID, find it gone, and follow the deletion as a void.
 * Other events need nothing here: what they name is in the changed lists already.
 */
import { invoicedEventTarget } from '../../invoiced/events';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import type { SyncSettings } from '../settings';

const PHASE = 'invoiced_events';

/** The kinds whose deletion on Invoiced the sync follows, and the phase that writes each. */
const FOLLOWED: Readonly<Partial<Record<string, keyof SyncSettings['phases']>>> = {
  invoice: 'writeInvoicedInvoices',
  creditNote: 'writeInvoicedCreditNotes',
  payment: 'writeInvoicedPayments',
};

export const invoicedEventsPhase: Phase = {
  name: PHASE,
  enabled: (settings) => settings.phases.followInvoicedDeletions && Object.values(FOLLOWED).some((phase) => phase !== undefined && settings.phases[phase]),
  run: readInvoicedEvents,
};

/** Runs the phase. */
async function readInvoicedEvents(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced } = deps;
  const phaseStart = context.now();
  // The first time, the feed starts where the invoice phase's reads are (a sync from before this phase
  // existed), or, on a first sync, now: the phases read every record then.
  const cursor = (await store.getCursor(connectionId, PHASE)) ?? (await store.getCursor(connectionId, 'invoiced_invoices'));
  if (cursor !== null) {
    // `start_date` is inclusive; the overlap covers clocks apart and events recorded late.
    const since = Math.max(0, Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000));
    let read = 0;
    let added = 0;
    for await (const event of invoiced.events.list({ since, signal: context.signal })) {
      context.checkpoint();
      read += 1;
      if (!event.type.endsWith('.deleted')) continue;
      const target = invoicedEventTarget(event);
      const writtenBy = target === null ? undefined : FOLLOWED[target.entity];
      if (target === null || writtenBy === undefined || !settings.phases[writtenBy]) continue;
      const occurredAt = new Date(event.timestamp * 1000).toISOString();
      const deletion = { id: event.id, type: event.type, entity: target.entity, sourceId: target.sourceId, occurredAt, receivedAt: context.now().toISOString() };
      if (await store.addEvent(connectionId, deletion)) added += 1;
    }
    deps.targets?.refresh();
    context.count('invoiced_events_read', read);
    if (added > 0) context.count('invoiced_deletions_found', added);
  }
  await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}
