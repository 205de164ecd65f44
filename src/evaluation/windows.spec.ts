import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import {
  type SloWindow,
  WindowError,
  formatDuration,
  formatWindow,
  isValidTimeZone,
  nominalPeriodMs,
  parseDuration,
  parseWindow,
  startOfLocalDay,
  validateWindow,
  windowBounds,
} from './windows.js';

const at = (iso: string) => Date.parse(iso);
const month = (timeZone: string): SloWindow => ({ kind: 'calendar', unit: 'month', timeZone });
const week = (timeZone: string): SloWindow => ({ kind: 'calendar', unit: 'week', timeZone });

describe('parseWindow', () => {
  it.each<[string, SloWindow]>([
    ['30d', { kind: 'rolling', days: 30 }],
    ['1d', { kind: 'rolling', days: 1 }],
    ['90d', { kind: 'rolling', days: 90 }],
    ['month:Europe/Berlin', month('Europe/Berlin')],
    ['week:America/New_York', week('America/New_York')],
    ['month', month('UTC')],
    ['week', week('UTC')],
  ])('%s', (text, window) => {
    expect(parseWindow(text)).toEqual(window);
    expect(parseWindow(formatWindow(window))).toEqual(window);
  });

  it.each([
    ['0d', /window.days/],
    ['91d', /window.days: .*1 to 90/],
    ['1.5d', /expected/],
    ['30', /expected/],
    ['', /expected/],
    ['year:UTC', /expected/],
    ['month:Mars/Olympus_Mons', /window.timeZone: unknown IANA time zone "Mars\/Olympus_Mons"/],
    ['month:', /expected/],
  ])('rejects %j', (text, message) => {
    expect(() => parseWindow(text)).toThrow(WindowError);
    expect(() => parseWindow(text)).toThrow(message);
  });
});

describe('validateWindow', () => {
  it.each<[unknown, string[]]>([
    [{ kind: 'rolling', days: 7 }, []],
    [{ kind: 'rolling', days: 7.5 }, ['window.days: must be a whole number of days from 1 to 90, got 7.5']],
    [{ kind: 'calendar', unit: 'quarter', timeZone: 'Nowhere/Land' }, [
      "window.unit: must be 'month' or 'week', got quarter",
      'window.timeZone: unknown IANA time zone "Nowhere/Land"',
    ]],
    [{ kind: 'sliding' }, ["window.kind: must be 'rolling' or 'calendar', got sliding"]],
    [null, ['window: must be an object']],
  ])('%j', (window, errors) => {
    expect(validateWindow(window)).toEqual(errors);
  });

  it.each([
    ['UTC', true],
    ['Asia/Kathmandu', true],
    ['', false],
    [' UTC', false],
    ['Europe/Atlantis', false],
    [42, false],
  ])('isValidTimeZone(%j) = %s', (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
  });

  it('windowBounds throws on an invalid time zone instead of guessing one', () => {
    expect(() => windowBounds(month('Not/AZone'), at('2024-01-01T00:00:00Z'))).toThrow(WindowError);
  });
});

