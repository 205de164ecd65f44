import type { EventCounts } from '../evaluation/burn-rate.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';
import type { WindowCounts } from '../evaluation/slo-evaluator.js';

/**
 * A stored SLO snapshot is the handful of window sums its status was
 * computed from, not the status itself: the status is a pure function of
 * (definition, sums, instant), so a reader re-derives it with the same core.
 * About 200 bytes instead of ~2 KB of JSON per SLO — writing 10,000 full
 * statuses every tick cost more than computing them.
 *
 * Encoding: [endMs, then per sum: minutes from its start to endMs, minutes
 * from its end to endMs, good, total].
 */

/** SumsRecorder passes sums through and remembers them, for encodeSums. */
export class SumsRecorder implements WindowCounts {
  /** from, to, good, total of each sum, flat: one array per SLO, not one per sum. */
  private readonly seen: number[] = [];

  constructor(private readonly counts: WindowCounts) {}

  sum(fromMs: number, toMs: number): EventCounts {
    const c = this.counts.sum(fromMs, toMs);
    this.seen.push(fromMs, toMs, c.good, c.total);
    return c;
  }

  encode(endMs: number): string {
    // Joined by hand: JSON.stringify of an array cost as much as the evaluation itself.
    const s = this.seen;
    let out = `[${endMs}`;
    for (let i = 0; i < s.length; i += 4) out += `,${(endMs - s[i]) / MINUTE_MS},${(endMs - s[i + 1]) / MINUTE_MS},${s[i + 2]},${s[i + 3]}`;
    return `${out}]`;
  }
}

/** StoredSums answers exactly the sums a snapshot recorded; any other is a MissingSum. */
export class StoredSums implements WindowCounts {
  private readonly sums = new Map<string, EventCounts>();

  constructor(encoded: readonly number[]) {
    const end = encoded[0];
    for (let i = 1; i + 3 < encoded.length; i += 4) {
      this.sums.set(`${end - encoded[i] * MINUTE_MS}|${end - encoded[i + 1] * MINUTE_MS}`, { good: encoded[i + 2], total: encoded[i + 3] });
    }
  }

  sum(fromMs: number, toMs: number): EventCounts {
    const c = this.sums.get(`${fromMs}|${toMs}`);
    if (!c) throw new MissingSum(`snapshot holds no sum for [${fromMs}, ${toMs})`);
    return c;
  }
}

/** MissingSum: the definition changed since the snapshot; wait for the next one. */
export class MissingSum extends Error {
  override name = 'MissingSum';
}
