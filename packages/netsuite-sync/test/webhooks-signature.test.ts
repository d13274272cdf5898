/**
 * The signature of Invoiced's webhooks: HMAC-SHA256 of the raw body, lowercase hex. The vector is the one of
 * chriscouch/invoiced-mcp `packages/invoiced-support/docs/backend-dev/tests/Webhooks/PusherTest.php`.
 */
import { describe, expect, it } from 'vitest';
import { signInvoicedPayload, verifyInvoicedSignature } from '../src/webhooks';

const SECRET = '4b37d5776dad4059ab4c80fa072e3fce';
const BODY = '{"test":true}';
const SIGNATURE = '341cb5ca9555e923c908c2eb5d36189ea11d90c0dfd559377c5edb669f9cf240';

describe('verifyInvoicedSignature', () => {
  it('signs the vector of Invoiced\'s own test', () => {
    expect(signInvoicedPayload(BODY, SECRET)).toBe(SIGNATURE);
  });

  it('accepts the vector, as a string or as bytes', () => {
    expect(verifyInvoicedSignature(BODY, SIGNATURE, SECRET)).toBe(true);
    expect(verifyInvoicedSignature(new TextEncoder().encode(BODY), SIGNATURE, SECRET)).toBe(true);
    expect(verifyInvoicedSignature(BODY, SIGNATURE.toUpperCase(), SECRET)).toBe(true);
  });

  it('refuses a tampered body, a wrong secret and a changed signature', () => {
    expect(verifyInvoicedSignature('{"test":false}', SIGNATURE, SECRET)).toBe(false);
    expect(verifyInvoicedSignature('{"test": true}', SIGNATURE, SECRET)).toBe(false);
    expect(verifyInvoicedSignature(BODY, SIGNATURE, 'another-secret-of-32-characters!')).toBe(false);
    expect(verifyInvoicedSignature(BODY, `${SIGNATURE.slice(0, -1)}1`, SECRET)).toBe(false);
  });

  it('accepts any of several secrets, so a rolled secret can be rolled out', () => {
    expect(verifyInvoicedSignature(BODY, SIGNATURE, ['new-secret-not-yet-in-invoiced-00', SECRET])).toBe(true);
    expect(verifyInvoicedSignature(BODY, SIGNATURE, [SECRET, 'new-secret-not-yet-in-invoiced-00'])).toBe(true);
    expect(verifyInvoicedSignature(BODY, SIGNATURE, ['old', 'older'])).toBe(false);
  });

  it('is false for a missing or malformed header and for no usable secret', () => {
    for (const header of [undefined, null, '', 'sha256=' + SIGNATURE, SIGNATURE.slice(1), `${SIGNATURE}00`, 'z'.repeat(64)]) {
      expect(verifyInvoicedSignature(BODY, header, SECRET), String(header)).toBe(false);
    }
    expect(verifyInvoicedSignature(BODY, SIGNATURE, [])).toBe(false);
    expect(verifyInvoicedSignature(BODY, signInvoicedPayload(BODY, ''), '')).toBe(false);
  });
});
