import { describe, expect, it } from 'vitest';
import { MappingError, withRecord } from './errors';

describe('MappingError', () => {
  it('carries code, message, resolution and the record number, as the engine reads them', () => {
    const error = new MappingError('AMBIGUOUS_CUSTOMER', 'Invoice INV-1: two customers named Acme.', 'Rename one of them.', 'INV-1');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MappingError');
    expect(error).toMatchObject({ code: 'AMBIGUOUS_CUSTOMER', message: 'Invoice INV-1: two customers named Acme.', resolution: 'Rename one of them.', number: 'INV-1' });
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'MappingError', code: 'AMBIGUOUS_CUSTOMER', message: 'Invoice INV-1: two customers named Acme.', resolution: 'Rename one of them.', number: 'INV-1' });
  });

  it('takes a null number as unknown', () => {
    expect(new MappingError('X', 'm', undefined, null).number).toBeUndefined();
  });
});

describe('withRecord', () => {
  it('labels an error with the record being mapped, keeping a number it already had', () => {
    const fresh = (() => {
      try {
        withRecord('invoice', 'INV-9', () => {
          throw new MappingError('AMOUNT_PRECISION', 'too many decimals');
        });
      } catch (error) {
        return error as MappingError;
      }
      return undefined;
    })();
    expect(fresh).toMatchObject({ code: 'AMOUNT_PRECISION', number: 'INV-9', entity: 'invoice' });
    expect(() =>
      withRecord('invoice', 'INV-9', () => {
        throw new MappingError('X', 'm', undefined, 'INV-1');
      }),
    ).toThrow(expect.objectContaining({ number: 'INV-1' }) as Error);
  });

  it('lets other errors through untouched', () => {
    const bug = new TypeError('bug');
    expect(() =>
      withRecord('payment', '1', () => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
