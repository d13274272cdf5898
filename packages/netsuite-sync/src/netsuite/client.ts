import { z } from 'zod';
import { ConfigurationError, toValidationIssues, type ApiError } from '../errors';
import { Redactor } from '../internal/redact';
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, resolveRetryOptions } from '../internal/policy';
import { Transport, type FailureInfo } from '../internal/transport';
import type { HttpMethod, Logger, ResponseInfo, RetryOptions } from '../options';
import { adaptLogger } from '../logger';
import { resolveNetSuiteAccount, type NetSuiteAccount } from './account';
import type { BoundNetSuiteAuth, NetSuiteAuth } from './auth';
import { createNetSuiteErrorFactory, NetSuiteAuthenticationError, parseNetSuiteErrorDetails, redactNetSuiteErrorDetails } from './errors';
import { createMetadata, type NetSuiteMetadata } from './metadata';
import { createRecords, type NetSuiteRecords, type NetSuiteRequestOptions, type NetSuiteResponse } from './records';
import type { SuiteQLQuery } from './sql';
import { runSuiteQLPage, streamSuiteQL, type SuiteQLAllOptions, type SuiteQLOptions, type SuiteQLPage, type SuiteQLRow } from './suiteql';

/** Options of {@link createNetSuiteClient}. */
export interface NetSuiteClientOptions {
  /**
   * The NetSuite account ID, from Setup > Company > Company Information (e.g. `1234567`, or `1234567_SB1`
   * for a sandbox). The REST host and the OAuth realm are derived from it.
   */
  accountId: string;
  /** How requests are authenticated: {@link tokenBasedAuth} or {@link oauthClientCredentials}. */
  auth: NetSuiteAuth;
  /**
   * Overrides the derived `https://<account>.suitetalk.api.netsuite.com` (for a proxy, or a sandbox server in tests).
   * @default derived from `accountId`
   */
  baseUrl?: string;
  /**
   * Requests in flight at most. NetSuite's limit is account-wide and shared by every integration
   * (5 on standard accounts, more with SuiteCloud Plus): leave room for the others.
   * @default 5
   */
  concurrency?: number;
  /**
   * Time one attempt may take, response headers and body together, in milliseconds; a slower attempt is
   * cancelled and, when safe, retried. 30 s is well above what a healthy request takes (a 1000-row SuiteQL
   * page answers in seconds), so an attempt still running then is stuck. Raise it, with `deadlineMs`, for
   * queries that are slow on purpose.
   * @default 30000
   */
  timeoutMs?: number;
  /**
   * Overall deadline of one request, in milliseconds: every attempt, body read, retry and back-off
   * together, counted from the start of its first attempt (time queued behind this client's other requests
   * before that does not count). When it passes, everything the request was doing is stopped and it fails
   * with `NetSuiteTimeoutError`. 90 s leaves room for three attempts that time out, or several retries of
   * a busy account, and still ends a stuck request in a minute and a half rather than minutes.
   * @default 90000
   */
  deadlineMs?: number;
  /**
   * Retry policy, or the number of retries. A `Retry-After` longer than `maxRetryAfterMs`, or one that
   * would pass `deadlineMs`, is not waited for: the request fails at once with the error, whose
   * `retryAfterMs` says when to come back.
   * @default { retries: 4, minDelayMs: 500, maxDelayMs: 30000, factor: 2, maxElapsedMs: 300000, maxRetryAfterMs: 10000 }
   */
  retries?: number | RetryOptions;
  /**
   * A `fetch` to send requests with (through ky), e.g. one with a proxy agent or instrumentation. By
   * default the client uses Node's own `http`/`https` with keep-alive connections, which costs about half
   * the CPU a request and far less memory (see docs/performance.md#memory).
   * @default Node's `http`/`https`
   */
  fetch?: typeof fetch;
  /** Told of every answer NetSuite gives (see {@link ResponseInfo}): for metrics and tracing. */
  onResponse?: (info: ResponseInfo) => void;
  /** Where to log requests and retries; nothing is logged by default. */
  logger?: Logger;
  /**
   * How long the client keeps a record type's metadata catalog (`metadata.recordCatalog`), in milliseconds.
   * A catalog changes only when an administrator adds or changes fields.
   * @default 900000 (15 minutes)
   */
  metadataCacheTtlMs?: number;
}

