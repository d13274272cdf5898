/**
 * Options of the Invoiced client and their validation. Bad options throw a `ConfigurationError` at
 * construction, whose message names the fields but never repeats a value (so never the API key).
 */
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import { Redactor } from '../internal/redact';
import type { ResolvedRetryOptions } from '../internal/policy';
import type { Logger, ResponseInfo, RetryOptions } from '../options';
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, resolveRetryOptions } from '../internal/policy';
import { adaptLogger } from '../logger';

/** Production API. */
export const INVOICED_PRODUCTION_URL = 'https://api.invoiced.com';
/** Sandbox API. */
export const INVOICED_SANDBOX_URL = 'https://api.sandbox.invoiced.com';
/** Requests in flight per client unless told otherwise; Invoiced refuses more than 20 per API key. */
export const INVOICED_DEFAULT_CONCURRENCY = 10;
/** Per-attempt timeout unless told otherwise, in milliseconds (response headers and body together). */
export const INVOICED_DEFAULT_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;
/** Overall deadline of one request unless told otherwise, in milliseconds (attempts, retries and waits together). */
export const INVOICED_DEFAULT_DEADLINE_MS = DEFAULT_DEADLINE_MS;
/** The longest delay a timer can hold. */
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link createInvoicedClient}. */
export interface InvoicedClientOptions {
  /**
   * The Invoiced API key, sent as the Basic-auth user name with an empty password. Never written to an
   * error, a log line or `toJSON()`.
   * @example createInvoicedClient({ apiKey: process.env.INVOICED_API_KEY! });
   */
  apiKey: string;
  /**
   * Call the sandbox (`https://api.sandbox.invoiced.com`) instead of production. Sandbox and production
   * keys are not interchangeable. Ignored when `baseUrl` is given.
   * @default false
   */
  sandbox?: boolean | undefined;
  /**
   * Base URL of the API, for a proxy or a test server. An http(s) URL without credentials, query or
   * fragment; a path prefix is allowed.
   * @default 'https://api.invoiced.com' (or the sandbox URL when `sandbox` is true)
   * @example createInvoicedClient({ apiKey, baseUrl: 'https://invoiced-proxy.internal.example.com/invoiced' });
   */
  baseUrl?: string | undefined;
  /**
   * Most requests in flight at once from this client (1 to 20). Invoiced allows 20 per API key across
   * every process that uses it, so leave room for other jobs.
   * @default 10
   */
  concurrency?: number | undefined;
  /**
   * Timeout of one attempt, response headers and body together, in milliseconds. Invoiced answers a
   * healthy request in well under a second, so 30 s is generous (a write that times out is retried, which
   * a short timeout makes more likely) while an attempt still running then is stuck, not slow.
   * @default 30000
   */
  timeoutMs?: number | undefined;
  /**
   * Overall deadline of one request, in milliseconds: every attempt, body read, retry and back-off
   * together, counted from the start of its first attempt (time queued behind this client's other
   * requests before that does not count). When it passes, everything the request was doing is stopped and
   * it fails with `InvoicedTimeoutError` (`INVOICED_DEADLINE_EXCEEDED`). 90 s leaves room for three
   * attempts that time out, or many quick retries of a rate limit, and still ends a stuck request in a
   * minute and a half rather than minutes.
   * @default 90000
   * @example createInvoicedClient({ apiKey, timeoutMs: 10_000, deadlineMs: 30_000 });
   */
  deadlineMs?: number | undefined;
  /**
   * Retry policy, or just the number of retries. Rate limits are always retried with the same
   * idempotency key; server errors, timeouts and lost connections with a new one. A `Retry-After` longer
   * than `maxRetryAfterMs`, or one that would pass `deadlineMs`, is not waited for: the call fails at once
   * with the error, whose `retryAfterMs` says when to come back.
   * @default { retries: 4, minDelayMs: 500, maxDelayMs: 30000, factor: 2, maxElapsedMs: 300000, maxRetryAfterMs: 10000 }
   * @example createInvoicedClient({ apiKey, retries: { retries: 6, minDelayMs: 1000 } });
   */
  retries?: number | RetryOptions | undefined;
  /**
   * A `fetch` to send requests with (through ky): tests, proxies, instrumentation. By default the client
   * uses Node's own `http`/`https` with keep-alive connections, which costs about half the CPU a request
   * and far less memory (see docs/performance.md#memory).
   * @default Node's `http`/`https`
   */
  fetch?: typeof fetch | undefined;
  /**
   * Told of every answer Invoiced gives (see {@link ResponseInfo}): for metrics and tracing.
   * @example createInvoicedClient({ apiKey, onResponse: ({ status, durationMs }) => console.log(`Invoiced answered ${status} in ${durationMs} ms`) });
   */
  onResponse?: ((info: ResponseInfo) => void) | undefined;
  /**
   * Where requests and retries are reported (`debug` per request, `warn` per retry). Never given the key.
   * @default no logging
   * @example createInvoicedClient({ apiKey, logger: console });
   */
  logger?: Logger | undefined;
}

