import { LogHistogram } from '../kernel/log-histogram.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import type { SymptomCondition } from './symptom-rule.js';
import { evaluateSymptom, trafficEnd } from './symptom-rule.evaluator.js';
import { MinuteRedCounts } from '../../test/support/minute-red-counts.js';

const at = (iso: string) => Date.parse(iso);
// 12:00:30: error and latency windows end at 12:01 (current minute included), traffic windows at 12:00.
const now = at('2024-05-13T12:00:30Z');
const end = at('2024-05-13T12:01:00Z');

/** durations builds a histogram of `n` calls of `ms` each, for every [ms, n] pair. */
function durations(...pairs: [ms: number, n: number][]) {
  const h = new LogHistogram();
  for (const [ms, n] of pairs) h.add(ms, n);
  return h.toJSON();
}

/** fill adds `perMinute(minuteStart)` = [calls, errors] to every minute of [fromMs, toMs). */
function fill(counts: MinuteRedCounts, fromMs: number, toMs: number, perMinute: (m: number) => [number, number]) {
  for (let m = fromMs; m < toMs; m += MINUTE_MS) counts.add(m, ...perMinute(m));
}

describe('evaluateSymptom: error_ratio', () => {
  const condition: SymptomCondition = { type: 'error_ratio', windowMs: 5 * MINUTE_MS, threshold: 0.05, minCalls: 20 };

  it.each<[string, number, number, boolean, string | undefined]>([
    ['10% errors', 100, 10, true, undefined],
    ['exactly at the threshold does not fire (>)', 100, 5, false, undefined],
    ['just above', 1000, 51, true, undefined],
    ['below', 100, 4, false, undefined],
    ['enough calls exactly at minCalls', 20, 2, true, undefined],
    ['all failing but below minCalls', 19, 19, false, 'insufficient calls'],
  ])('%s', (_, calls, errors, active, reason) => {
    const counts = new MinuteRedCounts();
    counts.add(end - MINUTE_MS, calls, errors);
    const r = evaluateSymptom(condition, counts, now);
    expect(r).toEqual({ active, value: errors / calls, threshold: 0.05, calls, ...(reason ? { reason } : {}) });
  });

  it('reads [end − 5m, end): the still-filling minute counts, the minute before the window does not', () => {
    const counts = new MinuteRedCounts();
    counts.add(end - 6 * MINUTE_MS, 100, 100); // 11:55, just outside
    counts.add(end - 5 * MINUTE_MS, 100, 0); // 11:56, first minute in
    counts.add(now, 100, 30); // 12:00:30, current minute
    expect(evaluateSymptom(condition, counts, now)).toEqual({ active: true, value: 0.15, threshold: 0.05, calls: 200 });
  });

  it('no calls at all: no value, not active', () => {
    expect(evaluateSymptom(condition, new MinuteRedCounts(), now)).toEqual({ active: false, value: null, threshold: 0.05, calls: 0, reason: 'insufficient calls' });
  });
});

describe('evaluateSymptom: latency', () => {
  const p = (percentile: 50 | 99, thresholdMs: number): SymptomCondition => ({ type: 'latency', windowMs: 10 * MINUTE_MS, percentile, thresholdMs, minCalls: 100 });

  it('merges the window histograms; p99 sees the slow 2%, p50 does not', () => {
    const counts = new MinuteRedCounts();
    // 10 minutes of 98 fast and 2 slow calls each: 1,000 calls, 20 at 2 s.
    for (let m = end - 10 * MINUTE_MS; m < end; m += MINUTE_MS) counts.add(m, 100, 0, durations([40, 98], [2000, 2]));
    const p99 = evaluateSymptom(p(99, 1000), counts, now);
    expect(p99).toMatchObject({ active: true, threshold: 1000, calls: 1000 });
    expect(Math.abs(p99.value! / 2000 - 1)).toBeLessThanOrEqual(0.02); // the histogram's accuracy
    const p50 = evaluateSymptom(p(50, 1000), counts, now);
    expect(p50.active).toBe(false);
    expect(Math.abs(p50.value! / 40 - 1)).toBeLessThanOrEqual(0.02);
  });

  it('all slow but fewer calls than minCalls: not active', () => {
    const counts = new MinuteRedCounts();
    counts.add(now, 99, 0, durations([5000, 99]));
    expect(evaluateSymptom(p(99, 1000), counts, now)).toMatchObject({ active: false, calls: 99, reason: 'insufficient calls' });
  });

  it('calls without durations (rows with no histogram) give no value and no alert', () => {
    const counts = new MinuteRedCounts();
    counts.add(now, 500, 0);
    expect(evaluateSymptom(p(99, 1000), counts, now)).toEqual({ active: false, value: null, threshold: 1000, calls: 500, reason: 'no latency data' });
  });
});

