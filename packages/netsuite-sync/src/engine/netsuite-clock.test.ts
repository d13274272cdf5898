import { describe, expect, it } from 'vitest';
import { changedSinceLiteral, cursorAt, learnedOffsetMinutes, netsuiteClock, offsetText } from './netsuite-clock';

const literal = (cursor: string, overlapMs: number, clock: ReturnType<typeof netsuiteClock>) => /'([^']+)'/.exec(changedSinceLiteral(cursor, overlapMs, clock).text)?.[1];

describe('learnedOffsetMinutes', () => {
  it('reads the offset of NetSuite wall clock to the quarter hour, whatever the small skew', () => {
    const at = new Date('2026-06-10T12:00:00Z');
    expect(learnedOffsetMinutes('2026-06-10 05:00:00', at)).toBe(-420);
    expect(learnedOffsetMinutes('2026-06-10 05:03:10', at)).toBe(-420);
    expect(learnedOffsetMinutes('2026-06-10 17:45:00', at)).toBe(345);
    expect(learnedOffsetMinutes('2026-06-11 02:00:00', at)).toBe(840);
    expect(learnedOffsetMinutes('2026-06-10 00:00:00', at)).toBe(-720);
  });

  it('gives nothing for an answer that is not a wall clock, or an offset no zone has', () => {
    const at = new Date('2026-06-10T12:00:00Z');
    expect(learnedOffsetMinutes('6/10/2026', at)).toBeUndefined();
    expect(learnedOffsetMinutes('2026-06-11 04:00:00', at)).toBeUndefined();
    expect(learnedOffsetMinutes('2026-06-09 22:00:00', at)).toBeUndefined();
  });
});

describe('cursorAt', () => {
  it("writes the instant with the account's offset there", () => {
    const zone = netsuiteClock({ timeZone: 'America/Los_Angeles' }, new Date('2026-06-10T12:00:00Z'));
    expect(cursorAt(new Date('2026-01-15T09:00:00Z'), zone)).toBe('2026-01-15T01:00:00.000-08:00');
    expect(cursorAt(new Date('2026-06-15T09:00:00Z'), zone)).toBe('2026-06-15T02:00:00.000-07:00');
    expect(Date.parse(cursorAt(new Date('2026-06-15T09:00:00Z'), zone))).toBe(Date.parse('2026-06-15T09:00:00Z'));
    expect(cursorAt(new Date('2026-06-15T09:00:00Z'), netsuiteClock({ offsetMinutes: 0 }, new Date()))).toBe('2026-06-15T09:00:00.000+00:00');
    expect(offsetText(-570)).toBe('-09:30');
  });
});

describe('changedSinceLiteral', () => {
  const learned = (offsetMinutes: number) => netsuiteClock({ offsetMinutes }, new Date('2026-06-10T12:00:00Z'));
  const named = (timeZone: string) => netsuiteClock({ timeZone }, new Date('2026-06-10T12:00:00Z'));

  it("gives the cursor's wall clock in the account, less the overlap", () => {
    expect(literal('2026-06-10T05:00:00.000-07:00', 300_000, learned(-420))).toBe('2026-06-10 04:55:00');
    expect(literal('2026-06-10T12:00:00.000Z'.replace('Z', '+00:00'), 0, learned(0))).toBe('2026-06-10 12:00:00');
    expect(literal('2026-06-10T12:00:00.000Z'.replace('Z', '+00:00'), 0, named('Asia/Kathmandu'))).toBe('2026-06-10 17:45:00');
  });

  it("uses the cursor's own offset when the offset changed since it was written", () => {
    // Written in summer (UTC-7), read in winter (UTC-8) with a learned offset.
    expect(literal('2026-06-10T10:00:00.000-07:00', 0, learned(-480))).toBe('2026-06-10 10:00:00');
  });

  it('reaches back an hour where clocks change at night, when the offset is only learned', () => {
    expect(literal('2026-11-01T01:30:00.000-07:00', 0, learned(-420))).toBe('2026-11-01 00:30:00');
    expect(literal('2026-03-08T03:02:00.000-07:00', 300_000, learned(-420))).toBe('2026-03-08 01:57:00');
    expect(literal('2026-06-10T12:00:00.000-07:00', 0, learned(-420))).toBe('2026-06-10 12:00:00');
  });

  it('reaches back two hours near a change of a named zone, and only there', () => {
    // 2026-11-01 01:30 PDT is 08:30Z; the repeated hour follows.
    expect(literal('2026-11-01T01:30:00.000-07:00', 0, named('America/Los_Angeles'))).toBe('2026-10-31 23:30:00');
    expect(literal('2026-11-02T01:30:00.000-08:00', 0, named('America/Los_Angeles'))).toBe('2026-11-02 01:30:00');
  });

  it('reaches back a day once for a cursor written as UTC by an earlier version', () => {
    expect(literal('2026-06-10T12:00:00.000Z', 0, learned(-420))).toBe('2026-06-09 02:00:00'); // 26 h back, and an hour more at night
  });

  it('refuses a cursor that is not a datetime, saying how to recover', () => {
    expect(() => changedSinceLiteral('yesterday', 0, learned(0))).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }) as Error);
  });
});
