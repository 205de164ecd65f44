import { MinuteCounts } from './minute-counts.js';
import { MINUTE_MS } from '../../src/kernel/minute-ranges.js';

describe('MinuteCounts', () => {
  it('window sums from hour and minute rows equal a sum over every event', () => {
    // A small deterministic generator: the same events on every run.
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const base = Date.parse('2024-05-01T00:00:00Z');
    const events: Array<[at: number, good: number, total: number]> = [];
    const counts = new MinuteCounts();
    for (let i = 0; i < 2000; i++) {
      const at = base + Math.floor(next() * 10 * 60 * MINUTE_MS);
      const total = 1 + Math.floor(next() * 5);
      const good = Math.floor(next() * (total + 1));
      events.push([at, good, total]);
      counts.add(at, good, total);
    }
    const mismatches: string[] = [];
    for (let i = 0; i < 500; i++) {
      const a = base + Math.floor(next() * 600) * MINUTE_MS;
      const b = base + Math.floor(next() * 600) * MINUTE_MS;
      const [from, to] = a <= b ? [a, b] : [b, a];
      const expected = { good: 0, total: 0 };
      for (const [at, good, total] of events) {
        if (at >= from && at < to) {
          expected.good += good;
          expected.total += total;
        }
      }
      const got = counts.sum(from, to);
      if (got.good !== expected.good || got.total !== expected.total) mismatches.push(`[${from}, ${to})`);
    }
    expect(mismatches).toEqual([]);
  });

  it('rejects windows that are not on minute boundaries rather than rounding them', () => {
    expect(() => new MinuteCounts().sum(1, MINUTE_MS)).toThrow(RangeError);
  });
});
