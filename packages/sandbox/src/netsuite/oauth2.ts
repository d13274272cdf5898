/**
 * NetSuite's OAuth 2.0 client-credentials (M2M) flow: `POST /services/rest/auth/oauth2/v1/token` with a
 * JWT assertion signed by the integration's certificate key (header `kid` = certificate ID; claims `iss` =
 * client ID, `aud` = the token URL, `scope` containing `rest_webservices`, `iat`, `exp` less than an hour
 * later; header `typ` = `JWT`), answered with an opaque access token valid 60 minutes by the simulator's
 * clock. Oracle's "The Request Token Structure" is the source of each rule.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, importX509, jwtVerify, type JWTPayload } from 'jose';
import { json, type SandboxOutcome, type SandboxRequest } from '../http';

/** The integration the token endpoint accepts. */
export interface OAuth2ClientOptions {
  clientId: string;
  certificateId: string;
  /** The certificate's public key: SPKI PEM, an X.509 certificate PEM, a `KeyObject` or a `CryptoKey`. */
  publicKey: string | CryptoKey | KeyObject;
  /** @default ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] */
  algorithms?: string[];
}

/** Path of the token endpoint. */
export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

/** Why the token endpoint or a bearer token was refused. */
export type OAuth2Failure =
  | 'unsupported grant type'
  | 'invalid assertion type'
  | 'missing assertion'
  | 'oauth2 not configured'
  | 'malformed assertion'
  | 'wrong assertion type'
  | 'unknown certificate'
  | 'unsupported algorithm'
  | 'bad assertion signature'
  | 'wrong issuer'
  | 'wrong audience'
  | 'expired assertion'
  | 'assertion issued in the future'
  | 'assertion lifetime too long'
  | 'missing scope'
  | 'invalid assertion claims'
  | 'unknown bearer token'
  | 'expired bearer token';

const DEFAULT_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const TOKEN_LIFETIME_SECONDS = 3600;
/** An assertion's `exp - iat` must stay below this. */
const ASSERTION_LIFETIME_LIMIT_SECONDS = 3600;

class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly reason: OAuth2Failure,
  ) {
    super(reason);
  }
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload.scope;
  if (typeof scope === 'string') return scope.split(/[\s,]+/).filter((part) => part !== '');
  if (Array.isArray(scope)) return scope.filter((part): part is string => typeof part === 'string');
  return [];
}

function reasonOf(error: unknown): Refusal {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  if (code === 'ERR_JWT_EXPIRED') return new Refusal('invalid_grant', 'expired assertion');
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return new Refusal('invalid_grant', 'bad assertion signature');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'iss') return new Refusal('invalid_client', 'wrong issuer');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') return new Refusal('invalid_grant', 'wrong audience');
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return new Refusal('invalid_grant', 'unsupported algorithm');
  if (code === 'ERR_JWS_INVALID' || code === 'ERR_JWT_INVALID') return new Refusal('invalid_grant', 'malformed assertion');
  return new Refusal('invalid_grant', 'invalid assertion claims');
}

/** The token endpoint and the bearer-token check of one simulator. */
export interface OAuth2Server {
  /** Answers the token endpoint, with the reason when it refused. */
  token(request: SandboxRequest): Promise<{ outcome: SandboxOutcome; failure?: OAuth2Failure }>;
  /** `undefined` when the token is valid now. */
  verify(token: string): OAuth2Failure | undefined;
}

/** Creates the OAuth 2.0 side of a simulator (`options` undefined: every request is refused). */
export function createOAuth2Server(options: OAuth2ClientOptions | undefined, clock: () => Date): OAuth2Server {
  const tokens = new Map<string, number>();
  const algorithms = options?.algorithms ?? DEFAULT_ALGORITHMS;
  const keys = new Map<string, Promise<CryptoKey | KeyObject>>();
  const keyFor = (algorithm: string): Promise<CryptoKey | KeyObject> => {
    const publicKey = options?.publicKey;
    if (typeof publicKey !== 'string') return Promise.resolve(publicKey as CryptoKey | KeyObject);
    let key = keys.get(algorithm);
    if (key === undefined) {
      key = publicKey.includes('BEGIN CERTIFICATE') ? importX509(publicKey, algorithm) : importSPKI(publicKey, algorithm);
      keys.set(algorithm, key);
    }
    return key;
  };

  const issue = async (request: SandboxRequest): Promise<string> => {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') throw new Refusal('unsupported_grant_type', 'unsupported grant type');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') throw new Refusal('invalid_request', 'invalid assertion type');
    const assertion = form.get('client_assertion');
    if (assertion === null || assertion === '') throw new Refusal('invalid_request', 'missing assertion');
    if (options === undefined) throw new Refusal('invalid_client', 'oauth2 not configured');
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw new Refusal('invalid_grant', 'malformed assertion');
    }
    if (header.kid !== options.certificateId) throw new Refusal('invalid_client', 'unknown certificate');
    if (header.typ !== 'JWT') throw new Refusal('invalid_grant', 'wrong assertion type');
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw new Refusal('invalid_grant', 'unsupported algorithm');
    const now = clock();
    let payload: JWTPayload;
    try {
      const key = await keyFor(header.alg);
      ({ payload } = await jwtVerify(assertion, key, {
        algorithms,
        issuer: options.clientId,
        audience: `${request.url.origin}${request.url.pathname}`,
        currentDate: now,
        requiredClaims: ['iat', 'exp'],
      }));
    } catch (error) {
      throw reasonOf(error);
    }
    const seconds = Math.floor(now.getTime() / 1000);
    if ((payload.iat ?? 0) > seconds + 60) throw new Refusal('invalid_grant', 'assertion issued in the future');
    // "must be less than 60 minutes greater than" iat: an hour exactly is refused.
    if ((payload.exp ?? 0) - (payload.iat ?? 0) >= ASSERTION_LIFETIME_LIMIT_SECONDS) throw new Refusal('invalid_grant', 'assertion lifetime too long');
    if (!scopesOf(payload).includes('rest_webservices')) throw new Refusal('invalid_grant', 'missing scope');
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, now.getTime() + TOKEN_LIFETIME_SECONDS * 1000);
    return token;
  };

  return {
    async token(request) {
      if (request.method.toUpperCase() !== 'POST') return { outcome: json(405, { error: 'invalid_request', error_description: 'Use POST.' }) };
      try {
        const token = await issue(request);
        return { outcome: json(200, { access_token: token, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS }) };
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return { outcome: json(400, { error: error.error, error_description: `The client assertion was refused: ${error.reason}.` }), failure: error.reason };
      }
    },
    verify(token) {
      const expiresAt = tokens.get(token);
      if (expiresAt === undefined) return 'unknown bearer token';
      if (expiresAt <= clock().getTime()) return 'expired bearer token';
      return undefined;
    },
  };
}
