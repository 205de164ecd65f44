import { HOUR_MS, MINUTE_MS, type Range, evaluationEnd, floorMinute, splitRange } from './minute-ranges.js';

const T0 = Date.parse('2024-05-01T00:00:00Z'); // hour-aligned
const m = (minutes: number) => T0 + minutes * MINUTE_MS;

describe('splitRange', () => {
  it.each<[string, number, number, Range | null, Range[]]>([
    ['empty range', m(7), m(7), null, []],
    ['one minute', m(7), m(8), null, [[m(7), m(8)]]],
    ['inside one hour', m(5), m(55), null, [[m(5), m(55)]]],
    ['exactly one hour', m(0), m(60), [m(0), m(60)], []],
    ['whole hours only', m(60), m(300), [m(60), m(300)], []],
    ['crossing an hour boundary without a whole hour', m(30), m(90), null, [[m(30), m(90)]]],
    ['longest minute-only range (118 minutes)', m(1), m(119), null, [[m(1), m(119)]]],
    ['leading minutes then hours', m(59), m(120), [m(60), m(120)], [[m(59), m(60)]]],
    ['hours then trailing minutes', m(60), m(121), [m(60), m(120)], [[m(120), m(121)]]],
    ['both edges', m(1), m(179), [m(60), m(120)], [[m(1), m(60)], [m(120), m(179)]]],
    ['30 days ending mid-hour', m(17), m(17 + 30 * 24 * 60), [m(60), m(30 * 24 * 60)], [[m(17), m(60)], [m(30 * 24 * 60), m(17 + 30 * 24 * 60)]]],
  ])('%s', (_name, start, end, hours, minutes) => {
    expect(splitRange(start, end)).toEqual({ hours, minutes });
  });

  it('covers every minute-aligned range exactly once, using hour rows wherever a whole hour fits', () => {
    // Every (start, end) pair over five hours, starting 3 hours before T0 so
    // hour-straddling and pre-epoch-hour cases are all included. Problems are
    // collected rather than asserted one by one: 45,000 ranges.
    const base = T0 - 3 * HOUR_MS;
    const problems: string[] = [];
    let checked = 0;
    for (let s = 0; s <= 300; s++) {
      for (let e = s; e <= 300; e++) {
        const start = base + s * MINUTE_MS;
        const end = base + e * MINUTE_MS;
        const { hours, minutes } = splitRange(start, end);
        const parts = [...minutes, ...(hours ? [hours] : [])].sort((a, b) => a[0] - b[0]);
        const fail = (why: string) => problems.push(`[${s}m, ${e}m): ${why}`);

        // Disjoint, contiguous, non-empty, covering [start, end).
        let cursor = start;
        for (const [from, to] of parts) {
          if (from !== cursor || to <= from) fail('gap, overlap or empty part');
          cursor = to;
        }
        if (cursor !== end) fail('does not reach the end');
        if (hours && (hours[0] % HOUR_MS !== 0 || hours[1] % HOUR_MS !== 0)) fail('hour range not hour-aligned');
        // Maximal: no minute range holds a whole aligned hour, so the minute
        // rows read stay bounded (≤ 2 ranges, ≤ 118 minutes) at any length.
        if (minutes.length > 2) fail('more than two minute ranges');
        for (const [from, to] of minutes) {
          if (Math.ceil(from / HOUR_MS) * HOUR_MS + HOUR_MS <= to) fail('minute range holds a whole hour');
          if (to - from > 118 * MINUTE_MS) fail('minute range longer than 118 minutes');
        }
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBe((301 * 302) / 2);
  });

  it.each([
    ['unaligned start', m(1) + 1, m(5), /startMs .* not on a minute boundary/],
    ['unaligned end', m(1), m(5) - 1, /endMs .* not on a minute boundary/],
    ['NaN', Number.NaN, m(5), /startMs/],
    ['reversed', m(5), m(1), /before startMs/],
  ])('rejects %s', (_name, start, end, message) => {
    expect(() => splitRange(start, end)).toThrow(message);
  });
});

describe('minute alignment', () => {
  it.each([
    [m(3), m(3), m(4)],
    [m(3) + 1, m(3), m(4)],
    [m(4) - 1, m(3), m(4)],
    [-1, -MINUTE_MS, 0],
  ])('%i is in the minute starting %i; windows end at %i (current minute included)', (now, floor, end) => {
    expect(floorMinute(now)).toBe(floor);
    expect(evaluationEnd(now)).toBe(end);
  });
});
