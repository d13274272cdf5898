import { describe, expect, it } from 'vitest';
import { MappingError } from './errors';
import { compareMoney, currencyExponent, fromMinor, minorToNumber, sumMinor, toMinor } from './money';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MappingError) return error.code;
    throw error;
  }
  return undefined;
}

describe('currencyExponent', () => {
  it('knows zero-decimal, three-decimal and ordinary currencies, in any case', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('krw')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(currencyExponent('bhd')).toBe(3);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('eur')).toBe(2);
    expect(currencyExponent('CLF')).toBe(4);
  });

  it('refuses something that is not a currency code', () => {
    expect(codeOf(() => currencyExponent('US'))).toBe('INVALID_CURRENCY');
    expect(codeOf(() => currencyExponent('US$'))).toBe('INVALID_CURRENCY');
  });
});

describe('toMinor', () => {
  it('reads numbers and decimal strings exactly', () => {
    expect(toMinor('1234.50', 'USD')).toBe(123450n);
    expect(toMinor(1234.5, 'usd')).toBe(123450n);
    expect(toMinor('-0.05', 'USD')).toBe(-5n);
    expect(toMinor('.5', 'USD')).toBe(50n);
    expect(toMinor('100', 'USD')).toBe(10000n);
    expect(toMinor(-0, 'USD')).toBe(0n);
  });

  it('has no decimals for JPY and refuses a fraction of a yen', () => {
    expect(toMinor(1500, 'JPY')).toBe(1500n);
    expect(toMinor('1500', 'jpy')).toBe(1500n);
    expect(codeOf(() => toMinor('1500.5', 'JPY'))).toBe('AMOUNT_PRECISION');
  });

  it('has three decimals for KWD', () => {
    expect(toMinor('1.234', 'KWD')).toBe(1234n);
    expect(toMinor(0.001, 'KWD')).toBe(1n);
    expect(codeOf(() => toMinor('1.2345', 'KWD'))).toBe('AMOUNT_PRECISION');
  });

  it('refuses float noise such as 0.1 + 0.2 unless rounding is asked for', () => {
    expect(codeOf(() => toMinor(0.1 + 0.2, 'USD'))).toBe('AMOUNT_PRECISION');
    expect(toMinor(0.1 + 0.2, 'USD', { round: 'half-up' })).toBe(30n);
  });

  it('rounds half away from zero when asked', () => {
    expect(toMinor('0.125', 'USD', { round: 'half-up' })).toBe(13n);
    expect(toMinor('-0.125', 'USD', { round: 'half-up' })).toBe(-13n);
    expect(toMinor('0.1249', 'USD', { round: 'half-up' })).toBe(12n);
    expect(toMinor('2.5', 'JPY', { round: 'half-up' })).toBe(3n);
  });

  it('accepts trailing zeros past the currency decimals, which lose nothing', () => {
    expect(toMinor('12.3400', 'USD')).toBe(1234n);
  });

  it('refuses NaN, Infinity and garbage with a typed error', () => {
    for (const bad of [NaN, Infinity, -Infinity, '', ' ', 'abc', '1,000.00', '12 USD', '0x10', '12.', '--1', 'NaN', 'Infinity']) {
      expect(codeOf(() => toMinor(bad, 'USD')), String(bad)).toBe('INVALID_AMOUNT');
    }
    expect(codeOf(() => toMinor(null as unknown as number, 'USD'))).toBe('INVALID_AMOUNT');
  });

  it('keeps big values exact, beyond what a double holds', () => {
    expect(toMinor('123456789012345678.91', 'USD')).toBe(12345678901234567891n);
    expect(toMinor(1e21, 'USD')).toBe(100000000000000000000000n);
    expect(toMinor(1e-7, 'USD', { round: 'half-up' })).toBe(0n);
  });
});

describe('fromMinor', () => {
  it('writes exactly the currency decimals', () => {
    expect(fromMinor(123450n, 'USD')).toBe('1234.50');
    expect(fromMinor(-5n, 'usd')).toBe('-0.05');
    expect(fromMinor(0n, 'USD')).toBe('0.00');
    expect(fromMinor(1500n, 'JPY')).toBe('1500');
    expect(fromMinor(1n, 'KWD')).toBe('0.001');
    expect(fromMinor(12345678901234567891n, 'USD')).toBe('123456789012345678.91');
  });

  it('round-trips with toMinor', () => {
    for (const text of ['0.01', '-1234.56', '99999999.99']) expect(fromMinor(toMinor(text, 'USD'), 'USD')).toBe(text);
  });
});

describe('minorToNumber', () => {
  it('gives the JSON number of an amount', () => {
    expect(minorToNumber(123450n, 'USD')).toBe(1234.5);
    expect(minorToNumber(1n, 'KWD')).toBe(0.001);
    expect(minorToNumber(-5n, 'USD')).toBe(-0.05);
    expect(minorToNumber(1500n, 'JPY')).toBe(1500);
  });

  it('is exact up to 15 significant digits', () => {
    const minor = 999_999_999_999_999n; // 9,999,999,999,999.99 USD
    expect(toMinor(minorToNumber(minor, 'USD'), 'USD')).toBe(minor);
  });

  it('refuses an amount a double cannot carry', () => {
    expect(codeOf(() => minorToNumber(2n ** 53n + 1n, 'USD'))).toBe('AMOUNT_NOT_REPRESENTABLE');
    expect(codeOf(() => minorToNumber(12345678901234567891n, 'USD'))).toBe('AMOUNT_NOT_REPRESENTABLE');
    // 1e28 would even read back as written, but APIs do arithmetic on doubles: past 2^53 minor units is refused.
    expect(codeOf(() => minorToNumber(10n ** 30n, 'USD'))).toBe('AMOUNT_NOT_REPRESENTABLE');
  });
});

describe('sumMinor', () => {
  it('adds exactly where floats drift', () => {
    const amounts = Array.from({ length: 10 }, () => 0.1);
    expect(amounts.reduce((total, value) => total + value, 0)).not.toBe(1);
    expect(sumMinor(amounts.map((value) => toMinor(value, 'USD')))).toBe(100n);
  });

  it('is 0 for nothing', () => {
    expect(sumMinor([])).toBe(0n);
  });
});

describe('compareMoney', () => {
  it('compares amounts of one currency whatever their form', () => {
    expect(compareMoney('10.10', 10.1, 'USD')).toBe(0);
    expect(compareMoney(0.3, '0.29', 'USD')).toBe(1);
    expect(compareMoney('-1', 0, 'USD')).toBe(-1);
  });

  it('refuses inexact amounts rather than comparing them approximately', () => {
    expect(codeOf(() => compareMoney(0.1 + 0.2, 0.3, 'USD'))).toBe('AMOUNT_PRECISION');
  });
});
