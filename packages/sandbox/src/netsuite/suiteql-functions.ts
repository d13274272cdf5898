/**
 * Oracle functions SuiteQL queries use, registered on the SQLite database as SQL functions:
 * `TO_DATE`, `TO_TIMESTAMP`, `TO_CHAR`, `TRUNC`, `NVL`, `NVL2`, `DECODE`, `TO_NUMBER`, and
 * `ns_sysdate()` (what `SYSDATE` is translated to), `ns_wall(x)` (an instant as the account's wall clock,
 * which the translation wraps around datetimes given to `TO_CHAR` and `TRUNC`) and `ns_shuffle()` (the
 * seeded tie-breaker of every result's order). Dates are the stored `YYYY-MM-DDTHH:MM:SSZ` text.
 *
 * Time zone: `TO_TIMESTAMP('...')` is a wall clock of the account's time zone and becomes the instant it
 * stands for; `TO_DATE` without a time is a calendar day (dates are never converted), with a time it is
 * read like `TO_TIMESTAMP`.
 */
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from 'node:sqlite';
import { formatOracleDate, isStamp, parseOracleDate, truncateStamp, type Stamp } from './dates';
import type { AccountTimeZone } from './time-zone';

type Value = SQLOutputValue;

function text(value: Value): string | undefined {
  if (value === null || value instanceof Uint8Array) return undefined;
  return String(value);
}

/** `TO_DATE` (`withTime` false: a calendar day unless the format has a time) or `TO_TIMESTAMP`. */
function toDate(zone: AccountTimeZone, withTime: boolean, value: Value, format?: Value): SQLInputValue {
  const source = text(value);
  if (source === undefined) return null;
  // A stored value (a column, SYSDATE) is already an instant or a day.
  if (isStamp(source)) return source;
  const model = text(format ?? null);
  const wall = parseOracleDate(source, model);
  const hasTime = withTime || (model === undefined ? /\d[ T]\d/.test(text(value) ?? '') : /HH|MI|SS/i.test(model));
  return hasTime ? zone.toInstant(wall) : wall;
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

/** What the functions depend on. */
export interface OracleFunctionsContext {
  /** The simulator's clock, as a stamp. */
  readonly now: () => Stamp;
  /** The account's time zone. */
  readonly zone: AccountTimeZone;
  /** The next tie-breaker of `ns_shuffle()`, a number in [0, 1). */
  readonly shuffle: () => number;
}

/** Answers kept by a memo before it starts afresh. */
const MEMO_SIZE = 10_000;

/**
 * `work(value, format)` remembered by its text arguments: SQLite calls a function once per row (a literal
 * `TO_TIMESTAMP('...')` in a WHERE clause is parsed again for every row scanned, a day formatted again for
 * every row of that day), and these answers depend on nothing else. Failures are not remembered: they
 * are thrown again each time, as before. Other arguments (numbers, NULL) go straight to `work`.
 */
function memo(work: (value: Value, format?: Value) => SQLInputValue): (value: Value, format?: Value) => SQLInputValue {
  const answers = new Map<string, SQLInputValue>();
  return (value, format) => {
    if (typeof value !== 'string' || (format !== undefined && format !== null && typeof format !== 'string')) return work(value, format);
    const key = format === undefined ? `u\u0000${value}` : format === null ? `n\u0000${value}` : `s${format.length}:${format}\u0000${value}`;
    const known = answers.get(key);
    if (known !== undefined || answers.has(key)) return known as SQLInputValue;
    const answer = work(value, format);
    if (answers.size >= MEMO_SIZE) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}

/** Registers the functions, and Oracle's one-row table `DUAL`. */
export function registerOracleFunctions(db: DatabaseSync, { now, zone, shuffle }: OracleFunctionsContext): void {
  const options = { deterministic: false, useBigIntArguments: false };
  const date = memo((value, format) => toDate(zone, false, value, format));
  const timestamp = memo((value, format) => toDate(zone, true, value, format));
  const chars = memo(toChar);
  db.function('to_date', options, (value: Value) => date(value));
  db.function('to_date', options, (value: Value, format: Value) => date(value, format));
  db.function('to_timestamp', options, (value: Value) => timestamp(value));
  db.function('to_timestamp', options, (value: Value, format: Value) => timestamp(value, format));
  db.function('ns_wall', options, (value: Value) => (typeof value === 'string' && isStamp(value) ? zone.toWall(value) : value));
  db.function('ns_shuffle', options, () => shuffle());
  db.exec(`CREATE VIEW IF NOT EXISTS dual AS SELECT 'X' AS dummy`);
  db.function('to_char', options, (value: Value) => chars(value));
  db.function('to_char', options, (value: Value, format: Value) => chars(value, format));
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
