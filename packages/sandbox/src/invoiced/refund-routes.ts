/**
 * The charge and refund routes of the simulated Invoiced: `GET /charges/{id}`, `POST /charges/{id}/refunds`
 * (201 with the refund), `GET /refunds` (paged, filtered and sorted as the other lists), `GET /refunds/{id}`
 * and `POST /refunds/{id}/void` (201 with the refund, as IB's void route answers). `GET /charges` and
 * `POST /charges` exist on Invoiced but are not modelled (404): charges are made with `state.charge()`.
 */
import { json, type SandboxOutcome, type SandboxRequest } from '../http';
import { readBody } from './bodies';
import { renderCharge, renderRefund } from './charge-render';
import { requireCharge } from './charges';
import type { InvoicedDatabase } from './database';
import { methodNotAllowed, notFound, routeNotFound } from './errors';
import type { ListSpec } from './listing';
import { REFUND_LIST_SPEC } from './list-specs';
import { refundCharge, requireRefund, voidRefund } from './refunds';

/** What the charge and refund routes need from the service. */
export interface RefundRouteContext {
  readonly db: InvoicedDatabase;
  readonly request: SandboxRequest;
  readonly method: string;
  /** Answers a list request over every record, paged, filtered, sorted and cached as the service's other lists. */
  readonly list: (name: string, spec: ListSpec, renderAll: () => { id: number }[]) => SandboxOutcome;
}

/** `[prefix]/(charges|refunds)[/{id}[/{action}]]`. */
const ROUTE = /^.*?\/(charges|refunds)(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/;

function idOf(rawId: string, singular: string): number {
  const id = /^[1-9]\d{0,15}$/.test(rawId) ? Number(rawId) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFound(singular, rawId);
  return id;
}

function chargeRoute(context: RefundRouteContext, path: string, rawId: string | undefined, action: string | undefined): SandboxOutcome {
  const { db, request, method } = context;
  // `GET /charges` and `POST /charges` are Invoiced's, not modelled.
  if (rawId === undefined || (action !== undefined && action !== 'refunds')) throw routeNotFound(method, path);
  if (action === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    return json(200, renderCharge(db, requireCharge(db, idOf(rawId, 'charge'))));
  }
  if (method !== 'POST') throw methodNotAllowed(method, path);
  const id = idOf(rawId, 'charge');
  const refund = refundCharge(db, id, readBody(request.headers.get('content-type'), request.body));
  return json(201, renderRefund(refund));
}

function refundRoute(context: RefundRouteContext, path: string, rawId: string | undefined, action: string | undefined): SandboxOutcome {
  const { db, method } = context;
  if (rawId === undefined) {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    return context.list('refunds', REFUND_LIST_SPEC, () => [...db.refunds.values()].map(renderRefund));
  }
  if (action !== undefined) {
    if (action !== 'void') throw routeNotFound(method, path);
    if (method !== 'POST') throw methodNotAllowed(method, path);
    return json(201, renderRefund(voidRefund(db, idOf(rawId, 'refund'))));
  }
  if (method !== 'GET') throw methodNotAllowed(method, path);
  return json(200, renderRefund(requireRefund(db, idOf(rawId, 'refund'))));
}

/** Answers a charge or refund route, or `undefined` when the path is neither. */
export function routeRefunds(context: RefundRouteContext): SandboxOutcome | undefined {
  const path = context.request.url.pathname;
  const match = ROUTE.exec(path);
  if (match === null) return undefined;
  const [, collection, rawId, action] = match;
  return collection === 'charges' ? chargeRoute(context, path, rawId, action) : refundRoute(context, path, rawId, action);
}
