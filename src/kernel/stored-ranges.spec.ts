import { MinuteCounts } from '../../test/support/minute-counts.js';
import { minuteHorizon, readableRange } from './stored-ranges.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './minute-ranges.js';
import { StoredCounts } from '../slo/stored-counts.js';

const H = HOUR_MS;
const M = MINUTE_MS;
const D = DAY_MS;

describe('readableRange', () => {
  const now = Date.UTC(2026, 10, 22, 12, 37);
  const horizon = minuteHorizon(now, 8);

  it('keeps ranges whose minutes are retained', () => {
    expect(readableRange(now - 3 * D + 7 * M, now, horizon)).toEqual([now - 3 * D + 7 * M, now]);
  });

  it('widens a start edge older than minute retention to the whole hour', () => {
    const from = now - 30 * D; // 12:37, 30 days ago
    expect(readableRange(from, now, horizon)).toEqual([Date.UTC(2026, 9, 23, 12, 0), now]);
  });

  it('widens both edges of a range entirely beyond minute retention', () => {
    const from = now - 20 * D;
    expect(readableRange(from, from + 5 * M, horizon)).toEqual([Date.UTC(2026, 10, 2, 12, 0), Date.UTC(2026, 10, 2, 13, 0)]);
  });

  it('makes a 30-day window count the events of its partial first hour, from the hour rows', () => {
    // One event per minute for 31 days, but only hour rows beyond 8 days (as after retention).
    const all = new MinuteCounts();
    for (let t = now - 31 * D; t < now; t += M) all.add(t, 1, 1);
    const hours = [];
    const minutes = [];
    for (let h = Math.floor((now - 31 * D) / H) * H; h < now; h += H) {
      const c = all.sum(h, h + H);
      hours.push({ sloId: 's', bucketMs: h, good: c.good, total: c.total });
    }
    for (let t = Math.floor((now - 8 * D) / M) * M; t < now; t += M) minutes.push({ sloId: 's', bucketMs: t, good: 1, total: 1 });
    const stored = new StoredCounts(hours, minutes);
    const end = Math.floor(now / M) * M;
    const naive = stored.sum(end - 30 * D, end).total;
    const [f, t] = readableRange(end - 30 * D, end, horizon);
    const widened = stored.sum(f, t).total;
    // The naive sum misses the 23 minutes 12:37..13:00 of the first day; widening counts 37 more instead.
    expect(naive).toBe(30 * 1440 - 23);
    expect(widened).toBe(30 * 1440 + 37);
  });
});
