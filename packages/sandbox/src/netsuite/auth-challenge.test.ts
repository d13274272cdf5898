import { describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../http';
import { createAuthenticator } from './auth';
import { unauthorizedOutcome } from './errors';
import { ACCOUNT_ID, CREDENTIALS, createHarness, createTestClock, ORIGIN, responseOf } from './test-support';

function request(authorization?: string): SandboxRequest {
  const headers = new Headers(authorization === undefined ? {} : { authorization });
  return { method: 'GET', url: new URL('/services/rest/record/v1/customer', ORIGIN), headers, body: '' };
}

function authenticator() {
  const clock = createTestClock();
  return createAuthenticator({ accountId: ACCOUNT_ID, credentials: CREDENTIALS, clock: clock.now, toleranceSeconds: 300 });
}

describe('the challenge of a refused request (WWW-Authenticate)', () => {
  it("answers a refused bearer token as Oracle's 'RESTlets and REST Web Services Authentication Errors' shows: invalid_token in the account's realm", () => {
    const auth = authenticator();
    const refused = request('Bearer made-up-token');
    expect(auth.authenticate(refused)).toBe(false);
    expect(auth.challenge(refused)).toBe('Bearer realm="1234567_SB1", error="invalid_token", error_description="Invalid login attempt."');
  });

  it('answers a refused TBA request with token_rejected in the OAuth realm, as live answers captured by others show', () => {
    const auth = authenticator();
    const refused = request('OAuth realm="1234567_SB1", oauth_consumer_key="nobody"');
    expect(auth.authenticate(refused)).toBe(false);
    expect(auth.challenge(refused)).toBe('OAuth realm="1234567_SB1", error="token_rejected", error_description="Invalid login attempt."');
  });

  it('names no scheme when the request used none the service knows', () => {
    const auth = authenticator();
    expect(auth.challenge(request())).toBeUndefined();
    expect(auth.challenge(request('Basic dXNlcjpwYXNz'))).toBeUndefined();
  });

  it('puts the challenge in the 401 answer, which keeps its INVALID_LOGIN body', () => {
    const challenge = 'Bearer realm="1234567_SB1", error="invalid_token", error_description="Invalid login attempt."';
    const answer = responseOf(unauthorizedOutcome(challenge));
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(challenge);
    expect(answer.body['o:errorDetails']).toEqual([expect.objectContaining({ 'o:errorCode': 'INVALID_LOGIN' })]);
    expect(responseOf(unauthorizedOutcome()).headers).not.toHaveProperty('www-authenticate');
  });
});

describe('a refused request over HTTP', () => {
  it('answers 401 INVALID_LOGIN with the WWW-Authenticate challenge of its scheme', async () => {
    const harness = createHarness();
    const response = await harness.call('GET', '/services/rest/record/v1/customer', { auth: 'OAuth realm="1234567_SB1", oauth_consumer_key="nope"' });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^OAuth realm="1234567_SB1", error="token_rejected"/);
    const bearer = await harness.call('GET', '/services/rest/record/v1/customer', { auth: 'Bearer not-a-token' });
    expect(bearer.headers['www-authenticate']).toMatch(/^Bearer realm="1234567_SB1", error="invalid_token"/);
  });
});
