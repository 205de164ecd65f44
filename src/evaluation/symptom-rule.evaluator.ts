import { LogHistogram } from '../kernel/log-histogram.js';
import { DAY_MS, MINUTE_MS, evaluationEnd } from '../kernel/minute-ranges.js';
import type { RedCounts, SymptomCondition } from './symptom-rule.js';

/**
 * The pure check of a symptom rule's condition at one instant: (condition,
 * RED sums, now) → active or not, with the value that crossed. No clock, no
 * database. `for` and `keep_firing_for` are not applied here: the caller
 * feeds `active` to stepAlert (alert-state.ts), as for SLO alerts.
 *
 * Comparisons: error ratio and latency fire when the value is strictly
 * above the threshold (`>`, as Prometheus rules are written); traffic fires
 * when the deviation reaches the configured percentage (`≥ X` / `≤ −X`), so
 * that "down by 100%" — traffic gone — is a rule that can fire.
 */

export interface SymptomResult {
  active: boolean;
  /** Error ratio, latency in ms, or traffic deviation in percent; null when there is nothing to compute it from. */
  value: number | null;
  /**
   * What the value is compared against: the ratio, the ms, or for traffic the
   * signed deviation bound (−X for 'down', +X for 'up', for 'both' the side the value is on).
   */
  threshold: number;
  /** Calls in the (current) window. */
  calls: number;
  /** Traffic only: calls in the baseline (a mean for 'trailing_mean'). */
  baseline?: number | null;
  /** Why the rule is not active although it might be: too little traffic or no data. */
  reason?: string;
}

export const WEEK_MS = 7 * DAY_MS;

/**
 * evaluateSymptom checks `condition` at `nowMs`. Error-ratio and latency
 * windows end at evaluationEnd(now), the current minute included as in the
 * SLO core: ratios and percentiles do not depend on the minute being full.
 * Traffic windows end at the start of the current minute instead (see
 * trafficEnd).
 */
export function evaluateSymptom(condition: SymptomCondition, counts: RedCounts, nowMs: number): SymptomResult {
  switch (condition.type) {
    case 'error_ratio':
      return errorRatio(condition, counts, nowMs);
    case 'latency':
      return latency(condition, counts, nowMs);
    case 'traffic':
      return traffic(condition, counts, nowMs);
  }
}

type Of<T extends SymptomCondition['type']> = Extract<SymptomCondition, { type: T }>;

function errorRatio(c: Of<'error_ratio'>, counts: RedCounts, nowMs: number): SymptomResult {
  const end = evaluationEnd(nowMs);
  const { calls, errors } = counts.sum(end - c.windowMs, end);
  const value = calls > 0 ? errors / calls : null;
  const base = { value, threshold: c.threshold, calls };
  if (calls < c.minCalls) return { ...base, active: false, reason: 'insufficient calls' };
  return { ...base, active: value !== null && value > c.threshold };
}

function latency(c: Of<'latency'>, counts: RedCounts, nowMs: number): SymptomResult {
  const end = evaluationEnd(nowMs);
  const { calls, histogram } = counts.sum(end - c.windowMs, end);
  const q = LogHistogram.fromJSON(histogram).quantile(c.percentile / 100);
  const value = Number.isNaN(q) ? null : q;
  const base = { value, threshold: c.thresholdMs, calls };
  if (calls < c.minCalls) return { ...base, active: false, reason: 'insufficient calls' };
  // Calls without durations can only come from rows rebuilt without histograms; no value, no alert.
  if (value === null) return { ...base, active: false, reason: 'no latency data' };
  return { ...base, active: value > c.thresholdMs };
}

/**
 * trafficEnd is the end of traffic windows: the start of the current minute.
 * Unlike a ratio, a call count drops when the still-filling minute is
 * included — at 12:00:05 a 5-minute window would hold 4 minutes and 5
 * seconds of traffic, −18% against a full baseline, and a "down 15%" rule
 * would fire at the start of every minute. Whole minutes cost at most one
 * minute of detection time, which a traffic rule's `for` dwarfs anyway.
 */
export function trafficEnd(nowMs: number): number {
  return evaluationEnd(nowMs) - MINUTE_MS;
}

function traffic(c: Of<'traffic'>, counts: RedCounts, nowMs: number): SymptomResult {
  const end = trafficEnd(nowMs);
  const calls = counts.sum(end - c.windowMs, end).calls;
  const { total, windows } = trafficBaseline(c, counts, end);
  const baseline = total / windows;
  // Compared as total and count, not through the mean, so that integer counts give exact deviations.
  const value = total > 0 ? ((calls * windows - total) * 100) / total : null;
  const downward = c.direction === 'down' || (c.direction === 'both' && value !== null && value < 0);
  const threshold = downward ? -c.deviationPercent : c.deviationPercent;
  if (value === null || total < c.minCalls * windows) {
    return { active: false, value, threshold, calls, baseline, reason: 'insufficient baseline' };
  }
  const up = value >= c.deviationPercent;
  const down = value <= -c.deviationPercent;
  const active = c.direction === 'up' ? up : c.direction === 'down' ? down : up || down;
  return { active, value, threshold, calls, baseline };
}

/**
 * trafficBaseline is the calls expected in the window ending at `end`, as a
 * total over `windows` windows: the same window a week earlier (weekly
 * seasonality: Monday 9:00 against Monday 9:00), or the `trailingWindows`
 * windows right before it.
 */
function trafficBaseline(c: Of<'traffic'>, counts: RedCounts, end: number): { total: number; windows: number } {
  if (c.baseline === 'last_week') return { total: counts.sum(end - WEEK_MS - c.windowMs, end - WEEK_MS).calls, windows: 1 };
  const n = Math.max(1, c.trailingWindows);
  return { total: counts.sum(end - (n + 1) * c.windowMs, end - c.windowMs).calls, windows: n };
}
