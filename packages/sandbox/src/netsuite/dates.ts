/**
 * Dates and datetimes as the simulator stores and shows them.
 *
 * Stored: one sortable UTC form for both, `YYYY-MM-DDTHH:MM:SSZ` (a date is its midnight), so SQLite
 * compares `trandate` and `lastmodifieddate` with `TO_DATE(...)` / `TO_TIMESTAMP(...)` values as text and
 * gets the right answer. NetSuite keeps datetimes to the second, and so does the simulator.
 * Shown: REST sends dates as `YYYY-MM-DD` and datetimes as ISO 8601 UTC; SuiteQL sends both in the
 * account's default date format, `M/D/YYYY`, unless the query formats them with `TO_CHAR`.
 * Time zone: everything is UTC (a real account compares in its own time zone).
 */

const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** A stored date or datetime, `YYYY-MM-DDTHH:MM:SSZ`. */
export type Stamp = string;

/** The stored form of a moment (milliseconds dropped). */
export function stampOf(date: Date): Stamp {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Whether a value is in the stored form. */
export function isStamp(value: unknown): value is Stamp {
  return typeof value === 'string' && STAMP.test(value);
}

function valid(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Stamp | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return stampOf(date);
}

/** Reads a REST date (`YYYY-MM-DD`); `undefined` when it is not a real calendar date. */
export function parseRestDate(text: unknown): Stamp | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  return valid(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Reads an ISO 8601 datetime with a zone (`2026-01-02T03:04:05Z`, `...+02:00`, milliseconds allowed). */
export function parseRestDateTime(text: unknown): Stamp | undefined {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : stampOf(date);
}

/** `YYYY-MM-DD` (REST dates). */
export function restDate(stamp: Stamp): string {
  return stamp.slice(0, 10);
}

/** `M/D/YYYY` (SuiteQL's default rendering of dates and datetimes). */
export function suiteqlDate(stamp: Stamp): string {
  const [, year, month, day] = STAMP.exec(stamp) ?? [];
  return `${Number(month)}/${Number(day)}/${year}`;
}

/** Midnight of the stamp's day. */
export function truncateStamp(stamp: Stamp): Stamp {
  return `${stamp.slice(0, 10)}T00:00:00Z`;
}

/** The next day's midnight. */
export function nextDay(stamp: Stamp): Stamp {
  const date = new Date(truncateStamp(stamp));
  date.setUTCDate(date.getUTCDate() + 1);
  return stampOf(date);
}

const FORMAT_TOKEN = /YYYY|RRRR|YY|MONTH|MON|MM|DDD|DD|D|HH24|HH12|HH|MI|SS|AM|PM|"[^"]*"|[\s\S]/gi;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAMES = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Oracle's `TO_DATE` / `TO_TIMESTAMP`: reads `text` by an Oracle format model (`YYYY-MM-DD HH24:MI:SS`,
 * `MM/DD/YYYY`, ...). Without a format, `YYYY-MM-DD[ HH24:MI:SS]` and NetSuite's `M/D/YYYY` are accepted.
 * Throws on text that does not match, like Oracle.
 */
