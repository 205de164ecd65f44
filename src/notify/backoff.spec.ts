import { backoffMs } from './dispatcher.service.js';

describe('backoffMs: full-jitter exponential backoff', () => {
  const top = (max: number) => max;

  it('doubles the ceiling per attempt from 1 s', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, top))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('caps the ceiling at five minutes', () => {
    expect(backoffMs(9, top)).toBe(256_000);
    expect(backoffMs(10, top)).toBe(300_000);
    expect(backoffMs(60, top)).toBe(300_000);
  });

  it('treats attempt 0 (never tried) like the first', () => {
    expect(backoffMs(0, top)).toBe(1000);
  });

  it('draws the delay from the whole range [0, ceiling], so replicas spread out', () => {
    const asked: number[] = [];
    expect(backoffMs(3, (max) => (asked.push(max), 0))).toBe(0);
    expect(asked).toEqual([4000]);
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3);
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});
