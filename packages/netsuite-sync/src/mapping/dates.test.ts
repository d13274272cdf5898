import { describe, expect, it } from 'vitest';
import { dateToUnixSeconds, parseCalendarDate, unixSecondsToDate } from './dates';

describe('parseCalendarDate', () => {
  it('reads REST dates and the date part of datetimes', () => {
    expect(parseCalendarDate('2026-03-31')).toBe('2026-03-31');
    expect(parseCalendarDate('2026-03-31T23:30:00-08:00')).toBe('2026-03-31');
  });

  it('refuses impossible dates and ambiguous locale formats', () => {
    expect(() => parseCalendarDate('2026-02-30')).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }) as Error);
    expect(() => parseCalendarDate('3/4/2026')).toThrow(expect.objectContaining({ code: 'INVALID_DATE', resolution: expect.stringMatching(/TO_CHAR/) as string }) as Error);
    expect(() => parseCalendarDate(undefined)).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }) as Error);
  });
});

describe('dateToUnixSeconds', () => {
  it('puts a day at noon UTC by default', () => {
    expect(dateToUnixSeconds('2026-03-31')).toBe(Date.UTC(2026, 2, 31, 12) / 1000);
  });

  it('puts a day at noon in the given time zone, across a DST change', () => {
    expect(dateToUnixSeconds('2026-01-15', 'America/New_York')).toBe(Date.UTC(2026, 0, 15, 17) / 1000);
    expect(dateToUnixSeconds('2026-07-15', 'America/New_York')).toBe(Date.UTC(2026, 6, 15, 16) / 1000);
    expect(dateToUnixSeconds('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 16) / 1000);
  });

  it('refuses an unknown time zone', () => {
    expect(() => dateToUnixSeconds('2026-01-15', 'Mars/Olympus')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_ZONE' }) as Error);
  });
});

describe('unixSecondsToDate', () => {
  it('gives the day a timestamp falls on in the time zone', () => {
    const lateUtc = Date.UTC(2026, 2, 31, 23, 30) / 1000;
    expect(unixSecondsToDate(lateUtc)).toBe('2026-03-31');
    expect(unixSecondsToDate(lateUtc, 'Asia/Tokyo')).toBe('2026-04-01');
    expect(unixSecondsToDate(lateUtc, 'America/Los_Angeles')).toBe('2026-03-31');
  });

  it('round-trips with dateToUnixSeconds in far-apart zones', () => {
    for (const zone of ['UTC', 'Pacific/Auckland', 'America/Anchorage', 'Asia/Kolkata']) {
      expect(unixSecondsToDate(dateToUnixSeconds('2026-11-01', zone), zone)).toBe('2026-11-01');
    }
  });

  it('refuses a timestamp that is not a number', () => {
    expect(() => unixSecondsToDate(NaN)).toThrow(expect.objectContaining({ code: 'INVALID_DATE' }) as Error);
  });
});

describe('fixed offsets', () => {
  it('reads a zone given as a UTC offset, whole, half and quarter hours', () => {
    const early = Date.UTC(2026, 2, 31, 5, 0) / 1000;
    expect(unixSecondsToDate(early, '-08:00')).toBe('2026-03-30');
    expect(unixSecondsToDate(early, '+05:45')).toBe('2026-03-31');
    expect(unixSecondsToDate(Date.UTC(2026, 2, 31, 20, 0) / 1000, '+04:30')).toBe('2026-04-01');
    expect(dateToUnixSeconds('2026-03-31', '-09:30')).toBe(Date.UTC(2026, 2, 31, 21, 30) / 1000);
    expect(unixSecondsToDate(dateToUnixSeconds('2026-03-31', '+14:00'), '+14:00')).toBe('2026-03-31');
  });

  it('refuses an offset out of range', () => {
    expect(() => unixSecondsToDate(0, '+15:00')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_ZONE' }) as Error);
    expect(() => unixSecondsToDate(0, '+05:75')).toThrow(expect.objectContaining({ code: 'INVALID_TIME_ZONE' }) as Error);
  });
});
