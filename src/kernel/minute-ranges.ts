/**
 * Minute and hour arithmetic for window sums.
 *
 * Counts are stored per minute and per hour (UTC epoch-aligned hours). A
 * window sum reads hour rows for the whole hours inside the window and minute
 * rows only at its two edges, so a 30-day window costs about as much as a
 * 7-day one: at most 720 hour rows plus at most 118 minute rows, however the
 * window is placed.
 */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Range is a half-open interval [fromMs, toMs) in epoch milliseconds. */
export type Range = readonly [fromMs: number, toMs: number];

/**
 * SplitRange is a window decomposed for storage reads: `hours` is one
 * hour-aligned range (read from hour rows) or null when the window holds no
 * whole hour; `minutes` are the edge ranges (read from minute rows), in time
 * order, at most two. Together they cover the window exactly once.
 */
export interface SplitRange {
  hours: Range | null;
  minutes: Range[];
}

/** floorMinute is the start of the minute holding `ms`. */
export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * evaluationEnd is the exclusive end of every window evaluated at `nowMs`:
 * the end of the minute holding `nowMs`. The current, still-filling minute is
 * included on purpose — the aggregator flushes it every few hundred
 * milliseconds, and leaving it out would delay every detection by up to a
 * minute. Ratios (SLI, burn rate) are unaffected by the minute being partial.
 */
export function evaluationEnd(nowMs: number): number {
  return floorMinute(nowMs) + MINUTE_MS;
}

/**
 * splitRange decomposes [startMs, endMs) — both on minute boundaries — into
 * whole UTC hours plus minute edges. It throws on unaligned or reversed
 * bounds, because a silently rounded window would no longer be exact.
 */
export function splitRange(startMs: number, endMs: number): SplitRange {
  assertMinuteAligned('startMs', startMs);
  assertMinuteAligned('endMs', endMs);
  if (endMs < startMs) {
    throw new RangeError(`splitRange: endMs (${endMs}) is before startMs (${startMs})`);
  }
  if (endMs === startMs) return { hours: null, minutes: [] };

  const firstHour = Math.ceil(startMs / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(endMs / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) {
    // No whole hour fits: the window is one stretch of minute rows (< 2 h).
    return { hours: null, minutes: [[startMs, endMs]] };
  }
  const minutes: Range[] = [];
  if (startMs < firstHour) minutes.push([startMs, firstHour]);
  if (lastHour < endMs) minutes.push([lastHour, endMs]);
  return { hours: [firstHour, lastHour], minutes };
}

function assertMinuteAligned(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms % MINUTE_MS !== 0) {
    throw new RangeError(`splitRange: ${name} (${ms}) is not on a minute boundary`);
  }
}
