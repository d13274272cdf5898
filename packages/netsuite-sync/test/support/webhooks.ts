/**
 * Helpers of the webhook tests: a small in-memory inbox (`Pick<SyncStore, 'addEvent'>`, with the contract's
 * rule that a repeated event ID is refused) and signed deliveries.
 */
import type { InboxEvent, SyncStore } from '../../src/store/sync-store';
import { signInvoicedPayload } from '../../src/webhooks';

export const SECRET = '4b37d5776dad4059ab4c80fa072e3fce';

/** An inbox keyed by connection and event ID, as `SyncStore.addEvent` requires. */
export function inboxStore(): Pick<SyncStore, 'addEvent'> & { readonly events: Map<string, InboxEvent> } {
  const events = new Map<string, InboxEvent>();
  return {
    events,
    addEvent(connectionId, event) {
      const key = `${connectionId}\u0000${event.id}`;
      if (events.has(key)) return Promise.resolve(false);
      events.set(key, { ...event, status: 'pending' });
      return Promise.resolve(true);
    },
  };
}

/** An Invoiced event body as Invoiced sends it (JSON). */
export function eventBody(overrides: { id?: number | string; type?: string; timestamp?: number; object?: Record<string, unknown> } = {}): string {
  return JSON.stringify({
    id: overrides.id ?? 1228003,
    type: overrides.type ?? 'invoice.updated',
    timestamp: overrides.timestamp ?? 1_796_000_000,
    data: { object: overrides.object ?? { id: 196539, object: 'invoice', number: 'INV-0001' } },
  });
}

/** The headers Invoiced sends with a body (Pusher.php `getHeaders`). */
export function signedHeaders(body: string, secret = SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'user-agent': 'Invoiced/1.0', 'x-invoiced-signature': signInvoicedPayload(body, secret) };
}

/** A log that records every call, to check what is (not) written. */
export function recordingLogger(): { lines: { level: string; message: string; fields?: Record<string, unknown> }[]; debug: LogFn; info: LogFn; warn: LogFn; error: LogFn } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string): LogFn => (message, fields) => {
    lines.push({ level, message, ...(fields === undefined ? {} : { fields }) });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
type LogFn = (message: string, fields?: Record<string, unknown>) => void;