/** A typed NetSuite REST client. */
export interface NetSuiteClient {
  /** The canonical account ID (`1234567_SB1`). */
  readonly accountId: string;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** The account's realm and derived host. */
  readonly account: NetSuiteAccount;
  /**
   * The low-level entry every other call uses: signs, limits, retries and classifies errors.
   * @example const { data } = await netsuite.request('GET', '/services/rest/record/v1/customer/42');
   */
  request<T = unknown>(method: HttpMethod, path: string, options?: NetSuiteRequestOptions): Promise<NetSuiteResponse<T>>;
  /** The REST record service. */
  readonly records: NetSuiteRecords;
  /** The REST metadata catalog (record types' fields), and the account's mandatory custom fields. */
  readonly metadata: NetSuiteMetadata;
  /**
   * Runs one page of a SuiteQL query (`Prefer: transient`); row keys are lower case.
   * @example const page = await netsuite.suiteql(sql`SELECT id, companyname FROM customer WHERE companyname = ${name}`);
   */
  suiteql(query: string | SuiteQLQuery, options?: SuiteQLOptions): Promise<SuiteQLPage>;
  /**
   * Streams every row of a SuiteQL query, 1000 per request, past NetSuite's 100,000-row limit by
   * re-anchoring on a unique column (`id` by default).
   * @example for await (const row of netsuite.suiteqlAll(sql`SELECT id, tranid FROM transaction WHERE type = 'CustInvc'`)) console.log(row.tranid);
   */
  suiteqlAll(query: string | SuiteQLQuery, options?: SuiteQLAllOptions): AsyncIterableIterator<SuiteQLRow>;
  /** Requests in flight now, the most at once so far, and requests waiting for a slot. */
  readonly stats: { readonly inFlight: number; readonly peakInFlight: number; readonly queued: number };
}

/** The longest delay a timer can hold. */
const MAX_TIMER_MS = 2_147_483_647;

const optionsSchema = z.object({
  accountId: z.string(),
  auth: z.custom<NetSuiteAuth>((value) => typeof value === 'object' && value !== null && typeof (value as NetSuiteAuth).bind === 'function', {
    message: 'must be tokenBasedAuth(...) or oauthClientCredentials(...)',
  }),
  baseUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  concurrency: z.number().int().min(1).max(1000).optional(),
  timeoutMs: z.number().int().positive().max(MAX_TIMER_MS).optional(),
  deadlineMs: z.number().int().positive().max(MAX_TIMER_MS).optional(),
  retries: z.unknown().optional(),
  fetch: z.function().optional(),
  onResponse: z.function().optional(),
  logger: z.unknown().optional(),
  metadataCacheTtlMs: z.number().int().min(0).optional(),
});

/** Response headers that may hold NetSuite's request ID. */
const REQUEST_ID_HEADERS = ['x-n-operationid', 'x-netsuite-request-id', 'x-request-id'];

/**
 * Creates a NetSuite client.
 *
 * @example
 * ```ts
 * const netsuite = createNetSuiteClient({
 *   accountId: '1234567_SB1',
 *   auth: tokenBasedAuth({ consumerKey, consumerSecret, tokenId, tokenSecret }),
 * });
 * const invoice = await netsuite.records.get('invoice', '1001', { expandSubResources: true });
 * ```
 * @throws {ConfigurationError} when an option is invalid (`INVALID_ACCOUNT_ID` says where to find the account ID).
 */
