import { EntityManager } from 'typeorm';
import type { Range } from '../kernel/minute-ranges.js';
import type { RedCounts, RedSums, SymptomSelector } from '../evaluation/symptom-rule.js';
import { addBucketJson } from '../kernel/log-histogram.js';
import { histogramFromStored } from '../ingest/red.repository.js';
import { storedParts, type StoredPart } from '../kernel/stored-ranges.js';
import { operationMatchSql } from '../common/patterns.js';
import { SPAN_KIND_LABELS, spanKindFromName } from '../kernel/span.model.js';

/**
 * loadRuleCounts answers a rule's window sums from the stored RED rows of
 * its selector — hour rows for whole hours, minute rows at the edges — for
 * exactly the ranges the pure evaluator asked for.
 */
export async function loadRuleCounts(
  m: EntityManager,
  selector: SymptomSelector,
  ranges: Range[],
  withHistogram: boolean,
  minuteHorizonMs: number,
): Promise<RedCounts> {
  // A last-week baseline can reach past minute retention: storedParts reads it by whole hours.
  const parts = new Map<string, StoredPart>();
  for (const [f, t] of ranges) for (const p of storedParts(f, t, minuteHorizonMs)) parts.set(p.key, p);
  const params: unknown[] = [selector.service, selector.spanKinds.map((k) => SPAN_KIND_LABELS[spanKindFromName(k)!])];
  const opFilter = selector.operations.length > 0 ? `AND ${operationMatchSql(selector.operations, params)}` : '';
  const sums = new Map<string, RedSums>();
  for (const [k, { level, range }] of parts) {
    const table = level === 'hour' ? 'red_hour' : 'red_minute';
    const p = [...params, range[0] / 1000, range[1] / 1000];
    const where = `s.service = $1 AND s.span_kind = ANY($2::text[]) ${opFilter}
                   AND r.bucket >= to_timestamp($${p.length - 1}) AND r.bucket < to_timestamp($${p.length})`;
    const [row] = await m.query(
      `SELECT COALESCE(SUM(r.calls), 0) AS calls, COALESCE(SUM(r.errors), 0) AS errors FROM ${table} r JOIN series s ON s.id = r.series_id WHERE ${where}`,
      p,
    );
    let histogram = { b: {} as Record<string, number>, z: 0 };
    if (withHistogram) {
      const buckets: { k: string; n: number }[] = await m.query(
        `SELECT b.key AS k, SUM(b.value::double precision) AS n
         FROM ${table} r JOIN series s ON s.id = r.series_id, bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z) b WHERE ${where} GROUP BY b.key`,
        p,
      );
      histogram = histogramFromStored(Object.fromEntries(buckets.map((b) => [b.k, Number(b.n)])));
    }
    sums.set(k, { calls: Number(row.calls), errors: Number(row.errors), histogram });
  }
  return redCountsFrom(sums, minuteHorizonMs);
}

/**
 * redCountsFrom answers a rule's window sums from its per-part sums (keyed
 * by StoredPart.key), the way the stored rows would.
 */
export function redCountsFrom(sums: ReadonlyMap<string, RedSums>, minuteHorizonMs: number): RedCounts {
  return {
    sum(fromMs: number, toMs: number): RedSums {
      const acc: RedSums = { calls: 0, errors: 0, histogram: { b: {}, z: 0 } };
      let covered = 0;
      for (const p of storedParts(fromMs, toMs, minuteHorizonMs)) {
        covered += p.range[1] - p.range[0];
        const s = sums.get(p.key);
        if (!s) continue;
        acc.calls += s.calls;
        acc.errors += s.errors;
        addBucketJson(acc.histogram, s.histogram);
      }
      // A widened range holds more time than asked: prorate the counts so a
      // traffic baseline compares rates, not a longer window with a shorter
      // one. Ratios and percentiles do not change with the scale.
      const scale = covered === 0 ? 1 : (toMs - fromMs) / covered;
      return scale === 1 ? acc : { ...acc, calls: acc.calls * scale, errors: acc.errors * scale };
    },
  };
}
