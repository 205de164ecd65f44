import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HOUR_MS } from '../kernel/minute-ranges.js';

export interface RedPoint {
  atMs: number;
  calls: number;
  errors: number;
  histogram: Record<string, number>;
}

/**
 * RedSeriesRepository reads one service's (or operation's) RED rows as a time
 * series, one point per step: the console's charts. Hour rows serve steps of
 * an hour or more, minute rows the rest; histograms merge per step in SQL so
 * the wire carries one histogram per point, not per row.
 */
@Injectable()
export class RedSeriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async series(service: string, operation: string | undefined, fromMs: number, toMs: number, stepMs: number): Promise<RedPoint[]> {
    const table = stepMs >= HOUR_MS ? 'red_hour' : 'red_minute';
    const params: unknown[] = [service, fromMs / 1000, toMs / 1000, `${stepMs / 1000} seconds`];
    const op = operation !== undefined ? `AND s.span_name = $${params.push(operation)}` : '';
    const rows: { t: string; calls: string; errors: string; hist: Record<string, number> | null }[] = await this.dataSource.query(
      `WITH r AS (
         SELECT date_bin($4::interval, r.bucket, to_timestamp($2)) AS t, r.calls, r.errors, r.hist_lo, r.hist_n, r.hist_z
         FROM ${table} r JOIN series s ON s.id = r.series_id
         WHERE s.service = $1 ${op} AND r.bucket >= to_timestamp($2) AND r.bucket < to_timestamp($3)),
       tot AS (SELECT t, SUM(calls) AS calls, SUM(errors) AS errors FROM r GROUP BY t),
       b AS (SELECT t, kv.key AS idx, SUM(kv.value::double precision) AS n FROM r, bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z) kv GROUP BY t, kv.key),
       h AS (SELECT t, jsonb_object_agg(idx, n) AS hist FROM b GROUP BY t)
       SELECT extract(epoch FROM tot.t) * 1000 AS t, tot.calls, tot.errors, h.hist FROM tot LEFT JOIN h ON h.t = tot.t ORDER BY tot.t`,
      params,
    );
    return rows.map((r) => ({ atMs: Number(r.t), calls: Number(r.calls), errors: Number(r.errors), histogram: r.hist ?? {} }));
  }
}