describe('windowBounds', () => {
  it('a rolling window ends with the current minute and spans exactly N days', () => {
    const now = at('2024-05-10T12:34:56.789Z');
    expect(windowBounds({ kind: 'rolling', days: 30 }, now)).toEqual({
      startMs: at('2024-04-10T12:35:00Z'),
      endMs: at('2024-05-10T12:35:00Z'),
      periodMs: 30 * DAY_MS,
    });
  });

  it.each<[string, SloWindow, string, string, number]>([
    // America/New_York: EST (−5) until 2024-03-10, EDT (−4) until 2024-11-03.
    ['March starts in EST, ends in EDT: 31 days − 1 h', month('America/New_York'), '2024-03-15T12:00:00Z', '2024-03-01T05:00:00Z', 31 * DAY_MS - HOUR_MS],
    ['last ms of October (local Oct 31 23:59:59.999 EDT)', month('America/New_York'), '2024-11-01T03:59:59.999Z', '2024-10-01T04:00:00Z', 31 * DAY_MS],
    ['first ms of November, which gains the hour back', month('America/New_York'), '2024-11-01T04:00:00Z', '2024-11-01T04:00:00Z', 30 * DAY_MS + HOUR_MS],
    ['UTC Nov 1 00:30 is still October in New York', month('America/New_York'), '2024-11-01T00:30:00Z', '2024-10-01T04:00:00Z', 31 * DAY_MS],
    ['leap February in UTC', month('UTC'), '2024-02-29T23:59:00Z', '2024-02-01T00:00:00Z', 29 * DAY_MS],
    ['year boundary in Berlin: Jan 1 00:30 CET is Dec 31 23:30 UTC', month('Europe/Berlin'), '2023-12-31T23:30:00Z', '2023-12-31T23:00:00Z', 31 * DAY_MS],
    ['45-minute offset zone', month('Asia/Kathmandu'), '2024-06-05T12:00:00Z', '2024-05-31T18:15:00Z', 30 * DAY_MS],
    // Weeks start on Monday 00:00 local (ISO 8601).
    ['ISO week holding the Berlin spring change: 7 days − 1 h', week('Europe/Berlin'), '2024-03-31T12:00:00Z', '2024-03-24T23:00:00Z', 7 * DAY_MS - HOUR_MS],
    ['Sunday 23:59 local is still that week', week('Europe/Berlin'), '2024-03-31T21:59:00Z', '2024-03-24T23:00:00Z', 7 * DAY_MS - HOUR_MS],
    ['Monday 00:00 local starts the next week', week('Europe/Berlin'), '2024-03-31T22:00:00Z', '2024-03-31T22:00:00Z', 7 * DAY_MS],
    ['a Monday is the first day of its own week', week('UTC'), '2024-05-06T00:00:00Z', '2024-05-06T00:00:00Z', 7 * DAY_MS],
    ['a week spanning two months', week('UTC'), '2024-05-01T10:00:00Z', '2024-04-29T00:00:00Z', 7 * DAY_MS],
    // America/Santiago skips local midnight 2024-09-08 (00:00 → 01:00).
    ['week with a DST jump at midnight', week('America/Santiago'), '2024-09-05T12:00:00Z', '2024-09-02T04:00:00Z', 7 * DAY_MS - HOUR_MS],
  ])('%s', (_name, window, now, start, periodMs) => {
    const b = windowBounds(window, at(now));
    expect(new Date(b.startMs).toISOString()).toBe(new Date(at(start)).toISOString());
    expect(b.periodMs).toBe(periodMs);
    expect(b.endMs).toBe(Math.floor(at(now) / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
    expect(b.startMs).toBeLessThanOrEqual(at(now));
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['an ordinary day', 2024, 7, 1, 'America/New_York', '2024-07-01T04:00:00Z'],
    ['the day after a midnight DST gap starts at 01:00 local, the jump', 2024, 9, 8, 'America/Santiago', '2024-09-08T04:00:00Z'],
    ['before a midnight fall-back, the day starts in the old offset', 2024, 4, 6, 'America/Santiago', '2024-04-06T03:00:00Z'],
    ['after a midnight fall-back, the day starts when the clock reaches 00:00 again', 2024, 4, 7, 'America/Santiago', '2024-04-07T04:00:00Z'],
    ['day 0 rolls back to the previous month end', 2024, 3, 0, 'UTC', '2024-02-29T00:00:00Z'],
  ])('%s', (_name, y, mo, d, zone, iso) => {
    expect(new Date(startOfLocalDay(y, mo, d, zone)).toISOString()).toBe(new Date(at(iso)).toISOString());
  });
});

describe('durations and nominal periods', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 5 * MINUTE_MS],
    ['1h', HOUR_MS],
    ['3d', 3 * DAY_MS],
    ['1w', 7 * DAY_MS],
  ])('%s = %i ms and back', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['', '5', '1.5h', '-1h', '1y', '1h30m'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(WindowError);
  });

  it('validates policies against the shortest period a window can have', () => {
    expect(nominalPeriodMs({ kind: 'rolling', days: 30 })).toBe(30 * DAY_MS);
    expect(nominalPeriodMs(month('Europe/Berlin'))).toBe(28 * DAY_MS);
    expect(nominalPeriodMs(week('UTC'))).toBe(7 * DAY_MS);
  });
});
