import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey as JoseKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_PATH } from './oauth2';
import { createHarness, errorOf, ORIGIN, type TestHarness } from './test-support';

const CLIENT_ID = 'client-abc';
const CERTIFICATE_ID = 'cert-123';
const TOKEN_URL = `${ORIGIN}${TOKEN_PATH}`;

let privateKey: JoseKey;
let otherKey: JoseKey;
let publicPem: string;

beforeAll(async () => {
  const pair = await generateKeyPair('PS256', { extractable: true });
  privateKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  otherKey = (await generateKeyPair('PS256')).privateKey;
});

interface AssertionOptions {
  key?: JoseKey;
  kid?: string;
  issuer?: string;
  audience?: string;
  scope?: unknown;
  lifetime?: number;
  /** The header's `typ`; `null` leaves it out. */
  typ?: string | null;
}

async function assertion(harness: TestHarness, options: AssertionOptions = {}): Promise<string> {
  const issuedAt = Math.floor(harness.clock.now().getTime() / 1000);
  return new SignJWT({ scope: options.scope ?? ['rest_webservices'] })
    .setProtectedHeader({ alg: 'PS256', ...(options.typ === null ? {} : { typ: options.typ ?? 'JWT' }), kid: options.kid ?? CERTIFICATE_ID })
    .setIssuer(options.issuer ?? CLIENT_ID)
    .setAudience(options.audience ?? TOKEN_URL)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.lifetime ?? 300))
    .sign(options.key ?? privateKey);
}

function tokenRequest(harness: TestHarness, clientAssertion: string) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: clientAssertion,
  });
  return harness.call('POST', TOKEN_PATH, { auth: false, body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

function oauthHarness(): TestHarness {
  return createHarness({ oauth2: { clientId: CLIENT_ID, certificateId: CERTIFICATE_ID, publicKey: publicPem } });
}

describe('OAuth 2.0 client credentials', () => {
  it('issues a bearer token for a valid assertion, and accepts it on API requests', async () => {
    const harness = oauthHarness();
    const token = await tokenRequest(harness, await assertion(harness));
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) as unknown });
    const response = await harness.call('GET', '/services/rest/record/v1/customer', { auth: `Bearer ${String(token.body.access_token)}` });
    expect(response.status).toBe(200);
  });

  it('accepts the scope as a comma- or space-separated string', async () => {
    const harness = oauthHarness();
    expect((await tokenRequest(harness, await assertion(harness, { scope: 'restlets,rest_webservices' }))).status).toBe(200);
    expect((await tokenRequest(harness, await assertion(harness, { scope: 'restlets rest_webservices' }))).status).toBe(200);
  });

  it('stops accepting a token 60 minutes after it was issued', async () => {
    const harness = oauthHarness();
    const token = (await tokenRequest(harness, await assertion(harness))).body.access_token as string;
    harness.clock.advance(3599);
    expect((await harness.call('GET', '/services/rest/record/v1/customer', { auth: `Bearer ${token}` })).status).toBe(200);
    harness.clock.advance(1);
    expect((await harness.call('GET', '/services/rest/record/v1/customer', { auth: `Bearer ${token}` })).status).toBe(401);
    expect(harness.service.state.authFailures().at(-1)).toMatchObject({ scheme: 'oauth2', reason: 'expired bearer token' });
  });

  it('refuses an assertion signed with another key', async () => {
    const harness = oauthHarness();
    const response = await tokenRequest(harness, await assertion(harness, { key: otherKey }));
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(harness.service.state.authFailures().at(-1)?.reason).toBe('bad assertion signature');
  });

  it('refuses assertions with the wrong certificate, issuer, audience, scope or lifetime', async () => {
    const harness = oauthHarness();
    const cases: [AssertionOptions, string, string][] = [
      [{ kid: 'other-cert' }, 'invalid_client', 'unknown certificate'],
      [{ issuer: 'other-client' }, 'invalid_client', 'wrong issuer'],
      [{ audience: `${ORIGIN}/services/rest/record/v1` }, 'invalid_grant', 'wrong audience'],
      [{ scope: ['restlets'] }, 'invalid_grant', 'missing scope'],
      [{ lifetime: 3601 }, 'invalid_grant', 'assertion lifetime too long'],
    ];
    for (const [options, error, reason] of cases) {
      const response = await tokenRequest(harness, await assertion(harness, options));
      expect(response).toMatchObject({ status: 400, body: { error } });
      expect(harness.service.state.authFailures().at(-1)?.reason).toBe(reason);
    }
  });

  it("refuses an assertion whose exp is 60 minutes after iat (Oracle: less than 60 minutes), and takes one a second shorter", async () => {
    const harness = oauthHarness();
    const refused = await tokenRequest(harness, await assertion(harness, { lifetime: 3600 }));
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(harness.service.state.authFailures().at(-1)?.reason).toBe('assertion lifetime too long');
    expect((await tokenRequest(harness, await assertion(harness, { lifetime: 3599 }))).status).toBe(200);
  });

  it("refuses an assertion whose header typ is not JWT, or is missing (Oracle: typ is always JWT)", async () => {
    const harness = oauthHarness();
    for (const typ of ['at+jwt', null]) {
      const response = await tokenRequest(harness, await assertion(harness, { typ }));
      expect(response).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['wrong assertion type', 'wrong assertion type']);
  });

  it('refuses an expired assertion and a malformed one', async () => {
    const harness = oauthHarness();
    const old = await assertion(harness);
    harness.clock.advance(301);
    expect((await tokenRequest(harness, old)).body.error).toBe('invalid_grant');
    expect((await tokenRequest(harness, 'not-a-jwt')).body.error).toBe('invalid_grant');
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['expired assertion', 'malformed assertion']);
  });

  it('refuses a bearer token it never issued', async () => {
    const harness = oauthHarness();
    const response = await harness.call('GET', '/services/rest/record/v1/customer', { auth: 'Bearer made-up-token' });
    expect(response.status).toBe(401);
    expect(errorOf(response)['o:errorCode']).toBe('INVALID_LOGIN');
    expect(harness.service.state.authFailures().at(-1)?.reason).toBe('unknown bearer token');
  });

  it('refuses token requests when the account has no OAuth 2.0 integration', async () => {
    const harness = createHarness();
    const response = await tokenRequest(harness, await assertion(harness));
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_client' } });
  });
});
