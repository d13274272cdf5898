/**
 * NetSuite's clock, as SuiteQL sees it. SuiteQL shows datetimes, and reads datetime literals such as
 * `TO_TIMESTAMP('2026-03-08 01:55:00', ...)`, in the time zone of the integration user's preferences, not
 * in UTC: a cursor written as a UTC wall clock is hours late for an account west of UTC, and every change
 * made in those hours is missed for good. Calendar dates (`trandate`) are days in that zone.
 *
 * The zone is `settings.netsuiteTimeZone` when set (an IANA name: exact, daylight saving time included).
 * Otherwise its current offset is learned once per run by asking SuiteQL for its own time
 * (`TO_CHAR(SYSDATE, ...)` against the engine's clock, rounded to a quarter hour).
 *
 * Cursors of NetSuite phases are written as ISO 8601 with the account's offset at that moment
 * (`2026-03-08T01:55:00.000-08:00`), so the next run knows the wall clock the cursor stood for even when
 * the offset changed in between. A literal is moved an hour earlier when its wall clock falls where
 * clocks change (23:00 to 04:00: every daylight saving time change in the IANA database happens there),
 * as a repeated or skipped wall clock may be read as the later instant. A cursor written as UTC (`...Z`)
 * by an earlier version of the engine is read with a day's margin once.
 */
import { ConfigurationError, NetSuiteSyncError } from '../errors';
import { utcOffsetMinutes } from '../mapping/index';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { PhaseDeps, PhaseRun } from './contracts';
import { NETSUITE_NOW, valueText } from './netsuite-queries';

/** How the engine reads and writes NetSuite datetimes in one run. */
export interface NetSuiteClock {
  /** The account's IANA time zone, when `settings.netsuiteTimeZone` names it. */
  readonly timeZone: string | undefined;
  /** The offset from UTC at the run's start, in minutes (`-480` for UTC-8). */
  readonly offsetMinutes: number;
  /** The zone for the mapping functions' `timeZone` option: the IANA name, or the offset (`-08:00`). */
  readonly mappingTimeZone: string;
  /** The offset at an instant, in minutes: exact with an IANA zone, the run's offset otherwise. */
  offsetAt(instant: Date): number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const QUARTER_HOUR = 15 * MINUTE;
/** Offsets in use: UTC-12 to UTC+14. */
const MIN_OFFSET = -12 * 60;
const MAX_OFFSET = 14 * 60;
/** Wall clock hours where some zone changes its clocks: [23:00, 04:00). */
const CHANGE_HOURS = new Set([23, 0, 1, 2, 3]);

const clocks = new WeakMap<PhaseRun, Promise<NetSuiteClock>>();

/** The offset `-08:00` / `+05:45` of a number of minutes. */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A clock of an IANA zone (exact), or of a learned offset (the same at every instant). */
export function netsuiteClock(zone: { timeZone: string } | { offsetMinutes: number }, now: Date): NetSuiteClock {
  if ('timeZone' in zone) {
    const timeZone = zone.timeZone;
    return { timeZone, offsetMinutes: utcOffsetMinutes(now, timeZone), mappingTimeZone: timeZone, offsetAt: (instant) => utcOffsetMinutes(instant, timeZone) };
  }
  const offset = zone.offsetMinutes;
  return { timeZone: undefined, offsetMinutes: offset, mappingTimeZone: offsetText(offset), offsetAt: () => offset };
}

/** The offset of a NetSuite wall clock read at `instant`, to the quarter hour; `undefined` if implausible. */
export function learnedOffsetMinutes(wallClock: string, instant: Date): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(wallClock.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const wall = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0);
  const offset = (Math.round((wall - instant.getTime()) / QUARTER_HOUR) * QUARTER_HOUR) / MINUTE;
  return offset >= MIN_OFFSET && offset <= MAX_OFFSET ? offset : undefined;
}

/** NetSuite's clock for this run: from the settings, or learned from NetSuite once per run. */
export function netsuiteClockOf(context: PhaseRun, deps: PhaseDeps): Promise<NetSuiteClock> {
  let clock = clocks.get(context);
  if (clock === undefined) {
    clock = readClock(context, deps);
    clocks.set(context, clock);
    // A failed read is not kept: the next phase asks again.
    clock.catch(() => clocks.delete(context));
  }
  return clock;
}

async function readClock(context: PhaseRun, deps: PhaseDeps): Promise<NetSuiteClock> {
  const timeZone = deps.settings.netsuiteTimeZone;
  if (timeZone !== undefined) return netsuiteClock({ timeZone }, context.now());
  const before = context.now().getTime();
  const page = await deps.netsuite.suiteql(NETSUITE_NOW, { limit: 1, signal: context.signal });
  const after = context.now().getTime();
  const wall = valueText(page.items[0]?.now);
  const offset = learnedOffsetMinutes(wall, new Date((before + after) / 2));
  if (offset === undefined) {
    throw new NetSuiteSyncError(`NetSuite answered its current time as "${wall.slice(0, 40)}", which gives no time zone offset from UTC-12 to UTC+14.`, {
      code: 'NETSUITE_TIME_ZONE_UNKNOWN',
      resolution:
        "Check this machine's clock (it must be within a few minutes of the real time), or set settings.netsuiteTimeZone to the IANA name of the integration user's time zone (Home > Set Preferences in NetSuite).",
    });
  }
  return netsuiteClock({ offsetMinutes: offset }, context.now());
}

