import type { EventCounts } from '../evaluation/burn-rate.js';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import type { WindowCounts } from '../evaluation/slo-evaluator.js';
import type { SliBucket } from './sli-accumulator.js';

/**
 * PrefixCounts answers window sums over loaded minute and hour rows in O(1):
 * a replay asks for about nine sums per step and 43,200 steps for 30 days,
 * so re-adding the rows of every window at every step (up to 720 hour rows
 * for the full window) would cost seconds; prefix sums cost two subtractions.
 * It reads rows exactly as the live tick does (storedParts: hour rows in the
 * middle, minute rows at the edges, whole hours past the minute horizon), so
 * a replay sees the numbers the scheduler would have seen.
 */
export class PrefixCounts implements WindowCounts {
  private readonly minutes: Level;
  private readonly hours: Level;

  /** Rows outside [fromMs, toMs) are ignored; `minuteHorizonMs` as for StoredCounts. */
  constructor(
    fromMs: number,
    toMs: number,
    hours: readonly SliBucket[],
    minutes: readonly SliBucket[],
    private readonly minuteHorizonMs = -Infinity,
  ) {
    this.hours = new Level(Math.floor(fromMs / HOUR_MS) * HOUR_MS, Math.ceil(toMs / HOUR_MS) * HOUR_MS, HOUR_MS, hours);
    this.minutes = new Level(Math.floor(fromMs / MINUTE_MS) * MINUTE_MS, Math.ceil(toMs / MINUTE_MS) * MINUTE_MS, MINUTE_MS, minutes);
  }

  /**
   * sum is storedParts(fromMs, toMs, horizon) summed, written out without
   * allocating: a replay calls it hundreds of thousands of times, and the
   * garbage of the part objects dominated its cost. prefix-counts.spec.ts
   * checks it against StoredCounts, which goes through storedParts.
   */
  sum(fromMs: number, toMs: number): EventCounts {
    let from = fromMs;
    let to = toMs;
    if (from < this.minuteHorizonMs) {
      // readableRange: a range reaching past the minute horizon reads its old edge by the whole hour.
      from = Math.floor(from / HOUR_MS) * HOUR_MS;
      if (to <= this.minuteHorizonMs) to = Math.ceil(to / HOUR_MS) * HOUR_MS;
    }
    if (to <= from) return { good: 0, total: 0 };
    const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
    const m = this.minutes;
    if (firstHour >= lastHour) return { good: m.sum(m.good, from, to), total: m.sum(m.total, from, to) };
    const h = this.hours;
    return {
      good: h.sum(h.good, firstHour, lastHour) + m.sum(m.good, from, firstHour) + m.sum(m.good, lastHour, to),
      total: h.sum(h.total, firstHour, lastHour) + m.sum(m.total, from, firstHour) + m.sum(m.total, lastHour, to),
    };
  }
}

/** Level is one resolution: prefix sums of good and total, index i = rows before start + i·step. */
class Level {
  readonly good: Float64Array;
  readonly total: Float64Array;

  constructor(
    private readonly startMs: number,
    endMs: number,
    private readonly stepMs: number,
    rows: readonly SliBucket[],
  ) {
    const n = Math.max(0, Math.round((endMs - startMs) / stepMs));
    this.good = new Float64Array(n + 1);
    this.total = new Float64Array(n + 1);
    for (const r of rows) {
      const i = Math.round((r.bucketMs - startMs) / stepMs);
      if (i < 0 || i >= n) continue;
      this.good[i + 1] += r.good;
      this.total[i + 1] += r.total;
    }
    for (let i = 1; i <= n; i++) {
      this.good[i] += this.good[i - 1];
      this.total[i] += this.total[i - 1];
    }
  }

  sum(prefix: Float64Array, fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0;
    return prefix[this.index(toMs)] - prefix[this.index(fromMs)];
  }

  private index(ms: number): number {
    return Math.min(this.good.length - 1, Math.max(0, Math.round((ms - this.startMs) / this.stepMs)));
  }
}

/**
 * firstEventMs is when loaded rows begin: the first hour row, refined to the
 * first minute row inside that hour when there is one (as DataStartRepository
 * does in SQL). null when there are no rows.
 */
export function firstEventMs(hours: readonly SliBucket[], minutes: readonly SliBucket[]): number | null {
  let firstHour = Infinity;
  for (const r of hours) if (r.total > 0 && r.bucketMs < firstHour) firstHour = r.bucketMs;
  let firstMinute = Infinity;
  let inFirstHour = Infinity;
  for (const r of minutes) {
    if (r.total <= 0) continue;
    if (r.bucketMs < firstMinute) firstMinute = r.bucketMs;
    if (r.bucketMs >= firstHour && r.bucketMs < firstHour + HOUR_MS && r.bucketMs < inFirstHour) inFirstHour = r.bucketMs;
  }
  if (Number.isFinite(inFirstHour)) return inFirstHour;
  if (Number.isFinite(firstHour)) return firstHour;
  return Number.isFinite(firstMinute) ? firstMinute : null;
}
