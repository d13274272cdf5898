/**
 * Test support for the NetSuite client's integration tests: an msw server that fails on any request no
 * handler answers, and a NetSuite-like route that checks token-based (OAuth 1.0a) signatures the way
 * NetSuite does, written here from RFC 5849 independently of the SDK's signer, and answers
 * `401 INVALID_LOGIN` when one does not match.
 *
 * Not part of the package: nothing in `src/index.ts` imports it, so tsup never bundles it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Logger } from '../options';
import { tokenBasedAuth } from './auth';
import { createNetSuiteClient, type NetSuiteClient, type NetSuiteClientOptions } from './client';

export const ACCOUNT_ID = '1234567_SB1';
export const REALM = '1234567_SB1';
export const BASE_URL = 'https://1234567-sb1.suitetalk.api.netsuite.com';
/** Retries fast enough for tests: the policy is the same, only the waits are short. */
export const FAST_RETRIES = { retries: 2, minDelayMs: 1, maxDelayMs: 5 } as const;

/** Credentials shaped like NetSuite's (64 hex characters), distinct so a leak of any one is traceable. */
export const TBA_CREDENTIALS = {
  consumerKey: 'ck0c5e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
  consumerSecret: 'cs1d6f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6',
  tokenId: 'ti2e7a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7',
  tokenSecret: 'ts3f8b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708',
} as const;
export type TbaCredentials = { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string };

/** A client of the sandbox account with token-based authentication and fast retries. */
export function tbaClient(options: Partial<NetSuiteClientOptions> = {}): NetSuiteClient {
  return createNetSuiteClient({ accountId: ACCOUNT_ID, auth: tokenBasedAuth(TBA_CREDENTIALS), retries: FAST_RETRIES, ...options });
}

/** NetSuite's answer to a request whose signature, realm or token it does not accept. */
export const INVALID_LOGIN_BODY = {
  type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [
    {
      detail: 'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
      'o:errorCode': 'INVALID_LOGIN',
    },
  ],
};

/** NetSuite's exact answer when the account's concurrency limit is exceeded. */
export const CONCURRENCY_LIMIT_BODY = {
  title: 'Bad Request',
  status: 429,
  'o:errorDetails': [{ detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' }],
};

/** A NetSuite error body with one detail. */
export function errorBody(status: number, code: string, detail: string, extra: Record<string, string> = {}) {
  return { type: 'https://www.rfc-editor.org/rfc/rfc9110.html', title: 'Error', status, 'o:errorDetails': [{ detail, 'o:errorCode': code, ...extra }] };
}

/** A JSON error response the way NetSuite sends it (problem+json, with an operation ID). */
export function netSuiteError(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(body as Record<string, unknown>, {
    status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error', 'x-n-operationid': `op-${status}`, ...headers },
  });
}

/** Starts an msw server for the calling test file; any request without a handler fails the test. */
export function useMockServer(): SetupServer {
  const server = setupServer();
  const unhandled: string[] = [];
  server.events.on('request:unhandled', ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    const seen = unhandled.splice(0);
    expect(seen, 'requests no handler answered').toEqual([]);
  });
  afterAll(() => server.close());
  return server;
}

/** What a route received, for assertions. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: string;
}

/** Checks a request's credentials; returns why it is refused, or `undefined` to accept it. */
export type Verifier = (request: ReceivedRequest) => string | undefined;

/** RFC 3986 percent-encoding, byte by byte: only unreserved characters are left as they are. */
export function rfc3986(value: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `a=b&c=d` decoded the `application/x-www-form-urlencoded` way (RFC 5849 3.4.1.3.1). */
function formPairs(text: string): [string, string][] {
  if (text === '') return [];
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return text.split('&').map((pair) => {
    const at = pair.indexOf('=');
    return at === -1 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
  });
}

const OAUTH_HEADER_KEYS = new Set([
  'realm',
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_version',
  'oauth_signature',
]);

/** Parses `OAuth realm="x", oauth_...="y"` strictly; returns `undefined` when it is not of that form. */
export function parseOAuthHeader(header: string | null): Record<string, string> | undefined {
  if (header === null || !header.startsWith('OAuth ')) return undefined;
  const params: Record<string, string> = {};
  const pattern = /\s*([A-Za-z_]+)="([^"]*)"\s*(,|$)/y;
  let rest = header.slice(6);
  while (rest.length > 0) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (match === null) return undefined;
    const [whole, key = '', value = ''] = match;
    if (key in params) return undefined;
    params[key] = decodeURIComponent(value);
    rest = rest.slice(whole.length);
  }
  return params;
}

