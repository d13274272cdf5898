/**
 * Option and logger types shared by the public API: the clients, the sync engine and the operations take
 * them. Types only; nothing here runs.
 */

/** HTTP methods the clients use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query parameter value; arrays repeat the key, `undefined` and `null` leave it out. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];
/** Query parameters of a request. */
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * One answer of a service, as a client's `onResponse` option is told of it: every attempt that got an
 * answer, of any status (a connection lost or a timeout has none), before the client acts on it. For
 * metrics and tracing; it is called synchronously in the request's own async context, and what it throws
 * is logged and ignored. It never sees the request's headers (which hold credentials), and OAuth token
 * requests are not reported.
 *
 * @example
 * ```ts
 * const slowest = new Map<string, number>();
 * const invoiced = createInvoicedClient({
 *   apiKey,
 *   onResponse: ({ method, url, durationMs }) => {
 *     const key = `${method} ${url.pathname}`;
 *     slowest.set(key, Math.max(slowest.get(key) ?? 0, durationMs));
 *   },
 * });
 * ```
 */
export interface ResponseInfo {
  readonly api: 'netsuite' | 'invoiced';
  readonly method: HttpMethod;
  /** The URL sent, query included (credentials are never in it). */
  readonly url: URL;
  /** The body sent (JSON, or a form's text), if any. */
  readonly requestBody: string | undefined;
  readonly status: number;
  readonly headers: Headers;
  /** The answer's parsed JSON; `undefined` when it was empty or not JSON. */
  readonly body: unknown;
  /** 1 for the first attempt of a request. */
  readonly attempt: number;
  /** From the attempt's start (once authorized) to its whole answer, in milliseconds. */
  readonly durationMs: number;
}

/**
 * Where the SDK writes what it does. Every method is optional. Fields never contain credentials.
 *
 * Pass `console` (each entry is printed as its message, then its fields), a pino logger (or a child of
 * one) as it is, or any object whose methods take `(message, fields)`. The SDK calls a logger with
 * pino's API (see {@link PinoLikeLogger}: a `bindings` function and a `levels.values` map) as pino
 * expects, `(fields, message)`, so its fields become properties of the JSON line; every other logger
 * `(message, fields)`, as before.
 *
 * @example
 * ```ts
 * declare function pino(): PinoLikeLogger; // the pino package's default export
 * const engine = createSyncEngine({ netsuite, invoiced, store, connectionId, settings, logger: pino() });
 * const client = createNetSuiteClient({ accountId: '1234567', auth: tokenBasedAuth({ consumerKey, consumerSecret, tokenId, tokenSecret }), logger: console });
 * ```
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A pino logging method, as pino documents it: `(mergingObject, message?, ...interpolationValues)` or
 * `(message, ...interpolationValues)`. Extra arguments after a message are printf values, so fields given
 * after the message would be lost: the SDK gives them first.
 */
export interface PinoLogFn {
  (fields: object, message?: string, ...values: unknown[]): void;
  (message: string, ...values: unknown[]): void;
}

/** The part of pino's logger API the SDK recognises and calls (pino is not a dependency). */
export interface PinoLikeLogger {
  debug: PinoLogFn;
  info: PinoLogFn;
  warn: PinoLogFn;
  error: PinoLogFn;
  /** pino: the bindings of a child logger. Its presence (with `levels.values`) marks a pino logger. */
  bindings(): Record<string, unknown>;
  readonly levels: { readonly values: Readonly<Record<string, number>> };
}

/** How failed requests are retried. */
export interface RetryOptions {
  /**
   * How many times a failed request is tried again. Only failures that are safe to repeat are retried:
   * rate limits always (the service refused the request before doing anything), server errors, timeouts
   * and lost connections only for requests that are idempotent.
   * @default 4
   */
  retries?: number;
  /** Delay before the first retry, in milliseconds; later delays grow by `factor`, with jitter. @default 500 */
  minDelayMs?: number;
  /** Longest delay between two attempts, in milliseconds. @default 30000 */
  maxDelayMs?: number;
  /** Growth of the delay from one retry to the next. @default 2 */
  factor?: number;
  /** Total time a request may spend retrying before its last error is thrown, in milliseconds. @default 300000 */
  maxElapsedMs?: number;
  /**
   * The longest `Retry-After` waited for, in milliseconds. A longer one, or one that would pass the client's
   * `deadlineMs`, is not waited for: the request fails at once and the error's `retryAfterMs` says when to
   * come back. @default 10000
   */
  maxRetryAfterMs?: number;
}
