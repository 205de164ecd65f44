import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Range } from '../kernel/minute-ranges.js';
import type { RedCounts, RedSums, SymptomSelector } from '../evaluation/symptom-rule.js';
import { addBucketJson } from '../kernel/log-histogram.js';
import { histogramFromStored } from '../ingest/red.repository.js';
import { SPAN_KIND_LABELS, spanKindFromName } from '../kernel/span.model.js';
import { globSource, isGlob, operationMatchSql } from '../common/patterns.js';
import { storedParts, type StoredLevel, type StoredPart } from '../kernel/stored-ranges.js';

/**
 * RuleCountsRepository answers symptom rules from the stored RED rows,
 * inside the evaluator's transaction: `load` every rule of a tick in a fixed
 * number of queries however many rules there are; `loadOne` one rule with
 * queries of its own, the straightforward reference `load` is checked and
 * measured against.
 */
@Injectable()
export class RuleCountsRepository {
  load(m: EntityManager, rules: RuleQuery[], minuteHorizonMs: number): Promise<RedCounts[]> {
    return loadRuleCountsBatch(m, rules, minuteHorizonMs);
  }

  loadOne(m: EntityManager, selector: SymptomSelector, ranges: Range[], withHistogram: boolean, minuteHorizonMs: number): Promise<RedCounts> {
    return loadRuleCounts(m, selector, ranges, withHistogram, minuteHorizonMs);
  }
}

/** One rule's question for a tick: its selector and the ranges the pure evaluator asked for. */
export interface RuleQuery {
  selector: SymptomSelector;
  ranges: Range[];
  withHistogram: boolean;
}

const TABLE: Record<StoredLevel, string> = { minute: 'red_minute', hour: 'red_hour' };

/**
 * loadRuleCountsBatch answers every rule of a tick with a fixed number of
 * queries, however many rules there are: the selected series of all rules
 * at once, then per table the sums per (series, part) of every part any
 * rule needs (and bucket counts for latency rules). Each rule then adds up
 * its own series in memory. The result equals loadRuleCounts per rule.
 */
async function loadRuleCountsBatch(m: EntityManager, rules: RuleQuery[], minuteHorizonMs: number): Promise<RedCounts[]> {
  if (rules.length === 0) return [];
  const series: { id: string; service: string; span_name: string; span_kind: string }[] = await m.query(
    `SELECT id, service, span_name, span_kind FROM series WHERE service = ANY($1::text[])`,
    [[...new Set(rules.map((r) => r.selector.service))]],
  );
  const byService = new Map<string, typeof series>();
  for (const s of series) byService.set(s.service, [...(byService.get(s.service) ?? []), s]);

  const perRule = rules.map((rule) => {
    const parts = new Map<string, StoredPart>();
    for (const [f, t] of rule.ranges) for (const p of storedParts(f, t, minuteHorizonMs)) parts.set(p.key, p);
    return { rule, parts, series: selected(rule.selector, byService.get(rule.selector.service) ?? []) };
  });

  // (series, part key) → sums; histograms only where a latency rule reads them.
  const sums = new Map<string, RedSums>();
  for (const level of ['minute', 'hour'] as const) {
    const all = new Map<string, StoredPart>();
    const hist = new Map<string, StoredPart>();
    const ids = new Set<string>();
    const histIds = new Set<string>();
    for (const r of perRule) {
      for (const p of r.parts.values()) {
        if (p.level !== level) continue;
        all.set(p.key, p);
        r.series.forEach((id) => ids.add(id));
        if (r.rule.withHistogram) {
          hist.set(p.key, p);
          r.series.forEach((id) => histIds.add(id));
        }
      }
    }
    await sumParts(m, level, [...all.values()], [...ids], false, sums);
    await sumParts(m, level, [...hist.values()], [...histIds], true, sums);
  }

  return perRule.map(({ rule, parts, series: ids }) => {
    const byPart = new Map<string, RedSums>();
    for (const [key] of parts) {
      const acc: RedSums = { calls: 0, errors: 0, histogram: { b: {}, z: 0 } };
      const buckets: Record<string, number> = {};
      for (const id of ids) {
        const s = sums.get(`${id}|${key}`);
        if (!s) continue;
        acc.calls += s.calls;
        acc.errors += s.errors;
        if (rule.withHistogram) {
          for (const [k, v] of Object.entries(s.histogram.b)) buckets[k] = (buckets[k] ?? 0) + v;
          if (s.histogram.z) buckets.z = (buckets.z ?? 0) + s.histogram.z;
        }
      }
      if (rule.withHistogram) acc.histogram = histogramFromStored(buckets);
      byPart.set(key, acc);
    }
    return redCountsFrom(byPart, minuteHorizonMs);
  });
}

