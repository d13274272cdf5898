/**
 * Exact money. Amounts travel as JSON numbers (Invoiced, NetSuite REST) or decimal strings (SuiteQL), and
 * are turned into integer minor units (`bigint`) before any arithmetic: floats are never summed.
 *
 * A JSON number is read through its shortest round-trip text (`String(0.1 + 0.2)` is
 * `"0.30000000000000004"`), so float noise is seen for what it is and refused unless rounding is asked for.
 */
import { MappingError } from './errors';

/** An amount as the APIs send it: a JSON number or a decimal string (`"1234.50"`, `"-3"`, `".5"`). */
export type AmountInput = number | string;

/** Options of {@link toMinor}. */
export interface ToMinorOptions {
  /**
   * What to do with more decimals than the currency has. By default they are refused (`AMOUNT_PRECISION`);
   * `'half-up'` rounds half away from zero (`0.125 -> 0.13`, `-0.125 -> -0.13`).
   * @default undefined (refuse)
   */
  round?: 'half-up' | undefined;
}

/** ISO 4217 currencies without minor units. */
const ZERO_DECIMALS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
/** ISO 4217 currencies with thousandths. */
const THREE_DECIMALS = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
/** ISO 4217 units of account with four decimals. */
const FOUR_DECIMALS = new Set(['CLF', 'UYW']);

/**
 * Decimals of a currency per ISO 4217: 0 for JPY, KRW, CLP, VND..., 3 for KWD, BHD, JOD, OMR, TND...,
 * 4 for CLF and UYW, else 2. Case-insensitive.
 * @throws {MappingError} `INVALID_CURRENCY` when `code` is not three letters.
 * @example currencyExponent('jpy') === 0; currencyExponent('KWD') === 3; currencyExponent('usd') === 2;
 */
export function currencyExponent(code: string): number {
  const upper = normalizeCurrencyCode(code);
  if (ZERO_DECIMALS.has(upper)) return 0;
  if (THREE_DECIMALS.has(upper)) return 3;
  if (FOUR_DECIMALS.has(upper)) return 4;
  return 2;
}

/**
 * A currency code in upper case, checked to be three letters.
 * @throws {MappingError} `INVALID_CURRENCY`.
 * @example normalizeCurrencyCode(' usd ') === 'USD';
 */
export function normalizeCurrencyCode(code: string): string {
  const upper = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (!/^[A-Z]{3}$/.test(upper)) {
    throw new MappingError('INVALID_CURRENCY', `"${preview(code)}" is not a currency code.`, 'Use a three-letter ISO 4217 code such as USD.');
  }
  return upper;
}

/** An exact decimal: `units / 10^scale`. @internal */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * Reads a JSON number or a decimal string exactly; `undefined` for NaN, Infinity and anything that is not
 * a plain decimal (`"1,000"`, `"12 USD"`, `""`, `"0x10"`). @internal
 */
export function parseDecimal(value: unknown): Decimal | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return undefined;
  }
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  let units = BigInt(`${whole}${fraction}` || '0');
  let scale = fraction.length - Number(exponent);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign === '-' ? -units : units, scale };
}

/** `a × b`, exact. @internal */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** A decimal in units of `10^-exponent`; `undefined` when digits would be lost and no rounding is asked. @internal */
export function decimalToScale(value: Decimal, exponent: number, round: boolean): bigint | undefined {
  if (value.scale <= exponent) return value.units * 10n ** BigInt(exponent - value.scale);
  const divisor = 10n ** BigInt(value.scale - exponent);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  if (remainder === 0n) return quotient;
  if (!round) return undefined;
  const magnitude = remainder < 0n ? -remainder : remainder;
  if (magnitude * 2n < divisor) return quotient;
  return value.units < 0n ? quotient - 1n : quotient + 1n;
}

