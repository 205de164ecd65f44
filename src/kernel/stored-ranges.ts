import { DAY_MS, HOUR_MS, splitRange, type Range } from './minute-ranges.js';

/**
 * readableRange is the range the stored rows can answer exactly. Minute rows
 * are kept for RETENTION_MINUTE_DAYS only, so a window reaching further back
 * (a 30-day SLO) has no minute rows at its start edge: summing "hour rows in
 * the middle, minute rows at the edges" would silently drop up to an hour of
 * events there. Such an edge is widened to the whole hour instead, from the
 * hour rows — the window then covers up to 59 minutes more than asked,
 * never less, and is still exact at the recent end where alerts look.
 *
 * `minuteHorizonMs` is the oldest instant minute rows are sure to exist for.
 */
export function readableRange(fromMs: number, toMs: number, minuteHorizonMs: number): Range {
  if (fromMs >= minuteHorizonMs) return [fromMs, toMs];
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const to = toMs > minuteHorizonMs ? toMs : Math.ceil(toMs / HOUR_MS) * HOUR_MS;
  return [from, to];
}

/** retentionCutoff is the instant before which rows kept for `days` are deleted (and spans are too old to accept). */
export function retentionCutoff(nowMs: number, days: number): number {
  return nowMs - days * DAY_MS;
}

/** minuteHorizon: retention minus an hour, so rows the retention job is about to delete are not relied on. */
export function minuteHorizon(nowMs: number, minuteRetentionDays: number): number {
  return retentionCutoff(nowMs, minuteRetentionDays) + HOUR_MS;
}

export type StoredLevel = 'hour' | 'minute';

/** StoredPart is one run of hour or minute rows; `key` names it uniquely among a tick's parts. */
export interface StoredPart {
  level: StoredLevel;
  range: Range;
  key: string;
}

/**
 * storedParts is how [fromMs, toMs) is read from storage: readableRange,
 * then hour rows for whole hours and minute rows at the edges. Every reader
 * of the minute/hour tables (SLO sums, history, symptom rules) goes through
 * it, so they all agree on which rows a window means.
 */
export function storedParts(fromMs: number, toMs: number, minuteHorizonMs: number): StoredPart[] {
  const split = splitRange(...readableRange(fromMs, toMs, minuteHorizonMs));
  const parts: StoredPart[] = [];
  if (split.hours) parts.push({ level: 'hour', range: split.hours, key: `hour|${split.hours[0]}|${split.hours[1]}` });
  for (const r of split.minutes) parts.push({ level: 'minute', range: r, key: `minute|${r[0]}|${r[1]}` });
  return parts;
}

/**
 * RangeRecorder answers every sum with `zero` and remembers the ranges
 * asked for: running a pure evaluator over it first tells a tick exactly
 * which sums to load.
 */
export class RangeRecorder<T> {
  readonly ranges = new Map<string, Range>();

  constructor(private readonly zero: T) {}

  sum(fromMs: number, toMs: number): T {
    this.ranges.set(`${fromMs}-${toMs}`, [fromMs, toMs]);
    return this.zero;
  }
}
