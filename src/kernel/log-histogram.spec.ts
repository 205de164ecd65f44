import { LogHistogram, MIN_MS, bucketIndex, bucketUpperBound, mergeBucketJson } from './log-histogram.js';
import { seededRandom } from '../../test/support/random.js';

/** Lognormal latencies: median e^mu ms, wide spread like real request times. */
function lognormal(n: number, seed: number, mu = Math.log(40), sigma = 1.5): number[] {
  const r = seededRandom(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = 1 - r();
    const v = r();
    out.push(Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)));
  }
  return out;
}

const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('LogHistogram', () => {
  it('answers quantiles within 2% of the exact sorted value on lognormal data', () => {
    for (const seed of [1, 2, 3]) {
      const values = lognormal(20_000, seed);
      const h = new LogHistogram();
      for (const v of values) h.add(v);
      const sorted = [...values].sort((a, b) => a - b);
      for (const q of QUANTILES) {
        const exact = sorted[Math.floor(q * (sorted.length - 1))];
        const got = h.quantile(q);
        expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(0.02);
      }
    }
  });

  it('places every value at or below its bucket upper bound and above the previous one', () => {
    for (const v of [...lognormal(2_000, 9), 0.0011, 1, 2, 1000, 1e7]) {
      const i = bucketIndex(v);
      expect(v).toBeLessThanOrEqual(bucketUpperBound(i));
      expect(v).toBeGreaterThan(bucketUpperBound(i - 1));
    }
  });

  it('merging equals adding all values to one histogram', () => {
    const a = lognormal(5_000, 4);
    const b = lognormal(5_000, 5, Math.log(300), 0.5);
    const ha = new LogHistogram();
    const hb = new LogHistogram();
    const all = new LogHistogram();
    a.forEach((v) => (ha.add(v), all.add(v)));
    b.forEach((v) => (hb.add(v), all.add(v)));
    ha.merge(hb);
    expect(ha.toJSON()).toEqual(all.toJSON());
    expect(ha.count).toBe(10_000);
    expect(ha.sum).toBeCloseTo(all.sum, 6);
    expect(mergeBucketJson(new LogHistogram().toJSON(), all.toJSON())).toEqual(all.toJSON());
  });

  it('stored JSON merges additively and round-trips', () => {
    const h1 = new LogHistogram();
    const h2 = new LogHistogram();
    [0, 0.0005, 3, 3, 50, 1200].forEach((v) => h1.add(v));
    [3, 75, 1200, 99_000].forEach((v) => h2.add(v, 2.5));
    const merged = mergeBucketJson(h1.toJSON(), h2.toJSON());
    const direct = LogHistogram.fromJSON(h1.toJSON());
    direct.merge(LogHistogram.fromJSON(h2.toJSON()));
    expect(merged).toEqual(direct.toJSON());
    expect(merged.z).toBe(2);
    expect(merged.b[String(bucketIndex(3))]).toBe(4.5);
    expect(merged.b[String(bucketIndex(1200))]).toBe(3.5);
    // Inputs untouched: the flusher may reuse them.
    expect(h1.toJSON().b[String(bucketIndex(3))]).toBe(2);
    expect(JSON.parse(JSON.stringify(merged))).toEqual(merged);
  });

  it('fromJSON takes the exact sum when given, else estimates it within 2%', () => {
    const h = new LogHistogram();
    lognormal(1_000, 7).forEach((v) => h.add(v));
    expect(LogHistogram.fromJSON(h.toJSON(), h.sum).sum).toBe(h.sum);
    const est = LogHistogram.fromJSON(h.toJSON()).sum;
    expect(Math.abs(est - h.sum) / h.sum).toBeLessThan(0.02);
    expect(LogHistogram.fromJSON(h.toJSON()).count).toBe(1_000);
  });

  it('counts fractional (adjusted) counts in quantiles', () => {
    const h = new LogHistogram();
    h.add(10, 1);
    h.add(1000, 99); // a 1% sample of slow calls stands for 99 of them
    expect(h.count).toBe(100);
    expect(h.quantile(0.5)).toBeCloseTo(1000, -2);
    expect(h.quantile(0)).toBeCloseTo(10, 0);
  });

  it('keeps tiny and negative values in the zero bucket and ignores unusable input', () => {
    const h = new LogHistogram();
    h.add(0);
    h.add(MIN_MS);
    h.add(-5);
    h.add(NaN);
    h.add(5, 0);
    h.add(5, Infinity);
    expect(h.toJSON()).toEqual({ b: {}, z: 3 });
    expect(h.quantile(0.5)).toBe(0);
    expect(new LogHistogram().quantile(0.5)).toBeNaN();
  });

  it('folds into Prometheus bounds exactly when no bucket straddles a bound', () => {
    const h = new LogHistogram();
    // Each value's bucket lies wholly on one side of every bound below.
    const values = [0, 1, 1.5, 3, 7, 9, 30, 90, 150, 700, 12_000, 20_000];
    values.forEach((v) => h.add(v));
    const bounds = [0.002, 0.01, 0.1, 1, 15];
    for (let k = 0; k < bounds.length; k++) {
      const i = bucketIndex(bounds[k] * 1000);
      const straddles = bucketUpperBound(i) !== bounds[k] * 1000;
      const inStraddler = values.some((v) => v > MIN_MS && bucketIndex(v) === i);
      expect(straddles && inStraddler).toBe(false); // precondition of this test
    }
    const exact = bounds.map((s) => values.filter((v) => v <= s * 1000).length);
    expect(h.cumulativeCounts(bounds)).toEqual(exact);
  });

  it('folds a straddling bucket approximately, off by at most that bucket', () => {
    const h = new LogHistogram();
    const v = 1000 * 1.001; // same bucket as 1000 ms, just above the 1 s bound
    expect(bucketIndex(v)).toBe(bucketIndex(1000));
    h.add(v, 10);
    const [le1s] = h.cumulativeCounts([1]);
    expect(le1s).toBeGreaterThanOrEqual(0);
    expect(le1s).toBeLessThanOrEqual(10);
    expect(h.cumulativeCounts([2])).toEqual([10]);
  });
});
