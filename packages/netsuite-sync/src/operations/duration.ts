/**
 * Durations as people write them in settings and on command lines: `'1h'`, `'30m'`, `'90s'`, `'250ms'`,
 * `'1h30m'`, `'1.5h'`, or a number of milliseconds.
 */
import { ConfigurationError } from '../errors';

/** Milliseconds per unit. */
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** One or more `<number><unit>` parts, largest unit first or not, with optional spaces between parts. */
const DURATION = /^(?:\s*\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$/i;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gi;

/**
 * The milliseconds of a duration, or `undefined` when the value is not one (negative, not finite, an
 * unknown unit, empty). Fractions of a millisecond are rounded.
 *
 * @example
 * durationToMs('1h');      // 3600000
 * durationToMs('1h30m');   // 5400000
 * durationToMs('250ms');   // 250
 * durationToMs(90_000);    // 90000
 * durationToMs('1 hour');  // undefined
 */
export function durationToMs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string' || !DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, amount = '0', unit = 'ms'] of value.matchAll(PART)) total += Number(amount) * (UNITS[unit.toLowerCase()] ?? Number.NaN);
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * Parses a duration (see {@link durationToMs}).
 *
 * @example
 * parseDuration('30m'); // 1800000
 * @throws {ConfigurationError} `INVALID_DURATION` naming `field` when the value is not a duration.
 */
export function parseDuration(value: string | number, field = 'duration'): number {
  const ms = durationToMs(value);
  if (ms === undefined) {
    throw new ConfigurationError(`${field} must be a duration such as '1h', '30m', '90s', '250ms' or '1h30m', or a number of milliseconds.`, {
      code: 'INVALID_DURATION',
      issues: [{ path: field, message: "must be a duration such as '1h', '30m', '90s' or '250ms', or milliseconds" }],
      resolution: 'Write the duration as a number followed by ms, s, m, h or d (parts may be combined: 1h30m), or give milliseconds as a number.',
    });
  }
  return ms;
}
