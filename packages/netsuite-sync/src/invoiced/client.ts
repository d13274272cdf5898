/**
 * The Invoiced client: `createInvoicedClient()` builds one shared `Transport` (concurrency limit, retries,
 * timeouts, cancellation, error classification, redaction, logging) and the typed resources on top.
 */
import { randomUUID } from 'node:crypto';
import { Redactor } from '../internal/redact';
import { apiFailureKindOf, ConfigurationError } from '../errors';
import type { AttemptContext, TransportResponse } from '../internal/transport';
import { Transport } from '../internal/transport';
import type { HttpMethod } from '../options';
import { createInvoicedErrorFactory } from './errors';
import type { InvoicedClientOptions } from './options';
import { resolveInvoicedOptions } from './options';
import type {
  InvoicedCreditNotes,
  InvoicedCustomers,
  InvoicedInvoices,
  InvoicedPayments,
  InvoicedRequestOptions,
} from './resources';
import { createEvents, type InvoicedEvents } from './events';
import { createPaymentProcessing, type InvoicedCharges, type InvoicedRefunds } from './payment-processing';
import { createResources } from './resources';

/** A response of the low-level {@link InvoicedClient.request}. */
export interface InvoicedResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body, `undefined` when empty. Not validated: the resources do that. */
  readonly body: unknown;
  /** `X-Request-Id` (or `X-Correlation-Id`) of the response, when Invoiced sent one. */
  readonly requestId: string | undefined;
}

/** The Invoiced API client. */
export interface InvoicedClient {
  /** The base URL in use, without a trailing slash. */
  readonly baseUrl: string;
  /** Which API the client talks to: `baseUrl` given (`custom`), `sandbox: true`, or production. */
  readonly environment: 'production' | 'sandbox' | 'custom';
  /** Requests in flight now, the most seen at once, and how many wait for a slot. */
  readonly stats: { inFlight: number; peakInFlight: number; queued: number };
  readonly customers: InvoicedCustomers;
  readonly invoices: InvoicedInvoices;
  readonly payments: InvoicedPayments;
  readonly creditNotes: InvoicedCreditNotes;
  /** Refunds of charges processed through Invoiced (read only: the client never refunds). */
  readonly refunds: InvoicedRefunds;
  /** Charges processed through Invoiced (read only). */
  readonly charges: InvoicedCharges;
  /** The account's events (read only), newest first: what webhooks deliver, and deletions no list shows. */
  readonly events: InvoicedEvents;
  /**
   * Any Invoiced endpoint, through the same limits, retries, errors and redaction as the resources. POST
   * and PATCH carry an `Idempotency-Key`. The body is returned unvalidated.
   * @example
   * ```ts
   * const { body } = await invoiced.request('GET', '/customers/15444/balance');
   * ```
   */
  request(method: HttpMethod, path: string, options?: InvoicedRequestOptions): Promise<InvoicedResponse>;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const IDEMPOTENT_WRITES: ReadonlySet<string> = new Set(['POST', 'PATCH']);
/** Invoiced accepts 6 to 64 characters; printable ASCII keeps the header valid. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{6,64}$/;

function invalidRequest(path: string, message: string): ConfigurationError {
  return new ConfigurationError(`Invalid Invoiced request: ${path} ${message}.`, { issues: [{ path, message }] });
}

/**
 * Creates an Invoiced client. Options are checked at once: bad ones throw `ConfigurationError`.
 *
 * @example
 * ```ts
 * const invoiced = createInvoicedClient({ apiKey: process.env.INVOICED_API_KEY!, sandbox: true });
 * const customer = await invoiced.customers.create({ name: 'Acme', metadata: { netsuite_id: '4711' } });
 * for await (const invoice of invoiced.invoices.list({ filter: { customer: customer.id } })) {
 *   console.log(invoice.number);
 * }
 * ```
 */
export function createInvoicedClient(options: InvoicedClientOptions): InvoicedClient {
  const config = resolveInvoicedOptions(options);
  const { apiKey } = config;
  const redactor = new Redactor(() => [apiKey]);
  const authorization = `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;

  const transport = new Transport({
    api: 'invoiced',
    baseUrl: config.baseUrl,
    fetch: config.fetch,
    onResponse: config.onResponse,
    timeoutMs: config.timeoutMs,
    deadlineMs: config.deadlineMs,
    retry: config.retry,
    concurrency: config.concurrency,
    logger: config.logger,
    redactor,
    requestIdHeaders: ['x-request-id', 'x-correlation-id'],
    toError: createInvoicedErrorFactory(redactor, config.timeoutMs),
    authorize: () => ({ authorization }),
  });

  const send = async (method: HttpMethod, path: string, request: InvoicedRequestOptions = {}): Promise<TransportResponse> => {
    if (typeof method !== 'string' || !METHODS.has(method)) throw invalidRequest('method', 'must be GET, POST, PUT, PATCH or DELETE');
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
      throw invalidRequest('path', 'must be a path starting with "/"');
    }
    const { idempotencyKey } = request;
    if (!IDEMPOTENT_WRITES.has(method)) {
      if (idempotencyKey !== undefined) throw invalidRequest('idempotencyKey', 'is only sent with POST and PATCH');
      return transport.send({ method, path, query: request.query, json: request.body, signal: request.signal });
    }
    if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey))) {
      throw invalidRequest('idempotencyKey', 'must be 6 to 64 printable ASCII characters without spaces');
    }
    let key = idempotencyKey ?? randomUUID();
    // Invoiced replays the cached answer of a key for 24 h, failures included: after a 5xx, timeout or lost
    // connection only a new key can succeed. A 429 was refused before any work, so the key is reused.
    // With keepKeyAfterLostResponse, once an attempt's outcome is unknown (its answer was lost) the key is
    // kept for every later attempt of the call, a 5xx included: the lost attempt may have written the
    // record, and a new key would write it again.
    const keepAfterLoss = request.keepKeyAfterLostResponse === true;
    let outcomeUnknown = false;
    const attemptHeaders = (attempt: AttemptContext): Record<string, string> => {
      const kind = attempt.previousError === undefined ? undefined : apiFailureKindOf(attempt.previousError);
      if (keepAfterLoss && (kind === 'timeout' || kind === 'connection')) outcomeUnknown = true;
      if (kind !== undefined && kind !== 'rate_limit' && !outcomeUnknown) key = randomUUID();
      return { 'idempotency-key': key };
    };
    // With a key, a repeat is harmless: safe to retry after a server error, timeout or lost connection.
    return transport.send({ method, path, query: request.query, json: request.body, signal: request.signal, idempotent: true, attemptHeaders });
  };

  const resourceTransport = { baseUrl: config.baseUrl, send };
  const resources = { ...createResources(resourceTransport), ...createPaymentProcessing(resourceTransport), ...createEvents(resourceTransport) };

  return {
    baseUrl: config.baseUrl,
    environment: config.environment,
    get stats() {
      return transport.stats;
    },
    ...resources,
    request: async (method, path, request) => {
      const response = await send(method, path, request);
      return { status: response.status, headers: response.headers, body: response.body, requestId: response.requestId };
    },
  };
}