describe('evaluateSymptom: traffic', () => {
  const weekly = (direction: 'up' | 'down' | 'both', deviationPercent = 50, minCalls = 100): SymptomCondition => ({
    type: 'traffic', windowMs: 10 * MINUTE_MS, baseline: 'last_week', trailingWindows: 0, deviationPercent, direction, minCalls,
  });
  const tEnd = trafficEnd(now); // 12:00

  /** A week of history at `lastWeek` calls/min, then `current` calls/min in the last 10 whole minutes. */
  function history(lastWeek: number, current: number): MinuteRedCounts {
    const counts = new MinuteRedCounts();
    fill(counts, tEnd - 8 * DAY_MS, tEnd - 10 * MINUTE_MS, () => [lastWeek, 0]);
    fill(counts, tEnd - 10 * MINUTE_MS, tEnd, () => [current, 0]);
    return counts;
  }

  it.each<[string, 'up' | 'down' | 'both', number, number, boolean, number]>([
    ['drop to zero fires for down', 'down', 100, 0, true, -100],
    ['drop to zero fires for both', 'both', 100, 0, true, -100],
    ['drop to zero is not an up-spike', 'up', 100, 0, false, -100],
    ['exactly −50% fires (≤ −X)', 'down', 100, 50, true, -50],
    ['−49% does not', 'down', 100, 51, false, -49],
    ['tripled traffic fires for up', 'up', 100, 300, true, 200],
    ['tripled traffic fires for both', 'both', 100, 300, true, 200],
    ['tripled traffic is not a drop', 'down', 100, 300, false, 200],
  ])('%s', (_, direction, lastWeek, current, active, value) => {
    const r = evaluateSymptom(weekly(direction), history(lastWeek, current), now);
    expect(r).toMatchObject({ active, value, calls: current * 10, baseline: lastWeek * 10 });
    expect(r.reason).toBeUndefined();
  });

  it("reports the bound crossed: −X for down, +X for up, the value's side for both", () => {
    expect(evaluateSymptom(weekly('down'), history(100, 0), now).threshold).toBe(-50);
    expect(evaluateSymptom(weekly('up'), history(100, 0), now).threshold).toBe(50);
    expect(evaluateSymptom(weekly('both'), history(100, 0), now).threshold).toBe(-50);
    expect(evaluateSymptom(weekly('both'), history(100, 300), now).threshold).toBe(50);
  });

  it('low traffic does not fire: 3 calls/min last week going to 0 is below the minimum baseline', () => {
    expect(evaluateSymptom(weekly('both'), history(3, 0), now)).toEqual({
      active: false, value: -100, threshold: -50, calls: 0, baseline: 30, reason: 'insufficient baseline',
    });
    expect(evaluateSymptom(weekly('both'), new MinuteRedCounts(), now)).toMatchObject({ active: false, value: null, baseline: 0, reason: 'insufficient baseline' });
    // The same drop at 10 calls/min (100 per window) is a healthy baseline.
    expect(evaluateSymptom(weekly('both'), history(10, 0), now).active).toBe(true);
  });

  it('compares with the same window a week earlier, not with the days around it', () => {
    const counts = new MinuteRedCounts();
    fill(counts, tEnd - 8 * DAY_MS, tEnd, () => [100, 0]);
    // Last week this window had a launch at 5x traffic; today's steady 100/min is −80% against it.
    fill(counts, tEnd - 7 * DAY_MS - 10 * MINUTE_MS, tEnd - 7 * DAY_MS, () => [400, 0]);
    expect(evaluateSymptom(weekly('down', 50), counts, now)).toMatchObject({ active: true, value: -80, baseline: 5000 });
  });

  it('trailing mean: the mean of the N windows right before the current one', () => {
    const counts = new MinuteRedCounts();
    const w = 5 * MINUTE_MS;
    const perWindow = [700, 500, 400, 300, 200, 100]; // most recent first, mean 366.67
    perWindow.forEach((calls, i) => counts.add(tEnd - (i + 2) * w, calls, 0));
    counts.add(tEnd - 7 * w - MINUTE_MS, 1_000_000, 0); // older than the 6 windows: ignored
    counts.add(tEnd - MINUTE_MS, 1100, 0);
    const c: SymptomCondition = { type: 'traffic', windowMs: w, baseline: 'trailing_mean', trailingWindows: 6, deviationPercent: 200, direction: 'up', minCalls: 100 };
    expect(evaluateSymptom(c, counts, now)).toEqual({ active: true, value: 200, threshold: 200, calls: 1100, baseline: 2200 / 6 });
  });

  it('steady traffic reads steady at every second of a minute: the filling minute is left out', () => {
    const counts = new MinuteRedCounts();
    const start = at('2024-05-13T11:00:00Z');
    fill(counts, start - 8 * DAY_MS, start + MINUTE_MS, () => [100, 0]);
    // 11:01:05, 5 s into a minute whose spans are still arriving: only 8 calls recorded so far.
    // Counting it would read −9% against last week and fire a 'down 5%' rule every minute.
    counts.add(start + MINUTE_MS, 8, 0);
    for (const t of [start + MINUTE_MS + 5_000, start + MINUTE_MS + 59_999]) {
      expect(evaluateSymptom(weekly('down', 5), counts, t)).toMatchObject({ active: false, value: 0, calls: 1000, baseline: 1000 });
    }
  });
});
