import {
  ObjectiveError,
  budgetRatio,
  errorBudget,
  maxBurnRate,
  sliStatus,
  timeToExhaustionMs,
} from './burn-rate.js';
import { DAY_MS } from '../kernel/minute-ranges.js';

describe('budgetRatio', () => {
  it.each([
    [99.9, 1, 1000, 0.001],
    [99.95, 5, 10000, 0.0005],
    [99.99, 1, 10000, 0.0001],
    [99.999, 1, 100000, 0.00001],
    [99, 1, 100, 0.01],
    [95.5, 45, 1000, 0.045],
    [50, 50, 100, 0.5],
  ])('%d%% leaves exactly %i/%i of events as budget', (objective, num, den, value) => {
    expect(budgetRatio(objective)).toEqual({ num, den, value });
  });

  it.each([0, 100, -1, 101, Number.NaN, Number.POSITIVE_INFINITY])('rejects objective %d', (objective) => {
    expect(() => budgetRatio(objective)).toThrow(ObjectiveError);
  });

  it('the max burn rate of 99.9% is 1000 (100% errors)', () => {
    expect(maxBurnRate(99.9)).toBe(1000);
    expect(maxBurnRate(90)).toBe(10);
  });
});

describe('sliStatus', () => {
  it.each([
    ['zero traffic: unknown, not burning', 0, 0, 99.9, null, null, 0],
    ['all good', 1000, 1000, 99.9, 1, 0, 0],
    ['exactly at objective burns at 1', 999, 1000, 99.9, 0.999, 0.001, 1],
    ['3 in 1000 burns at exactly 3 (0.003/0.001 in floats is not 3)', 997, 1000, 99.9, 0.997, 0.003, 3],
    ['2% errors burn at 20', 98, 100, 99.9, 0.98, 0.02, 20],
    ['100% errors burn at 1 / (1 − objective)', 0, 500, 99.9, 0, 1, 1000],
    ['100% errors at 99.95%', 0, 7, 99.95, 0, 1, 2000],
    ['1 bad in 10 at 99.99%', 9, 10, 99.99, 0.9, 0.1, 1000],
    ['good above total (rounding of adjusted counts) reads as no errors', 10.000000001, 10, 99.9, 1, 0, 0],
  ])('%s', (_name, good, total, objective, sli, errorRatio, burnRate) => {
    const s = sliStatus({ good, total }, objective);
    expect(s.sli).toBe(sli);
    expect(s.errorRatio).toBe(errorRatio);
    expect(s.burnRate).toBe(burnRate);
  });

  it('sampling-adjusted (fractional) counts', () => {
    const s = sliStatus({ good: 99.5, total: 100 }, 99.5);
    expect(s.burnRate).toBeCloseTo(1, 12);
  });
});

describe('errorBudget', () => {
  it.each([
    ['no traffic: nothing spent, nothing to spend', 0, 0, 0, 0, 0, 1],
    ['untouched', 1_000_000, 1_000_000, 1000, 0, 1000, 1],
    ['a quarter spent', 999_750, 1_000_000, 1000, 250, 750, 0.75],
    ['exactly exhausted', 999_000, 1_000_000, 1000, 1000, 0, 0],
    ['overspent by half: remaining goes negative', 998_500, 1_000_000, 1000, 1500, -500, -0.5],
    ['100% errors', 0, 2000, 2, 2000, -1998, -999],
  ])('%s', (_name, good, total, totalEvents, spentEvents, remainingEvents, remainingFraction) => {
    const b = errorBudget({ good, total }, 99.9);
    expect(b.totalEvents).toBe(totalEvents);
    expect(b.spentEvents).toBe(spentEvents);
    expect(b.remainingEvents).toBe(remainingEvents);
    expect(b.remainingFraction).toBe(remainingFraction);
    expect(b.spentFraction).toBe(1 - remainingFraction);
  });
});

describe('timeToExhaustionMs', () => {
  it.each([
    ['full budget at burn 1 lasts one period', 1, 1, 30 * DAY_MS],
    ['half the budget at burn 2 lasts a quarter period', 0.5, 2, 7.5 * DAY_MS],
    ['full budget at 14.4 lasts 50 hours', 1, 14.4, 50 * 3_600_000],
    ['nothing burning: never', 0.5, 0, null],
    ['already exhausted', 0, 5, 0],
    ['overspent', -0.5, 0, 0],
  ])('%s', (_name, remaining, burn, expected) => {
    const t = timeToExhaustionMs(remaining, burn, 30 * DAY_MS);
    if (expected === null || expected === 0) expect(t).toBe(expected);
    else expect(t).toBeCloseTo(expected, 3);
  });
});
