/**
 * Money of the generated books, always in integer minor units: which exponent a currency has, how minor
 * units are written as decimal strings and read back, and how products are rounded (half away from zero,
 * on integers, so that every machine writes the same digits).
 */

const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);
/** How many minor units of a zero-decimal currency are worth about one US cent, for realistic prices. */
const CENT_VALUE: Record<string, number> = { JPY: 1.5, KRW: 14, ISK: 1.4, CLP: 9.5, VND: 250, PYG: 75, UGX: 37 };
const POW10 = [1, 10, 100, 1000, 10_000, 100_000];

/**
 * Number of decimals of a currency (ISO 4217 minor unit): 0 for JPY, KRW and other zero-decimal
 * currencies, 3 for BHD, KWD, ..., 2 otherwise.
 * @example
 * currencyExponent('jpy'); // 0
 */
export function currencyExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** Formats integer minor units as a decimal string with `exponent` decimals. */
export function formatMinor(minor: number, exponent: number): string {
  const negative = minor < 0;
  const abs = negative ? -minor : minor;
  const sign = negative ? '-' : '';
  if (exponent === 0) return sign + String(abs);
  const scale = POW10[exponent]!;
  const frac = abs % scale;
  return `${sign}${(abs - frac) / scale}.${String(frac).padStart(exponent, '0')}`;
}

/** Parses a decimal string into minor units of a currency with `exponent` decimals (BigInt: totals may be large). */
export function parseMinor(value: string, exponent: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  const fraction = match?.[3] ?? '';
  if (!match || fraction.length > exponent) throw new RangeError(`Not an amount with ${exponent} decimals: ${value}`);
  const minor = BigInt(match[2]! + fraction.padEnd(exponent, '0'));
  return match[1] === '-' ? -minor : minor;
}

/** {@link formatMinor} for BigInt minor units (totals). */
export function formatBigMinor(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const sign = negative ? '-' : '';
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** `numerator / divisor` rounded half away from zero, exact for safe integers. */
export function divRound(numerator: number, divisor: number): number {
  const abs = Math.abs(numerator) + divisor / 2;
  const result = (abs - (abs % divisor)) / divisor;
  return numerator < 0 ? -result : result;
}

/** A quantity in hundredths as the shortest decimal string (`150` → `"1.5"`). */
export function formatQuantity(hundredths: number): string {
  const whole = (hundredths - (hundredths % 100)) / 100;
  const frac = hundredths % 100;
  if (frac === 0) return String(whole);
  return frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${String(frac).padStart(2, '0')}`;
}

/** A rate in hundredths of a minor unit: the currency's exponent when whole, two more decimals otherwise. */
export function formatRate(rateHundredths: number, exponent: number): string {
  if (rateHundredths % 100 === 0) return formatMinor(rateHundredths / 100, exponent);
  return formatMinor(rateHundredths, exponent + 2);
}

/** `quantity x unitCost` in minor units, rounded half away from zero (BigInt). */
export function roundProduct(quantity: string, unitCost: string, exponent: number): bigint {
  const [q, qScale] = decimal(quantity);
  const [u, uScale] = decimal(unitCost);
  const scale = qScale + uScale - exponent;
  const product = q * u;
  if (scale <= 0) return product * 10n ** BigInt(-scale);
  const divisor = 10n ** BigInt(scale);
  const abs = product < 0n ? -product : product;
  const rounded = (abs + divisor / 2n) / divisor;
  return product < 0n ? -rounded : rounded;
}

/** A decimal string as its digits and its number of decimals (`"-12.30"` → `[-1230n, 2]`). */
function decimal(value: string): [bigint, number] {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new RangeError(`Not a decimal: ${value}`);
  const fraction = match[3] ?? '';
  const digits = BigInt(match[2]! + fraction);
  return [match[1] === '-' ? -digits : digits, fraction.length];
}

/** Price range of a unit, in minor units of `currency`: about 10 to 2,000 US dollars' worth. */
export function priceRange(currency: string, exponent: number): [number, number] {
  const centValue = exponent === 0 ? (CENT_VALUE[currency] ?? 1) : POW10[exponent - 2]!;
  return [Math.max(1, Math.round(1000 * centValue)), Math.round(200_000 * centValue)];
}

/** Exponent and unit price range of each currency of the books, by index in their currency list. */
export interface CurrencyPricing {
  exponents: number[];
  prices: [number, number][];
}

/** The {@link CurrencyPricing} of `currencies` (upper-case codes). */
export function createCurrencyPricing(currencies: readonly string[]): CurrencyPricing {
  const exponents = currencies.map(currencyExponent);
  const prices = currencies.map((code, index) => priceRange(code, exponents[index]!));
  return { exponents, prices };
}
