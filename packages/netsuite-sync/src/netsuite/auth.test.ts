import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { signTokenBasedRequest, tokenBasedAuth, type TokenBasedAuthOptions } from './auth';

/**
 * Oracle's worked example of a TBA signature ("The Signature", SuiteCloud help), also used as a fixture by
 * LedgerSync/ledger_sync-netsuite (spec/token_spec.rb).
 */
const oracleExample = {
  url: 'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue',
  realm: '1234567',
  credentials: {
    consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
    consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
    tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
    tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
    nonce: () => 'fjaLirsIcCGVZWzBX0pg',
    timestamp: () => 1508242306,
  } satisfies TokenBasedAuthOptions,
  baseString:
    'POST&https%3A%2F%2F1234567.restlets.api.netsuite.com%2Fapp%2Fsite%2Fhosting%2Frestlet.nl&customParam%3DsomeValue' +
    '%26deploy%3D1%26oauth_consumer_key%3Def40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4%26' +
    'oauth_nonce%3DfjaLirsIcCGVZWzBX0pg%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1508242306%26' +
    'oauth_token%3D2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc%26oauth_version%3D1.0%26script' +
    '%3D6%26testParam%3DsomeOtherValue',
  signature: 'i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=',
};

/** Reads `key="value"` pairs of an OAuth Authorization header. */
function headerParams(header: string): Record<string, string> {
  expect(header.startsWith('OAuth ')).toBe(true);
  const pairs = [...header.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((match): [string, string] => [match[1] ?? '', decodeURIComponent(match[2] ?? '')]);
  return Object.fromEntries(pairs);
}

/** An independent RFC 5849 signer used to cross-check the SDK's (which is built on oauth-1.0a). */
function referenceSignature(method: string, url: URL, oauth: Record<string, string>, consumerSecret: string, tokenSecret: string) {
  const enc = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const pairs: [string, string][] = [...url.searchParams.entries(), ...Object.entries(oauth)].map(([k, v]) => [enc(k), enc(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1));
  const base = [method, enc(`${url.origin}${url.pathname}`), enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  return createHmac('sha256', `${enc(consumerSecret)}&${enc(tokenSecret)}`).update(base).digest('base64');
}

describe('signTokenBasedRequest', () => {
  it("reproduces Oracle's published HMAC-SHA256 example exactly", () => {
    const signed = signTokenBasedRequest({ method: 'POST', url: new URL(oracleExample.url), realm: oracleExample.realm, credentials: oracleExample.credentials });
    expect(signed.baseString).toBe(oracleExample.baseString);
    const params = headerParams(signed.authorization);
    expect(params.oauth_signature).toBe(oracleExample.signature);
    expect(params).toMatchObject({
      realm: '1234567',
      oauth_consumer_key: oracleExample.credentials.consumerKey,
      oauth_token: oracleExample.credentials.tokenId,
      oauth_nonce: 'fjaLirsIcCGVZWzBX0pg',
      oauth_timestamp: '1508242306',
      oauth_signature_method: 'HMAC-SHA256',
      oauth_version: '1.0',
    });
  });

  it('signs every query parameter but never copies one into the Authorization header', () => {
    const signed = signTokenBasedRequest({ method: 'POST', url: new URL(oracleExample.url), realm: oracleExample.realm, credentials: oracleExample.credentials });
    expect(signed.baseString).toContain('script%3D6');
    expect(signed.authorization).not.toMatch(/script|deploy|customParam/);
  });

  it('gives a different signature when a query parameter changes (so an unsigned parameter would be caught)', () => {
    const url = new URL(oracleExample.url);
    const a = signTokenBasedRequest({ method: 'POST', url, realm: '1234567', credentials: oracleExample.credentials });
    url.searchParams.set('deploy', '2');
    const b = signTokenBasedRequest({ method: 'POST', url, realm: '1234567', credentials: oracleExample.credentials });
    expect(headerParams(a.authorization).oauth_signature).not.toBe(headerParams(b.authorization).oauth_signature);
  });

  it('puts the sandbox realm in upper case with an underscore and leaves it out of the signature', () => {
    const url = new URL('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=5&offset=10');
    const signed = signTokenBasedRequest({ method: 'GET', url, realm: '1234567_SB1', credentials: oracleExample.credentials });
    const params = headerParams(signed.authorization);
    expect(params.realm).toBe('1234567_SB1');
    expect(signed.baseString).not.toContain('realm');
    expect(signed.baseString.startsWith('GET&https%3A%2F%2F1234567-sb1.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Fcustomer&')).toBe(true);
    const { oauth_signature: signature, realm: _realm, ...oauth } = params;
    expect(signature).toBe(referenceSignature('GET', url, oauth, oracleExample.credentials.consumerSecret, oracleExample.credentials.tokenSecret));
  });

  it("encodes query values the RFC 3986 way, including !'()* and spaces as %20, once", () => {
    const url = new URL('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer');
    url.search = `?q=${encodeURIComponent(`companyName START_WITH "O'Brien (UK)!*" `).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
    const signed = signTokenBasedRequest({ method: 'GET', url, realm: '1234567', credentials: oracleExample.credentials });
    expect(signed.baseString).toContain('q%3DcompanyName%2520START_WITH%2520%2522O%2527Brien%2520%2528UK%2529%2521%252A%2522%2520');
    const { oauth_signature: signature, realm: _realm, ...oauth } = headerParams(signed.authorization);
    expect(signature).toBe(referenceSignature('GET', url, oauth, oracleExample.credentials.consumerSecret, oracleExample.credentials.tokenSecret));
  });

  it('uses a fresh random nonce and the current time by default', () => {
    const credentials = { ...oracleExample.credentials, nonce: undefined, timestamp: undefined };
    const url = new URL('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer');
    const a = headerParams(signTokenBasedRequest({ method: 'GET', url, realm: '1234567', credentials }).authorization);
    const b = headerParams(signTokenBasedRequest({ method: 'GET', url, realm: '1234567', credentials }).authorization);
    expect(a.oauth_nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(a.oauth_nonce).not.toBe(b.oauth_nonce);
    expect(Math.abs(Number(a.oauth_timestamp) - Date.now() / 1000)).toBeLessThan(5);
  });
});

describe('tokenBasedAuth', () => {
  it('refuses missing credentials without showing any value', () => {
    const secret = 'consumer-secret-value-1234';
    const attempt = () => tokenBasedAuth({ consumerKey: 'key-123456', consumerSecret: secret, tokenId: '', tokenSecret: '  ' });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const text = JSON.stringify(error) + String(error);
      expect(text).toContain('tokenId');
      expect(text).toContain('tokenSecret');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('key-123456');
    }
  });

  it('lists its secrets for redaction', () => {
    const bound = tokenBasedAuth(oracleExample.credentials).bind({
      account: { accountId: '1234567', realm: '1234567', host: 'h', baseUrl: 'https://h' },
      baseUrl: 'https://h',
      postForm: () => Promise.reject(new Error('unused')),
    });
    expect([...bound.secrets()]).toEqual(
      expect.arrayContaining([oracleExample.credentials.consumerSecret, oracleExample.credentials.tokenSecret, oracleExample.credentials.tokenId]),
    );
  });
});
