/**
 * Authentication of every request before anything else: `Authorization: OAuth ...` (TBA) or
 * `Authorization: Bearer <token>` (OAuth 2.0). NetSuite answers every refusal with the same 401
 * `INVALID_LOGIN`; the simulator also records why, in an internal log tests can read, which never holds
 * a secret (no header, signature, token or key: only the reason, method, path and time).
 */
import type { SandboxOutcome, SandboxRequest } from '../http';
import { createOAuth2Server, type OAuth2ClientOptions, type OAuth2Failure } from './oauth2';
import { accountRealm, createTokenBasedVerifier, type TokenBasedCredentials, type TokenBasedFailure } from './tba';

/** Why a request was refused. */
export type NetSuiteAuthFailureReason = TokenBasedFailure | OAuth2Failure | 'missing authorization' | 'unsupported scheme' | 'tba not configured';

/** One refused request. */
export interface NetSuiteAuthFailure {
  /** When (the simulator's clock), ISO 8601. */
  readonly at: string;
  readonly method: string;
  /** Path only: query strings may carry data. */
  readonly path: string;
  readonly scheme: 'tba' | 'oauth2' | 'none';
  readonly reason: NetSuiteAuthFailureReason;
}

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  readonly accountId: string;
  readonly credentials?: TokenBasedCredentials | undefined;
  readonly oauth2?: OAuth2ClientOptions | undefined;
  readonly clock: () => Date;
  readonly toleranceSeconds: number;
}

/** The authentication side of a simulator. */
export interface Authenticator {
  /** Whether the request is authentic; refusals are logged. */
  authenticate(request: SandboxRequest): boolean;
  /**
   * The `WWW-Authenticate` value of a refused request, by the scheme it tried: for a bearer token Oracle's
   * "RESTlets and REST Web Services Authentication Errors" (`error="invalid_token"`); for TBA the value
   * live answers carry (`error="token_rejected"`, whatever the cause, as the body also gives none);
   * `undefined` for a request with no known scheme.
   */
  challenge(request: SandboxRequest): string | undefined;
  /** Answers the OAuth 2.0 token endpoint. */
  token(request: SandboxRequest): Promise<SandboxOutcome>;
  /** The refusals so far, oldest first. */
  failures(): readonly NetSuiteAuthFailure[];
  /** Forgets the refusals (tokens and used nonces are kept). */
  clearFailures(): void;
}

/** The most refusals kept. */
const LOG_SIZE = 1000;

/** Creates the authenticator of one simulator. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const log: NetSuiteAuthFailure[] = [];
  const record = (request: SandboxRequest, scheme: NetSuiteAuthFailure['scheme'], reason: NetSuiteAuthFailureReason) => {
    log.push({ at: options.clock().toISOString(), method: request.method.toUpperCase(), path: request.url.pathname, scheme, reason });
    if (log.length > LOG_SIZE) log.shift();
  };
  const tba = options.credentials === undefined ? undefined : createTokenBasedVerifier({ ...options, credentials: options.credentials });
  const oauth2 = createOAuth2Server(options.oauth2, options.clock);
  const realm = accountRealm(options.accountId);

  return {
    authenticate(request) {
      const header = request.headers.get('authorization');
      let scheme: NetSuiteAuthFailure['scheme'] = 'none';
      let reason: NetSuiteAuthFailureReason | undefined;
      if (header === null || header.trim() === '') reason = 'missing authorization';
      else if (/^OAuth\s/i.test(header)) {
        scheme = 'tba';
        reason = tba === undefined ? 'tba not configured' : tba(request, header);
      } else if (/^Bearer\s/i.test(header)) {
        scheme = 'oauth2';
        reason = options.oauth2 === undefined ? 'oauth2 not configured' : oauth2.verify(header.replace(/^Bearer\s+/i, '').trim());
      } else reason = 'unsupported scheme';
      if (reason === undefined) return true;
      record(request, scheme, reason);
      return false;
    },
    challenge(request) {
      const header = request.headers.get('authorization') ?? '';
      if (/^Bearer\s/i.test(header)) return `Bearer realm="${realm}", error="invalid_token", error_description="Invalid login attempt."`;
      if (/^OAuth\s/i.test(header)) return `OAuth realm="${realm}", error="token_rejected", error_description="Invalid login attempt."`;
      return undefined;
    },
    async token(request) {
      const { outcome, failure } = await oauth2.token(request);
      if (failure !== undefined) record(request, 'oauth2', failure);
      return outcome;
    },
    failures: () => [...log],
    clearFailures: () => {
      log.length = 0;
    },
  };
}
