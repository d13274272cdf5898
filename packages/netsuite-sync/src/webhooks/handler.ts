/**
 * The Invoiced webhook endpoint as a Web-standard handler: `(request: Request) => Promise<Response>`. It
 * checks the signature, records the event in the store's inbox and answers; the sync itself runs elsewhere
 * (a run reads the inbox), so Invoiced gets its answer in milliseconds.
 *
 * How Invoiced reads the answer (chriscouch/invoiced-mcp
 * `packages/invoiced-support/docs/backend-dev/src/Webhooks/Pusher.php` and `Models/WebhookAttempt.php`):
 * any 2xx is a success; anything else, a redirect (not followed) or no answer within 30 s is a failure,
 * tried again about an hour later, up to 48 attempts, after which the URL is disabled; a 410 disables the
 * URL at once. So this handler never answers 410, answers 2xx to what it will never accept (stale and
 * ignored events), and 5xx only when trying again can help (the store failed).
 */
import { ConfigurationError, isErrorOfClass } from '../errors';
import { adaptLogger } from '../logger';
import type { Logger } from '../options';
import type { InboxEvent, SyncStore } from '../store/sync-store';
import { readBodyWithLimit } from './body';
import { invoicedEventTarget, type InvoicedWebhookEventError, parseInvoicedWebhookEvent } from './event';
import { INVOICED_SIGNATURE_HEADER, verifyInvoicedSignature } from './signature';

/** Default of `maxBodyBytes`: 1 MiB. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;
/** Default of `maxEventAgeMs`: 7 days. */
export const DEFAULT_WEBHOOK_MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Options of {@link createInvoicedWebhookHandler}. */
export interface InvoicedWebhookHandlerOptions {
  /**
   * The webhook's secret (Invoiced: Settings > Developers > Webhooks), or several while a rolled secret
   * reaches every process: a delivery signed with any of them is accepted.
   */
  secret: string | readonly string[];
  /** The connection whose inbox receives the events. */
  connectionId: string;
  /** Where accepted events are kept; only `addEvent` is called. */
  store: Pick<SyncStore, 'addEvent'>;
  /**
   * Called with each newly accepted event, after it is stored (e.g. to start a run soon). Awaited, so keep it
   * short; if it throws, the failure is logged and the delivery is still acknowledged: the event is stored
   * and a later run syncs it.
   */
  onAccepted?: ((events: readonly InboxEvent[]) => void | Promise<void>) | undefined;
  /** Where the handler writes what it does. Never the body nor the signature. */
  logger?: Logger | undefined;
  /** The current time (tests). @default () => new Date() */
  clock?: (() => Date) | undefined;
  /** The largest body accepted, in bytes; a longer one is answered 413. @default 1048576 (1 MiB) */
  maxBodyBytes?: number | undefined;
  /**
   * Events older than this (by their `timestamp`) are acknowledged but not accepted (`stale`): the inbox
   * refuses repeats only while it remembers them, so a very late repeat must not be taken for new.
   * Keep it below the time your store keeps done events (`pruneEvents`). @default 604800000 (7 days)
   */
  maxEventAgeMs?: number | undefined;
}

/** The handler, with the body limit it applies (the framework adapters read it). */
export interface InvoicedWebhookHandler {
  (request: Request): Promise<Response>;
  /** The largest body the handler accepts, in bytes. */
  readonly maxBodyBytes: number;
}

/** Why a delivery was acknowledged without being accepted. */
export type InvoicedWebhookSkipReason = 'stale' | 'ignored' | 'duplicate';

function json(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function refuse(status: number, error: string, headers?: Record<string, string>): Response {
  return json(status, { received: false, error }, headers);
}

function secretsOf(secret: unknown): string[] {
  const list = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? (secret as unknown[]) : [];
  if (list.length === 0 || !list.every((item): item is string => typeof item === 'string' && item.trim().length > 0)) {
    throw new ConfigurationError('secret must be the webhook secret from Invoiced, or a non-empty list of them.', {
      issues: [{ path: 'secret', message: 'must be a non-empty string or a non-empty list of non-empty strings' }],
      resolution: 'Copy the secret from Invoiced: Settings > Developers > Webhooks.',
    });
  }
  return [...list];
}

function positive(value: number | undefined, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigurationError(`${path} must be a positive whole number.`, { issues: [{ path, message: 'must be a positive whole number' }] });
  }
  return value;
}

