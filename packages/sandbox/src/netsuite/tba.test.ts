import { describe, expect, it } from 'vitest';
import { INVALID_LOGIN_DETAIL } from './errors';
import { ACCOUNT_ID, CREDENTIALS, createHarness, nextNonce, ORIGIN, responseOf, signTba } from './test-support';
import { createNetSuiteService } from './service';

const INVALID_LOGIN_BODY = {
  type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2',
  title: 'Unauthorized',
  status: 401,
  'o:errorDetails': [{ detail: INVALID_LOGIN_DETAIL, 'o:errorCode': 'INVALID_LOGIN' }],
};

function signedFor(harness: ReturnType<typeof createHarness>, method: string, url: URL, overrides: { realm?: string; timestamp?: number; nonce?: string } = {}) {
  return signTba({
    method,
    url,
    realm: overrides.realm ?? ACCOUNT_ID,
    credentials: CREDENTIALS,
    timestamp: overrides.timestamp ?? Math.floor(harness.clock.now().getTime() / 1000),
    nonce: overrides.nonce ?? nextNonce(),
  });
}

describe('token-based authentication', () => {
  it("accepts Oracle's published HMAC-SHA256 example, query parameters included", async () => {
    // The example of NetSuite's help (section_1534941088), also used by LedgerSync's token spec.
    const vector = {
      consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
      consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
      tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
      tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
    };
    const url = new URL('https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue');
    const authorization = signTba({ method: 'POST', url, realm: '1234567', credentials: vector, timestamp: 1508242306, nonce: 'fjaLirsIcCGVZWzBX0pg' });
    expect(authorization).toContain(`oauth_signature="${encodeURIComponent('i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=')}"`);

    const service = createNetSuiteService({ accountId: '1234567', credentials: vector, clock: () => new Date(1508242306_000) });
    const response = responseOf(await service.handle({ method: 'POST', url, headers: new Headers({ authorization }), body: '{}' }));
    // Past authentication, the simulator has no RESTlet to run: a 404, not a 401.
    expect(response.status).toBe(404);
    expect(service.state.authFailures()).toEqual([]);
  });

  it('accepts a signed GET whose query parameters carry characters encodeURIComponent leaves alone', async () => {
    const harness = createHarness();
    const q = `companyName START_WITH "O'Brien (Holdings)! *"`;
    const response = await harness.call('GET', `/services/rest/record/v1/customer?q=${encodeURIComponent(q)}&limit=10`);
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });

  it('accepts a signed POST with query parameters (a SuiteQL page)', async () => {
    const harness = createHarness();
    const response = await harness.call('POST', '/services/rest/query/v1/suiteql?limit=5&offset=0', { body: { q: 'SELECT id FROM customer' }, headers: { prefer: 'transient' } });
    expect(response.status).toBe(200);
  });

  it('refuses a realm that is not the account ID in upper case with an underscore', async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const response = await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { realm: '1234567_sb1' }) });
    expect(response).toMatchObject({ status: 401, body: INVALID_LOGIN_BODY });
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['wrong realm']);
  });

  it('refuses a request signed for another host', async () => {
    const harness = createHarness();
    const signedUrl = new URL('/services/rest/record/v1/customer', 'https://1234567.suitetalk.api.netsuite.com');
    const response = await harness.call('GET', '/services/rest/record/v1/customer', { auth: signedFor(harness, 'GET', signedUrl) });
    expect(response).toMatchObject({ status: 401, body: INVALID_LOGIN_BODY });
    expect(harness.service.state.authFailures().at(-1)?.reason).toBe('bad signature');
  });

  it('refuses a query parameter added after signing', async () => {
    const harness = createHarness();
    const signedUrl = new URL('/services/rest/record/v1/customer?limit=10', ORIGIN);
    const response = await harness.call('GET', '/services/rest/record/v1/customer?limit=10&offset=0', { auth: signedFor(harness, 'GET', signedUrl) });
    expect(response).toMatchObject({ status: 401, body: INVALID_LOGIN_BODY });
    expect(harness.service.state.authFailures().at(-1)?.reason).toBe('bad signature');
  });

  it('refuses a timestamp further from the clock than the tolerance, either way', async () => {
    const harness = createHarness({ timestampToleranceSeconds: 300 });
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const now = Math.floor(harness.clock.now().getTime() / 1000);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { timestamp: now - 299 }) })).status).toBe(200);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { timestamp: now - 301 }) })).status).toBe(401);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { timestamp: now + 301 }) })).status).toBe(401);
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['stale timestamp', 'stale timestamp']);
  });

  it('refuses a nonce used before with the same timestamp, even on an otherwise valid request', async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const authorization = signedFor(harness, 'GET', url, { nonce: 'sameNonce01' });
    expect((await harness.call('GET', url.href, { auth: authorization })).status).toBe(200);
    const replay = await harness.call('GET', url.href, { auth: authorization });
    expect(replay).toMatchObject({ status: 401, body: INVALID_LOGIN_BODY });
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['reused nonce']);
  });

  it("accepts a nonce again with another timestamp: Oracle's nonce_used is the same nonce and timestamp", async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const now = Math.floor(harness.clock.now().getTime() / 1000);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce: 'sameNonce02', timestamp: now }) })).status).toBe(200);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce: 'sameNonce02', timestamp: now + 1 }) })).status).toBe(200);
    expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce: 'sameNonce02', timestamp: now }) })).status).toBe(401);
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['reused nonce']);
  });

  it('forgets a used nonce once its timestamp is stale, and remembers every other one', async () => {
    const harness = createHarness({ timestampToleranceSeconds: 300 });
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const start = Math.floor(harness.clock.now().getTime() / 1000);
    const call = (nonce: string, timestamp: number) => harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce, timestamp }) });
    expect((await call('oldNonce01', start)).status).toBe(200);
    harness.clock.advance(200);
    expect((await call('newNonce01', start + 200)).status).toBe(200);
    // Past the first nonce's tolerance: the next accepted request forgets it, and only it.
    harness.clock.advance(101);
    expect((await call('newNonce02', start + 301)).status).toBe(200);
    // A clock set back makes both timestamps current again: the forgotten nonce passes, the other does not.
    harness.clock.advance(-301);
    expect((await call('oldNonce01', start)).status).toBe(200);
    expect((await call('newNonce01', start + 200)).status).toBe(401);
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['reused nonce']);
  });

  it('refuses a nonce shorter than 6 or longer than 64 characters, or not alphanumeric, and takes 6 and 64', async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    for (const nonce of ['abc12', 'x'.repeat(65), 'abc-123', 'abc+12/=']) {
      const response = await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce }) });
      expect(response).toMatchObject({ status: 401, body: INVALID_LOGIN_BODY });
    }
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual(['nonce rejected', 'nonce rejected', 'nonce rejected', 'nonce rejected']);
    for (const nonce of ['abc123', 'y'.repeat(64)]) expect((await harness.call('GET', url.href, { auth: signedFor(harness, 'GET', url, { nonce }) })).status).toBe(200);
  });

  it('refuses HMAC-SHA1, unknown keys, a wrong secret, no header and other schemes, each for its own reason', async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer', ORIGIN);
    const sign = (credentials = CREDENTIALS) =>
      signTba({ method: 'GET', url, realm: ACCOUNT_ID, credentials, timestamp: Math.floor(harness.clock.now().getTime() / 1000), nonce: nextNonce() });
    const attempts = [
      sign().replace('HMAC-SHA256', 'HMAC-SHA1'),
      sign({ ...CREDENTIALS, consumerKey: 'someone-else' }),
      sign({ ...CREDENTIALS, tokenId: 'another-token' }),
      sign({ ...CREDENTIALS, tokenSecret: 'wrong-secret' }),
      'Basic dXNlcjpwYXNz',
    ];
    for (const auth of attempts) expect((await harness.call('GET', url.href, { auth })).status).toBe(401);
    expect((await harness.call('GET', url.href, { auth: false })).status).toBe(401);
    expect(harness.service.state.authFailures().map((failure) => failure.reason)).toEqual([
      'unsupported signature method',
      'unknown consumer key',
      'unknown token',
      'bad signature',
      'unsupported scheme',
      'missing authorization',
    ]);
  });

  it('keeps secrets, keys and signatures out of the authentication log', async () => {
    const harness = createHarness();
    const url = new URL('/services/rest/record/v1/customer?q=secret-query', ORIGIN);
    const authorization = signTba({ method: 'GET', url, realm: ACCOUNT_ID, credentials: { ...CREDENTIALS, tokenSecret: 'wrong-secret' }, timestamp: Math.floor(harness.clock.now().getTime() / 1000), nonce: 'nonce0001' });
    await harness.call('GET', url.href, { auth: authorization });
    const log = JSON.stringify(harness.service.state.authFailures());
    const signature = /oauth_signature="([^"]+)"/.exec(authorization)?.[1] ?? 'missing';
    for (const secret of [...Object.values(CREDENTIALS), 'wrong-secret', decodeURIComponent(signature), 'secret-query']) expect(log).not.toContain(secret);
    expect(log).toContain('bad signature');
  });
});
