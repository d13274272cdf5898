import { describe, expect, it } from 'vitest';
import { currencyExponent, formatDecimal, minorToNumber, multiplyDecimals, parseDecimal, roundToMinor, toMinorUnits } from './money';

describe('currencyExponent', () => {
  it('knows two-, zero- and three-decimal currencies, whatever the case', () => {
    expect(currencyExponent('usd')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('bhd')).toBe(3);
  });

  it("gives each currency the decimals Invoiced's money formatter gives it, two unless listed", () => {
    for (const code of ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'vuv', 'xaf', 'xof', 'xpf']) {
      expect(currencyExponent(code)).toBe(0);
    }
    expect(currencyExponent('BHD')).toBe(3);
    expect(currencyExponent('btc')).toBe(8);
    for (const code of ['isk', 'ugx', 'vnd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd', 'eur']) expect(currencyExponent(code)).toBe(2);
  });
});

describe('parseDecimal', () => {
  it('reads numbers through their shortest text, so 0.1 is exactly one tenth', () => {
    expect(parseDecimal(0.1)).toEqual({ units: 1n, scale: 1 });
    expect(formatDecimal(parseDecimal(1e-7) ?? { units: 0n, scale: 0 })).toBe('0.0000001');
    expect(formatDecimal(parseDecimal(1e21) ?? { units: 0n, scale: 0 })).toBe('1000000000000000000000');
  });

  it('reads decimal strings and drops trailing zeros', () => {
    expect(parseDecimal('1234.50')).toEqual({ units: 12345n, scale: 1 });
    expect(formatDecimal(parseDecimal('-0.05') ?? { units: 0n, scale: 0 })).toBe('-0.05');
  });

  it('refuses what is not a finite decimal', () => {
    expect(parseDecimal(Number.NaN)).toBeUndefined();
    expect(parseDecimal('12,50')).toBeUndefined();
  });
});

describe('toMinorUnits', () => {
  it('turns amounts into exact minor units', () => {
    expect(toMinorUnits(45.1, 2)).toBe(4510);
    expect(toMinorUnits(1200, 0)).toBe(1200);
    expect(toMinorUnits('1.005', 3)).toBe(1005);
  });

  it('refuses amounts with more decimals than the currency, such as summed floats', () => {
    expect(toMinorUnits(0.1 + 0.2, 2)).toBeUndefined();
    expect(toMinorUnits(10.5, 0)).toBeUndefined();
  });
});

describe('line arithmetic', () => {
  it('multiplies exactly and rounds half away from zero', () => {
    const product = multiplyDecimals(parseDecimal(3) ?? { units: 0n, scale: 0 }, parseDecimal(0.1) ?? { units: 0n, scale: 0 });
    expect(roundToMinor(product, 2)).toBe(30);
    expect(roundToMinor(parseDecimal('0.125') ?? { units: 0n, scale: 0 }, 2)).toBe(13);
    expect(roundToMinor(parseDecimal('-0.125') ?? { units: 0n, scale: 0 }, 2)).toBe(-13);
  });

  it('answers minor units as the JSON number a client reads', () => {
    expect(minorToNumber(4510, 2)).toBe(45.1);
    expect(minorToNumber(30, 2)).toBe(0.3);
    expect(minorToNumber(1200, 0)).toBe(1200);
  });
});
