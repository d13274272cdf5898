import { describe, expect, it } from 'vitest';
import { externalIdFor, invoicedCustomerToNetSuite, invoicedIdOf, netsuiteCustomerToInvoiced } from './customers';
import { MappingError } from './errors';
import { matchCustomerByName } from './names';

function caught(run: () => unknown): MappingError {
  try {
    run();
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('expected a MappingError');
}

describe('netsuiteCustomerToInvoiced', () => {
  it('maps a REST company record, with its currency through the map', () => {
    const customer = { id: '42', entityId: 'CUST-42', companyName: 'Acme Corp', isPerson: false, email: 'ap@acme.test', phone: '+1 555 0100', currency: { id: '1', refName: 'US Dollar' }, subsidiary: { id: '1' } };
    expect(netsuiteCustomerToInvoiced(customer, { currencies: { USD: '1' } })).toEqual({
      name: 'Acme Corp',
      type: 'company',
      number: 'CUST-42',
      email: 'ap@acme.test',
      phone: '+1 555 0100',
      currency: 'usd',
      metadata: { netsuite_id: '42' },
    });
  });

  it('maps a SuiteQL person row (lower-case keys, T/F flags, the currency code joined in)', () => {
    const row = { id: 43, entityid: 'Ada Lovelace', companyname: null, isperson: 'T', firstname: 'Ada', lastname: 'Lovelace', email: null, currency: 'GBP' };
    expect(netsuiteCustomerToInvoiced(row)).toEqual({ name: 'Ada Lovelace', type: 'person', currency: 'gbp', metadata: { netsuite_id: '43' } });
  });

  it('uses entityId as the number only when it is a number, not the name again', () => {
    expect(netsuiteCustomerToInvoiced({ id: '1', entityId: 'acme', companyName: 'Acme' }).number).toBeUndefined();
    expect(netsuiteCustomerToInvoiced({ id: '2', entityId: '1001 Acme Corp', companyName: 'Acme Corp' }).number).toBeUndefined();
    expect(netsuiteCustomerToInvoiced({ id: '3', entityId: '1001', companyName: 'Acme Corp' }).number).toBe('1001');
  });

  it('leaves out fields NetSuite does not have, so an update clears nothing', () => {
    const body = netsuiteCustomerToInvoiced({ id: '5', companyName: 'Globex' });
    expect(Object.keys(body).sort()).toEqual(['metadata', 'name', 'type']);
  });

  it('refuses a customer without a name', () => {
    const error = caught(() => netsuiteCustomerToInvoiced({ id: '6', companyName: ' ' }));
    expect(error.code).toBe('MISSING_NAME');
    expect(error.entity).toBe('customer');
  });

  it('refuses a currency it cannot resolve instead of defaulting', () => {
    expect(caught(() => netsuiteCustomerToInvoiced({ id: '7', companyName: 'Acme', currency: { id: '3', refName: 'Euro' } })).code).toBe('UNKNOWN_CURRENCY');
  });
});

describe('invoicedCustomerToNetSuite', () => {
  it('writes a company with subsidiary, currency and external ID', () => {
    const customer = { id: 15444, name: '  Acme   Corp ', number: 'CUST-0001', type: 'company', email: 'ap@acme.test', phone: null, currency: 'usd' };
    expect(invoicedCustomerToNetSuite(customer, { subsidiary: '1', currencies: { USD: '1' } })).toEqual({
      externalId: 'invd-cust-15444',
      isPerson: false,
      companyName: 'Acme Corp',
      email: 'ap@acme.test',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
  });

  it('splits a person name at its last space', () => {
    expect(invoicedCustomerToNetSuite({ id: 1, name: 'Mary Ann Smith', type: 'person' })).toEqual({
      externalId: 'invd-cust-1',
      isPerson: true,
      firstName: 'Mary Ann',
      lastName: 'Smith',
    });
  });

  it('writes a one-word person as a company rather than inventing a name', () => {
    expect(invoicedCustomerToNetSuite({ id: 2, name: 'Cher', type: 'person' })).toEqual({ externalId: 'invd-cust-2', isPerson: false, companyName: 'Cher' });
  });

  it('round-trips by name: the NetSuite customer it writes matches the Invoiced customer', () => {
    const invoiced = { id: 3, name: 'Jean-Luc  Picard', type: 'person' };
    const written = invoicedCustomerToNetSuite(invoiced);
    const back = netsuiteCustomerToInvoiced({ id: '900', ...written });
    expect(matchCustomerByName(back.name, [{ id: '3', name: invoiced.name }])).toEqual({ kind: 'matched', id: '3' });
  });

  it('refuses a currency missing from the map', () => {
    const error = caught(() => invoicedCustomerToNetSuite({ id: 4, name: 'Acme', number: 'CUST-4', currency: 'eur' }, { currencies: { USD: '1' } }));
    expect(error.code).toBe('UNKNOWN_CURRENCY');
    expect(error.number).toBe('CUST-4');
  });

  it('refuses a nameless customer and an ID that is not an Invoiced ID', () => {
    expect(caught(() => invoicedCustomerToNetSuite({ id: 5, name: ' ' })).code).toBe('MISSING_NAME');
    expect(caught(() => invoicedCustomerToNetSuite({ id: 0, name: 'Acme' })).code).toBe('INVALID_RECORD');
  });
});

describe('externalIdFor and invoicedIdOf', () => {
  it('reads back the Invoiced ID of the external IDs the sync writes, of the kind asked', () => {
    expect(invoicedIdOf('cust', externalIdFor('cust', 15444))).toBe(15444);
    expect(invoicedIdOf('inv', externalIdFor('inv', 7))).toBe(7);
    expect(invoicedIdOf('inv', 'invd-cust-7')).toBeUndefined();
  });

  it('gives nothing for any other value', () => {
    for (const value of [undefined, null, 42, '', 'invd-cust-', 'invd-cust-0', 'invd-cust-007', 'invd-cust-12a', 'invd-cust--3', ' invd-cust-3', 'invd-cust-99999999999999999999', 'INVD-CUST-3']) {
      expect(invoicedIdOf('cust', value)).toBeUndefined();
    }
  });
});