/** A phase cursor: the instant as ISO 8601 with the account's offset there (`...T01:55:00.000-08:00`). */
export function cursorAt(instant: Date, clock: NetSuiteClock): string {
  const offset = clock.offsetAt(instant);
  const wall = new Date(instant.getTime() + offset * MINUTE).toISOString().slice(0, 23);
  return `${wall}${offsetText(offset)}`;
}

/** A cursor's instant and, when it carries one, its offset (`undefined` for `...Z` or no offset). */
function readCursor(cursor: string): { instant: number; offset: number | undefined } {
  const instant = Date.parse(cursor);
  if (Number.isNaN(instant)) {
    throw new ConfigurationError(`The stored cursor "${cursor.slice(0, 40)}" is not an ISO 8601 datetime.`, {
      code: 'INVALID_CURSOR',
      resolution: "Reset the phase's cursor (the next run then reads everything again, and links make the repeat harmless).",
    });
  }
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(cursor);
  const offset = match === null ? undefined : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  return { instant, offset };
}

/**
 * The SuiteQL literal that starts an incremental read after `cursor`, reaching back `overlapMs`: a
 * wall clock of the account that no change after the cursor can precede, however NetSuite reads it.
 * @example
 * const clock = netsuiteClock({ timeZone: 'America/Los_Angeles' }, new Date('2026-01-15T17:00:00Z'));
 * changedSinceLiteral('2026-01-15T09:00:00.000-08:00', 300_000, clock).text; // TO_TIMESTAMP('2026-01-15 08:55:00', ...)
 */
export function changedSinceLiteral(cursor: string, overlapMs: number, clock: NetSuiteClock): SuiteQLQuery {
  const { instant, offset } = readCursor(cursor);
  let from = instant - overlapMs;
  // Written as UTC by an earlier version of the engine, whose literals were off by the account's offset:
  // reach back a day once, to catch what those reads missed.
  if (offset === undefined) from -= 26 * HOUR;
  let fromOffset: number;
  if (clock.timeZone !== undefined) {
    // Exact, but a repeated wall clock may be read as its later instant: reach back past any change near.
    if (clock.offsetAt(new Date(from - 2 * HOUR)) !== clock.offsetAt(new Date(from + 2 * HOUR))) from -= 2 * HOUR;
    fromOffset = clock.offsetAt(new Date(from));
  } else {
    // The cursor's own offset gives its wall clock even if the offset changed since; a change between
    // `from` and the cursor, or a repeated hour, happens at night: reach back an hour there.
    fromOffset = offset ?? clock.offsetMinutes;
    if (CHANGE_HOURS.has(new Date(from + fromOffset * MINUTE).getUTCHours())) from -= HOUR;
  }
  // A literal to the second, truncated: never later than `from`.
  return sql`TO_TIMESTAMP(${wallText(from, fromOffset)}, 'YYYY-MM-DD HH24:MI:SS')`;
}

function wallText(instant: number, offsetMinutes: number): string {
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offsetMinutes * MINUTE).toISOString();
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)}`;
}

/** The reach of one run of a NetSuite phase: where its read starts, and how it moves its cursor on. */
export interface NetSuitePhaseWindow {
  /** `lastmodifieddate > since` reads what changed since the last run; `null` on the phase's first run. */
  readonly since: SuiteQLQuery | null;
  /**
   * With `noteBegun`, on a run of the phase with no cursor after one that began and never completed: what
   * changed since that one began (the records it wrote may have changed since), with the cursor's overlap;
   * `null` otherwise.
   */
  readonly begun: SuiteQLQuery | null;
  /** NetSuite's clock for this run. */
  readonly clock: NetSuiteClock;
  /** Moves the cursor to the phase's start: call it only once every record was handled. */
  advance(): Promise<void>;
}

/**
 * Opens the window of a NetSuite phase: reads its cursor and NetSuite's clock, and notes the phase's start.
 * With `noteBegun`, a run with no cursor also notes when the phase first began (cursor `<phase>_begun`),
 * unless an earlier run did: the next run, if this one never completes, reads from there what its first
 * read leaves out ({@link NetSuitePhaseWindow.begun}). Each completed run moves that note to its start too.
 */
export async function netsuitePhaseWindow(context: PhaseRun, deps: PhaseDeps, phase: string, options: { noteBegun?: boolean } = {}): Promise<NetSuitePhaseWindow> {
  const { store, connectionId } = deps;
  const start = context.now();
  const clock = await netsuiteClockOf(context, deps);
  const cursor = await store.getCursor(connectionId, phase);
  const noteBegun = options.noteBegun === true;
  const begunCursor = `${phase}_begun`;
  let begun: SuiteQLQuery | null = null;
  if (noteBegun && cursor === null) {
    const noted = await store.getCursor(connectionId, begunCursor);
    if (noted === null) await store.setCursor(connectionId, begunCursor, cursorAt(start, clock));
    else begun = changedSinceLiteral(noted, deps.settings.cursorOverlapMs, clock);
  }
  return {
    since: cursor === null ? null : changedSinceLiteral(cursor, deps.settings.cursorOverlapMs, clock),
    begun,
    clock,
    advance: async () => {
      await store.setCursor(connectionId, phase, cursorAt(start, clock));
      // A cursor removed from the store by hand (to read everything again) then reads from the last completed run.
      if (noteBegun) await store.setCursor(connectionId, begunCursor, cursorAt(start, clock));
    },
  };
}