/** Options after validation, with defaults applied. */
export interface ResolvedInvoicedOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly environment: 'production' | 'sandbox' | 'custom';
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly deadlineMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly fetch: typeof fetch | undefined;
  readonly onResponse: ((info: ResponseInfo) => void) | undefined;
  readonly logger: Logger | undefined;
}

function isUsableBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === ''
  );
}

const OptionsSchema = z.object(
  {
    apiKey: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .regex(/^[^\s:]+$/, 'must not contain spaces or ":"'),
    sandbox: z.boolean({ error: 'must be a boolean' }).optional(),
    baseUrl: z
      .string({ error: 'must be a string' })
      .refine(isUsableBaseUrl, 'must be an http(s) URL without credentials, query or fragment')
      .optional(),
    concurrency: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(20, 'must be at most 20 (Invoiced refuses more than 20 requests in flight per API key)')
      .optional(),
    timeoutMs: z
      .number({ error: 'must be a number' })
      .positive('must be positive')
      .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS}`)
      .optional(),
    deadlineMs: z
      .number({ error: 'must be a number' })
      .positive('must be positive')
      .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS}`)
      .optional(),
    retries: z.union([z.number(), z.record(z.string(), z.unknown())], { error: 'must be a number or an object' }).optional(),
    fetch: z.custom<typeof fetch>((value) => typeof value === 'function', 'must be a function').optional(),
    onResponse: z.custom<(info: ResponseInfo) => void>((value) => typeof value === 'function', 'must be a function').optional(),
    logger: z
      .custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be an object with logging methods')
      .optional(),
  },
  { error: 'options must be an object' },
);

/** Validates the options and fills in defaults; throws `ConfigurationError` naming each bad field. */
export function resolveInvoicedOptions(options: InvoicedClientOptions): ResolvedInvoicedOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const apiKey: unknown = (options as Partial<InvoicedClientOptions> | undefined)?.apiKey;
    // The issues never carry values, but mask the key anyway in case a message ever starts to.
    const redactor = new Redactor(() => [typeof apiKey === 'string' ? apiKey : undefined]);
    const issues = toValidationIssues(parsed.error.issues).map((issue) => ({
      path: issue.path,
      message: redactor.redact(issue.message),
    }));
    throw new ConfigurationError(
      `Invalid Invoiced client options: ${issues.map((issue) => `${issue.path || 'options'} ${issue.message}`).join('; ')}.`,
      {
        issues,
        code: 'INVOICED_INVALID_OPTIONS',
        resolution: 'Fix the options listed in `issues` and create the client again.',
      },
    );
  }
  const value = parsed.data;
  const environment = value.baseUrl !== undefined ? 'custom' : value.sandbox === true ? 'sandbox' : 'production';
  const baseUrl =
    value.baseUrl !== undefined
      ? value.baseUrl.replace(/\/+$/, '')
      : environment === 'sandbox'
        ? INVOICED_SANDBOX_URL
        : INVOICED_PRODUCTION_URL;
  return {
    apiKey: value.apiKey,
    baseUrl,
    environment,
    concurrency: value.concurrency ?? INVOICED_DEFAULT_CONCURRENCY,
    timeoutMs: value.timeoutMs ?? INVOICED_DEFAULT_TIMEOUT_MS,
    deadlineMs: value.deadlineMs ?? INVOICED_DEFAULT_DEADLINE_MS,
    retry: resolveRetryOptions(value.retries),
    fetch: value.fetch,
    onResponse: value.onResponse,
    logger: adaptLogger(value.logger),
  };
}
