import { describe, expect, it } from 'vitest';
import type { RetryItem } from '../../store/sync-store';
import { createKey, WRITE_UNCONFIRMED } from './recovery';

const item = (code: string, updatedAt = '2026-12-06T08:00:00.000Z', attempts = 1): RetryItem => ({
  key: 'netsuite_to_invoiced:payment:100009',
  entity: 'payment',
  direction: 'netsuite_to_invoiced',
  sourceId: '100009',
  number: null,
  attempts,
  lastError: { code, message: 'x', resolution: 'y' },
  status: 'pending',
  fingerprint: null,
  updatedAt,
});
const base = 'ns-pay-100009-0123456789abcdef01234567';

describe('createKey', () => {
  it('keeps the base key for a first create, after a create whose outcome is unknown, and after failures Invoiced keeps no refusal for', () => {
    expect(createKey(base, null)).toBe(base);
    const unknown = [WRITE_UNCONFIRMED, 'INVOICED_TIMEOUT', 'INVOICED_DEADLINE_EXCEEDED', 'INVOICED_CONNECTION_FAILED', 'INVOICED_INVALID_RESPONSE'];
    for (const code of [...unknown, 'INVOICED_SERVER_ERROR', 'INVOICED_RATE_LIMITED', 'CUSTOMER_NOT_SYNCED']) {
      expect(createKey(base, item(code))).toBe(base);
    }
  });

  it('gives a new key after each refusal Invoiced answered', () => {
    const keys = ['INVOICED_INVALID_REQUEST', 'INVOICED_NOT_FOUND', 'INVOICED_PERMISSION_DENIED', 'INVOICED_API_ERROR', 'CREDIT_APPLICATION_REFUSED'].map((code) => createKey(base, item(code)));
    for (const key of keys) expect(key).toMatch(new RegExp(`^${base}-r[0-9a-f]{10}$`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives a create after a refusal a key of its own, the same for as long as the retry item stays as it is', () => {
    const refused = createKey(base, item('INVOICED_INVALID_REQUEST'));
    expect(refused).toMatch(new RegExp(`^${base}-r[0-9a-f]{10}$`));
    expect(createKey(base, item('INVOICED_INVALID_REQUEST'))).toBe(refused);
    // A later refusal (another time, another count) gets another key: no refused key is sent twice.
    expect(createKey(base, item('INVOICED_INVALID_REQUEST', '2026-12-06T08:01:00.000Z', 2))).not.toBe(refused);
  });

  it('stays within the 64 characters Invoiced allows for the longest base key', () => {
    const longest = `ns-cma-${'9'.repeat(18)}-${'f'.repeat(24)}`;
    expect(createKey(longest, item('CREDIT_APPLICATION_REFUSED')).length).toBeLessThanOrEqual(64);
  });
});
