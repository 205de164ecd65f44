import type { EventCounts } from '../../src/evaluation/burn-rate.js';
import { HOUR_MS, MINUTE_MS, floorMinute, splitRange } from '../../src/kernel/minute-ranges.js';
import type { WindowCounts } from '../../src/evaluation/slo-evaluator.js';

/**
 * MinuteCounts is an in-memory WindowCounts with the same layout as the
 * sli_minute / sli_hour tables: every event is added to its minute row and to
 * its hour row, and sums read hours in the middle and minutes at the edges.
 * It backs the simulated-clock unit specs and doubles as the reference the
 * SQL window sums are checked against.
 */
export class MinuteCounts implements WindowCounts {
  private readonly minutes = new Map<number, EventCounts>();
  private readonly hours = new Map<number, EventCounts>();

  /** add counts `good` of `total` events at instant `atMs` (any ms in the minute). */
  add(atMs: number, good: number, total: number): void {
    bump(this.minutes, floorMinute(atMs), good, total);
    bump(this.hours, Math.floor(atMs / HOUR_MS) * HOUR_MS, good, total);
  }

  /** sum is the counts of [fromMs, toMs), both on minute boundaries. */
  sum(fromMs: number, toMs: number): EventCounts {
    const split = splitRange(fromMs, toMs);
    const acc: EventCounts = { good: 0, total: 0 };
    if (split.hours) addRows(acc, this.hours, split.hours[0], split.hours[1], HOUR_MS);
    for (const [from, to] of split.minutes) addRows(acc, this.minutes, from, to, MINUTE_MS);
    return acc;
  }
}

function bump(rows: Map<number, EventCounts>, key: number, good: number, total: number): void {
  const row = rows.get(key);
  if (row) {
    row.good += good;
    row.total += total;
  } else {
    rows.set(key, { good, total });
  }
}

function addRows(acc: EventCounts, rows: Map<number, EventCounts>, from: number, to: number, step: number): void {
  for (let t = from; t < to; t += step) {
    const row = rows.get(t);
    if (row) {
      acc.good += row.good;
      acc.total += row.total;
    }
  }
}
