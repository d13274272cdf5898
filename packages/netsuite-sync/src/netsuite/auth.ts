import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { NetSuiteAccount } from './account';

/** What an authentication strategy may use of the client it is bound to. */
export interface NetSuiteAuthContext {
  readonly account: NetSuiteAccount;
  /** The client's base URL (the derived host, or the `baseUrl` override). */
  readonly baseUrl: string;
  /**
   * Posts a form below the base URL with the client's timeout, retries and error classes, outside the
   * concurrency limiter and without authorization (for token endpoints). Resolves to the parsed JSON body.
   */
  postForm(path: string, form: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<unknown>;
}

/** One request attempt to authorize. */
export interface NetSuiteAuthRequest {
  readonly method: string;
  /** The exact URL that will be sent, query included. */
  readonly url: URL;
  readonly signal?: AbortSignal | undefined;
}

/** An authentication strategy bound to one client. */
export interface BoundNetSuiteAuth {
  /** The `Authorization` header value for one attempt (a new signature or a valid token each time). */
  authorize(request: NetSuiteAuthRequest): Promise<string> | string;
  /** Called once when NetSuite answers 401; resolve `true` when fresh credentials are worth one more try. */
  refresh?(): Promise<boolean> | boolean;
  /** Every secret value the strategy holds now, so the client can keep them out of errors and logs. */
  secrets(): Iterable<string | undefined>;
}

/**
 * How the NetSuite client proves who it is. Use {@link tokenBasedAuth} (OAuth 1.0a TBA) or
 * {@link oauthClientCredentials} (OAuth 2.0 machine-to-machine), or implement your own.
 */
export interface NetSuiteAuth {
  /** Short name for logs, e.g. `tba`. */
  readonly type: string;
  /** Binds the strategy to a client; called once by `createNetSuiteClient`. */
  bind(context: NetSuiteAuthContext): BoundNetSuiteAuth;
}

/** Credentials of a NetSuite integration record and access token. */
export interface TokenBasedAuthOptions {
  /** CONSUMER KEY of the integration record. */
  consumerKey: string;
  /** CONSUMER SECRET of the integration record. */
  consumerSecret: string;
  /** TOKEN ID of the access token (Setup > Users/Roles > Access Tokens). */
  tokenId: string;
  /** TOKEN SECRET of the access token. */
  tokenSecret: string;
  /**
   * Makes the `oauth_nonce` of each request. Inject a fixed one only to reproduce a signature in tests.
   * @default 32 random hex characters from `node:crypto`
   */
  nonce?: () => string;
  /**
   * Makes the `oauth_timestamp` (seconds since the epoch) of each request.
   * @default the current time
   */
  timestamp?: () => number | string;
}

const credential = z.string().trim().min(1, 'is required');
const tokenBasedAuthSchema = z.object({
  consumerKey: credential,
  consumerSecret: credential,
  tokenId: credential,
  tokenSecret: credential,
  nonce: z.function().optional(),
  timestamp: z.function().optional(),
});

/** The parts of one token-based signature, for tests and for diagnosing `INVALID_LOGIN`. */
export interface TokenBasedSignature {
  /** The full `Authorization` header value. */
  readonly authorization: string;
  /**
   * The OAuth signature base string. It holds the consumer key and token ID, which this SDK treats as
   * secrets: compare it in tests, never log it.
   */
  readonly baseString: string;
}

/**
 * Signs one request with NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256).
 *
 * The realm is the account ID in upper case with underscores and is not signed; every query parameter
 * is part of the signature (decoded, then RFC 3986 encoded, `!'()*` included); a JSON body is not.
 *
 * @example
 * ```ts
 * const { authorization } = signTokenBasedRequest({
 *   method: 'GET', url: new URL('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=5'),
 *   realm: '1234567_SB1', credentials: { consumerKey, consumerSecret, tokenId, tokenSecret },
 * });
 * ```
 */
export function signTokenBasedRequest(input: {
  method: string;
  url: URL;
  realm: string;
  credentials: TokenBasedAuthOptions;
}): TokenBasedSignature {
  const { credentials } = input;
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    realm: input.realm,
  });
  oauth.getNonce = credentials.nonce ?? (() => randomBytes(16).toString('hex'));
  oauth.getTimeStamp = () => Number(credentials.timestamp?.() ?? Math.floor(Date.now() / 1000));

  // oauth-1.0a would percent-encode the raw query string a second time: give it the decoded parameters
  // as data and the URL without its query. URL already lower-cases the host and drops default ports.
  const data: Record<string, string | string[]> = {};
  for (const [key, value] of input.url.searchParams) {
    const existing = data[key];
    data[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const request = { url: `${input.url.protocol}//${input.url.host}${input.url.pathname}`, method: input.method.toUpperCase(), data };
  const authorized = oauth.authorize(request, { key: credentials.tokenId, secret: credentials.tokenSecret });
  const unsigned: Partial<OAuth.Authorization> = { ...authorized };
  delete unsigned.oauth_signature;
  const baseString = oauth.getBaseString(request, unsigned as OAuth.Authorization);
  return { authorization: oauth.toHeader(authorized).Authorization, baseString };
}

/**
 * Token-based authentication (OAuth 1.0a with HMAC-SHA256): what the spec's set-up steps produce
 * (integration record + access token). NetSuite accepts no new TBA integrations from release 2027.1;
 * existing ones keep working. New integrations should use {@link oauthClientCredentials}.
 *
 * @example
 * ```ts
 * const netsuite = createNetSuiteClient({
 *   accountId: '1234567_SB1',
 *   auth: tokenBasedAuth({
 *     consumerKey: process.env.NETSUITE_CONSUMER_KEY!, consumerSecret: process.env.NETSUITE_CONSUMER_SECRET!,
 *     tokenId: process.env.NETSUITE_TOKEN_ID!, tokenSecret: process.env.NETSUITE_TOKEN_SECRET!,
 *   }),
 * });
 * ```
 * @throws {ConfigurationError} `INVALID_CREDENTIALS` when a credential is missing (its value is never shown).
 */
export function tokenBasedAuth(options: TokenBasedAuthOptions): NetSuiteAuth {
  const parsed = tokenBasedAuthSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigurationError('Token-based authentication needs a consumer key and secret and a token ID and secret.', {
      code: 'INVALID_CREDENTIALS',
      issues: toValidationIssues(parsed.error.issues),
      resolution:
        'Copy the consumer key and secret from the integration record and the token ID and secret from the access token (Setup > Users/Roles > Access Tokens > New).',
    });
  }
  const credentials: TokenBasedAuthOptions = {
    ...options,
    consumerKey: options.consumerKey.trim(),
    consumerSecret: options.consumerSecret.trim(),
    tokenId: options.tokenId.trim(),
    tokenSecret: options.tokenSecret.trim(),
  };
  return {
    type: 'tba',
    bind: (context) => ({
      authorize: (request) =>
        signTokenBasedRequest({ method: request.method, url: request.url, realm: context.account.realm, credentials })
          .authorization,
      secrets: () => [credentials.consumerKey, credentials.consumerSecret, credentials.tokenId, credentials.tokenSecret],
    }),
  };
}
