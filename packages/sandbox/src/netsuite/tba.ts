/**
 * Checks NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256) on a received request, with its
 * own signature code (node:crypto), independent of any client: the realm is the account ID in upper
 * case with `_`; the signed parameters are the `oauth_*` header values (without `realm` and
 * `oauth_signature`) plus every query parameter (decoded, then RFC 3986 encoded, `!'()*` included) plus
 * form-encoded body parameters; the signed URL is the scheme, host and path as received; the key is
 * `enc(consumerSecret)&enc(tokenSecret)`. A nonce is 6 to 64 letters and digits (Oracle: "at least six
 * characters" for RESTlets, "alphanumeric string of 6-64 characters" for SOAP's TokenPassport; the same TBA
 * is taken to hold for REST) and each nonce and timestamp pair is accepted once per token while the
 * timestamp is fresh (Oracle's `nonce_used`: "the combination of nonce and timestamp has already been used").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxRequest } from '../http';

/** The four TBA credentials the simulator accepts. */
export interface TokenBasedCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** Why a TBA request was refused. */
export type TokenBasedFailure =
  | 'malformed header'
  | 'wrong realm'
  | 'unsupported signature method'
  | 'unsupported version'
  | 'unknown consumer key'
  | 'unknown token'
  | 'stale timestamp'
  | 'missing nonce'
  | 'nonce rejected'
  | 'reused nonce'
  | 'bad signature';

/** RFC 3986 percent-encoding (what OAuth 1.0a signs with). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The parameters of an `OAuth ...` header, decoded; `undefined` when it does not parse. */
export function parseOAuthHeader(header: string): Map<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (match === null) return undefined;
  const params = new Map<string, string>();
  const pattern = /\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"\s*(,|$)/y;
  const text = match[1] ?? '';
  while (pattern.lastIndex < text.length) {
    const part = pattern.exec(text);
    if (part === null) return undefined;
    const [, key = '', raw = ''] = part;
    if (params.has(key)) return undefined;
    try {
      params.set(key, decodeURIComponent(raw));
    } catch {
      return undefined;
    }
    if (part[3] === '') break;
  }
  return pattern.lastIndex >= text.length || text.slice(pattern.lastIndex).trim() === '' ? params : undefined;
}

/** The OAuth 1.0a signature base string of a received request. */
export function signatureBaseString(request: SandboxRequest, oauth: ReadonlyMap<string, string>): string {
  const params: [string, string][] = [];
  for (const [key, value] of oauth) if (key !== 'realm' && key !== 'oauth_signature') params.push([key, value]);
  for (const [key, value] of request.url.searchParams) params.push([key, value]);
  if (/^application\/x-www-form-urlencoded/i.test(request.headers.get('content-type') ?? '')) {
    for (const [key, value] of new URLSearchParams(request.body)) params.push([key, value]);
  }
  const normalized = params
    .map(([key, value]) => [rfc3986(key), rfc3986(value)] as const)
    .sort(([keyA, valueA], [keyB, valueB]) => (keyA < keyB ? -1 : keyA > keyB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const { url } = request;
  return [request.method.toUpperCase(), rfc3986(`${url.protocol}//${url.host}${url.pathname}`), rfc3986(normalized)].join('&');
}

/** Options of {@link createTokenBasedVerifier}. */
export interface TokenBasedVerifierOptions {
  readonly accountId: string;
  readonly credentials: TokenBasedCredentials;
  readonly clock: () => Date;
  readonly toleranceSeconds: number;
}

/** The realm of an account: its ID in upper case with `_` (`1234567_SB1`). */
export function accountRealm(accountId: string): string {
  return accountId.toUpperCase().replace(/-/g, '_');
}

/** A checker of `Authorization: OAuth ...` headers: `undefined` when the request is authentic. */
export function createTokenBasedVerifier(options: TokenBasedVerifierOptions): (request: SandboxRequest, header: string) => TokenBasedFailure | undefined {
  const realm = accountRealm(options.accountId);
  const { credentials } = options;
  /** Token, timestamp and nonce → the moment (ms) after which that timestamp is stale anyway. */
  const nonces = new Map<string, number>();
  /** The earliest moment in `nonces` (Infinity when empty): until then, no entry is stale. */
  let soonest = Number.POSITIVE_INFINITY;

  return (request, header) => {
    const oauth = parseOAuthHeader(header);
    if (oauth === undefined) return 'malformed header';
    if (oauth.get('realm') !== realm) return 'wrong realm';
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA256') return 'unsupported signature method';
    const version = oauth.get('oauth_version');
    if (version !== undefined && version !== '1.0') return 'unsupported version';
    if (oauth.get('oauth_consumer_key') !== credentials.consumerKey) return 'unknown consumer key';
    if (oauth.get('oauth_token') !== credentials.tokenId) return 'unknown token';
    const now = options.clock().getTime();
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (!/^\d+$/.test(oauth.get('oauth_timestamp') ?? '') || Math.abs(now - timestamp * 1000) > options.toleranceSeconds * 1000) return 'stale timestamp';
    const nonce = oauth.get('oauth_nonce');
    if (nonce === undefined || nonce === '') return 'missing nonce';
    if (!/^[A-Za-z0-9]{6,64}$/.test(nonce)) return 'nonce rejected';

    const key = `${rfc3986(credentials.consumerSecret)}&${rfc3986(credentials.tokenSecret)}`;
    const expected = createHmac('sha256', key).update(signatureBaseString(request, oauth)).digest();
    const received = Buffer.from(oauth.get('oauth_signature') ?? '', 'base64');
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) return 'bad signature';

    // Forget the stale ones (a scan only when one has gone stale, not on every request).
    if (soonest < now) {
      soonest = Number.POSITIVE_INFINITY;
      for (const [seen, until] of nonces) {
        if (until < now) nonces.delete(seen);
        else soonest = Math.min(soonest, until);
      }
    }
    const use = JSON.stringify([credentials.tokenId, timestamp, nonce]);
    if (nonces.has(use)) return 'reused nonce';
    const until = timestamp * 1000 + options.toleranceSeconds * 1000;
    nonces.set(use, until);
    soonest = Math.min(soonest, until);
    return undefined;
  };
}
