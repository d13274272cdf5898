/**
 * The simulated account's time zone. NetSuite stores datetimes as instants and shows them, in SuiteQL,
 * in the time zone of the user's preferences; a datetime literal in a query (`TO_TIMESTAMP('...')`) is
 * read in that zone too. Calendar dates (`trandate`, `duedate`) are days, never converted.
 *
 * The simulator keeps instants as UTC stamps (`YYYY-MM-DDTHH:MM:SSZ`); a *wall stamp* is the same text
 * holding the zone's wall clock instead (what a person in that zone reads on the clock).
 */
import { stampOf, type Stamp } from './dates';

/** The account's time zone when none is given: west of UTC, with daylight saving time. */
export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

/** A time zone that converts between instants and wall clocks. */
export interface AccountTimeZone {
  /** The IANA name. */
  readonly name: string;
  /** The wall clock of an instant, as a wall stamp. */
  toWall(instant: Stamp): Stamp;
  /**
   * The instant a wall clock stands for. A wall clock that happens twice (the hour repeated when
   * daylight saving time ends) is read as the later instant, and one that never happens (the hour
   * skipped when it starts) as the instant the same distance past the jump: NetSuite does not document
   * either case, and the later instant is the one that makes a careless client miss changes.
   */
  toInstant(wall: Stamp): Stamp;
  /** The zone's offset from UTC at an instant, in minutes (`-420` for UTC-7). */
  offsetMinutes(instant: Stamp): number;
}

function formatterFor(name: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    throw new RangeError(`"${name}" is not an IANA time zone name (for example America/Los_Angeles or Asia/Kolkata).`);
  }
}

/** Wall clocks a time zone keeps. */
const WALLS_KEPT = 100_000;

/** A time zone by IANA name; throws `RangeError` for a name the runtime does not know. */
export function accountTimeZone(name: string = DEFAULT_TIME_ZONE): AccountTimeZone {
  const format = formatterFor(name);
  // Formatting is slow and SuiteQL shows the same instants again and again (every page of every query):
  // each instant's wall clock is kept, a bounded number of them.
  const walls = new Map<number, number>();
  const wallMs = (epochMs: number): number => {
    const kept = walls.get(epochMs);
    if (kept !== undefined) return kept;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(epochMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    if (walls.size >= WALLS_KEPT) walls.clear();
    walls.set(epochMs, wall);
    return wall;
  };
  const offsetMs = (epochMs: number): number => wallMs(epochMs) - Math.floor(epochMs / 1000) * 1000;
  return {
    name: format.resolvedOptions().timeZone,
    toWall: (instant) => stampOf(new Date(wallMs(Date.parse(instant)))),
    offsetMinutes: (instant) => Math.round(offsetMs(Date.parse(instant)) / 60_000),
    toInstant(wall) {
      const target = Date.parse(wall);
      // Every instant whose wall clock is `target` has an offset the zone uses within a day of it.
      const offsets = new Set([offsetMs(target - 86_400_000), offsetMs(target), offsetMs(target + 86_400_000)]);
      const matches = [...offsets].map((offset) => target - offset).filter((epoch) => wallMs(epoch) === target);
      if (matches.length > 0) return stampOf(new Date(Math.max(...matches)));
      // Skipped: the offset before the jump puts the instant past it by as much as the wall clock is.
      return stampOf(new Date(target - Math.min(...offsets)));
    },
  };
}
