import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, evaluationEnd, floorMinute } from '../kernel/minute-ranges.js';

/**
 * SLO windows: rolling (the last N days) or calendar (the current month or
 * ISO week in a time zone). Calendar arithmetic uses Intl.DateTimeFormat only,
 * so it follows the runtime's IANA database, DST included, with no library.
 */

/** RollingWindow is the last `days` days (1..90), moving with every minute. */
export interface RollingWindow {
  kind: 'rolling';
  days: number;
}

/** CalendarWindow is the current month or ISO week (Monday first) in `timeZone`. */
export interface CalendarWindow {
  kind: 'calendar';
  unit: 'month' | 'week';
  /** IANA time zone name, e.g. 'Europe/Berlin' or 'UTC'. */
  timeZone: string;
}

export type SloWindow = RollingWindow | CalendarWindow;

/**
 * WindowBounds is the SLO window at an evaluation instant: counts are read
 * from [startMs, endMs); `periodMs` is the full length of the period (the
 * rolling length, or the whole current month/week — 23 h days included) and
 * scales the budget and the burn-rate factors.
 */
export interface WindowBounds {
  startMs: number;
  endMs: number;
  periodMs: number;
}

export const MAX_ROLLING_DAYS = 90;

/** WindowError is thrown for a window or duration that cannot be used. */
export class WindowError extends Error {
  override name = 'WindowError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * formatterFor caches one formatter per zone: constructing them dominates the
 * cost of a conversion. Constructing also validates the zone (RangeError).
 */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** isValidTimeZone says whether the runtime knows `timeZone` as an IANA zone. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '' || timeZone !== timeZone.trim()) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * wallClockMs is the local wall-clock time at instant `ms` in `timeZone`,
 * written as if it were a UTC timestamp (whole seconds). The difference to
 * `ms` is the zone's offset at that instant.
 */
function wallClockMs(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/**
 * zonedInstant is the first instant whose wall clock in `timeZone` reaches
 * `localMs` (a wall-clock time written as UTC). Why "first reaching": when
 * the local time falls into a DST gap (clocks jump over midnight in some
 * zones) the day starts at the jump; when it falls into an overlap it is the
 * earlier of the two instants. Both are what "start of day" means.
 */
function zonedInstant(localMs: number, timeZone: string): number {
  const offsets = new Set<number>();
  for (const probe of [localMs - DAY_MS, localMs, localMs + DAY_MS]) {
    const floored = Math.floor(probe / SECOND_MS) * SECOND_MS;
    offsets.add(wallClockMs(floored, timeZone) - floored);
  }
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const candidate = localMs - offset;
    if (candidate < best && wallClockMs(candidate, timeZone) >= localMs) best = candidate;
  }
  if (!Number.isFinite(best)) throw new WindowError(`cannot resolve local time in ${timeZone}`);
  return best;
}

