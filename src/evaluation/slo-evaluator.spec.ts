import { MinuteCounts } from '../../test/support/minute-counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { DEFAULT_MIN_EVENTS, type SloDefinition, evaluateSlo } from './slo-evaluator.js';
import type { SloWindow } from './windows.js';

const at = (iso: string) => Date.parse(iso);
const rolling30: SloWindow = { kind: 'rolling', days: 30 };
const def = (over: Partial<SloDefinition> = {}): SloDefinition => ({ objective: 99.9, window: rolling30, ...over });

/** fill adds `perMinute(minute)` to every minute of [fromMs, toMs). */
function fill(counts: MinuteCounts, fromMs: number, toMs: number, perMinute: (m: number) => [good: number, total: number]) {
  for (let m = fromMs; m < toMs; m += MINUTE_MS) {
    const [good, total] = perMinute(m);
    counts.add(m, good, total);
  }
}

describe('evaluateSlo: known traffic in, exact numbers out', () => {
  // 12:00:30 — the window end is 12:01:00, the current minute included.
  const now = at('2024-05-10T12:00:30Z');
  const end = at('2024-05-10T12:01:00Z');

  it('1,000 req/min, clean for a month, then 100 errors/min over the last 10 minutes', () => {
    const counts = new MinuteCounts();
    fill(counts, end - 31 * DAY_MS, end, (m) => (m >= end - 10 * MINUTE_MS ? [900, 1000] : [1000, 1000]));
    const s = evaluateSlo(def(), counts, now);

    expect(s.bounds).toEqual({ startMs: end - 30 * DAY_MS, endMs: end, periodMs: 30 * DAY_MS });
    const row = (w: keyof typeof s.windows) => [s.windows[w].total, s.windows[w].bad, s.windows[w].burnRate];
    expect(row('5m')).toEqual([5000, 500, 100]);
    expect(row('30m')).toEqual([30_000, 1000, 1000 / 30]);
    expect(row('1h')).toEqual([60_000, 1000, 1000 / 60]);
    expect(row('2h')).toEqual([120_000, 1000, 1000 / 120]);
    expect(row('6h')).toEqual([360_000, 1000, 1000 / 360]);
    expect(row('1d')).toEqual([1_440_000, 1000, 1000 / 1440]);
    expect(row('3d')).toEqual([4_320_000, 1000, 1000 / 4320]);
    expect(s.windows['5m'].sli).toBe(0.9);
    expect(s.windows['5m']).toMatchObject({ fromMs: end - 5 * MINUTE_MS, toMs: end, good: 4500 });

    expect(s.full).toMatchObject({ total: 43_200_000, bad: 1000 });
    expect(s.budget).toEqual({
      totalEvents: 43_200,
      spentEvents: 1000,
      remainingEvents: 42_200,
      remainingFraction: 1 - 1000 / 43_200,
      spentFraction: 1000 / 43_200,
    });
    // At the 1h burn rate (16.67) the remaining 97.7% of a 30-day budget lasts ≈ 1.76 days.
    expect(s.timeToExhaustionMs).toBeCloseTo(((1 - 1000 / 43_200) * 30 * DAY_MS) / (1000 / 60), 0);
    expect(s.noData).toBe(false);

    expect(s.tiers.map((t) => [t.severity, t.factor, t.firing])).toEqual([
      ['page', 14.4, true], // 1h 16.7 and 5m 100 both ≥ 14.4
      ['page', 6, false], // 6h 2.8 < 6
      ['ticket', 3, false],
      ['ticket', 1, false],
    ]);
    expect(s.tiers[0]).toMatchObject({ longBurnRate: 1000 / 60, shortBurnRate: 100, longTotal: 60_000, shortTotal: 5000, enoughEvents: true, unreachable: false });
  });

  it('zero traffic: no data, no SLI, nothing burning, nothing firing, budget untouched', () => {
    const s = evaluateSlo(def(), new MinuteCounts(), now);
    expect(s.noData).toBe(true);
    for (const w of Object.values(s.windows)) expect(w).toMatchObject({ total: 0, sli: null, errorRatio: null, burnRate: 0 });
    expect(s.full.sli).toBeNull();
    expect(s.budget).toEqual({ totalEvents: 0, spentEvents: 0, remainingEvents: 0, remainingFraction: 1, spentFraction: 0 });
    expect(s.timeToExhaustionMs).toBeNull();
    expect(s.tiers.some((t) => t.firing)).toBe(false);
  });

  it('100% errors: burn 1000 everywhere, budget 999× overspent, exhausted, every tier fires', () => {
    const counts = new MinuteCounts();
    fill(counts, end - 30 * DAY_MS, end, () => [0, 10]);
    const s = evaluateSlo(def(), counts, now);
    for (const w of [...Object.values(s.windows), s.full]) expect([w.sli, w.errorRatio, w.burnRate]).toEqual([0, 1, 1000]);
    expect(s.budget.remainingFraction).toBe(-999);
    expect(s.timeToExhaustionMs).toBe(0);
    expect(s.tiers.map((t) => t.firing)).toEqual([true, true, true, true]);
  });

  it('windows end with the current minute: an event seconds ago counts, one just outside 5 minutes does not', () => {
    const counts = new MinuteCounts();
    counts.add(now - 1000, 0, 1); // 12:00:29 — in the current, partial minute
    counts.add(end - 5 * MINUTE_MS, 0, 1); // 11:56:00 — first minute of the 5m window
    counts.add(end - 5 * MINUTE_MS - 1, 0, 1); // 11:55:59.999 — outside it
    const s = evaluateSlo(def(), counts, now);
    expect(s.windows['5m'].total).toBe(2);
    expect(s.windows['30m'].total).toBe(3);
  });
});

