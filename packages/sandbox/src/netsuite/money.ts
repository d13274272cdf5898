/**
 * Exact decimal arithmetic for the simulator's amounts, quantities and rates. A value is a `bigint` scaled
 * by 10^8, so `"1234.50"` is `123450000000n`: sums and differences are exact, and only a product (quantity
 * × rate) is rounded, once, to the currency's precision, as NetSuite does. Amounts are stored as canonical
 * decimal text in SQLite and sent as JSON numbers over REST.
 */

/** Digits kept after the decimal point. */
const SCALE = 8;
const ONE = 10n ** BigInt(SCALE);

/** A decimal scaled by 10^8. */
export type Decimal = bigint;

export const ZERO: Decimal = 0n;

/** 1 as a `Decimal`. */
export const UNIT: Decimal = ONE;

/**
 * Reads a JSON number or a decimal string (`"12.5"`, `-3`); `undefined` when it is neither. Digits past
 * the eighth decimal are rounded half away from zero.
 * @example parseDecimal('1234.50') === 123450000000n
 */
export function parseDecimal(value: unknown): Decimal | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) >= 1e15) return undefined;
    text = Number.isInteger(value) ? String(value) : value.toFixed(SCALE + 1);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return undefined;
  }
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text) ?? /^(-?)()\.(\d+)$/.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  const padded = (fraction + '0'.repeat(SCALE + 1)).slice(0, SCALE + 1);
  let scaled = BigInt(whole === '' ? '0' : whole) * ONE * 10n + BigInt(padded);
  scaled = (scaled + 5n) / 10n;
  return sign === '-' ? -scaled : scaled;
}

/** Canonical text: no trailing zeros, no exponent (`"1234.5"`, `"-3"`, `"0.01"`). */
export function formatDecimal(value: Decimal): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / ONE;
  const fraction = (magnitude % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** As a JSON number (what NetSuite's REST API sends). */
export function decimalToNumber(value: Decimal): number {
  return Number(formatDecimal(value));
}

/** Rounds half away from zero to `digits` decimals (0 for JPY, 2 for most currencies). */
export function roundDecimal(value: Decimal, digits: number): Decimal {
  const step = 10n ** BigInt(Math.max(0, SCALE - digits));
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const rounded = ((magnitude + step / 2n) / step) * step;
  return negative ? -rounded : rounded;
}

/** a × b, rounded to `digits` decimals. */
export function multiplyDecimal(a: Decimal, b: Decimal, digits: number): Decimal {
  const product = a * b; // scaled by 10^16
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const scaled = (magnitude + ONE / 2n) / ONE;
  return roundDecimal(negative ? -scaled : scaled, digits);
}

/** a ÷ b at full precision (for a rate derived from an amount and a quantity); `undefined` when b is 0. */
export function divideDecimal(a: Decimal, b: Decimal): Decimal | undefined {
  if (b === 0n) return undefined;
  return (a * ONE) / b;
}

/** The sum of a list. */
export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total += value;
  return total;
}

/** Reads stored canonical text back (`null` stays `undefined`). */
export function storedDecimal(text: unknown): Decimal | undefined {
  return parseDecimal(text);
}
