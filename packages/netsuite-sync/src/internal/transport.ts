/**
 * The HTTP machinery shared by the NetSuite and Invoiced clients: one concurrency limiter per client,
 * retries with exponential backoff and jitter, per-attempt timeouts, cancellation, error classification,
 * redaction and logging. Each client supplies only what differs: how to authorize an attempt and how to
 * turn a failure into its own error classes.
 *
 * Not part of the public API.
 */
import ky, { TimeoutError as KyTimeoutError } from 'ky';
import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import type { ApiError, ApiErrorContext, ApiFailureKind, ApiName } from '../errors';
import { apiFailureKindOf, ConfigurationError, kindOfStatus } from '../errors';
import type { HttpMethod, Logger, Query, RetryOptions } from '../options';
import type { Redactor } from './redact';

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  retries: 4,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxElapsedMs: 300_000,
  maxRetryAfterMs: 60_000,
};

/** Validates and fills in retry options (`number` is the shorthand for `{ retries }`). */
export function resolveRetryOptions(value: number | RetryOptions | undefined): ResolvedRetryOptions {
  const options: RetryOptions = typeof value === 'number' ? { retries: value } : (value ?? {});
  const resolved = { ...DEFAULT_RETRY, ...stripUndefined(options) };
  for (const [key, number] of Object.entries(resolved)) {
    const ok = key === 'factor' ? number >= 1 : Number.isFinite(number) && number >= 0;
    if (!ok || (key === 'retries' && !Number.isInteger(number))) {
      throw new ConfigurationError(`Invalid retry option "${key}": ${number}.`, {
        issues: [{ path: `retries.${key}`, message: key === 'factor' ? 'must be >= 1' : 'must be a non-negative finite number' }],
      });
    }
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

/** What kind of failure an attempt ended in; decides retries and the error class. Same as {@link ApiFailureKind}. */
export type FailureKind = ApiFailureKind;

/** One attempt of a request, as seen by the client's `authorize` hook. */
export interface AttemptContext {
  readonly method: HttpMethod;
  /** The exact URL that will be sent, query included. */
  readonly url: URL;
  /** 1 for the first attempt. */
  readonly attemptNumber: number;
  /** The error that ended the previous attempt, if any. */
  readonly previousError: ApiError | undefined;
  readonly signal: AbortSignal | undefined;
}

/** What a client's error factory is given to build an error. */
export interface FailureInfo {
  readonly kind: FailureKind;
  readonly context: ApiErrorContext;
  /** Parsed JSON body of an error response, when it had one. */
  readonly body?: unknown;
  /** The underlying error (already redacted) for timeouts, connection failures and unreadable bodies. */
  readonly cause?: Error;
}

export interface TransportConfig {
  readonly api: ApiName;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch | undefined;
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  /** Maximum requests in flight. */
  readonly concurrency: number;
  readonly logger?: Logger | undefined;
  readonly redactor: Redactor;
  /** Response headers that may carry the service's request ID, in order of preference. */
  readonly requestIdHeaders: readonly string[];
  /** Builds the client's error for a failure. */
  toError(info: FailureInfo): ApiError;
  /** Headers that authorize one attempt; called inside the concurrency slot, once per attempt. */
  authorize(attempt: AttemptContext): Promise<Record<string, string>> | Record<string, string>;
  /** Called on an authentication failure; resolve `true` to repeat the request once with new credentials. */
  onUnauthorized?(): Promise<boolean> | boolean;
}

/** One request through the transport. */
export interface SendOptions {
  readonly method: HttpMethod;
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  readonly query?: Query | undefined;
  /** JSON body. */
  readonly json?: unknown;
  /** `application/x-www-form-urlencoded` body. */
  readonly form?: Readonly<Record<string, string>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Whether repeating the request after a server error, timeout or lost connection is harmless.
   * @default true for every method but POST
   */
  readonly idempotent?: boolean | undefined;
  /**
   * Headers of this request that depend on the attempt (e.g. an idempotency key that must change after
   * some failures); called once per attempt, after the client's `authorize`.
   */
  readonly attemptHeaders?: ((attempt: AttemptContext) => Record<string, string>) | undefined;
}

/** A successful response. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body, or `undefined` when the body was empty. */
  readonly body: unknown;
  readonly requestId: string | undefined;
}

/** RFC 3986 percent-encoding: like `encodeURIComponent`, and also `!'()*`. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Builds a query string with RFC 3986 encoding (space as `%20`, never `+`), keeping the given order. */
export function buildQueryString(query: Query | undefined): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? (value as readonly (string | number | boolean)[]) : [value as string | number | boolean];
    for (const item of values) parts.push(`${encodeRfc3986(key)}=${encodeRfc3986(String(item))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Errors raised while authorizing an attempt (e.g. fetching an OAuth token). The token request has
 * retried on its own already, so the request that waited for it must not repeat the whole thing again.
 */
const authorizationFailures = new WeakSet<object>();

function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (typeof error === 'object' && error !== null && authorizationFailures.has(error)) return false;
  return isKindRetryable(apiFailureKindOf(error), idempotent);
}

function isKindRetryable(kind: FailureKind | undefined, idempotent: boolean): boolean {
  if (kind === 'rate_limit') return true;
  if (kind === 'server' || kind === 'timeout' || kind === 'connection') return idempotent;
  return false;
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `task` unless `signal` aborts first; an abort while queued rejects at once with the reason. */
function raceAbort<T>(task: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return task;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    task.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The shared request pipeline of one client. */
export class Transport {
  readonly #config: TransportConfig;
  readonly #limit: LimitFunction;
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#limit = pLimit(config.concurrency);
  }

  /** Requests in flight right now, and the most seen at once since the client was made. */
  get stats(): { inFlight: number; peakInFlight: number; queued: number } {
    return { inFlight: this.#inFlight, peakInFlight: this.#peakInFlight, queued: this.#limit.pendingCount };
  }

  /** Sends a request: waits for a slot, authorizes, retries what is safe to retry, and classifies failures. */
  async send(options: SendOptions): Promise<TransportResponse> {
    const { retry } = this.#config;
    const idempotent = options.idempotent ?? options.method !== 'POST';
    const url = new URL(`${this.#config.baseUrl}${options.path}${buildQueryString(options.query)}`);
    const signal = options.signal;
    let previousError: ApiError | undefined;
    let refreshedCredentials = false;

    const inSlot = (attemptNumber: number) =>
      raceAbort(
        this.#limit(() => this.#attempt(options, url, attemptNumber, previousError)),
        signal,
      );

    return pRetry(
      async (attemptNumber) => {
        try {
          return await inSlot(attemptNumber);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          const kind = apiFailureKindOf(error);
          const fromAuthorization = typeof error === 'object' && error !== null && authorizationFailures.has(error);
          if (kind === 'authentication' && !fromAuthorization && !refreshedCredentials && this.#config.onUnauthorized !== undefined) {
            refreshedCredentials = true;
            if (await this.#config.onUnauthorized()) return await inSlot(attemptNumber);
          }
          previousError = error as ApiError;
          throw error;
        }
      },
      {
        retries: retry.retries,
        factor: retry.factor,
        minTimeout: retry.minDelayMs,
        maxTimeout: retry.maxDelayMs,
        maxRetryTime: retry.maxElapsedMs,
        randomize: true,
        signal,
        shouldRetry: ({ error }) => isRetryable(error, idempotent),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          const kind = apiFailureKindOf(error);
          if (!isRetryable(error, idempotent) || retriesLeft === 0) return;
          const retryAfterMs = (error as Partial<ApiError>).retryAfterMs;
          const extraWait =
            retryAfterMs === undefined ? 0 : Math.max(0, Math.min(retryAfterMs, retry.maxRetryAfterMs) - retryDelay);
          this.#log('warn', 'request failed, retrying', {
            method: options.method,
            path: this.#displayPath(url),
            attempt: attemptNumber,
            kind,
            status: (error as Partial<ApiError>).status,
            code: (error as Partial<ApiError>).code,
            delayMs: retryDelay + extraWait,
          });
          await sleep(extraWait, signal);
        },
      },
    );
  }

  #displayPath(url: URL): string {
    const base = new URL(this.#config.baseUrl);
    const path = url.pathname.startsWith(base.pathname) ? url.pathname.slice(base.pathname.replace(/\/$/, '').length) : url.pathname;
    return `${path}${url.search}`;
  }

  #log(level: keyof Logger, message: string, fields: Record<string, unknown>): void {
    const logger = this.#config.logger;
    if (logger?.[level] === undefined) return;
    try {
      logger[level](`${this.#config.api}: ${this.#config.redactor.redact(message)}`, {
        api: this.#config.api,
        ...(this.#config.redactor.redactValue(fields) as Record<string, unknown>),
      });
    } catch {
      // A broken logger must never break a request.
    }
  }

  #fail(info: FailureInfo): ApiError {
    return this.#config.toError(info);
  }

  async #attempt(
    options: SendOptions,
    url: URL,
    attemptNumber: number,
    previousError: ApiError | undefined,
  ): Promise<TransportResponse> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    const started = performance.now();
    const path = this.#displayPath(url);
    const context: ApiErrorContext = { method: options.method, path };
    try {
      const attempt: AttemptContext = { method: options.method, url, attemptNumber, previousError, signal };
      let authHeaders: Record<string, string>;
      try {
        authHeaders = await this.#config.authorize(attempt);
      } catch (error) {
        if (typeof error === 'object' && error !== null) authorizationFailures.add(error);
        throw error;
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...options.headers,
        ...authHeaders,
        ...options.attemptHeaders?.(attempt),
      };
      let body: string | undefined;
      if (options.form !== undefined) {
        body = new URLSearchParams(options.form).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] = 'application/json';
      }

      let response: Response;
      let text: string;
      try {
        const pending = ky(url, {
          method: options.method,
          headers,
          body,
          timeout: this.#config.timeoutMs,
          retry: 0,
          throwHttpErrors: false,
          signal,
          ...(this.#config.fetch === undefined ? {} : { fetch: this.#config.fetch }),
        });
        response = await pending;
        // ky's `timeout` stops at the response headers; its `.text()` also bounds the body read, so a body
        // that stalls cannot hold a concurrency slot forever.
        text = await pending.text();
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const cause = this.#config.redactor.sanitizeError(error);
        if (error instanceof KyTimeoutError || (error instanceof Error && error.name === 'TimeoutError')) {
          throw this.#fail({ kind: 'timeout', context, cause });
        }
        throw this.#fail({ kind: 'connection', context, cause });
      }

      const requestId = this.#requestId(response.headers);
      const fullContext: ApiErrorContext = { ...context, status: response.status, requestId };
      let parsed: unknown;
      let parseError: Error | undefined;
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          parseError = this.#config.redactor.sanitizeError(error);
        }
      }

      this.#log('debug', 'request', {
        method: options.method,
        path,
        attempt: attemptNumber,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        ...(requestId === undefined ? {} : { requestId }),
      });

      if (!response.ok) {
        const kind = kindOfStatus(response.status);
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        throw this.#fail({ kind, context: { ...fullContext, retryAfterMs }, body: parsed });
      }
      if (parseError !== undefined) {
        throw this.#fail({ kind: 'invalid_response', context: fullContext, cause: parseError });
      }
      return { status: response.status, headers: response.headers, body: parsed, requestId };
    } finally {
      this.#inFlight -= 1;
    }
  }

  #requestId(headers: Headers): string | undefined {
    for (const name of this.#config.requestIdHeaders) {
      const value = headers.get(name);
      if (value !== null && value !== '') return value;
    }
    return undefined;
  }
}