describe('evaluateSlo: calendar windows', () => {
  const nyMonth: SloWindow = { kind: 'calendar', unit: 'month', timeZone: 'America/New_York' };
  // March 2024 in New York starts 2024-03-01 00:00 EST (05:00Z) and loses an hour to DST on March 10.
  const marchStart = at('2024-03-01T05:00:00Z');
  const counts = new MinuteCounts();
  counts.add(at('2024-02-15T12:00:00Z'), 1000, 1000); // February, local
  counts.add(at('2024-03-01T04:59:00Z'), 0, 100); // Feb 29 23:59 EST: February locally, March in UTC
  counts.add(marchStart, 1000, 1003); // the first local minute of March: 3 bad

  it.each([
    ['last minute of February, local', '2024-03-01T04:59:30Z', at('2024-02-01T05:00:00Z'), 29 * DAY_MS, 1100, 100],
    ['first minute of March, local: February is gone', '2024-03-01T05:00:30Z', marchStart, 31 * DAY_MS - HOUR_MS, 1003, 3],
    ['mid-March, after the DST change', '2024-03-15T12:00:00Z', marchStart, 31 * DAY_MS - HOUR_MS, 1003, 3],
  ])('%s', (_name, nowIso, startMs, periodMs, total, bad) => {
    const s = evaluateSlo(def({ window: nyMonth }), counts, at(nowIso));
    expect(s.bounds.startMs).toBe(startMs);
    expect(s.bounds.periodMs).toBe(periodMs);
    expect([s.full.total, s.full.bad]).toEqual([total, bad]);
    // Factors follow the current period: 743 h in March → 0.02 × 743 = 14.86.
    expect(s.tiers[0].factor).toBeCloseTo((0.02 * periodMs) / HOUR_MS, 10);
  });

  it('a rolling burn window crosses the calendar boundary the budget window does not', () => {
    const s = evaluateSlo(def({ window: nyMonth }), counts, at('2024-03-01T05:30:30Z'));
    expect([s.full.total, s.full.bad]).toEqual([1003, 3]); // March only
    expect([s.windows['1h'].total, s.windows['1h'].bad]).toEqual([1103, 103]); // sees Feb 29 23:59 too
    expect(s.budget.remainingFraction).toBeCloseTo(1 - 3 / 1.003, 10);
  });

  it('the same instant is already March for a UTC month', () => {
    const s = evaluateSlo(def({ window: { kind: 'calendar', unit: 'month', timeZone: 'UTC' } }), counts, at('2024-03-01T04:59:30Z'));
    expect(s.bounds.startMs).toBe(at('2024-03-01T00:00:00Z'));
    expect([s.full.total, s.full.bad]).toEqual([100, 100]);
  });
});

