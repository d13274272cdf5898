import { describe, expect, it } from 'vitest';
import { customerDisplayName, indexCustomersByName, matchCustomerByName, normalizeName } from './names';

describe('normalizeName', () => {
  it('treats a precomposed accent and a combining accent as the same name (NFC)', () => {
    const precomposed = 'Caf\u00E9 M\u00FCller';
    const decomposed = 'Cafe\u0301 Mu\u0308ller';
    expect(precomposed).not.toBe(decomposed);
    expect(normalizeName(precomposed)).toBe(normalizeName(decomposed));
  });

  it('trims and collapses inner whitespace, no-break spaces included', () => {
    expect(normalizeName('  Acme \t  Corp\u00A0 Ltd \n')).toBe('acme corp ltd');
  });

  it('ignores case', () => {
    expect(normalizeName('ACME Corp')).toBe(normalizeName('acme corp'));
  });

  it('treats typographic apostrophes as the plain one', () => {
    expect(normalizeName('O\u2019Brien\u2019s Pub')).toBe("o'brien's pub");
    expect(normalizeName('O\u02BCBrien')).toBe(normalizeName("O'Brien"));
  });

  it('drops zero-width spaces left by copy and paste', () => {
    expect(normalizeName('Acme\u200B Corp')).toBe('acme corp');
  });

  it('lower-cases the same way whatever the runtime locale (no Turkish dotless i)', () => {
    expect(normalizeName('INVOICED')).toBe('invoiced');
  });

  it('keeps accents and punctuation that tell names apart', () => {
    expect(normalizeName('Café')).not.toBe(normalizeName('Cafe'));
    expect(normalizeName('Acme, Inc.')).not.toBe(normalizeName('Acme Inc'));
  });
});

describe('customerDisplayName', () => {
  it('uses the company name of a company', () => {
    expect(customerDisplayName({ id: '7', entityId: 'CUST-7', companyName: 'Acme  Corp', isPerson: false })).toBe('Acme Corp');
  });

  it('uses first and last name of a person, from a REST record or a SuiteQL row', () => {
    expect(customerDisplayName({ id: '8', isPerson: true, firstName: 'Ada', lastName: 'Lovelace', companyName: 'Analytical Engines' })).toBe('Ada Lovelace');
    expect(customerDisplayName({ id: '8', isperson: 'T', firstname: 'Ada', lastname: 'Lovelace' })).toBe('Ada Lovelace');
  });

  it('falls back to the other name, then to entityId', () => {
    expect(customerDisplayName({ id: '9', isPerson: true, companyName: 'Solo Ltd' })).toBe('Solo Ltd');
    expect(customerDisplayName({ id: '9', isperson: 'F', lastname: 'Prince' })).toBe('Prince');
    expect(customerDisplayName({ id: '10', entityid: 'CUST-10', companyname: '  ' })).toBe('CUST-10');
    expect(customerDisplayName({ id: '11' })).toBe('');
  });
});

describe('matchCustomerByName', () => {
  const candidates = [
    { id: '1', name: 'Acme Corp' },
    { id: '2', name: 'Globex' },
    { id: '3', name: 'O\u2019Brien Ltd' },
    { id: '4', name: 'Initech' },
    { id: '5', name: 'INITECH ' },
  ];

  it('matches a name written differently (case, spaces, apostrophe)', () => {
    expect(matchCustomerByName('  acme   CORP', candidates)).toEqual({ kind: 'matched', id: '1' });
    expect(matchCustomerByName("O'Brien Ltd", candidates)).toEqual({ kind: 'matched', id: '3' });
  });

  it('refuses to guess between two customers with the same name', () => {
    expect(matchCustomerByName('Initech', candidates)).toEqual({ kind: 'ambiguous', ids: ['4', '5'], names: ['Initech', 'INITECH '] });
  });

  it('finds no match rather than a near one', () => {
    expect(matchCustomerByName('Acme Corporation', candidates)).toEqual({ kind: 'none' });
    expect(matchCustomerByName('Acme Corp', [])).toEqual({ kind: 'none' });
  });

  it('never matches an empty name, even to a candidate without a name', () => {
    expect(matchCustomerByName('  ', [{ id: '9', name: '' }])).toEqual({ kind: 'none' });
  });

  it('counts the same customer listed twice once', () => {
    expect(matchCustomerByName('Globex', [...candidates, { id: '2', name: 'globex' }])).toEqual({ kind: 'matched', id: '2' });
  });

  it('matches a NetSuite person by first and last name', () => {
    const name = customerDisplayName({ id: '12', isperson: 'T', firstname: 'Jean-Luc', lastname: 'Picard' });
    expect(matchCustomerByName(name, [{ id: '77', name: 'jean-luc  picard' }])).toEqual({ kind: 'matched', id: '77' });
  });
});

describe('indexCustomersByName', () => {
  it('answers like matchCustomerByName and learns customers added later', () => {
    const index = indexCustomersByName([{ id: '1', name: 'Acme' }]);
    expect(index.match('ACME')).toEqual({ kind: 'matched', id: '1' });
    expect(index.match('Globex')).toEqual({ kind: 'none' });
    index.add({ id: '2', name: 'Globex' });
    expect(index.match('globex')).toEqual({ kind: 'matched', id: '2' });
    index.add({ id: '3', name: 'acme' });
    expect(index.match('Acme')).toEqual({ kind: 'ambiguous', ids: ['1', '3'], names: ['Acme', 'acme'] });
  });
});
