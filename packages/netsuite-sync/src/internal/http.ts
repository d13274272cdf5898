/**
 * HTTP helpers of the shared transport: query strings, `Retry-After`, and the redirects it refuses.
 *
 * Not part of the public API.
 */
import type { Query } from '../options';

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

/** Whether a response is a redirect (kept as it is, since requests are sent with `redirect: 'manual'`). */
export function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || response.redirected || (response.status >= 300 && response.status < 400);
}

/** The origin a redirect's `location` points at (never its path or query), when it says one that can be read. */
export function redirectOrigin(location: string | undefined, requestUrl: URL): string | undefined {
  if (location === undefined || location === '' || !URL.canParse(location, requestUrl)) return undefined;
  const { origin } = new URL(location, requestUrl);
  return origin === 'null' ? undefined : origin;
}

/** Cancels a body nobody will read, so its connection is released. */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}
