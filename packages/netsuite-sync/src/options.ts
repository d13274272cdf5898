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
 * Where the SDK writes what it does. Every method is optional; pass `console` to see everything.
 * Fields never contain credentials.
 */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
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
