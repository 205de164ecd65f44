import { HOUR_MS, type Range } from '../evaluation/minute-ranges.js';

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

/** minuteHorizon: retention minus an hour, so rows the retention job is about to delete are not relied on. */
export function minuteHorizon(nowMs: number, minuteRetentionDays: number): number {
  return nowMs - minuteRetentionDays * 86_400_000 + HOUR_MS;
}