/**
 * An amount in integer minor units of its currency (cents, yen, fils).
 * @throws {MappingError} `INVALID_AMOUNT` for NaN, Infinity, non-numbers and malformed strings;
 * `AMOUNT_PRECISION` for more decimals than the currency has (unless `{ round: 'half-up' }`);
 * `INVALID_CURRENCY` for a malformed currency code.
 * @example
 * toMinor('1234.50', 'USD') === 123450n;
 * toMinor(1500, 'JPY') === 1500n;
 * toMinor('1.234', 'KWD') === 1234n;
 * toMinor(0.1 + 0.2, 'USD'); // throws AMOUNT_PRECISION: 0.30000000000000004 is not a USD amount
 * toMinor(0.1 + 0.2, 'USD', { round: 'half-up' }) === 30n;
 */
export function toMinor(amount: AmountInput, currency: string, options: ToMinorOptions = {}): bigint {
  const exponent = currencyExponent(currency);
  const decimal = parseDecimal(amount);
  if (decimal === undefined) {
    throw new MappingError('INVALID_AMOUNT', `"${preview(amount)}" is not an amount.`, 'Amounts must be finite decimal numbers such as 1234.50.');
  }
  const minor = decimalToScale(decimal, exponent, options.round === 'half-up');
  if (minor === undefined) {
    const code = normalizeCurrencyCode(currency);
    throw new MappingError(
      'AMOUNT_PRECISION',
      `${preview(amount)} has more decimals than ${code} allows (${exponent}).`,
      `Round the amount to ${exponent} decimal${exponent === 1 ? '' : 's'} at its source.`,
      undefined,
      { details: { amount: preview(amount), currency: code } },
    );
  }
  return minor;
}

/**
 * Minor units as a decimal string with exactly the currency's decimals.
 * @example fromMinor(123450n, 'USD') === '1234.50'; fromMinor(-5n, 'usd') === '-0.05'; fromMinor(1500n, 'JPY') === '1500';
 */
export function fromMinor(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent === 0 ? '' : `.${fraction}`}`;
}

/**
 * Minor units as a JSON number, for APIs that take numbers (Invoiced, NetSuite REST). The number is the
 * double nearest the decimal, and its shortest text is that decimal again, so it reads back exactly.
 * That holds for any amount of at most 15 significant digits (below 10^15 minor units: ten trillion
 * dollars); past 2^53 minor units not even the integer is exact. The round trip is checked, never assumed.
 * @throws {MappingError} `AMOUNT_NOT_REPRESENTABLE` when the number would not read back as `minor`.
 * @example minorToNumber(123450n, 'USD') === 1234.5; minorToNumber(1n, 'KWD') === 0.001;
 */
export function minorToNumber(minor: bigint, currency: string): number {
  const text = fromMinor(minor, currency);
  const value = Number(text);
  const back = minor <= BigInt(Number.MAX_SAFE_INTEGER) && minor >= -BigInt(Number.MAX_SAFE_INTEGER) ? parseDecimal(value) : undefined;
  if (back === undefined || decimalToScale(back, currencyExponent(currency), false) !== minor) {
    throw new MappingError(
      'AMOUNT_NOT_REPRESENTABLE',
      `${text} ${normalizeCurrencyCode(currency)} cannot be sent as a JSON number without losing digits.`,
      'Amounts of 15 or more significant digits cannot be synced; split the record.',
    );
  }
  return value;
}

/**
 * The exact sum of minor-unit amounts.
 * @example sumMinor([toMinor('0.1', 'USD'), toMinor('0.2', 'USD')]) === 30n;
 */
export function sumMinor(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/**
 * Compares two amounts of one currency exactly: -1, 0 or 1. Both must be exact amounts of the currency.
 * @throws {MappingError} as {@link toMinor}.
 * @example compareMoney('10.10', 10.1, 'USD') === 0; compareMoney(0.3, '0.29', 'USD') === 1;
 */
export function compareMoney(a: AmountInput, b: AmountInput, currency: string): -1 | 0 | 1 {
  const left = toMinor(a, currency);
  const right = toMinor(b, currency);
  return left === right ? 0 : left < right ? -1 : 1;
}

/** A short, printable rendering of a value for messages. @internal */
export function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
