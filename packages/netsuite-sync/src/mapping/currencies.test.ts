import { describe, expect, it } from 'vitest';
import { currencyCodeFromNetSuite, netsuiteCurrencyRef } from './currencies';
import { MappingError } from './errors';

describe('currencyCodeFromNetSuite', () => {
  it('takes an ISO code as it is (SuiteQL cur.symbol)', () => {
    expect(currencyCodeFromNetSuite('usd')).toBe('USD');
    expect(currencyCodeFromNetSuite('EUR')).toBe('EUR');
  });

  it('looks internal IDs and REST references up in the map', () => {
    const map = { usd: '1', EUR: '4' };
    expect(currencyCodeFromNetSuite({ id: '4', refName: 'Euro' }, map)).toBe('EUR');
    expect(currencyCodeFromNetSuite(1, map)).toBe('USD');
    expect(currencyCodeFromNetSuite('1', map)).toBe('USD');
  });

  it('takes a reference named by its code when there is no map', () => {
    expect(currencyCodeFromNetSuite({ id: '9', refName: 'CAD' })).toBe('CAD');
  });

  it('refuses to guess a currency it cannot resolve', () => {
    expect(() => currencyCodeFromNetSuite({ id: '1', refName: 'US Dollar' })).toThrow(MappingError);
    expect(() => currencyCodeFromNetSuite('7', { USD: '1' })).toThrow(/NetSuite currency "7"/);
    expect(() => currencyCodeFromNetSuite('1', { USD: '1', CAD: '1' })).toThrow(/USD and CAD/);
  });
});

describe('netsuiteCurrencyRef', () => {
  it('gives the reference of a code from the map, case-insensitively', () => {
    expect(netsuiteCurrencyRef('eur', { EUR: '4' })).toEqual({ id: '4' });
  });

  it('leaves the currency out without a map', () => {
    expect(netsuiteCurrencyRef('usd', undefined)).toBeUndefined();
  });

  it('refuses a currency the map does not list', () => {
    expect(() => netsuiteCurrencyRef('GBP', { USD: '1' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_CURRENCY' }) as Error);
  });
});
