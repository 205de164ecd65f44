import type { EventCounts } from '../evaluation/burn-rate.js';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import type { WindowCounts } from '../evaluation/slo-evaluator.js';
import type { SliBucket } from './sli-accumulator.js';
import { storedParts } from '../kernel/stored-ranges.js';

/**
 * StoredCounts replays stored sli_hour and sli_minute rows as WindowCounts,
 * so history is computed by the same pure core as live status. Hour and
 * minute rows are kept apart exactly as in the tables (hour rows are not
 * rebuilt from minutes: minute rows expire long before hour rows).
 */
export class StoredCounts implements WindowCounts {
  private readonly hours = new Map<number, EventCounts>();
  private readonly minutes = new Map<number, EventCounts>();

  /** `minuteHorizonMs`: ranges reaching before it are read at hour resolution (see readableRange). */
  constructor(
    hours: readonly SliBucket[],
    minutes: readonly SliBucket[],
    private readonly minuteHorizonMs = -Infinity,
  ) {
    for (const r of hours) this.hours.set(r.bucketMs, { good: r.good, total: r.total });
    for (const r of minutes) this.minutes.set(r.bucketMs, { good: r.good, total: r.total });
  }

  sum(fromMs: number, toMs: number): EventCounts {
    const acc = { good: 0, total: 0 };
    for (const { level, range } of storedParts(fromMs, toMs, this.minuteHorizonMs)) {
      const [rows, step] = level === 'hour' ? [this.hours, HOUR_MS] : [this.minutes, MINUTE_MS];
      for (let t = range[0]; t < range[1]; t += step) {
        const r = rows.get(t);
        if (r) {
          acc.good += r.good;
          acc.total += r.total;
        }
      }
    }
    return acc;
  }
}
