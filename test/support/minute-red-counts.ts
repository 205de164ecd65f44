import { type HistogramJson, mergeBucketJson } from '../../src/kernel/log-histogram.js';
import { HOUR_MS, MINUTE_MS, floorMinute, splitRange } from '../../src/kernel/minute-ranges.js';
import type { RedCounts, RedSums } from '../../src/evaluation/symptom-rule.js';

/**
 * MinuteRedCounts is an in-memory RedCounts with the layout of the
 * red_minute / red_hour tables: each addition lands in its minute row and
 * its hour row, and sums read hours in the middle and minutes at the edges
 * (splitRange), merging histograms by bucket as the SQL does. It backs the
 * simulated-clock unit specs of symptom rules, like MinuteCounts for SLOs.
 */
export class MinuteRedCounts implements RedCounts {
  private readonly minutes = new Map<number, RedSums>();
  private readonly hours = new Map<number, RedSums>();

  /** add records calls, errors and their durations' histogram at `atMs` (any ms in the minute). */
  add(atMs: number, calls: number, errors: number, histogram: HistogramJson = { b: {}, z: 0 }): void {
    bump(this.minutes, floorMinute(atMs), { calls, errors, histogram });
    bump(this.hours, Math.floor(atMs / HOUR_MS) * HOUR_MS, { calls, errors, histogram });
  }

  /** sum is the RED sums of [fromMs, toMs), both on minute boundaries. */
  sum(fromMs: number, toMs: number): RedSums {
    const split = splitRange(fromMs, toMs);
    const acc: RedSums = { calls: 0, errors: 0, histogram: { b: {}, z: 0 } };
    if (split.hours) addRows(acc, this.hours, split.hours[0], split.hours[1], HOUR_MS);
    for (const [from, to] of split.minutes) addRows(acc, this.minutes, from, to, MINUTE_MS);
    return acc;
  }
}

function bump(rows: Map<number, RedSums>, key: number, add: RedSums): void {
  const row = rows.get(key);
  if (row) {
    row.calls += add.calls;
    row.errors += add.errors;
    row.histogram = mergeBucketJson(row.histogram, add.histogram);
  } else {
    rows.set(key, { calls: add.calls, errors: add.errors, histogram: mergeBucketJson({ b: {}, z: 0 }, add.histogram) });
  }
}

function addRows(acc: RedSums, rows: Map<number, RedSums>, from: number, to: number, step: number): void {
  for (let t = from; t < to; t += step) {
    const row = rows.get(t);
    if (row) {
      acc.calls += row.calls;
      acc.errors += row.errors;
      acc.histogram = mergeBucketJson(acc.histogram, row.histogram);
    }
  }
}