export function createNetSuiteClient(options: NetSuiteClientOptions): NetSuiteClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid NetSuite client options.', { issues: toValidationIssues(parsed.error.issues) });
  }
  const account = resolveNetSuiteAccount(options.accountId);
  const baseUrl = (options.baseUrl ?? account.baseUrl).replace(/\/+$/, '');
  const redactor = new Redactor();
  const toError = createNetSuiteErrorFactory(redactor, account.realm);
  const common = {
    api: 'netsuite' as const,
    baseUrl,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    retry: resolveRetryOptions(options.retries),
    logger: adaptLogger(options.logger),
    redactor,
    requestIdHeaders: REQUEST_ID_HEADERS,
  };

  // Token requests: same timeouts, retries and redaction, but no slot in the limiter (a request waiting
  // for a token holds one already) and no authorization of their own.
  const tokenTransport = new Transport({
    ...common,
    concurrency: Number.POSITIVE_INFINITY,
    authorize: () => ({}),
    toError: (info) => tokenError(info, toError, redactor),
  });

  const auth: BoundNetSuiteAuth = options.auth.bind({
    account,
    baseUrl,
    postForm: async (path, form, signal) => (await tokenTransport.send({ method: 'POST', path, form, signal, idempotent: true })).body,
  });
  redactor.add(() => auth.secrets());

  const transport = new Transport({
    ...common,
    onResponse: options.onResponse,
    concurrency: options.concurrency ?? 5,
    toError,
    authorize: async (attempt) => ({
      authorization: await auth.authorize({ method: attempt.method, url: attempt.url, signal: attempt.signal }),
    }),
    ...(auth.refresh === undefined ? {} : { onUnauthorized: () => auth.refresh?.() ?? false }),
  });

  const request = async <T>(method: HttpMethod, path: string, requestOptions: NetSuiteRequestOptions = {}): Promise<NetSuiteResponse<T>> => {
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('..') || path.includes('?')) {
      throw new ConfigurationError('A request path must start with / and hold no query (pass `query` instead).', {
        code: 'INVALID_ARGUMENT',
        issues: [{ path: 'path', message: 'must start with / and contain no ? or ..' }],
      });
    }
    const response = await transport.send({
      method,
      path,
      query: requestOptions.query,
      json: requestOptions.body,
      headers: requestOptions.headers,
      signal: requestOptions.signal,
      idempotent: requestOptions.idempotent,
    });
    const location = response.headers.get('location') ?? undefined;
    const id = location === undefined ? undefined : /\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location)?.[1];
    return { status: response.status, data: response.body as T, location, id, requestId: response.requestId, headers: response.headers };
  };

  return {
    accountId: account.accountId,
    baseUrl,
    account,
    request,
    records: createRecords(request),
    metadata: createMetadata(request, { ttlMs: options.metadataCacheTtlMs }),
    suiteql: (query, suiteqlOptions) => runSuiteQLPage(request, query, suiteqlOptions),
    suiteqlAll: (query, suiteqlOptions) => streamSuiteQL(request, query, suiteqlOptions),
    get stats() {
      return transport.stats;
    },
  };
}

/** Errors of the token endpoint: OAuth bodies (`{ error, error_description }`) and refusals are authentication errors. */
function tokenError(info: FailureInfo, base: (info: FailureInfo) => ApiError, redactor: Redactor): ApiError {
  if (info.kind !== 'invalid_request' && info.kind !== 'authentication' && info.kind !== 'permission') return base(info);
  // The endpoint may repeat the form it was sent (client_assertion included) in its description.
  const detail = redactNetSuiteErrorDetails(redactor, parseNetSuiteErrorDetails(info.body))[0];
  const code = detail?.code ?? 'INVALID_LOGIN';
  return new NetSuiteAuthenticationError(
    redactor.redact(`NetSuite refused the OAuth 2.0 client credentials (${info.context.status ?? ''} ${code})${detail?.detail ? `: ${detail.detail}` : ''}.`),
    {
      ...info.context,
      code,
      details: detail === undefined ? [] : [detail],
      resolution:
        'Check that the client ID is the integration record\'s, that the certificate ID matches a certificate mapped to an entity and role in ' +
        'Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup, that the private key belongs to that certificate and `algorithm` matches it, ' +
        'that the integration has the client credentials grant and the rest_webservices scope enabled, and that this machine\'s clock is right.',
    },
  );
}
