import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { splitRange } from '../kernel/minute-ranges.js';

export interface RedTotals {
  key: string[];
  calls: number;
  errors: number;
  durationSumMs: number;
  histogram: Record<string, number>;
  exemplars: { errors: { traceId: string; durationMs: number }[]; slowest: { traceId: string; durationMs: number }[] };
}

type GroupBy = 'service' | 'operation';

/**
 * RedTotalsRepository sums stored RED rows over a window: hour rows for the
 * whole hours inside it, minute rows at its edges, so a 30-day query reads
 * about as many rows as a 7-day one.
 */
@Injectable()
export class RedTotalsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async totals(fromMs: number, toMs: number, groupBy: GroupBy, service?: string): Promise<RedTotals[]> {
    const split = splitRange(fromMs, toMs);
    const ranges: { table: string; from: number; to: number }[] = [];
    if (split.hours) ranges.push({ table: 'red_hour', from: split.hours[0], to: split.hours[1] });
    for (const r of split.minutes) ranges.push({ table: 'red_minute', from: r[0], to: r[1] });
    if (ranges.length === 0) return [];

    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const parts = ranges.map(
      (r) =>
        `SELECT series_id, calls, errors, duration_sum_ms, hist_lo, hist_n, hist_z, exemplars FROM ${r.table}
         WHERE bucket >= to_timestamp(${p(r.from / 1000)}) AND bucket < to_timestamp(${p(r.to / 1000)})`,
    );
    const keyCols = groupBy === 'service' ? 's.service' : 's.service, s.span_name, s.span_kind';
    const where = service !== undefined ? `WHERE s.service = ${p(service)}` : '';
    const rows: {
      key: string[];
      calls: number;
      errors: number;
      dur: number;
      hist: Record<string, number> | null;
      ex: { errors: RedTotals['exemplars']['errors']; slowest: RedTotals['exemplars']['slowest'] }[] | null;
    }[] = await this.dataSource.query(
      `WITH parts AS (${parts.join(' UNION ALL ')}),
       joined AS (SELECT ${keyCols}, p.* FROM parts p JOIN series s ON s.id = p.series_id ${where}),
       totals AS (
         SELECT ARRAY[${keyCols.replace(/s\./g, '')}] AS key, SUM(calls) AS calls, SUM(errors) AS errors,
                SUM(duration_sum_ms) AS dur,
                jsonb_agg(exemplars) FILTER (WHERE exemplars <> '{}') AS ex
         FROM joined GROUP BY ${keyCols.replace(/s\./g, '')}),
       buckets AS (
         SELECT ARRAY[${keyCols.replace(/s\./g, '')}] AS key, b.key AS idx, SUM(b.value::double precision) AS n
         FROM joined, bw_hist_entries(joined.hist_lo, joined.hist_n, joined.hist_z) b
         GROUP BY ${keyCols.replace(/s\./g, '')}, b.key),
       hists AS (SELECT key, jsonb_object_agg(idx, n) AS hist FROM buckets GROUP BY key)
       SELECT t.key, t.calls, t.errors, t.dur, h.hist, t.ex FROM totals t LEFT JOIN hists h ON h.key = t.key
       ORDER BY t.key`,
      params,
    );
    return rows.map((r) => {
      const errors: RedTotals['exemplars']['errors'] = [];
      const slowest: RedTotals['exemplars']['slowest'] = [];
      for (const e of r.ex ?? []) {
        errors.push(...(e.errors ?? []));
        slowest.push(...(e.slowest ?? []));
      }
      slowest.sort((a, b) => b.durationMs - a.durationMs);
      return {
        key: r.key,
        calls: Number(r.calls),
        errors: Number(r.errors),
        durationSumMs: Number(r.dur),
        histogram: r.hist ?? {},
        exemplars: { errors: errors.slice(-3), slowest: slowest.slice(0, 3) },
      };
    });
  }
}