/** selected: the ids of the series a selector picks, by the same rules as operationMatchSql. */
function selected(selector: SymptomSelector, series: { id: string; span_name: string; span_kind: string }[]): string[] {
  const kinds = new Set<string>(selector.spanKinds.map((k) => SPAN_KIND_LABELS[spanKindFromName(k)!]));
  const exact = new Set(selector.operations.filter((o) => !isGlob(o)));
  const globs = selector.operations.filter(isGlob).map((g) => new RegExp(globSource(g)));
  return series
    .filter((s) => kinds.has(s.span_kind))
    .filter((s) => selector.operations.length === 0 || exact.has(s.span_name) || globs.some((g) => g.test(s.span_name)))
    .map((s) => s.id);
}

async function sumParts(m: EntityManager, level: StoredLevel, parts: StoredPart[], ids: string[], histogram: boolean, out: Map<string, RedSums>): Promise<void> {
  if (parts.length === 0 || ids.length === 0) return;
  const params = [ids, parts.map((p) => p.range[0] / 1000), parts.map((p) => p.range[1] / 1000)];
  const from = `unnest($2::double precision[], $3::double precision[]) WITH ORDINALITY AS p(f, t, idx)
       JOIN ${TABLE[level]} r ON r.bucket >= to_timestamp(p.f) AND r.bucket < to_timestamp(p.t)`;
  const at = (id: string, idx: string) => {
    const key = `${id}|${parts[Number(idx) - 1].key}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { calls: 0, errors: 0, histogram: { b: {}, z: 0 } }));
    return s;
  };
  if (!histogram) {
    const rows: { series_id: string; idx: string; calls: number; errors: number }[] = await m.query(
      `SELECT r.series_id, p.idx, SUM(r.calls) AS calls, SUM(r.errors) AS errors FROM ${from}
       WHERE r.series_id = ANY($1::bigint[]) GROUP BY 1, 2`,
      params,
    );
    for (const r of rows) {
      const s = at(String(r.series_id), r.idx);
      s.calls = Number(r.calls);
      s.errors = Number(r.errors);
    }
    return;
  }
  const rows: { series_id: string; idx: string; k: string; n: number }[] = await m.query(
    `SELECT r.series_id, p.idx, b.key AS k, SUM(b.value::double precision) AS n FROM ${from}, bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z) b
     WHERE r.series_id = ANY($1::bigint[]) GROUP BY 1, 2, 3`,
    params,
  );
  for (const r of rows) {
    const s = at(String(r.series_id), r.idx);
    if (r.k === 'z') s.histogram.z += Number(r.n);
    else s.histogram.b[r.k] = (s.histogram.b[r.k] ?? 0) + Number(r.n);
  }
}

/**
 * loadRuleCounts answers a rule's window sums from the stored RED rows of
 * its selector — hour rows for whole hours, minute rows at the edges — for
 * exactly the ranges the pure evaluator asked for.
 */
async function loadRuleCounts(
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
function redCountsFrom(sums: ReadonlyMap<string, RedSums>, minuteHorizonMs: number): RedCounts {
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
