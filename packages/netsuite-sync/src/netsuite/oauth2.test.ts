import { randomBytes } from 'node:crypto';
import { exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { delay, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { createNetSuiteClient } from './client';
import { NetSuiteAuthenticationError } from './errors';
import { NETSUITE_TOKEN_PATH, oauthClientCredentials, type OAuthClientCredentialsOptions } from './oauth2';
import {
  ACCOUNT_ID,
  BASE_URL,
  bearerVerifier,
  FAST_RETRIES,
  INVALID_LOGIN_BODY,
  netSuiteError,
  rejectionOf,
  route,
  useMockServer,
  wait,
  type ReceivedRequest,
} from './test-support';

const server = useMockServer();
const CLIENT_ID = 'client-id-3f1e0c9a7b5d4e2f8a6c4b2d0e9f7a5c3b1d9e7f5a3c1b9d7e5f3a1c9b7d5e3f';
const CERTIFICATE_ID = 'cert-Zk3N0b1R2c3T4u5V6w7X8y9Z0a1B2c3D4e5F6g7H8i9';
const TOKEN_URL = `${BASE_URL}${NETSUITE_TOKEN_PATH}`;
const CUSTOMER = '/services/rest/record/v1/customer/1';

let privateKeyPem: string;
let publicKey: CryptoKey;
beforeAll(async () => {
  const pair = await generateKeyPair('PS256', { extractable: true });
  privateKeyPem = await exportPKCS8(pair.privateKey);
  publicKey = pair.publicKey;
});

/**
 * NetSuite's token endpoint and one API resource. The endpoint checks the form and the JWT assertion
 * (signature, kid, iss, aud, scope, lifetime) and issues tokens valid for an hour of `clock()`; the
 * resource accepts only live tokens it issued.
 */
function oauthServer(clock: () => number = Date.now) {
  const issued = new Map<string, number>();
  const tokenRequests: ReceivedRequest[] = [];
  const apiRequests: ReceivedRequest[] = [];
  const refusals: string[] = [];
  const tokenHandler = route(
    'POST',
    NETSUITE_TOKEN_PATH,
    async (request) => {
      const refuse = (reason: string) => (refusals.push(reason), HttpResponse.json({ error: 'invalid_request', error_description: reason }, { status: 400 }));
      if (request.headers.get('content-type') !== 'application/x-www-form-urlencoded') return refuse('not a form');
      if (request.headers.has('authorization')) return refuse('token request carries an Authorization header');
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'client_credentials') return refuse('grant_type');
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('client_assertion_type');
      try {
        const { payload, protectedHeader } = await jwtVerify(form.get('client_assertion') ?? '', publicKey, {
          algorithms: ['PS256'],
          issuer: CLIENT_ID,
          audience: TOKEN_URL,
          currentDate: new Date(clock()),
          requiredClaims: ['iat', 'exp'],
        });
        if (protectedHeader.kid !== CERTIFICATE_ID) return refuse('kid');
        const scopes = Array.isArray(payload.scope) ? (payload.scope as unknown[]) : String(payload.scope).split(/[ ,]/);
        if (!scopes.includes('rest_webservices')) return refuse('scope');
        if ((payload.exp ?? 0) - (payload.iat ?? 0) > 3600) return refuse('assertion lives longer than an hour');
      } catch (error) {
        return refuse(`assertion: ${(error as Error).message}`);
      }
      const token = `eyJ${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      issued.set(token, clock() + 3600_000);
      return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: 3600 });
    },
    { verify: false, log: tokenRequests },
  );
  const live = (token: string) => (issued.get(token) ?? 0) > clock();
  const apiHandler = (resolve: (request: ReceivedRequest) => Response = () => HttpResponse.json({ id: '1' })) =>
    route('GET', CUSTOMER, resolve, { verify: bearerVerifier(live), log: apiRequests, refusals });
  const bearerOf = (request: ReceivedRequest | undefined) => request?.headers.get('authorization')?.replace(/^Bearer /, '');
  return { tokenHandler, apiHandler, tokenRequests, apiRequests, refusals, issued, bearerOf };
}

function m2mClient(options: Partial<OAuthClientCredentialsOptions> = {}, concurrency = 5) {
  return createNetSuiteClient({
    accountId: ACCOUNT_ID,
    auth: oauthClientCredentials({ clientId: CLIENT_ID, certificateId: CERTIFICATE_ID, privateKey: privateKeyPem, ...options }),
    retries: FAST_RETRIES,
    concurrency,
  });
}

describe('oauthClientCredentials', () => {
  it('gets a token with a certificate-signed assertion NetSuite accepts and sends it as a Bearer token', async () => {
    const mock = oauthServer();
    server.use(mock.tokenHandler, mock.apiHandler());
    await expect(m2mClient().request('GET', CUSTOMER)).resolves.toMatchObject({ data: { id: '1' } });
    expect(mock.refusals).toEqual([]);
    expect(mock.tokenRequests.map((request) => request.url.href)).toEqual([TOKEN_URL]);
    expect(mock.apiRequests[0]?.headers.get('authorization')).toMatch(/^Bearer eyJ/);
    expect(mock.issued.has(mock.bearerOf(mock.apiRequests[0]) ?? '')).toBe(true);
  });

  it('caches the token: one token request for many API requests, concurrent first requests included', async () => {
    const mock = oauthServer();
    server.use(mock.tokenHandler, mock.apiHandler());
    const client = m2mClient();
    await Promise.all(Array.from({ length: 12 }, () => client.request('GET', CUSTOMER)));
    for (let index = 0; index < 5; index += 1) await client.request('GET', CUSTOMER);
    expect(mock.tokenRequests).toHaveLength(1);
    expect(mock.apiRequests).toHaveLength(17);
    expect(new Set(mock.apiRequests.map(mock.bearerOf)).size).toBe(1);
    expect(mock.refusals).toEqual([]);
  });

  it('fetches a new token shortly before the cached one expires', async () => {
    let clock = Date.now();
    const mock = oauthServer(() => clock);
    server.use(mock.tokenHandler, mock.apiHandler());
    const client = m2mClient({ now: () => clock, refreshMarginMs: 60_000 });
    await client.request('GET', CUSTOMER);
    clock += 3600_000 - 61_000;
    await client.request('GET', CUSTOMER);
    expect(mock.tokenRequests).toHaveLength(1);
    clock += 2_000;
    await client.request('GET', CUSTOMER);
    expect(mock.tokenRequests).toHaveLength(2);
    const [first, second, third] = mock.apiRequests.map(mock.bearerOf);
    expect(first).toBe(second);
    expect(third).not.toBe(first);
    expect(mock.refusals).toEqual([]);
  });

  it('lets the other requests waiting for the first token go on when one of them is cancelled', async () => {
    const mock = oauthServer();
    let tokenCalls = 0;
    server.use(
      route('POST', NETSUITE_TOKEN_PATH, async () => (tokenCalls++, await delay(60), HttpResponse.json({ access_token: 'tok-shared-0123456789', expires_in: 3600 })), { verify: false }),
      mock.apiHandler(),
    );
    const client = createNetSuiteClient({
      accountId: ACCOUNT_ID,
      auth: oauthClientCredentials({ clientId: CLIENT_ID, certificateId: CERTIFICATE_ID, privateKey: privateKeyPem }),
      retries: FAST_RETRIES,
    });
    mock.issued.set('tok-shared-0123456789', Date.now() + 3600_000);
    const controller = new AbortController();
    const cancelled = client.request('GET', CUSTOMER, { signal: controller.signal });
    const others = [client.request('GET', CUSTOMER), client.request('GET', CUSTOMER)];
    await wait(20);
    const reason = new Error('first caller gave up');
    controller.abort(reason);
    await expect(cancelled).rejects.toBe(reason);
    await expect(Promise.all(others)).resolves.toHaveLength(2);
    expect(tokenCalls).toBe(1);
    expect(mock.apiRequests).toHaveLength(2);
  });

  it('on a 401 fetches a new token once and repeats the request once', async () => {
    const mock = oauthServer();
    let calls = 0;
    server.use(mock.tokenHandler, mock.apiHandler(() => (++calls === 1 ? netSuiteError(401, INVALID_LOGIN_BODY) : HttpResponse.json({ id: '1' }))));
    await expect(m2mClient().request('GET', CUSTOMER)).resolves.toMatchObject({ data: { id: '1' } });
    expect(mock.tokenRequests).toHaveLength(2);
    expect(mock.apiRequests).toHaveLength(2);
    expect(mock.bearerOf(mock.apiRequests[1])).not.toBe(mock.bearerOf(mock.apiRequests[0]));
  });

  it('surfaces a second 401 as NetSuiteAuthenticationError without further tries', async () => {
    const mock = oauthServer();
    server.use(mock.tokenHandler, mock.apiHandler(() => netSuiteError(401, INVALID_LOGIN_BODY)));
    const error = await rejectionOf(m2mClient().request('GET', CUSTOMER));
    expect(error).toBeInstanceOf(NetSuiteAuthenticationError);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN', status: 401, path: CUSTOMER });
    expect(mock.apiRequests).toHaveLength(2);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it('turns a token endpoint refusal into NetSuiteAuthenticationError with its OAuth error code, sending no API request', async () => {
    const mock = oauthServer();
    let tokenCalls = 0;
    server.use(
      route('POST', NETSUITE_TOKEN_PATH, () => (tokenCalls++, HttpResponse.json({ error: 'invalid_client' }, { status: 400 })), { verify: false }),
      mock.apiHandler(),
    );
    const error = await rejectionOf(m2mClient().request('GET', CUSTOMER));
    expect(error).toBeInstanceOf(NetSuiteAuthenticationError);
    expect(error).toMatchObject({ code: 'invalid_client', status: 400, method: 'POST', path: NETSUITE_TOKEN_PATH });
    expect((error as NetSuiteAuthenticationError).resolution).toContain('certificate');
    expect(tokenCalls).toBe(1);
    expect(mock.apiRequests).toHaveLength(0);
  });

  it('retries a failing token endpoint once per layer only: retries + 1 token requests, not their square', async () => {
    const mock = oauthServer();
    let tokenCalls = 0;
    server.use(
      route('POST', NETSUITE_TOKEN_PATH, () => (tokenCalls++, HttpResponse.json({ error: 'server_error' }, { status: 503 })), { verify: false }),
      mock.apiHandler(),
    );
    const error = await rejectionOf(m2mClient().request('GET', CUSTOMER));
    expect(error).toMatchObject({ status: 503, path: NETSUITE_TOKEN_PATH });
    expect(tokenCalls).toBe(FAST_RETRIES.retries + 1);
    expect(mock.apiRequests).toHaveLength(0);
  });

  it('does not ask the token endpoint again when it refuses with 401', async () => {
    const mock = oauthServer();
    let tokenCalls = 0;
    server.use(
      route('POST', NETSUITE_TOKEN_PATH, () => (tokenCalls++, HttpResponse.json({ error: 'invalid_client' }, { status: 401 })), { verify: false }),
      mock.apiHandler(),
    );
    const error = await rejectionOf(m2mClient().request('GET', CUSTOMER));
    expect(error).toBeInstanceOf(NetSuiteAuthenticationError);
    expect(tokenCalls).toBe(1);
  });

  it('keeps replaced access tokens secret: a later error quoting an old token does not show it', async () => {
    let clock = Date.now();
    const mock = oauthServer(() => clock);
    const echo: { token?: string } = {};
    server.use(
      mock.tokenHandler,
      mock.apiHandler(() =>
        echo.token === undefined
          ? HttpResponse.json({ id: '1' })
          : netSuiteError(400, { title: 'Bad Request', status: 400, 'o:errorDetails': [{ detail: `token ${echo.token} was replaced`, 'o:errorCode': 'USER_ERROR' }] }),
      ),
    );
    const client = m2mClient({ now: () => clock });
    await client.request('GET', CUSTOMER);
    const oldToken = mock.bearerOf(mock.apiRequests[0]) ?? '';
    clock += 3600_000;
    echo.token = oldToken;
    const error = await rejectionOf(client.request('GET', CUSTOMER));
    expect(mock.tokenRequests).toHaveLength(2);
    expect(oldToken.length).toBeGreaterThan(20);
    expect(JSON.stringify(error) + String(error)).not.toContain(oldToken);
    expect(String(error)).toContain('[REDACTED]');
  });

  it.each([
    ['text that is not a key', () => 'not a private key at all'],
    ['an EC key for a PS256 assertion', async () => exportPKCS8((await generateKeyPair('ES256', { extractable: true })).privateKey)],
  ])('refuses %s with ConfigurationError INVALID_PRIVATE_KEY before any request', async (_, key) => {
    const error = await rejectionOf(m2mClient({ privateKey: await key() }).request('GET', CUSTOMER));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_PRIVATE_KEY', issues: [{ path: 'privateKey' }] });
  });

  it.each([
    ['no client ID', { clientId: ' ' }],
    ['no certificate ID', { certificateId: '' }],
    ['an unsupported algorithm', { algorithm: 'HS256' as never }],
  ])('refuses %s at construction with INVALID_CREDENTIALS', (_, options) => {
    expect(() => m2mClient(options)).toThrow(expect.objectContaining({ code: 'INVALID_CREDENTIALS' }) as Error);
  });
});
