/**
 * The HTTP machinery shared by the NetSuite and Invoiced clients: one concurrency limiter per client,
 * retries with exponential backoff and jitter, per-attempt timeouts, an overall deadline per request,
 * cancellation, error classification, redaction and logging. Each client supplies only what differs: how
 * to authorize an attempt and how to turn a failure into its own error classes.
 *
 * Redirects are never followed: a 3xx answer fails the request (kind `invalid_response`), so credentials
 * are only ever sent to the base URL's origin, and no other host's answer is taken for the service's.
 *
 * Not part of the public API.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import type { ApiError, ApiErrorContext, ApiFailureKind, ApiName } from '../errors';
import { apiFailureKindOf, kindOfStatus } from '../errors';
import type { HttpMethod, Logger, Query, ResponseInfo } from '../options';
import { DeadlineExceeded, followAbort, raceAbort, RequestDeadline, sleep } from './abort';
import type { Exchange, ExchangeResponse } from './exchange';
import { fetchExchange } from './fetch-exchange';
import { buildQueryString, parseRetryAfter, redirectOrigin } from './http';
import { nodeExchange } from './node-exchange';
import type { ResolvedRetryOptions } from './policy';
import type { Redactor } from './redact';

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
  /**
   * Set (with kind `timeout`) when the request ran out of its overall deadline: how long it was and how
   * many attempts were started. `cause` is then the error of the last attempt that failed, if one did.
   */
  readonly deadline?: { readonly deadlineMs: number; readonly attempts: number } | undefined;
  /**
   * Set (with kind `invalid_response`) when the service answered with a redirect, which is never
   * followed: the origin of its `Location` (never its path or query), when it had a readable one.
   */
  readonly redirect?: { readonly locationOrigin: string | undefined } | undefined;
}

export interface TransportConfig {
  readonly api: ApiName;
  /** Base URL without a trailing slash. */
  readonly baseUrl: string;
  /** The `fetch` to send with (through ky); Node's own `http`/`https` when not given. */
  readonly fetch?: typeof fetch | undefined;
  /** Told of every answer (see the clients' `onResponse` option). */
  readonly onResponse?: ((info: ResponseInfo) => void) | undefined;
  /** Per-attempt timeout (response headers and body together), in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Overall deadline of one request in milliseconds: every attempt, body read and back-off together,
   * counted from the start of its first attempt. When it passes, the request fails with kind `timeout`.
   */
  readonly deadlineMs: number;
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

/** The shared request pipeline of one client. */
export class Transport {
  readonly #config: TransportConfig;
  readonly #limit: LimitFunction;
  readonly #exchange: Exchange;
  #inFlight = 0;
  #peakInFlight = 0;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#limit = pLimit(config.concurrency);
    this.#exchange = config.fetch === undefined ? nodeExchange() : fetchExchange(config.fetch);
  }