describe('evaluateSlo: policies', () => {
  const now = at('2024-05-10T12:00:30Z');

  it('a 28-day SLO uses factors 13.44 / 5.6 / 2.8 / 0.9333', () => {
    const s = evaluateSlo(def({ window: { kind: 'rolling', days: 28 } }), new MinuteCounts(), now);
    const factors = s.tiers.map((t) => t.factor);
    [13.44, 5.6, 2.8, 0.9333].forEach((f, i) => expect(factors[i]).toBeCloseTo(f, 4));
  });

  it('a 1-day SLO gets the default tiers that fit in a day', () => {
    const s = evaluateSlo(def({ window: { kind: 'rolling', days: 1 } }), new MinuteCounts(), now);
    expect(s.tiers.map((t) => t.longWindowMs)).toEqual([HOUR_MS, 6 * HOUR_MS, DAY_MS]);
  });

  it('a 90% SLO marks the 14.4 page tier unreachable (max burn 10) even at 100% errors', () => {
    const counts = new MinuteCounts();
    fill(counts, now - 4 * DAY_MS, now, () => [0, 10]);
    const s = evaluateSlo(def({ objective: 90 }), counts, now);
    expect(s.tiers.map((t) => [t.unreachable, t.firing])).toEqual([[true, false], [false, true], [false, true], [false, true]]);
    expect(s.windows['1h'].burnRate).toBe(10);
  });

  it('an overridden policy is evaluated on its own windows', () => {
    const end = at('2024-05-10T12:01:00Z');
    const counts = new MinuteCounts();
    fill(counts, end - DAY_MS, end, (m) => (m >= end - 20 * MINUTE_MS ? [0, 100] : [100, 100]));
    const tier = { severity: 'page' as const, longWindowMs: 90 * MINUTE_MS, shortWindowMs: 15 * MINUTE_MS, budgetFraction: 0.4 };
    const strict = evaluateSlo(def({ policy: { tiers: [tier] } }), counts, now);
    // factor = 0.4 × 30 d / 90 min = 192; the 90m burn is 20 bad minutes of 90 = 222.2; the 15m one 1000.
    expect(strict.tiers).toHaveLength(1);
    expect(strict.tiers[0]).toMatchObject({ longTotal: 9000, shortTotal: 1500, shortBurnRate: 1000, firing: true });
    expect(strict.tiers[0].factor).toBeCloseTo(192, 10);
    expect(strict.tiers[0].longBurnRate).toBeCloseTo((20 / 90) * 1000, 10);
    // Half the budget in 90 minutes is a factor of 240: not reached.
    const lax = evaluateSlo(def({ policy: { tiers: [{ ...tier, budgetFraction: 0.5 }] } }), counts, now);
    expect(lax.tiers[0]).toMatchObject({ factor: 240, firing: false });
  });
});

describe('evaluateSlo: minimum events', () => {
  const now = at('2024-05-10T12:00:30Z');
  const end = at('2024-05-10T12:01:00Z');
  // 10 good requests an hour (one every 6 minutes) for a month, and one failure 3 minutes ago.
  const counts = new MinuteCounts();
  fill(counts, end - 30 * DAY_MS, end, (m) => (m % (6 * MINUTE_MS) === 0 ? [1, 1] : [0, 0]));
  counts.add(end - 3 * MINUTE_MS, 0, 1);

  it(`the default (${DEFAULT_MIN_EVENTS} events in the long window) keeps one failure from paging`, () => {
    const s = evaluateSlo(def(), counts, now);
    const [hour, sixHours] = s.tiers;
    // 1 bad in 11: a burn rate of 90.9 against 14.4 — but 11 events are too few to page on.
    expect(hour).toMatchObject({ longTotal: 11, enoughEvents: false, firing: false });
    expect(hour.longBurnRate).toBeCloseTo(1000 / 11, 10);
    expect(sixHours).toMatchObject({ longTotal: 61, enoughEvents: false, firing: false });
    expect(sixHours.longBurnRate).toBeGreaterThan(sixHours.factor);
  });

  it('with no minimum the same failure would page', () => {
    const s = evaluateSlo(def({ minEvents: 0 }), counts, now);
    expect(s.tiers[0].firing).toBe(true);
  });

  it('rejects a negative minimum', () => {
    expect(() => evaluateSlo(def({ minEvents: -1 }), counts, now)).toThrow(/minEvents/);
  });
});
