import { SeriesRegistry } from './series-registry.js';

describe('SeriesRegistry', () => {
  it('admits up to the per-service limit, then keeps admitting only known series', () => {
    const r = new SeriesRegistry({ maxSeriesPerService: 2 });
    expect(r.admit('a', 's1', 0)).toBe(true);
    expect(r.admit('a', 's2', 0)).toBe(true);
    expect(r.admit('a', 's3', 0)).toBe(false);
    expect(r.admit('a', 's1', 60_000)).toBe(true); // established series never flip to overflow
    expect(r.admit('b', 's3', 0)).toBe(true); // limits are per service
    expect(r.seriesCountFor('a')).toBe(2);
    expect(r.size).toBe(3);
  });

  it('caps the total over all services', () => {
    const r = new SeriesRegistry({ maxSeriesPerService: 10, maxTotalSeries: 3 });
    expect(['a', 'b', 'c', 'd'].map((svc) => r.admit(svc, 'op', 0))).toEqual([true, true, true, false]);
    expect(r.admit('a', 'op', 0)).toBe(true);
  });

  it('frees the slots of series idle since before the cutoff', () => {
    const r = new SeriesRegistry({ maxSeriesPerService: 2 });
    r.admit('a', 'old', 0);
    r.admit('a', 'busy', 0);
    r.admit('a', 'busy', 600_000);
    expect(r.admit('a', 'new', 600_000)).toBe(false);
    expect(r.evictIdle(300_000)).toBe(1);
    expect(r.size).toBe(1);
    expect(r.admit('a', 'new', 660_000)).toBe(true);
    expect(r.admit('a', 'old', 660_000)).toBe(false);
  });

  it('an older span does not make a series look idle', () => {
    const r = new SeriesRegistry({ maxSeriesPerService: 1 });
    r.admit('a', 's', 600_000);
    r.admit('a', 's', 0); // late-arriving span
    expect(r.evictIdle(300_000)).toBe(0);
  });

  it('refuses a limit that would admit nothing', () => {
    expect(() => new SeriesRegistry({ maxSeriesPerService: 0 })).toThrow(RangeError);
  });
});
