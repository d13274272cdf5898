/**
 * Reference records made inactive as a person does with the Inactive box: SuiteQL shows `isinactive =
 * 'T'` on the currency, item, account or subsidiary, and the currency table answers the SuiteQL the SDK
 * maps currencies with.
 */
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../sandbox';

describe('NetSuite reference records', () => {
  it('answers the currency table by ISO code (symbol) and shows a record made inactive', () => {
    const { netsuite } = createSandbox({ seed: 2 });
    expect(netsuite.state.query('SELECT id, symbol, name, isinactive FROM currency ORDER BY id')).toEqual([
      { id: '1', symbol: 'USD', name: 'US Dollar', isinactive: 'F' },
      { id: '2', symbol: 'EUR', name: 'Euro', isinactive: 'F' },
      { id: '3', symbol: 'GBP', name: 'British pound', isinactive: 'F' },
      { id: '4', symbol: 'CAD', name: 'Canadian Dollar', isinactive: 'F' },
      { id: '5', symbol: 'JPY', name: 'Japanese Yen', isinactive: 'F' },
    ]);
    netsuite.state.setInactive('currency', '2', true);
    netsuite.state.setInactive('item', 1, true);
    expect(netsuite.state.query("SELECT symbol FROM currency WHERE isinactive = 'T'")).toEqual([{ symbol: 'EUR' }]);
    expect(netsuite.state.query('SELECT isinactive FROM item WHERE id = 1')).toEqual([{ isinactive: 'T' }]);
    netsuite.state.setInactive('currency', '2', false);
    expect(netsuite.state.query("SELECT COUNT(*) AS n FROM currency WHERE isinactive = 'T'")).toEqual([{ n: '0' }]);
  });

  it('refuses an unknown record or table', () => {
    const { netsuite } = createSandbox({ seed: 2 });
    expect(() => netsuite.state.setInactive('account', 999, true)).toThrow(RangeError);
    expect(() => netsuite.state.setInactive('customer' as never, 1, true)).toThrow(RangeError);
  });
});
