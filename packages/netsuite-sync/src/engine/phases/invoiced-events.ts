/**
 * Phase `invoiced_events`: Invoiced's events list read as a change feed. A record deleted on Invoiced
 * leaves no trace in the lists the other phases read, only its `*.deleted` event: each one since the
 * cursor (one filtered list per kind) is put in the store's inbox (where a webhook may have put it
 * already: the event ID is the key), and the phases after this one read its record by ID, find it gone,
 * and follow the deletion as a void.
 * Other events need nothing here: what they name is in the changed lists already.
 */
import { invoicedEventTarget } from '../../invoiced/event-schema';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { EVENT_FEED } from '../records/event-feed';
import type { SyncSettings } from '../settings';

const PHASE = EVENT_FEED;

/**
 * The deletions the sync follows, and the phase that writes each kind. A payment is not among them:
 * Invoiced's `DELETE /payments/{id}` voids it (`payment.deleted` carries the voided payment), and a voided
 * payment is in the changed payments already.
 */
const FOLLOWED = [
  { type: 'invoice.deleted', phase: 'writeInvoicedInvoices' },
  { type: 'credit_note.deleted', phase: 'writeInvoicedCreditNotes' },
] as const satisfies readonly { type: string; phase: keyof SyncSettings['phases'] }[];

export const invoicedEventsPhase: Phase = {
  name: PHASE,
  after: [],
  enabled: (settings) => settings.phases.followInvoicedDeletions && FOLLOWED.some(({ phase }) => settings.phases[phase]),
  run: readInvoicedEvents,
};

/** Runs the phase. */
async function readInvoicedEvents(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced } = deps;
  const phaseStart = context.now();
  // Set when the connection's first run started (`records/event-feed.ts`): no record was written before.
  const cursor = await store.getCursor(connectionId, PHASE);
  if (cursor !== null) {
    // `start_date` is inclusive; the overlap covers clocks apart and events recorded late.
    const since = Math.max(0, Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000));
    let read = 0;
    let added = 0;
    // One list per type (`filter[type]`): the other events of a busy account (every record the sync writes
    // to Invoiced makes one) would be pages of nothing to do.
    for (const { type } of FOLLOWED.filter(({ phase }) => settings.phases[phase])) {
      for await (const event of invoiced.events.list({ since, type, signal: context.signal })) {
        context.checkpoint();
        read += 1;
        const target = event.type === type ? invoicedEventTarget(event) : null;
        if (target === null) continue;
        const occurredAt = new Date(event.timestamp * 1000).toISOString();
        const deletion = { id: event.id, type: event.type, entity: target.entity, sourceId: target.sourceId, occurredAt, receivedAt: context.now().toISOString() };
        if (await store.addEvent(connectionId, deletion)) added += 1;
      }
    }
    deps.targets?.refresh();
    context.count('invoiced_events_read', read);
    if (added > 0) context.count('invoiced_deletions_found', added);
  }
  await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}
