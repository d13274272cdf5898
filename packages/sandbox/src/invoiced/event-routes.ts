/**
 * `GET /events` and `GET /events/{id}` (events cannot be created, changed or deleted through the API).
 * Sources: Invoiced/api `source/includes/_events.md.erb` (newest: list in reverse chronological order,
 * `related_to=<object type>,<id>`, retrieve by ID) and Invoiced's backend (chriscouch/invoiced-mcp,
 * `packages/invoiced-support/docs/backend-dev/src/ActivityLog/Api/ListEventsRoute.php`): the route checks no
 * option; `related_to` applies when it has exactly two comma-separated parts; `type` keeps events whose
 * subject is of that object type; `start_date` / `end_date` (read as PHP `(int)`, ignored unless positive)
 * bound `timestamp`, both inclusive; `filter[type]` (the event type), `filter[timestamp]`; an object type
 * Invoiced does not know is a 400 `Object type not recognized: <name>` (`Core/Utils/Enums/ObjectType.php`).
 * `from` (who made the change) is Invoiced's but not modelled: refused in the sandbox's own words.
 */
import { json, type SandboxOutcome, type SandboxRequest } from '../http';
import { invalidRequest, methodNotAllowed, notFound, routeNotFound } from './errors';
import type { EventLog, StoredEvent } from './events';
import { phpInteger, type ListQuery, type ListSpec } from './listing';

/** Invoiced's object type names (`ObjectType::typeName()`), for `related_to` and `type`. */
const OBJECT_TYPES = new Set(
  (
    'approval_workflow attachment bank_account bank_feed_transaction bill bill_attachment card charge chasing_cadence ' +
    'chasing_cadence_step chasing_statistic comment company contact contact_role coupon credit_balance_adjustment credit_note ' +
    'credit_note_line_item customer customer_payment_batch customer_portal_attachment discount dispute document_view ' +
    'email_participant email_thread estimate estimate_line_item file flywire_disbursement flywire_payment flywire_payout ' +
    'flywire_refund import inbox_email invoice invoice_chasing_cadence invoice_discount invoice_line_item item late_fee_schedule ' +
    'legacy_email letter line_item member merchant_account merchant_account_transaction mrr_item mrr_movement network_document ' +
    'note payment payment_link payment_link_session payment_plan payment_plan_installment payment_terms payout pending_line_item ' +
    'plan promise_to_pay refund remittance_advice role shipping shipping_detail shipping_rate subscription subscription_addon ' +
    'task tax tax_rate text_message transaction user vendor vendor_adjustment vendor_credit vendor_credit_attachment ' +
    'vendor_payment vendor_payment_attachment vendor_payment_batch'
  ).split(' '),
);

/** What `GET /events` accepts (its route checks no option). */
export const EVENT_LIST_SPEC: ListSpec = {
  filters: { type: 'string', timestamp: 'integer' },
  options: { defined: null, notSimulated: ['advanced_filter', 'from'] },
  dates: 'none',
  sort: { sortable: new Set(['id', 'type', 'timestamp']), notSimulated: new Set(['user_id']) },
};

/** The list helper of the service (paging, `Link`, caching). */
export type EventList = (name: string, spec: ListSpec, renderAll: () => { id: number }[], answer?: (record: unknown) => unknown, adjust?: (query: ListQuery) => ListQuery) => SandboxOutcome;

function objectType(name: string): string {
  if (!OBJECT_TYPES.has(name)) throw invalidRequest(`Object type not recognized: ${name}`);
  return name;
}

/** The conditions of `GET /events` that are not the list machinery's. */
function conditions(url: URL): { relatedTo?: string; type?: string; start?: number; end?: number } {
  const query = url.searchParams;
  const found: { relatedTo?: string; type?: string; start?: number; end?: number } = {};
  const parts = (query.get('related_to') ?? '').split(',');
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') found.relatedTo = `${objectType(parts[0] ?? '')}:${parts[1] ?? ''}`;
  const type = query.get('type');
  // PHP truthiness: '' and '0' are no type.
  if (type !== null && type !== '' && type !== '0') found.type = type === 'payment_source' ? type : objectType(type);
  const start = phpInteger(query.get('start_date') ?? '');
  if (start > 0) found.start = start;
  const end = phpInteger(query.get('end_date') ?? '');
  if (end > 0) found.end = end;
  return found;
}

function matches(stored: StoredEvent, found: ReturnType<typeof conditions>): boolean {
  if (found.relatedTo !== undefined && !stored.associations.has(found.relatedTo)) return false;
  // Payment sources are cards and bank accounts, which the sandbox has not.
  if (found.type !== undefined && (found.type === 'payment_source' || stored.objectType !== found.type)) return false;
  if (found.start !== undefined && stored.event.timestamp < found.start) return false;
  if (found.end !== undefined && stored.event.timestamp > found.end) return false;
  return true;
}

/** Without a `sort`, events come newest first (`Event::customizeBlankQuery`: `id DESC`). */
function newestFirst(url: URL): (query: ListQuery) => ListQuery {
  const sort = url.searchParams.get('sort');
  if (sort !== null && sort !== '' && sort !== '0') return (query) => query;
  return (query) => ({ ...query, sort: [{ field: 'id', descending: true }] });
}

/** `[prefix]/events[/{id}[/{more}]]`. */
const ROUTE = /^.*?\/events(?:\/([^/]+)(?:\/(.+))?)?\/?$/;

/** Answers an events route, or `undefined` when the path is not one. */
export function routeEvents(log: EventLog, request: SandboxRequest, method: string, list: EventList): SandboxOutcome | undefined {
  const path = request.url.pathname;
  const match = ROUTE.exec(path);
  if (match === null) return undefined;
  const [, rawId, more] = match;
  if (more !== undefined) throw routeNotFound(method, path);
  if (method !== 'GET') throw methodNotAllowed(method, path);
  if (rawId === undefined) {
    const found = conditions(request.url);
    const name = `events?${JSON.stringify(found)}`;
    // Only the page's events are copied for the answer: the list machinery only reads the others.
    const render = () => log.all().filter((stored) => matches(stored, found)).map((stored) => stored.event);
    return list(name, EVENT_LIST_SPEC, render, (event) => structuredClone(event), newestFirst(request.url));
  }
  const id = /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : Number.NaN;
  const stored = Number.isSafeInteger(id) ? log.get(id) : undefined;
  if (stored === undefined) throw notFound('event', rawId);
  return json(200, structuredClone(stored.event));
}
