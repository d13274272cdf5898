/**
 * Invoiced's authentication: HTTP Basic with the API key as the user name and an empty password.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { json, type SandboxOutcome } from '../http';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether the request carries `Authorization: Basic base64("<apiKey>:")`. A password, another key, a
 * malformed header or another scheme is refused.
 */
export function isAuthorized(headers: Headers, apiKey: string): boolean {
  const header = headers.get('authorization');
  const encoded = header === null ? undefined : /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim())?.[1];
  if (encoded === undefined) return false;
  const decoded = Buffer.from(encoded, 'base64');
  // Node skips characters it cannot decode; a header that does not round-trip is malformed.
  if (decoded.toString('base64').replace(/=+$/, '') !== encoded.replace(/=+$/, '')) return false;
  const credentials = decoded.toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon < 0) return false;
  const username = credentials.slice(0, colon);
  const password = credentials.slice(colon + 1);
  // Compared through fixed-length digests, so the time taken says nothing about the key.
  return timingSafeEqual(digest(username), digest(apiKey)) && password === '';
}

/** Invoiced's answer to a missing or wrong API key. */
export function unauthorizedOutcome(): SandboxOutcome {
  return json(401, { type: 'invalid_request', message: 'Unauthorized' }, { 'www-authenticate': 'Basic realm="Invoiced"' });
}
