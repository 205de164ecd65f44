import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { seededRandom } from '../../test/support/random.js';
import { firstEventMs, PrefixCounts } from './prefix-counts.js';
import type { SliRow } from './sli-accumulator.js';
import { StoredCounts } from './stored-counts.js';

/**
 * PrefixCounts must read exactly what the live tick reads (StoredCounts goes
 * through storedParts): same rows, same widening past the minute horizon.
 */
describe('PrefixCounts', () => {
  const base = Date.parse('2024-05-01T00:00:00Z');
  const rand = seededRandom(7);
  const minutes: SliRow[] = [];
  const hours = new Map<number, SliRow>();
  for (let t = base + 17 * MINUTE_MS; t < base + 5 * DAY_MS; t += MINUTE_MS) {
    if (rand() < 0.2) continue;
    const total = Math.floor(rand() * 100) + 1;
    const good = total - Math.floor(rand() * 3);
    minutes.push({ sloId: 'x', bucketMs: t, good, total });
    const h = Math.floor(t / HOUR_MS) * HOUR_MS;
    const row = hours.get(h) ?? { sloId: 'x', bucketMs: h, good: 0, total: 0 };
    row.good += good;
    row.total += total;
    hours.set(h, row);
  }
  const hourRows = [...hours.values()];

  it.each([-Infinity, base + 2 * DAY_MS + 7 * MINUTE_MS])('agrees with StoredCounts on random windows (minute horizon %p)', (horizon) => {
    // Past the horizon the minute rows are gone, as after retention.
    const kept = minutes.filter((r) => r.bucketMs >= horizon);
    const prefix = new PrefixCounts(base - DAY_MS, base + 6 * DAY_MS, hourRows, kept, horizon);
    const stored = new StoredCounts(hourRows, kept, horizon);
    for (let i = 0; i < 2000; i++) {
      const to = base + Math.floor(rand() * 5 * 24 * 60) * MINUTE_MS;
      const from = to - Math.floor(rand() * 3 * 24 * 60) * MINUTE_MS;
      expect(prefix.sum(from, to)).toEqual(stored.sum(from, to));
    }
  });

  it('finds the first event: the first hour row, refined by its minute rows', () => {
    expect(firstEventMs(hourRows, minutes)).toBe(minutes[0].bucketMs);
    expect(firstEventMs(hourRows, [])).toBe(base);
    expect(firstEventMs([], [])).toBeNull();
  });
});
