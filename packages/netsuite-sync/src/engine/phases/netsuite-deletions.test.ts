import { describe, expect, it } from 'vitest';
import type { SyncLink } from '../../store/sync-store';
import { sweepSlice } from './netsuite-deletions';

const entry = (netsuiteId: string) => ({ link: { kind: 'invoice', invoicedId: `9${netsuiteId}`, netsuiteId, origin: 'netsuite', fingerprint: 'f', updatedAt: '' } satisfies SyncLink });
const ids = (entries: readonly { link: SyncLink }[]) => entries.map((item) => item.link.netsuiteId);

describe('sweepSlice', () => {
  it('checks every link when they fit in one slice, and keeps no place', () => {
    const { slice, last } = sweepSlice(['12', '3', '101'].map(entry), '12', 5);
    expect(ids(slice)).toEqual(['3', '12', '101']);
    expect(last).toBeNull();
  });

  it('checks the links after the last one checked, in numeric order of NetSuite ID, and wraps around to the first', () => {
    const links = ['10', '9', '100', '11', '2', '1000'].map(entry);
    const first = sweepSlice(links, null, 4);
    expect(ids(first.slice)).toEqual(['2', '9', '10', '11']);
    const second = sweepSlice(links, first.last, 4);
    expect(ids(second.slice)).toEqual(['100', '1000', '2', '9']);
    expect(second.last).toBe('9');
    // A place whose link is gone since: the slice starts at the next ID above it.
    expect(ids(sweepSlice(links, '50', 2).slice)).toEqual(['100', '1000']);
  });
});