export function parseOracleDate(text: string, format?: string): Stamp {
  if (format === undefined) {
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    const stamp = iso
      ? valid(Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0))
      : us
        ? valid(Number(us[3]), Number(us[1]), Number(us[2]))
        : undefined;
    if (stamp === undefined) throw new Error(`date '${text}' does not match the default format`);
    return stamp;
  }
  const fields: string[] = [];
  let pattern = '';
  for (const token of format.match(FORMAT_TOKEN) ?? []) {
    const upper = token.toUpperCase();
    if (upper === 'YYYY' || upper === 'RRRR') pattern += '(\\d{4})';
    else if (upper === 'YY') pattern += '(\\d{2})';
    else if (upper === 'MONTH' || upper === 'MON') pattern += '([A-Za-z]+)';
    else if (['MM', 'DD', 'HH24', 'HH12', 'HH', 'MI', 'SS'].includes(upper)) pattern += '(\\d{1,2})';
    else if (upper === 'AM' || upper === 'PM') pattern += '([AaPp][Mm])';
    else if (token.startsWith('"')) pattern += escapeRegExp(token.slice(1, -1));
    else {
      pattern += escapeRegExp(token);
      continue;
    }
    if (!token.startsWith('"')) fields.push(upper);
  }
  const match = new RegExp(`^${pattern}$`, 'i').exec(text.trim());
  if (match === null) throw new Error(`date '${text}' does not match format '${format}'`);
  const parts = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, pm: false, twelve: false };
  fields.forEach((field, index) => {
    const value = match[index + 1] ?? '';
    const number = Number(value);
    if (field === 'YYYY' || field === 'RRRR') parts.year = number;
    else if (field === 'YY') parts.year = 2000 + number;
    else if (field === 'MON' || field === 'MONTH') parts.month = Math.max(MONTHS.indexOf(value.slice(0, 3).toUpperCase()), -1) + 1;
    else if (field === 'MM') parts.month = number;
    else if (field === 'DD') parts.day = number;
    else if (field === 'HH24') parts.hour = number;
    else if (field === 'HH' || field === 'HH12') {
      parts.hour = number;
      parts.twelve = true;
    }
    else if (field === 'MI') parts.minute = number;
    else if (field === 'SS') parts.second = number;
    else if (field === 'AM' || field === 'PM') parts.pm = value.toUpperCase() === 'PM';
  });
  if (parts.twelve) parts.hour = (parts.hour % 12) + (parts.pm ? 12 : 0);
  const stamp = valid(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second);
  if (stamp === undefined) throw new Error(`date '${text}' is not a valid date for format '${format}'`);
  return stamp;
}

/** `TO_CHAR` results kept by format and stamp: a query formats the same few dates on many rows. */
const formatted = new Map<string, string>();

/** Oracle's `TO_CHAR(date, format)`; the default format is NetSuite's `M/D/YYYY`. */
export function formatOracleDate(stamp: Stamp, format?: string): string {
  if (format === undefined) return suiteqlDate(stamp);
  const key = `${format}\u0000${stamp}`;
  let out = formatted.get(key);
  if (out === undefined) {
    out = formatWith(stamp, format);
    if (formatted.size >= 100_000) formatted.clear();
    formatted.set(key, out);
  }
  return out;
}

function formatWith(stamp: Stamp, format: string): string {
  const date = new Date(stamp);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hour = date.getUTCHours();
  let out = '';
  for (const token of format.match(FORMAT_TOKEN) ?? []) {
    const upper = token.toUpperCase();
    if (upper === 'YYYY' || upper === 'RRRR') out += pad(date.getUTCFullYear(), 4);
    else if (upper === 'YY') out += pad(date.getUTCFullYear() % 100);
    else if (upper === 'MONTH') out += MONTH_NAMES[date.getUTCMonth()] ?? '';
    else if (upper === 'MON') out += MONTHS[date.getUTCMonth()] ?? '';
    else if (upper === 'MM') out += pad(date.getUTCMonth() + 1);
    else if (upper === 'DDD') {
      const start = Date.UTC(date.getUTCFullYear(), 0, 1);
      out += pad(Math.floor((date.getTime() - start) / 86_400_000) + 1, 3);
    } else if (upper === 'DD') out += pad(date.getUTCDate());
    else if (upper === 'D') out += String(date.getUTCDay() + 1);
    else if (upper === 'HH24') out += pad(hour);
    else if (upper === 'HH' || upper === 'HH12') out += pad(hour % 12 === 0 ? 12 : hour % 12);
    else if (upper === 'MI') out += pad(date.getUTCMinutes());
    else if (upper === 'SS') out += pad(date.getUTCSeconds());
    else if (upper === 'AM' || upper === 'PM') out += hour < 12 ? 'AM' : 'PM';
    else if (token.startsWith('"')) out += token.slice(1, -1);
    else out += token;
  }
  return out;
}
