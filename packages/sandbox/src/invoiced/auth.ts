/**
 * Invoiced's authentication, as its API subscriber does it: HTTP Basic with the API key as the user name
 * and an empty password, or `Authorization: Bearer <OAuth access token>` (the reference's "OAuth
 * Authentication"). A request with a bearer token has no API key: Invoiced then neither rate-limits it by
 * key nor honours an `Idempotency-Key`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { json, type SandboxOutcome } from '../http';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
/** The digests of the account's own secrets (the API key: one per account), computed once. */
const secretDigests = new Map<string, Buffer>();
function secretDigest(secret: string): Buffer {
  let kept = secretDigests.get(secret);
  if (kept === undefined) {
    kept = digest(secret);
    if (secretDigests.size >= 1000) secretDigests.clear();
    secretDigests.set(secret, kept);
  }
  return kept;
}
/** Compared through fixed-length digests, so the time taken says nothing about the secret `b`. */
const same = (a: string, b: string) => timingSafeEqual(digest(a), secretDigest(b));

/** Who a request is, or why it is refused. */
export type Authentication =
  | { readonly kind: 'api_key' }
  | { readonly kind: 'access_token' }
  | { readonly kind: 'refused'; readonly message: string };

const MISSING_KEY = 'Missing API key! HINT: You can pass in your API key as the username parameter using HTTP Basic Auth.';
/** The message of league/oauth2-server's access-denied error, which Invoiced passes through. */
const TOKEN_DENIED = 'The resource owner or authorization server denied the request.';

/** The key as Invoiced echoes it in a refusal: the first and last three characters, stars between. */
function scrubbed(key: string): string {
  return key.length > 6 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 6)}${key.slice(-3)}` : key;
}

/**
 * Authenticates a request. Basic credentials are read as PHP reads them (scheme in any case, lenient
 * base64, split at the first colon); the Bearer scheme is matched case-sensitively, as Invoiced does.
 */
export function authenticate(headers: Headers, apiKey: string, accessTokens: ReadonlySet<string>): Authentication {
  const header = headers.get('authorization') ?? '';
  if (header.startsWith('Bearer ')) {
    const token = header.slice('Bearer '.length).trim();
    for (const issued of accessTokens) if (same(token, issued)) return { kind: 'access_token' };
    return { kind: 'refused', message: TOKEN_DENIED };
  }
  const encoded = /^basic (.+)$/i.exec(header)?.[1];
  const credentials = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon < 0) return { kind: 'refused', message: MISSING_KEY };
  const username = credentials.slice(0, colon);
  const password = credentials.slice(colon + 1);
  // A password makes the user name an account user name; the simulated account has none.
  if (username !== '' && password !== '') {
    return { kind: 'refused', message: `We did not find an account matching the username: ${username}` };
  }
  if (username === '') return { kind: 'refused', message: MISSING_KEY };
  if (!same(username, apiKey)) return { kind: 'refused', message: `We could not authenticate you with the API Key: ${scrubbed(username)}` };
  return { kind: 'api_key' };
}

/** Invoiced's answer to a refused authentication. */
export function unauthorizedOutcome(message: string): SandboxOutcome {
  return json(401, { type: 'invalid_request', message });
}