/**
 * startOfLocalDay is the instant local day `year-month-day` begins in
 * `timeZone` (month 1..12; days past the month's end roll over as in
 * Date.UTC). Not always local midnight: see zonedInstant.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  assertTimeZone(timeZone);
  return zonedInstant(Date.UTC(year, month - 1, day), timeZone);
}

/** calendarPeriod is the [start, next start) of the month or week holding `nowMs`. */
function calendarPeriod(window: CalendarWindow, nowMs: number): { startMs: number; nextMs: number } {
  const local = new Date(wallClockMs(Math.floor(nowMs / SECOND_MS) * SECOND_MS, window.timeZone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  if (window.unit === 'month') {
    return {
      startMs: startOfLocalDay(y, m, 1, window.timeZone),
      nextMs: startOfLocalDay(y, m + 1, 1, window.timeZone),
    };
  }
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  const monday = local.getUTCDate() - sinceMonday;
  return {
    startMs: startOfLocalDay(y, m, monday, window.timeZone),
    nextMs: startOfLocalDay(y, m, monday + 7, window.timeZone),
  };
}

/**
 * windowBounds is the SLO window evaluated at `nowMs`. The end is always
 * evaluationEnd(nowMs) — the current minute is included, see there. Calendar
 * starts are floored to the minute; that only changes anything for pre-1970
 * local-mean-time offsets that carry seconds.
 */
export function windowBounds(window: SloWindow, nowMs: number): WindowBounds {
  assertWindow(window);
  if (!Number.isFinite(nowMs)) throw new WindowError(`now: must be a finite epoch millisecond, got ${nowMs}`);
  const endMs = evaluationEnd(nowMs);
  if (window.kind === 'rolling') {
    const periodMs = window.days * DAY_MS;
    return { startMs: endMs - periodMs, endMs, periodMs };
  }
  const { startMs, nextMs } = calendarPeriod(window, nowMs);
  return { startMs: floorMinute(startMs), endMs, periodMs: nextMs - startMs };
}

/**
 * validateWindow lists what is wrong with a window (empty when valid), with
 * messages naming the field, so the API can answer a 400 that says so.
 */
export function validateWindow(window: unknown): string[] {
  if (typeof window !== 'object' || window === null) return ['window: must be an object'];
  const w = window as Record<string, unknown>;
  if (w.kind === 'rolling') {
    const days = w.days;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_ROLLING_DAYS) {
      return [`window.days: must be a whole number of days from 1 to ${MAX_ROLLING_DAYS}, got ${String(days)}`];
    }
    return [];
  }
  if (w.kind === 'calendar') {
    const errors: string[] = [];
    if (w.unit !== 'month' && w.unit !== 'week') errors.push(`window.unit: must be 'month' or 'week', got ${String(w.unit)}`);
    if (!isValidTimeZone(w.timeZone)) errors.push(`window.timeZone: unknown IANA time zone ${JSON.stringify(w.timeZone)}`);
    return errors;
  }
  return [`window.kind: must be 'rolling' or 'calendar', got ${String(w.kind)}`];
}

function assertWindow(window: SloWindow): void {
  const errors = validateWindow(window);
  if (errors.length > 0) throw new WindowError(errors.join('; '));
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new WindowError(`unknown IANA time zone ${JSON.stringify(timeZone)}`);
}

/**
 * parseWindow reads the compact form used in configuration and the API:
 * `30d` (rolling), `month:Europe/Berlin`, `week:America/New_York`; a bare
 * `month` or `week` means UTC. Throws WindowError naming the problem.
 */
export function parseWindow(text: string): SloWindow {
  const rolling = /^(\d+)d$/.exec(text);
  let window: SloWindow;
  if (rolling) {
    window = { kind: 'rolling', days: Number(rolling[1]) };
  } else {
    const calendar = /^(month|week)(?::(.+))?$/.exec(text);
    if (!calendar) {
      throw new WindowError(`window: expected 'Nd', 'month[:Zone]' or 'week[:Zone]', got ${JSON.stringify(text)}`);
    }
    window = { kind: 'calendar', unit: calendar[1] as 'month' | 'week', timeZone: calendar[2] ?? 'UTC' };
  }
  assertWindow(window);
  return window;
}

/** formatWindow is the inverse of parseWindow. */
export function formatWindow(window: SloWindow): string {
  return window.kind === 'rolling' ? `${window.days}d` : `${window.unit}:${window.timeZone}`;
}

const DURATION_UNITS: Record<string, number> = { s: SECOND_MS, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/**
 * parseDuration reads `30s`, `5m`, `1h`, `3d`, `1w` (one number, one unit) into
 * milliseconds, for policy overrides and alert timings written by people.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d|w)$/.exec(text);
  if (!match) throw new WindowError(`duration: expected a whole number and one of s, m, h, d, w, got ${JSON.stringify(text)}`);
  return Number(match[1]) * DURATION_UNITS[match[2]];
}

/** formatDuration writes milliseconds in the largest unit that divides them (`90m`, `1h`). */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = DURATION_UNITS[unit];
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * nominalPeriodMs is the period to validate a policy against: the rolling
 * length, 28 days for months (the shortest month, so a tier that fits it fits
 * every month) and 7 days for weeks. DST hours are ignored on purpose: a 7-day
 * tier on a weekly SLO must not become invalid one week a year.
 */
export function nominalPeriodMs(window: SloWindow): number {
  assertWindow(window);
  if (window.kind === 'rolling') return window.days * DAY_MS;
  return window.unit === 'month' ? 28 * DAY_MS : 7 * DAY_MS;
}
