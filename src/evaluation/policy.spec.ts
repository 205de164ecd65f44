import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import {
  type BurnRateTier,
  DEFAULT_POLICY,
  DEFAULT_TIERS,
  defaultPolicy,
  tierFactor,
  unreachableTiers,
  validatePolicy,
} from './policy.js';

const tier = (over: Partial<BurnRateTier> = {}): BurnRateTier => ({
  severity: 'page',
  longWindowMs: HOUR_MS,
  shortWindowMs: 5 * MINUTE_MS,
  budgetFraction: 0.02,
  ...over,
});

describe('tierFactor', () => {
  it.each([
    ['30 days', 30 * DAY_MS, [14.4, 6, 3, 1]],
    ['28 days', 28 * DAY_MS, [13.44, 5.6, 2.8, 0.9333]],
    ['31-day month', 31 * DAY_MS, [14.88, 6.2, 3.1, 1.0333]],
    ['7 days', 7 * DAY_MS, [3.36, 1.4, 0.7, 0.2333]],
  ])('the Workbook tiers scaled to %s', (_name, periodMs, factors) => {
    DEFAULT_TIERS.forEach((t, i) => expect(tierFactor(t, periodMs)).toBeCloseTo(factors[i], 4));
  });

  it('30-day factors are exact, so a burn of exactly 14.4 fires', () => {
    expect(DEFAULT_TIERS.map((t) => tierFactor(t, 30 * DAY_MS))).toEqual([14.4, 6, 3, 1]);
  });
});

describe('defaultPolicy', () => {
  it('keeps all four tiers when the period holds the 3-day window', () => {
    expect(defaultPolicy(3 * DAY_MS).tiers).toHaveLength(4);
    expect(defaultPolicy(30 * DAY_MS)).toEqual(DEFAULT_POLICY);
  });

  it('drops the tiers that look further back than a short SLO period', () => {
    expect(defaultPolicy(DAY_MS).tiers.map((t) => t.longWindowMs)).toEqual([HOUR_MS, 6 * HOUR_MS, DAY_MS]);
  });

  it('the default policy is valid for any period of three days or more', () => {
    expect(validatePolicy(DEFAULT_POLICY, 3 * DAY_MS)).toEqual([]);
    expect(validatePolicy(defaultPolicy(DAY_MS), DAY_MS)).toEqual([]);
  });
});

describe('validatePolicy', () => {
  const period = 28 * DAY_MS;
  it.each<[string, unknown, string[]]>([
    ['a valid override', { tiers: [tier(), tier({ severity: 'ticket', longWindowMs: 28 * DAY_MS, shortWindowMs: DAY_MS, budgetFraction: 1 })] }, []],
    ['no tiers: never alerts, allowed', { tiers: [] }, []],
    ['short window equal to long window', { tiers: [tier({ shortWindowMs: HOUR_MS })] }, [
      'tiers[0].shortWindowMs: must be shorter than longWindowMs (3600000), got 3600000',
    ]],
    ['short window longer than long window', { tiers: [tier(), tier({ longWindowMs: 6 * HOUR_MS, shortWindowMs: 7 * HOUR_MS })] }, [
      'tiers[1].shortWindowMs: must be shorter than longWindowMs (21600000), got 25200000',
    ]],
    ['long window beyond the SLO period', { tiers: [tier({ longWindowMs: 29 * DAY_MS })] }, [
      'tiers[0].longWindowMs: must not exceed the SLO period (2419200000), got 2505600000',
    ]],
    ['budget fraction 0', { tiers: [tier({ budgetFraction: 0 })] }, ['tiers[0].budgetFraction: must be a number in (0, 1], got 0']],
    ['budget fraction above 1', { tiers: [tier({ budgetFraction: 1.5 })] }, ['tiers[0].budgetFraction: must be a number in (0, 1], got 1.5']],
    ['budget fraction as text', { tiers: [tier({ budgetFraction: '0.02' as unknown as number })] }, [
      'tiers[0].budgetFraction: must be a number in (0, 1], got "0.02"',
    ]],
    ['unknown severity', { tiers: [tier({ severity: 'critical' as 'page' })] }, [
      'tiers[0].severity: must be \'page\' or \'ticket\', got "critical"',
    ]],
    ['window not in whole minutes', { tiers: [tier({ shortWindowMs: 90_000 })] }, [
      'tiers[0].shortWindowMs: must be a positive whole number of minutes in milliseconds, got 90000',
    ]],
    ['negative window', { tiers: [tier({ longWindowMs: -HOUR_MS })] }, [
      'tiers[0].longWindowMs: must be a positive whole number of minutes in milliseconds, got -3600000',
    ]],
    ['several problems in one tier are all reported', { tiers: [tier({ severity: 'x' as 'page', shortWindowMs: 2 * HOUR_MS, budgetFraction: -1 })] }, [
      'tiers[0].severity: must be \'page\' or \'ticket\', got "x"',
      'tiers[0].shortWindowMs: must be shorter than longWindowMs (3600000), got 7200000',
      'tiers[0].budgetFraction: must be a number in (0, 1], got -1',
    ]],
    ['not a policy', 'fast', ['tiers: must be a list of tiers']],
    ['a tier that is not an object', { tiers: [null] }, ['tiers[0]: must be an object']],
  ])('%s', (_name, policy, errors) => {
    expect(validatePolicy(policy, period)).toEqual(errors);
  });
});

describe('unreachableTiers', () => {
  const period = 30 * DAY_MS;
  it.each([
    ['99.9%: max burn 1000, every tier reachable', 99.9, []],
    ['90%: max burn 10 cannot reach the 14.4 page', 90, [0]],
    ['95%: max burn 20, all reachable', 95, []],
    ['50%: max burn 2 reaches only the 3-day ticket', 50, [0, 1, 2]],
  ])('%s', (_name, objective, indexes) => {
    expect(unreachableTiers(DEFAULT_POLICY, objective, period).map((u) => u.index)).toEqual(indexes);
  });

  it('reports the factor and the max burn rate it exceeds', () => {
    expect(unreachableTiers(DEFAULT_POLICY, 90, period)).toEqual([
      { index: 0, tier: DEFAULT_TIERS[0], factor: 14.4, maxBurnRate: 10 },
    ]);
  });

  it('a factor exactly at the max burn rate is reachable (fires at 100% errors)', () => {
    // 90% → max burn 10; a third of the budget in one day of thirty is a factor of exactly 10.
    const policy = { tiers: [tier({ longWindowMs: DAY_MS, shortWindowMs: HOUR_MS, budgetFraction: 1 / 3 })] };
    expect(tierFactor(policy.tiers[0], period)).toBe(10);
    expect(unreachableTiers(policy, 90, period)).toEqual([]);
  });
});
