import { describe, expect, it } from 'vitest';
import type { RetryItem } from '../../store/sync-store';
import { retriesSeen } from './outcomes';

const item = (sourceId: string): RetryItem => ({
  key: `netsuite_to_invoiced:invoice:${sourceId}`,
  entity: 'invoice',
  direction: 'netsuite_to_invoiced',
  sourceId,
  number: null,
  attempts: 1,
  lastError: { code: 'CUSTOMER_NOT_SYNCED', message: 'x', resolution: 'y' },
  status: 'pending',
  fingerprint: null,
  updatedAt: '2026-12-06T08:00:00.000Z',
});

describe('the retry items a read brought back', () => {
  it('keeps only the IDs of retry items, however many records the read sees', () => {
    const { seen, see } = retriesSeen([item('7'), item('9')]);
    for (let id = 1; id <= 10_000; id += 1) see(String(id));
    expect([...seen].sort()).toEqual(['7', '9']);
  });

  it('tells a retry item the read did not bring back', () => {
    const { seen, see } = retriesSeen([item('7'), item('9')]);
    see('9');
    see('12');
    expect(seen.has('7')).toBe(false);
    expect(seen.has('9')).toBe(true);
    expect(seen.size).toBe(1);
  });
});
