import { stepFor } from './red-series.service.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

const MIN = MINUTE_MS;
const HOUR = 60 * MIN;

describe('stepFor', () => {
  it.each([
    [5 * MIN, MIN],
    [HOUR, MIN],
    [6 * HOUR, 3 * MIN],
    [24 * HOUR, 12 * MIN],
    // Beyond a day, whole hours: hour rows are what is kept past minute retention.
    [7 * 24 * HOUR, 2 * HOUR],
    [30 * 24 * HOUR, 6 * HOUR],
  ])('a %d ms window is charted in steps of %d ms, about 120 points at most', (windowMs, step) => {
    expect(stepFor(windowMs)).toBe(step);
    expect(windowMs / stepFor(windowMs)).toBeLessThanOrEqual(120);
  });
});