/** A safe description of an error for logs: its class and code, never its message (it may quote input). */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const code = (error as { code?: unknown }).code;
  return { error: error.name, ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * The Invoiced webhook endpoint for one connection, as a Web `Request` to `Response` function; mount it
 * with your framework's adapter (`toNodeListener`, `toExpressHandler`, `fastifyWebhookPlugin`,
 * `honoWebhookHandler`) or call it from any runtime that speaks `Request`.
 *
 * Answers: 405 (not a POST), 413 (body over `maxBodyBytes`), 401 (signature missing or wrong), 400 (not an
 * Invoiced event), 503 (the store failed: Invoiced tries again), 200 `{ received: true, accepted: true }`
 * once the event is stored, 200 `{ received: true, accepted: false, reason }` for a `duplicate`, a `stale`
 * event or one the sync has no use for (`ignored`). Never 410, which would disable the webhook in Invoiced.
 *
 * @example
 * ```ts
 * const handler = createInvoicedWebhookHandler({ secret: process.env.INVOICED_WEBHOOK_SECRET ?? '', connectionId, store, logger });
 * const response = await handler(new Request('https://example.com/invoiced/webhook', { method: 'POST', body: '{}' }));
 * ```
 */
export function createInvoicedWebhookHandler(options: InvoicedWebhookHandlerOptions): InvoicedWebhookHandler {
  const secrets = secretsOf(options.secret);
  const { connectionId, store, onAccepted } = options;
  if (typeof connectionId !== 'string' || connectionId.length === 0) {
    throw new ConfigurationError('connectionId must be a non-empty string.', { issues: [{ path: 'connectionId', message: 'must be a non-empty string' }] });
  }
  if (typeof store?.addEvent !== 'function') {
    throw new ConfigurationError('store must have addEvent (a SyncStore).', { issues: [{ path: 'store', message: 'must have addEvent' }] });
  }
  const maxBodyBytes = positive(options.maxBodyBytes, DEFAULT_WEBHOOK_MAX_BODY_BYTES, 'maxBodyBytes');
  const maxEventAgeMs = positive(options.maxEventAgeMs, DEFAULT_WEBHOOK_MAX_EVENT_AGE_MS, 'maxEventAgeMs');
  const clock = options.clock ?? (() => new Date());
  const logger = adaptLogger(options.logger);

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', { allow: 'POST' });
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > maxBodyBytes) return refuse(413, 'payload_too_large');
    const body = await readBodyWithLimit(request.body, maxBodyBytes);
    if (body === null) return refuse(413, 'payload_too_large');

    if (!verifyInvoicedSignature(body, request.headers.get(INVOICED_SIGNATURE_HEADER), secrets)) {
      logger?.warn?.('Invoiced webhook refused: missing or wrong signature', { connectionId, signed: request.headers.has(INVOICED_SIGNATURE_HEADER) });
      return refuse(401, 'invalid_signature');
    }

    let event;
    try {
      event = parseInvoicedWebhookEvent(body);
    } catch (error) {
      if (!isErrorOfClass(error, 'InvoicedWebhookEventError')) throw error;
      const problem = (error as InvoicedWebhookEventError).problem;
      logger?.warn?.('Invoiced webhook refused: not an Invoiced event', { connectionId, code: (error as InvoicedWebhookEventError).code });
      return refuse(400, problem);
    }

    const fields = { connectionId, eventId: event.id, type: event.type };
    const now = clock();
    const occurredMs = event.timestamp * 1000;
    if (now.getTime() - occurredMs > maxEventAgeMs) {
      logger?.warn?.('Invoiced webhook event too old to accept: acknowledged, not synced', { ...fields, occurredAt: new Date(occurredMs).toISOString() });
      return json(200, { received: true, accepted: false, reason: 'stale' });
    }
    const target = invoicedEventTarget(event);
    if (target === null) {
      logger?.debug?.('Invoiced webhook event ignored: it names no record the sync keeps', fields);
      return json(200, { received: true, accepted: false, reason: 'ignored' });
    }

    const inbox: Omit<InboxEvent, 'status'> = {
      id: event.id,
      type: event.type,
      entity: target.entity,
      sourceId: target.sourceId,
      occurredAt: new Date(occurredMs).toISOString(),
      receivedAt: now.toISOString(),
    };
    let added: boolean;
    try {
      added = await store.addEvent(connectionId, inbox);
    } catch (error) {
      logger?.error?.('Invoiced webhook event not stored: answered 503 so that Invoiced tries again', { ...fields, ...describe(error) });
      return refuse(503, 'unavailable');
    }
    if (!added) {
      logger?.debug?.('Invoiced webhook event already received', fields);
      return json(200, { received: true, accepted: false, reason: 'duplicate' });
    }
    logger?.info?.('Invoiced webhook event accepted', { ...fields, entity: target.entity, sourceId: target.sourceId });
    if (onAccepted !== undefined) {
      try {
        await onAccepted([{ ...inbox, status: 'pending' }]);
      } catch (error) {
        logger?.error?.('onAccepted failed; the event is stored and a later run syncs it', { ...fields, ...describe(error) });
      }
    }
    return json(200, { received: true, accepted: true });
  };

  const handler = async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      // Never a 410 (it disables the webhook in Invoiced), never the error's text.
      logger?.error?.('Invoiced webhook failed', { connectionId, ...describe(error) });
      return refuse(500, 'internal_error');
    }
  };
  return Object.assign(handler, { maxBodyBytes });
}
