import { describe, expect, it } from 'vitest';
import type { SyncLink } from '@invoiced/netsuite-sync';
import { LinkTable } from './link-table';

const link = (invoicedId: string, netsuiteId: string, fingerprint: string | null, updatedAt = '2026-12-06T08:00:00.123Z'): SyncLink => ({
  kind: 'invoice',
  invoicedId,
  netsuiteId,
  origin: 'netsuite',
  fingerprint,
  updatedAt,
});

const HEX = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('the memory store\'s links, kept small', () => {
  it('gives back every link exactly as saved, whatever its IDs, fingerprint and time look like', () => {
    const table = new LinkTable('invoice');
    const links = [
      link('12', '4501', HEX),
      link('0012', '04501', HEX.toUpperCase()),
      link('12.0', 'eid-7', 'not-a-hash'),
      link('123456789012345678', '9007199254740993', null),
      link('0', 'x', ''),
      link('77', '78', HEX, '2026-12-06T08:00:00Z'),
    ];
    for (const entry of links) table.set(entry);
    for (const entry of links) {
      expect(table.byInvoicedId(entry.invoicedId)).toEqual(entry);
      expect(table.byNetSuiteId(entry.netsuiteId)).toEqual(entry);
    }
    expect(table.all()).toHaveLength(links.length);
    expect(table.byInvoicedId('012')).toBeUndefined();
    expect(table.byInvoicedId('12.00')).toBeUndefined();
  });

  it('replaces a link saved again, under both IDs, and gives a new object each time', () => {
    const table = new LinkTable('invoice');
    table.set(link('5', '6', null));
    table.set(link('5', '6', HEX, '2026-12-06T09:00:00.000Z'));
    const read = table.byNetSuiteId('6');
    expect(read).toEqual(link('5', '6', HEX, '2026-12-06T09:00:00.000Z'));
    expect(table.byInvoicedId('5')).not.toBe(read);
    expect(table.all()).toHaveLength(1);
  });
});
