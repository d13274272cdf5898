/**
 * Days of the generation window. Transactions are placed on whole days (`0..days-1` from `startDate`) and
 * timestamped in milliseconds; records carry dates as `YYYY-MM-DD` and datetimes as ISO 8601 UTC to the
 * second.
 */

export const DAY_MS = 86_400_000;
export const HOUR_S = 3600;

/** Milliseconds of a `YYYY-MM-DD` date at midnight UTC; a RangeError for anything else, `2026-02-30` included. */
export function parseDay(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (new Date(ms).toISOString().slice(0, 10) === value) return ms;
  }
  throw new RangeError(`startDate must be a YYYY-MM-DD date, got ${value}`);
}

/** ISO 8601 UTC to the second. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `YYYY-MM-DD` of a day of the window starting at `startMs`, each day formatted once (there are far fewer days than records). */
export function createDayText(startMs: number): (day: number) => string {
  const dayTexts: string[] = [];
  return (day) => {
    let text = dayTexts[day];
    if (text === undefined) {
      text = new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);
      dayTexts[day] = text;
    }
    return text;
  };
}

/** Indexes `0..n-1` sorted (stably) by `day`, a counting sort. */
export function orderByDay(day: Int32Array, n: number, days: number): Int32Array {
  const starts = new Int32Array(days + 1);
  for (let i = 0; i < n; i += 1) starts[day[i]! + 1]! += 1;
  for (let d = 0; d < days; d += 1) starts[d + 1]! += starts[d]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[starts[day[i]!]!++] = i;
  return order;
}
