import type { KeyObject } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { NetSuiteAuth, NetSuiteAuthContext } from './auth';

/** Path of NetSuite's OAuth 2.0 token endpoint below the account's REST host. */
export const NETSUITE_TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

/** JWS algorithms NetSuite accepts for client-credentials assertions. */
export type NetSuiteAssertionAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

/** Options of {@link oauthClientCredentials}. */
export interface OAuthClientCredentialsOptions {
  /** Client ID of the integration record (OAuth 2.0, client credentials grant). */
  clientId: string;
  /** Certificate ID shown in Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup. */
  certificateId: string;
  /** The certificate's private key: PKCS#8 PEM text, or a `KeyObject` / `CryptoKey`. */
  privateKey: string | KeyObject | CryptoKey;
  /**
   * Scopes requested for the access token.
   * @default ['rest_webservices']
   */
  scopes?: readonly string[];
  /**
   * Signature algorithm of the JWT assertion; must match the certificate's key (RSA-PSS or EC).
   * @default 'PS256'
   */
  algorithm?: NetSuiteAssertionAlgorithm;
  /**
   * A cached token is replaced this long before it expires, in milliseconds.
   * @default 60000
   */
  refreshMarginMs?: number;
  /** Clock in milliseconds, injectable for tests. @default Date.now */
  now?: () => number;
}

const optionsSchema = z.object({
  clientId: z.string().trim().min(1, 'is required'),
  certificateId: z.string().trim().min(1, 'is required'),
  privateKey: z.union([z.string().min(1, 'is required'), z.custom<KeyObject | CryptoKey>((value) => typeof value === 'object' && value !== null)]),
  scopes: z.array(z.string().min(1)).min(1).optional(),
  algorithm: z.enum(['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']).optional(),
  refreshMarginMs: z.number().int().min(0).optional(),
  now: z.function().optional(),
});

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

/**
 * OAuth 2.0 machine-to-machine authentication (client credentials with a certificate-signed JWT), the
 * method NetSuite recommends and the only one for integrations created from release 2027.1 on. The
 * access token (valid 60 minutes) is cached until shortly before it expires, shared by concurrent
 * requests, and fetched anew once if NetSuite answers 401.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 *
 * const netsuite = createNetSuiteClient({
 *   accountId: '1234567',
 *   auth: oauthClientCredentials({
 *     clientId: process.env.NETSUITE_CLIENT_ID!,
 *     certificateId: process.env.NETSUITE_CERTIFICATE_ID!,
 *     privateKey: await readFile('netsuite-m2m.pem', 'utf8'),
 *   }),
 * });
 * ```
 * @throws {ConfigurationError} `INVALID_CREDENTIALS` when an option is missing or malformed (values are never shown).
 */
export function oauthClientCredentials(options: OAuthClientCredentialsOptions): NetSuiteAuth {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigurationError('OAuth 2.0 client credentials need a client ID, a certificate ID and a private key.', {
      code: 'INVALID_CREDENTIALS',
      issues: toValidationIssues(parsed.error.issues),
      resolution:
        'Copy the client ID from the integration record and the certificate ID from Setup > Integration > OAuth 2.0 Client Credentials (M2M) Setup; pass the private key of that certificate.',
    });
  }
  const algorithm = options.algorithm ?? 'PS256';
  const scopes = options.scopes ?? ['rest_webservices'];
  const refreshMarginMs = options.refreshMarginMs ?? 60_000;
  const now = options.now ?? Date.now;
  const clientId = options.clientId.trim();
  const certificateId = options.certificateId.trim();

  return {
    type: 'oauth2-client-credentials',
    bind: (context: NetSuiteAuthContext) => {
      let cached: { token: string; expiresAt: number } | undefined;
      const issuedTokens: string[] = [];
      let pending: Promise<string> | undefined;
      let lastAssertion: string | undefined;
      let key: Promise<KeyObject | CryptoKey> | undefined;

      const signingKey = () => {
        key ??= (typeof options.privateKey === 'string'
          ? importPKCS8(options.privateKey, algorithm)
          : Promise.resolve(options.privateKey)
        ).catch((error: unknown) => {
          key = undefined;
          throw new ConfigurationError(`The private key cannot be used to sign ${algorithm} assertions.`, {
            code: 'INVALID_PRIVATE_KEY',
            issues: [{ path: 'privateKey', message: error instanceof Error && /pkcs8/i.test(error.message) ? 'must be PKCS#8 PEM' : 'does not match the algorithm' }],
            resolution: 'Pass the PKCS#8 PEM private key of the certificate uploaded to NetSuite, and an `algorithm` that matches its type (PS256 for RSA, ES256 for EC P-256).',
          });
        });
        return key;
      };

      const fetchToken = async (signal?: AbortSignal): Promise<string> => {
        const tokenUrl = `${context.baseUrl}${NETSUITE_TOKEN_PATH}`;
        const issuedAt = Math.floor(now() / 1000);
        const assertion = await new SignJWT({ scope: [...scopes] })
          .setProtectedHeader({ alg: algorithm, typ: 'JWT', kid: certificateId })
          .setIssuer(clientId)
          .setAudience(tokenUrl)
          .setIssuedAt(issuedAt)
          .setExpirationTime(issuedAt + 300)
          .sign(await signingKey());
        lastAssertion = assertion;
        const body = await context.postForm(
          NETSUITE_TOKEN_PATH,
          {
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: assertion,
          },
          signal,
        );
        const token = tokenResponseSchema.safeParse(body);
        if (!token.success) {
          throw new ConfigurationError('NetSuite\'s token endpoint answered without an access token.', {
            code: 'INVALID_TOKEN_RESPONSE',
            issues: toValidationIssues(token.error.issues),
          });
        }
        const lifetimeMs = (token.data.expires_in ?? 3600) * 1000;
        cached = { token: token.data.access_token, expiresAt: now() + lifetimeMs };
        // Earlier tokens stay secrets: a late response or log line may still quote one.
        issuedTokens.push(cached.token);
        if (issuedTokens.length > 8) issuedTokens.shift();
        return cached.token;
      };

      return {
        authorize: async () => {
          if (cached !== undefined && now() < cached.expiresAt - refreshMarginMs) return `Bearer ${cached.token}`;
          // Shared by every request waiting for a token: no one caller's signal may cancel it. Each caller's
          // own cancellation is still immediate, since the transport stops waiting for the attempt.
          pending ??= fetchToken().finally(() => {
            pending = undefined;
          });
          return `Bearer ${await pending}`;
        },
        refresh: () => {
          cached = undefined;
          return true;
        },
        secrets: () => [
          ...issuedTokens,
          lastAssertion,
          typeof options.privateKey === 'string' ? options.privateKey : undefined,
          ...(typeof options.privateKey === 'string' ? options.privateKey.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith('-----')) : []),
        ],
      };
    },
  };
}