/** The OAuth 1.0a signature base string of a received request (RFC 5849 3.4.1). */
export function baseStringOf(request: ReceivedRequest, oauthParams: Record<string, string>): string {
  const { url } = request;
  const params: [string, string][] = [...formPairs(url.search.slice(1))];
  if ((request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) params.push(...formPairs(request.body));
  for (const [key, value] of Object.entries(oauthParams)) {
    if (key !== 'realm' && key !== 'oauth_signature') params.push([key, value]);
  }
  const encoded = params.map(([key, value]) => [rfc3986(key), rfc3986(value)] as const);
  encoded.sort(([ak, av], [bk, bv]) => (ak !== bk ? (ak < bk ? -1 : 1) : av < bv ? -1 : av > bv ? 1 : 0));
  const normalized = encoded.map(([key, value]) => `${key}=${value}`).join('&');
  const baseUri = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
  return [request.method.toUpperCase(), rfc3986(baseUri), rfc3986(normalized)].join('&');
}

const seenNonces = new Set<string>();

/**
 * Verifies token-based authentication like NetSuite: right realm, HMAC-SHA256, known consumer and token,
 * a fresh timestamp, a nonce never used before, nothing but OAuth parameters in the header, and a
 * signature over the method, URL, every query parameter and the OAuth parameters.
 */
export function tbaVerifier(options: { credentials?: TbaCredentials; realm?: string } = {}): Verifier {
  const credentials = options.credentials ?? TBA_CREDENTIALS;
  const realm = options.realm ?? REALM;
  return (request) => {
    const params = parseOAuthHeader(request.headers.get('authorization'));
    if (params === undefined) return 'no OAuth Authorization header';
    const unexpected = Object.keys(params).filter((key) => !OAUTH_HEADER_KEYS.has(key));
    if (unexpected.length > 0) return `unexpected header parameters ${unexpected.join(', ')}`;
    const missing = [...OAUTH_HEADER_KEYS].filter((key) => !(key in params));
    if (missing.length > 0) return `missing ${missing.join(', ')}`;
    if (params.realm !== realm) return `wrong realm ${params.realm ?? ''}`;
    if (params.oauth_signature_method !== 'HMAC-SHA256') return 'not HMAC-SHA256';
    if (params.oauth_version !== '1.0') return 'not OAuth 1.0';
    if (params.oauth_consumer_key !== credentials.consumerKey || params.oauth_token !== credentials.tokenId) return 'unknown consumer or token';
    if (Math.abs(Number(params.oauth_timestamp) - Date.now() / 1000) > 300) return 'stale timestamp';
    const nonce = `${params.oauth_timestamp ?? ''}:${params.oauth_nonce ?? ''}`;
    if (seenNonces.has(nonce)) return 'nonce used before';
    seenNonces.add(nonce);
    const key = `${rfc3986(credentials.consumerSecret)}&${rfc3986(credentials.tokenSecret)}`;
    const expected = createHmac('sha256', key).update(baseStringOf(request, params)).digest();
    const given = Buffer.from(params.oauth_signature ?? '', 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature mismatch';
  };
}

/** Accepts `Authorization: Bearer <token>` when `isValid(token)`. */
export function bearerVerifier(isValid: (token: string) => boolean): Verifier {
  return (request) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(request.headers.get('authorization') ?? '');
    return match?.[1] !== undefined && isValid(match[1]) ? undefined : 'invalid bearer token';
  };
}

export interface RouteOptions {
  /** @default BASE_URL */
  baseUrl?: string;
  /** @default tbaVerifier() */
  verify?: Verifier | false;
  /** Every request the route received (before verification), in order. */
  log?: ReceivedRequest[];
  /** Reasons of every refused request, in order. */
  refusals?: string[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A NetSuite endpoint: `path` matched exactly (a string) or as a pattern (a RegExp) against the URL's
 * path, any query. Credentials are verified first; a refusal is NetSuite's `401 INVALID_LOGIN`.
 */
export function route(
  method: Method,
  path: string | RegExp,
  resolve: (request: ReceivedRequest) => Response | Promise<Response>,
  options: RouteOptions = {},
): HttpHandler {
  const baseUrl = new URL(options.baseUrl ?? BASE_URL);
  const prefix = baseUrl.pathname.replace(/\/$/, '');
  const verify = options.verify === undefined ? tbaVerifier() : options.verify;
  return http.all(
    ({ request }) => {
      const url = new URL(request.url);
      if (request.method !== method || url.origin !== baseUrl.origin || !url.pathname.startsWith(prefix)) return false;
      const rest = url.pathname.slice(prefix.length);
      return typeof path === 'string' ? rest === path : path.test(rest);
    },
    async ({ request }) => {
      const received: ReceivedRequest = { method: request.method, url: new URL(request.url), headers: request.headers, body: await request.text() };
      options.log?.push(received);
      const refusal = verify === false ? undefined : verify(received);
      if (refusal !== undefined) {
        options.refusals?.push(refusal);
        return netSuiteError(401, INVALID_LOGIN_BODY);
      }
      return resolve(received);
    },
  );
}

/** A `204 No Content` with the record URL NetSuite puts in `Location` after a create or upsert. */
export function created(type: string, id: string, baseUrl = BASE_URL): Response {
  return new HttpResponse(null, { status: 204, headers: { location: `${baseUrl}/services/rest/record/v1/${type}/${id}`, 'x-n-operationid': `op-create-${id}` } });
}

/** Resolves after `ms`. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** A logger that records every call at every level. */
export function recordingLogger(): Logger & { calls: { level: string; message: string; fields: unknown }[] } {
  const calls: { level: string; message: string; fields: unknown }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    calls.push({ level, message, fields });
  };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
