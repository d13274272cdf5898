import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors';
import { durationToMs, parseDuration } from './duration';

describe('durations', () => {
  it.each([
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['1h 30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['10S', 10_000],
    [' 5m ', 300_000],
    [0, 0],
    [1500, 1500],
    [1.6, 2],
  ] as const)('reads %j as %i ms', (value, ms) => {
    expect(durationToMs(value)).toBe(ms);
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['', '1', '1 hour', 'h', '-5m', '5x', '1h-', '1e3ms', 'ms', '1h,30m'])('refuses %j', (value) => {
    expect(durationToMs(value)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %d', (value) => {
    expect(durationToMs(value)).toBeUndefined();
  });

  it('names the field in the error', () => {
    const error = (() => {
      try {
        parseDuration('soon', 'every');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_DURATION', issues: [{ path: 'every' }] });
    expect((error as ConfigurationError).message).toContain('every must be a duration');
    expect((error as ConfigurationError).resolution).toBeTruthy();
  });
});
