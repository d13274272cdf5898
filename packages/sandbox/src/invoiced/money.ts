/**
 * Exact money for the simulated Invoiced: amounts are kept as integer minor units (cents, or yen for
 * JPY) and quantities and unit costs as exact decimals, so totals and balances never drift the way
 * summed floats do. JSON numbers are only produced at the edge, when a record is rendered.
 */

/**
 * Decimals of the currencies Invoiced's money formatter lists; every other currency has two (so ISK,
 * VND or KWD have two on Invoiced, whatever ISO 4217 says).
 */
const DECIMALS: ReadonlyMap<string, number> = new Map([
  ...['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'vuv', 'xaf', 'xof', 'xpf'].map((code) => [code, 0] as const),
  ['bhd', 3],
  ['btc', 8],
]);

/**
 * Decimal places Invoiced gives a currency (`usd` 2, `jpy` 0, `bhd` 3).
 * @example currencyExponent('jpy') // 0
 */
export function currencyExponent(currency: string): number {
  return DECIMALS.get(currency.toLowerCase()) ?? 2;
}

/** An exact decimal: `units / 10^scale`, normalized (no trailing zeros in `units` when `scale > 0`). */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

function normalize(units: bigint, scale: number): Decimal {
  let u = units;
  let s = scale;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s -= 1;
  }
  return { units: u, scale: s };
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/**
 * Parses a finite number (through its shortest round-trip text, which is what the client meant) or a
 * decimal string (`"1234.50"`) into an exact decimal; `undefined` when it is not one.
 * @example parseDecimal(0.1) // { units: 1n, scale: 1 }
 */
export function parseDecimal(value: number | string): Decimal | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const match = DECIMAL_TEXT.exec(String(value).trim());
  if (match === null) return undefined;
  const [, sign = '', whole = '0', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  let units = BigInt(`${whole}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize(sign === '-' ? -units : units, scale);
}

/** The decimal as plain text (`"45.1"`, `"-0.05"`, `"1200"`). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** The decimal as the JSON number a client reads. */
export function decimalToNumber(value: Decimal): number {
  return Number(formatDecimal(value));
}

/** Exact product of two decimals. */
export function multiplyDecimals(a: Decimal, b: Decimal): Decimal {
  return normalize(a.units * b.units, a.scale + b.scale);
}

/** Rounds a decimal to minor units, half away from zero (how invoice lines are rounded). */
export function roundToMinor(value: Decimal, exponent: number): number {
  if (value.scale <= exponent) return Number(value.units * 10n ** BigInt(exponent - value.scale));
  const divisor = 10n ** BigInt(value.scale - exponent);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return Number(negative ? -quotient : quotient);
}

/**
 * An amount as minor units, or `undefined` when it has more decimals than the currency allows (a client
 * that sends `10.299999999999999` has summed floats) or is too large to hold exactly.
 * @example toMinorUnits(45.1, 2) // 4510
 */
export function toMinorUnits(amount: number | string, exponent: number): number | undefined {
  const decimal = parseDecimal(amount);
  if (decimal === undefined || decimal.scale > exponent) return undefined;
  const minor = decimal.units * 10n ** BigInt(exponent - decimal.scale);
  const asNumber = Number(minor);
  return Number.isSafeInteger(asNumber) ? asNumber : undefined;
}

/** Minor units as the JSON number a client reads (`4510`, 2 → `45.1`). */
export function minorToNumber(minor: number, exponent: number): number {
  return decimalToNumber(normalize(BigInt(minor), exponent));
}
