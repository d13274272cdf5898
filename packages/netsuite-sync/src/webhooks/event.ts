/**
 * The event Invoiced POSTs to a webhook, and the record it names.
 *
 * Sources: Invoiced/api `source/includes/_events.md` and `_webhooks.md` (the Event object: `id` integer,
 * `type` as `object.action`, `timestamp` UNIX seconds, `data.object` the subject of the event and
 * `data.previous` the old values of an update); chriscouch/invoiced-mcp
 * `packages/invoiced-support/docs/backend-dev/src/ActivityLog/Models/Event.php` (`toArray`: the body is the
 * event with `data.object`, plus `data.previous` only when it has values) and
 * `src/Webhooks/EventSubscriber/WebhookSubscriber.php` (the body is that array, JSON-encoded).
 */
import { ERROR_CLASS, NetSuiteSyncError, toValidationIssues, type ValidationIssue } from '../errors';
import { InvoicedEventSchema, invoicedEventKind, invoicedEventTarget, isEventOfRecordItself, type InvoicedEvent } from '../invoiced/event-schema';

export { invoicedEventTarget, type InvoicedEventTarget } from '../invoiced/event-schema';

/** The envelope of an Invoiced event (the one schema of `client.events`): the body of a delivery. */
export const InvoicedWebhookEventSchema = InvoicedEventSchema;
/** An Invoiced event as the webhook handler reads it (its `id` a string of digits). */
export type InvoicedWebhookEvent = InvoicedEvent;

/** Why a delivery's body was refused: not JSON, or JSON that is not an Invoiced event. */
export type InvoicedWebhookEventProblem = 'invalid_json' | 'invalid_event';

/** The body of a (correctly signed) delivery is not an Invoiced event. Its message never holds the body. */
export class InvoicedWebhookEventError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedWebhookEventError';
  override name = 'InvoicedWebhookEventError';
  readonly problem: InvoicedWebhookEventProblem;
  /** What is wrong, by field (never the values). */
  readonly issues: readonly ValidationIssue[];

  constructor(problem: InvoicedWebhookEventProblem, issues: readonly ValidationIssue[] = []) {
    super(problem === 'invalid_json' ? 'The webhook body is not JSON.' : 'The webhook body is not an Invoiced event.', {
      code: problem === 'invalid_json' ? 'WEBHOOK_INVALID_JSON' : 'WEBHOOK_INVALID_EVENT',
      resolution: 'Point only Invoiced webhooks at this URL; if Invoiced sent it, report the event ID shown in Invoiced.',
    });
    this.problem = problem;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problem: this.problem, issues: this.issues };
  }
}

/**
 * Parses a delivery's raw body as an Invoiced event. Throws {@link InvoicedWebhookEventError} when it is not
 * JSON or not an event envelope, or when it names a record of the sync without a usable ID.
 *
 * @example
 * ```ts
 * const event = parseInvoicedWebhookEvent('{"id":1228003,"type":"invoice.updated","timestamp":1451500772,"data":{"object":{"id":196539}}}');
 * event.id; // '1228003'
 * ```
 */
export function parseInvoicedWebhookEvent(rawBody: Uint8Array | string): InvoicedWebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    throw new InvoicedWebhookEventError('invalid_json');
  }
  const parsed = InvoicedWebhookEventSchema.safeParse(json);
  if (!parsed.success) throw new InvoicedWebhookEventError('invalid_event', toValidationIssues(parsed.error.issues));
  const event = parsed.data;
  if (invoicedEventKind(event.type) !== undefined && invoicedEventTarget(event) === null && isEventOfRecordItself(event)) {
    throw new InvoicedWebhookEventError('invalid_event', [{ path: 'data.object.id', message: 'must be the ID of the record' }]);
  }
  return event;
}