  /** Requests in flight right now, and the most seen at once since the client was made. */
  get stats(): { inFlight: number; peakInFlight: number; queued: number } {
    return { inFlight: this.#inFlight, peakInFlight: this.#peakInFlight, queued: this.#limit.pendingCount };
  }

  /**
   * Sends a request: waits for a slot, authorizes, retries what is safe to retry, and classifies failures.
   * The whole request (from its first attempt on) is bounded by `deadlineMs`; when it passes, every wait and
   * read of the request is stopped and it fails with kind `timeout`.
   */
  async send(options: SendOptions): Promise<TransportResponse> {
    const { retry } = this.#config;
    const idempotent = options.idempotent ?? options.method !== 'POST';
    const url = new URL(`${this.#config.baseUrl}${options.path}${buildQueryString(options.query)}`);
    const deadline = new RequestDeadline(this.#config.deadlineMs, options.signal);
    const { signal } = deadline;
    let previousError: ApiError | undefined;
    let refreshedCredentials = false;
    let attempts = 0;

    const inSlot = (attemptNumber: number) =>
      raceAbort(
        this.#limit(() => {
          if (!signal.aborted) {
            deadline.start();
            attempts += 1;
          }
          return this.#attempt(options, url, attemptNumber, previousError, signal);
        }),
        signal,
      );

    try {
      return await pRetry(
        async (attemptNumber) => {
          try {
            return await inSlot(attemptNumber);
          } catch (error) {
            if (signal.aborted) throw signal.reason;
            const kind = apiFailureKindOf(error);
            const fromAuthorization = typeof error === 'object' && error !== null && authorizationFailures.has(error);
            if (kind === 'authentication' && !fromAuthorization && !refreshedCredentials && this.#config.onUnauthorized !== undefined) {
              refreshedCredentials = true;
              if (await raceAbort(Promise.resolve(this.#config.onUnauthorized()), signal)) return await inSlot(attemptNumber);
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
          // Decides, logs and waits out any longer `Retry-After`; p-retry then waits its own `retryDelay`.
          shouldRetry: async ({ error, attemptNumber, retryDelay }) => {
            if (!isRetryable(error, idempotent)) return false;
            const wait = this.#retryWait(error, retryDelay, deadline);
            if (wait === undefined) return false;
            this.#log('warn', 'request failed, retrying', {
              method: options.method,
              path: this.#displayPath(url),
              attempt: attemptNumber,
              kind: apiFailureKindOf(error),
              status: (error as Partial<ApiError>).status,
              code: (error as Partial<ApiError>).code,
              delayMs: wait,
            });
            await sleep(wait - retryDelay, signal);
            return true;
          },
        },
      );
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (deadline.expired && error instanceof DeadlineExceeded) {
        throw this.#fail({
          kind: 'timeout',
          context: { method: options.method, path: this.#displayPath(url) },
          deadline: { deadlineMs: deadline.ms, attempts },
          cause: previousError,
        });
      }
      throw error;
    } finally {
      deadline.clear();
    }
  }

  /**
   * How long to wait before the next attempt after `error`: p-retry's back-off, or the service's
   * `Retry-After` when that is longer. `undefined` (fail now with `error`) when the service asks for more
   * than `maxRetryAfterMs`, or when the next attempt could not start before the deadline: waiting would
   * only turn the service's answer into a timeout. The error's `retryAfterMs` tells the caller when to come back.
   */
  #retryWait(error: unknown, retryDelay: number, deadline: RequestDeadline): number | undefined {
    const retryAfterMs = (error as Partial<ApiError>).retryAfterMs;
    if (retryAfterMs !== undefined && retryAfterMs > this.#config.retry.maxRetryAfterMs) {
      this.#log('debug', 'not retrying: Retry-After is longer than maxRetryAfterMs', { retryAfterMs });
      return undefined;
    }
    const wait = Math.max(retryDelay, retryAfterMs ?? 0);
    if (wait >= deadline.remainingMs()) {
      this.#log('debug', 'not retrying: the wait would pass the deadline', { delayMs: wait, deadlineMs: deadline.ms });
      return undefined;
    }
    return wait;
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

  #observe(info: ResponseInfo): void {
    const observer = this.#config.onResponse;
    if (observer === undefined) return;
    try {
      observer(info);
    } catch (error) {
      this.#log('warn', 'onResponse threw; the request goes on', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  #fail(info: FailureInfo): ApiError {
    return this.#config.toError(info);
  }

  /**
   * One attempt, bounded by `timeoutMs` (headers and body together) and by the request's `signal` (the
   * caller's abort and the deadline). An abort cancels the fetch and the body read, and settles the attempt
   * at once, which frees its concurrency slot.
   */
  async #attempt(
    options: SendOptions,
    url: URL,
    attemptNumber: number,
    previousError: ApiError | undefined,
    requestSignal: AbortSignal,
  ): Promise<TransportResponse> {
    if (requestSignal.aborted) throw requestSignal.reason;
    this.#inFlight += 1;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    const started = performance.now();
    const path = this.#displayPath(url);
    const context: ApiErrorContext = { method: options.method, path };
    // Started once the attempt is authorized, so a token request does not eat into the exchange's time.
    // It also aborts with the request's signal (the caller's abort and the deadline).
    const attemptTimer = new AbortController();
    const unlink = followAbort(attemptTimer, requestSignal);
    const timedOut = () => attemptTimer.signal.aborted && !requestSignal.aborted;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const attempt: AttemptContext = { method: options.method, url, attemptNumber, previousError, signal: requestSignal };
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

      let answer: ExchangeResponse;
      timer = setTimeout(() => attemptTimer.abort(new Error(`No complete answer within timeoutMs (${this.#config.timeoutMs} ms).`)), this.#config.timeoutMs);
      try {
        // The timer and the request's signal bound headers and body together.
        answer = await this.#exchange.send({ method: options.method, url, headers, body, signal: attemptTimer.signal });
      } catch (error) {
        if (requestSignal.aborted) throw requestSignal.reason;
        const cause = this.#config.redactor.sanitizeError(error);
        throw this.#fail({ kind: timedOut() ? 'timeout' : 'connection', context, cause });
      }

      const { status, headers: responseHeaders, text } = answer;
      const requestId = this.#requestId(responseHeaders);
      const fullContext: ApiErrorContext = { ...context, status, requestId };
      this.#log('debug', 'request', {
        method: options.method,
        path,
        attempt: attemptNumber,
        status,
        durationMs: Math.round(performance.now() - started),
        ...(requestId === undefined ? {} : { requestId }),
      });
      let parsed: unknown;
      let parseError: Error | undefined;
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          parseError = this.#config.redactor.sanitizeError(error);
        }
      }
      this.#observe({ api: this.#config.api, method: options.method, url, requestBody: body, status, headers: responseHeaders, body: parsed, attempt: attemptNumber, durationMs: performance.now() - started });
      if (answer.redirect !== undefined) {
        throw this.#fail({ kind: 'invalid_response', context: fullContext, redirect: { locationOrigin: redirectOrigin(answer.redirect.location, url) } });
      }
      if (status < 200 || status > 299) {
        const kind = kindOfStatus(status);
        const retryAfterMs = parseRetryAfter(responseHeaders.get('retry-after'));
        throw this.#fail({ kind, context: { ...fullContext, retryAfterMs }, body: parsed });
      }
      if (parseError !== undefined) {
        throw this.#fail({ kind: 'invalid_response', context: fullContext, cause: parseError });
      }
      return { status, headers: responseHeaders, body: parsed, requestId };
    } finally {
      clearTimeout(timer);
      unlink();
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
