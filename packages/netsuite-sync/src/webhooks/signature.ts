/**
 * The signature of Invoiced's webhook deliveries. Invoiced sends `X-Invoiced-Signature`: the lowercase hex
 * HMAC-SHA256 of the raw request body, keyed with the endpoint's secret (chriscouch/invoiced-mcp
 * `packages/invoiced-support/docs/backend-dev/src/Webhooks/Pusher.php`, `signRequest`; its test
 * `tests/Webhooks/PusherTest.php` holds the vector checked in this package's tests). Nothing else is signed:
 * no timestamp, no URL. The secret is 32 letters and digits and can be rolled
 * (`src/Webhooks/Models/Webhook.php`, `randSecret` and `getSecret(true)`), so several secrets are accepted
 * while a rolled one reaches every process.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Invoiced signs its deliveries in (HTTP headers are case-insensitive). */
export const INVOICED_SIGNATURE_HEADER = 'x-invoiced-signature';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const encoder = new TextEncoder();

function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** The secrets as a list of non-empty strings (an empty secret would let anyone sign). */
function secretList(secrets: string | readonly string[]): string[] {
  const list: readonly unknown[] = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? secrets : [];
  return list.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
}

/**
 * The signature Invoiced sends for `rawBody` with `secret`: lowercase hex HMAC-SHA256. Useful to sign test
 * deliveries; the receiving side uses {@link verifyInvoicedSignature}.
 *
 * @example signInvoicedPayload('{"test":true}', '4b37d5776dad4059ab4c80fa072e3fce'); // '341cb5ca...f240'
 */
export function signInvoicedPayload(rawBody: Uint8Array | string, secret: string): string {
  return createHmac('sha256', secret).update(toBytes(rawBody)).digest('hex');
}

/**
 * Whether `signature` (the `X-Invoiced-Signature` header) is the HMAC-SHA256 of the raw body with one of
 * `secrets`. Compares bytes in constant time; `false` for a missing or malformed header (not 64 hex
 * characters) and when no usable secret is given. Pass the body exactly as received: parsing and
 * re-serialising the JSON changes the bytes.
 *
 * @example
 * ```ts
 * const ok = verifyInvoicedSignature('{"test":true}', '341cb5ca9555e923c908c2eb5d36189ea11d90c0dfd559377c5edb669f9cf240', ['new-secret', '4b37d5776dad4059ab4c80fa072e3fce']);
 * ```
 */
export function verifyInvoicedSignature(
  rawBody: Uint8Array | string,
  signature: string | null | undefined,
  secrets: string | readonly string[],
): boolean {
  if (typeof signature !== 'string') return false;
  const given = signature.trim();
  if (!HEX_SHA256.test(given)) return false;
  const expectedBytes = Buffer.from(given, 'hex');
  const bytes = toBytes(rawBody);
  let matched = false;
  // Every secret is tried, so the time taken does not tell which one matched.
  for (const secret of secretList(secrets)) {
    const actual = createHmac('sha256', secret).update(bytes).digest();
    if (timingSafeEqual(actual, expectedBytes)) matched = true;
  }
  return matched;
}
