/**
 * Invoiced's idempotency keys, for requests authenticated by API key: allowed on POST and PATCH only (a
 * key on any other method is refused with 400), 6 to 64 bytes. The first answer to a key (status and
 * body, success or failure) is kept for 24 hours and replayed to any later request with the same key,
 * whatever its body, method or path. That is why a client must retry a 5xx with a new key: the same key
 * replays the failure.
 */
import { invalidRequest } from './errors';

/** How long Invoiced keeps the answer to a key. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const MIN_KEY_LENGTH = 6;
const MAX_KEY_LENGTH = 64;

/** One request that carried an `Idempotency-Key`, for assertions. */
export interface IdempotencyLogEntry {
  readonly key: string;
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  /** Whether the answer was a replay of an earlier one. */
  readonly replayed: boolean;
}

/** A kept answer: Invoiced keeps the status and body only. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly storedAtMs: number;
}

/** Refuses a key on a method other than POST or PATCH, or outside 6 to 64 bytes, worded as Invoiced. */
export function checkIdempotencyKey(key: string, method: string): void {
  if (method !== 'POST' && method !== 'PATCH') {
    throw invalidRequest(`Unsupported method: ${method}. Idempotency keys can only be used with POST and PATCH requests.`);
  }
  // Invoiced measures the key in bytes (PHP's strlen).
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes < MIN_KEY_LENGTH) throw invalidRequest(`Idempotency key is too short. Must be at least ${MIN_KEY_LENGTH} characters long.`);
  if (bytes > MAX_KEY_LENGTH) throw invalidRequest(`Idempotency key is too long. Must be no longer than ${MAX_KEY_LENGTH} characters.`);
}

/** The kept answers of one API key, and the log of requests that carried a key. */
export class IdempotencyStore {
  #answers = new Map<string, StoredAnswer>();
  #log: IdempotencyLogEntry[] = [];

  /** The answer kept for `key`, unless it is 24 hours old (then it is forgotten). */
  find(key: string, nowMs: number): StoredAnswer | undefined {
    const answer = this.#answers.get(key);
    if (answer === undefined) return undefined;
    if (nowMs - answer.storedAtMs >= IDEMPOTENCY_TTL_MS) {
      this.#answers.delete(key);
      return undefined;
    }
    return answer;
  }

  /** Keeps the first answer to `key` (a copy, so later changes to the body do not leak in). */
  keep(key: string, answer: StoredAnswer): void {
    this.#answers.set(key, { ...answer, body: copyOf(answer.body) });
  }

  record(entry: IdempotencyLogEntry): void {
    this.#log.push(entry);
  }

  /** The requests that carried a key, in order. */
  log(): IdempotencyLogEntry[] {
    return [...this.#log];
  }

  reset(): void {
    this.#answers.clear();
    this.#log.length = 0;
  }
}

/** What `copyPlain` answers for a value it leaves to `structuredClone`. */
const NOT_PLAIN = Symbol('not plain');

/**
 * A copy of an answer's body as `structuredClone` makes it. Bodies are JSON-like data (plain objects,
 * arrays without holes, primitives), which a walk copies several times faster; anything else (a Date, a
 * class instance, a hole, a `__proto__` key, a function, deep nesting) is left to `structuredClone`.
 */
export function copyOf(value: unknown): unknown {
  const copied = copyPlain(value, 0);
  return copied === NOT_PLAIN ? structuredClone(value) : copied;
}

function copyPlain(value: unknown, depth: number): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') return NOT_PLAIN;
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 64) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return NOT_PLAIN;
    const out: unknown[] = [];
    for (const item of value as unknown[]) {
      const copied = copyPlain(item, depth + 1);
      if (copied === NOT_PLAIN) return NOT_PLAIN;
      out.push(copied);
    }
    return out;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return NOT_PLAIN;
    const copied = copyPlain((value as Record<string, unknown>)[key], depth + 1);
    if (copied === NOT_PLAIN) return NOT_PLAIN;
    out[key] = copied;
  }
  return out;
}
