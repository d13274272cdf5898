import { describe, expect, it } from 'vitest';
import { namingRecord } from './failures';

const memo = { direction: 'netsuite_to_invoiced', entity: 'creditNote', sourceId: '100038', number: 'CM-7' } as const;

describe('namingRecord', () => {
  it('prefixes a message that names no record with the record, by the side it is read from', () => {
    expect(namingRecord('Invoiced GET /credit_notes/3 failed with 404: Credit Note was not found: 3', memo)).toBe(
      'NetSuite credit memo CM-7 (100038): Invoiced GET /credit_notes/3 failed with 404: Credit Note was not found: 3',
    );
    expect(namingRecord('NetSuite refused it.', { direction: 'invoiced_to_netsuite', entity: 'payment', sourceId: '52', number: null })).toBe('Invoiced payment 52: NetSuite refused it.');
    expect(namingRecord('Refused.', { direction: 'invoiced_to_netsuite', entity: 'refund', sourceId: '9', number: '9' })).toBe('Invoiced refund 9: Refused.');
  });

  it('leaves a message that names the record by its number or ID as it is', () => {
    expect(namingRecord('Credit memo CM-7: its customer is not linked.', memo)).toBe('Credit memo CM-7: its customer is not linked.');
    expect(namingRecord('Credit memo 100038 is applied elsewhere.', memo)).toBe('Credit memo 100038 is applied elsewhere.');
  });

  it('counts a name only as a whole token', () => {
    const three = { direction: 'invoiced_to_netsuite', entity: 'invoice', sourceId: '3', number: null } as const;
    expect(namingRecord('NetSuite GET /invoice/33 failed with 404', three)).toBe('Invoiced invoice 3: NetSuite GET /invoice/33 failed with 404');
    expect(namingRecord('Invoice 3 was voided.', three)).toBe('Invoice 3 was voided.');
    expect(namingRecord('Refused (CM-7.1).', { ...memo, sourceId: '1', number: 'CM-7.1' })).toBe('Refused (CM-7.1).');
  });
});
