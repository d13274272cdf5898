/**
 * Oracle functions SuiteQL queries use, registered on the SQLite database as SQL functions:
 * `TO_DATE`, `TO_TIMESTAMP`, `TO_CHAR`, `TRUNC`, `NVL`, `NVL2`, `DECODE`, `TO_NUMBER`, and
 * `ns_sysdate()` (what `SYSDATE` is translated to). Dates are the stored `YYYY-MM-DDTHH:MM:SSZ` text.
 */
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from 'node:sqlite';
import { formatOracleDate, isStamp, parseOracleDate, truncateStamp, type Stamp } from './dates';

type Value = SQLOutputValue;

function text(value: Value): string | undefined {
  if (value === null || value instanceof Uint8Array) return undefined;
  return String(value);
}

function toDate(value: Value, format?: Value): SQLInputValue {
  const source = text(value);
  if (source === undefined) return null;
  if (isStamp(source)) return source;
  return parseOracleDate(source, text(format ?? null));
}

function toChar(value: Value, format?: Value): SQLInputValue {
  if (value === null) return null;
  if (isStamp(value)) return formatOracleDate(value, text(format ?? null));
  return text(value) ?? null;
}

function trunc(value: Value, format?: Value): SQLInputValue {
  if (value === null) return null;
  if (isStamp(value)) {
    const unit = (text(format ?? null) ?? 'DD').toUpperCase();
    if (unit === 'MM' || unit === 'MONTH' || unit === 'MON') return `${value.slice(0, 8)}01T00:00:00Z`;
    if (unit === 'YYYY' || unit === 'YEAR' || unit === 'YY') return `${value.slice(0, 5)}01-01T00:00:00Z`;
    return truncateStamp(value);
  }
  const number = Number(value);
  const digits = format === undefined || format === null ? 0 : Number(format);
  const factor = 10 ** digits;
  return Math.trunc(number * factor) / factor;
}

/** Registers the functions; `now` is the simulator's clock. */
export function registerOracleFunctions(db: DatabaseSync, now: () => Stamp): void {
  const options = { deterministic: false, useBigIntArguments: false };
  db.function('to_date', options, (value: Value) => toDate(value));
  db.function('to_date', options, (value: Value, format: Value) => toDate(value, format));
  db.function('to_timestamp', options, (value: Value) => toDate(value));
  db.function('to_timestamp', options, (value: Value, format: Value) => toDate(value, format));
  db.function('to_char', options, (value: Value) => toChar(value));
  db.function('to_char', options, (value: Value, format: Value) => toChar(value, format));
  db.function('trunc', options, (value: Value) => trunc(value));
  db.function('trunc', options, (value: Value, format: Value) => trunc(value, format));
  db.function('to_number', options, (value: Value) => (value === null ? null : Number(value)));
  db.function('nvl', options, (value: Value, fallback: Value) => value ?? fallback);
  db.function('nvl2', options, (value: Value, ifSet: Value, ifNull: Value) => (value === null ? ifNull : ifSet));
  db.function('decode', { ...options, varargs: true }, (...args: Value[]) => {
    const [subject = null, ...pairs] = args;
    for (let index = 0; index + 1 < pairs.length; index += 2) {
      // DECODE treats NULL as equal to NULL, unlike `=`.
      if (pairs[index] === subject || (pairs[index] !== null && subject !== null && String(pairs[index]) === String(subject))) return pairs[index + 1] ?? null;
    }
    return pairs.length % 2 === 1 ? (pairs.at(-1) ?? null) : null;
  });
  db.function('ns_sysdate', options, () => now());
}
