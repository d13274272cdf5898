/**
 * Calendar dates across the two services. NetSuite has calendar dates (`tranDate: '2026-03-31'`, or the
 * same from SuiteQL with `TO_CHAR(trandate, 'YYYY-MM-DD')`); Invoiced has UNIX timestamps in seconds.
 *
 * A calendar date becomes **noon** of that day in the account's time zone: noon stays on the same
 * calendar day when shown anywhere from UTC-11 to UTC+12, where midnight would show as the day before in
 * every zone west of the account. A timestamp becomes the calendar day it falls on in that time zone.
 */
import { MappingError } from './errors';
import { preview } from './money';

/** A calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The calendar date of `YYYY-MM-DD`, or of an ISO 8601 datetime as written (its date part).
 * @throws {MappingError} `INVALID_DATE` for anything else, including impossible dates (`2026-02-30`) and
 * locale formats such as `3/4/2026` (ambiguous: select dates with `TO_CHAR(..., 'YYYY-MM-DD')`).
 * @example parseCalendarDate('2026-03-31T00:00:00Z') === '2026-03-31';
 */
export function parseCalendarDate(text: unknown): CalendarDate {
  const match = typeof text === 'string' ? ISO_DATE.exec(text.trim()) : null;
  if (match !== null) {
    const [, year = '', month = '', day = ''] = match;
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day)) {
      return `${year}-${month}-${day}`;
    }
  }
  throw new MappingError(
    'INVALID_DATE',
    `"${preview(text)}" is not a date (YYYY-MM-DD).`,
    "Read NetSuite dates as YYYY-MM-DD: REST does; in SuiteQL select TO_CHAR(trandate, 'YYYY-MM-DD').",
  );
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (error) {
      throw new MappingError('INVALID_TIME_ZONE', `"${preview(timeZone)}" is not a time zone.`, 'Use an IANA time zone name such as America/New_York.', undefined, { cause: error });
    }
    formatters.set(timeZone, format);
  }
  return format;
}

/** A fixed offset such as `-08:00` or `+05:45`, in minutes; `undefined` for a zone name. */
function fixedOffsetMinutes(timeZone: string): number | undefined {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(timeZone);
  if (match === null) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (Number(match[3]) > 59 || minutes > 14 * 60) {
    throw new MappingError('INVALID_TIME_ZONE', `"${timeZone}" is not a UTC offset.`, 'Use an offset from -12:00 to +14:00, or an IANA time zone name.');
  }
  return match[1] === '-' ? -minutes : minutes;
}

/** Wall-clock fields of a moment in a time zone (an IANA name or a fixed offset such as `-08:00`). */
function wallClock(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const fixed = fixedOffsetMinutes(timeZone);
  if (fixed !== undefined) {
    const wall = new Date(Math.floor(epochMs / 1000) * 1000 + fixed * 60_000);
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at a moment, in milliseconds. */
function offsetMs(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * How far a time zone's wall clock is ahead of UTC at a moment, in whole minutes (`-420` for UTC-7).
 * @param timeZone IANA name, or a fixed offset such as `-08:00`.
 * @throws {MappingError} `INVALID_TIME_ZONE`.
 * @example utcOffsetMinutes(new Date('2026-07-01T00:00:00Z'), 'America/Los_Angeles') === -420;
 */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(offsetMs(instant.getTime(), timeZone) / 60_000);
}

/**
 * A calendar date as UNIX seconds: noon of that day in `timeZone`.
 * @param timeZone IANA name of the accounts' time zone, or a fixed offset such as `-08:00`. @default 'UTC'
 * @throws {MappingError} `INVALID_DATE`, `INVALID_TIME_ZONE`.
 * @example dateToUnixSeconds('2026-03-31') === 1774958400; // 2026-03-31T12:00:00Z
 */
export function dateToUnixSeconds(date: string, timeZone = 'UTC'): number {
  const [year, month, day] = parseCalendarDate(date).split('-').map(Number) as [number, number, number];
  const noonUtc = Date.UTC(year, month - 1, day, 12);
  let epoch = noonUtc - offsetMs(noonUtc, timeZone);
  // Once more, in case the offset at noon UTC differs from the offset at local noon (a DST change).
  epoch = noonUtc - offsetMs(epoch, timeZone);
  return Math.floor(epoch / 1000);
}

/**
 * The calendar day a UNIX timestamp falls on in `timeZone`, `YYYY-MM-DD`.
 * @param timeZone IANA name of the accounts' time zone, or a fixed offset such as `-08:00`. @default 'UTC'
 * @throws {MappingError} `INVALID_DATE` for a non-finite timestamp, `INVALID_TIME_ZONE`.
 * @example unixSecondsToDate(1774958400) === '2026-03-31';
 */
export function unixSecondsToDate(seconds: number, timeZone = 'UTC'): CalendarDate {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new MappingError('INVALID_DATE', `${preview(seconds)} is not a UNIX timestamp.`, 'Invoiced dates are UNIX timestamps in seconds.');
  }
  const wall = wallClock(seconds * 1000, timeZone);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`;
}
