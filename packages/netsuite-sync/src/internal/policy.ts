/**
 * The time limits and retry policy of the shared transport: their defaults, and the validation of the
 * retry options the clients take.
 *
 * Not part of the public API.
 */
import { ConfigurationError } from '../errors';
import type { RetryOptions } from '../options';

export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * Default time one attempt (response headers and body together) may take: 30 s. NetSuite and Invoiced
 * answer a healthy request in well under that (a 1000-row SuiteQL page in a few seconds), so an attempt
 * still running after 30 s is stuck, and trying again is worth more than waiting on.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Default overall deadline of one request (every attempt, body and back-off together): 90 s. It leaves
 * room for three attempts that time out, or several quick retries of a rate limit, and still turns a
 * service that has stopped answering into an error within a minute and a half, not after minutes.
 */
export const DEFAULT_DEADLINE_MS = 90_000;

/**
 * Default retry policy. `maxRetryAfterMs` is 10 s: a service that asks for a longer wait (a proxy's
 * `Retry-After: 3600`) is not going to serve this run soon, so the request fails at once and the error's
 * `retryAfterMs` says when to come back, instead of holding the run.
 */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  retries: 4,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  maxElapsedMs: 300_000,
  maxRetryAfterMs: 10_000,
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
