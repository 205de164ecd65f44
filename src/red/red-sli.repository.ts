import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { operationMatchSql } from '../common/patterns.js';
import { bucketIndex } from '../kernel/log-histogram.js';
import { SPAN_KIND_LABELS } from '../kernel/span.model.js';

/**
 * RedSliQuery is what an SLO's counts are rebuilt from RED rows by: its
 * service, selector and indicator (an SLO definition has these fields).
 */
export interface RedSliQuery {
  service: string;
  selector: { spanKinds: number[]; operations: string[]; attributes: Record<string, string> };
  indicator: { type: 'availability' } | { type: 'latency'; thresholdMs: number; requireSuccess: boolean };
}

/** One bucket of rebuilt counts: a minute or an hour. */
export interface RedSliBucket {
  bucketMs: number;
  good: number;
  total: number;
}

export type RedLevel = 'minute' | 'hour';
const TABLE: Record<RedLevel, string> = { minute: 'red_minute', hour: 'red_hour' };

/**
 * RedSliRepository reads what an SLO would have counted from the stored
 * RED rows: per-minute and per-hour good/total, in the shape of the sli
 * tables. Backfill (a new or edited SLO gets history at once) and preview
 * (an SLO not saved yet) both read through it, so both mean the same
 * selection. It is approximate: latency is judged from the 2% histogram,
 * and RED rows keep no HTTP status codes.
 */
@Injectable()
export class RedSliRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** series: every minute and hour bucket of [fromMs, toMs), for a preview. */
  async series(q: RedSliQuery, fromMs: number, toMs: number): Promise<{ hours: RedSliBucket[]; minutes: RedSliBucket[] }> {
    const m = this.dataSource.manager;
    const [hours, minutes] = await Promise.all([this.buckets(m, q, 'hour', fromMs, toMs), this.buckets(m, q, 'minute', fromMs, toMs)]);
    return { hours, minutes };
  }

  /** buckets: the rebuilt counts of each stored bucket of one level in [fromMs, toMs), in bucket order, inside `m`. */
  async buckets(m: EntityManager, q: RedSliQuery, level: RedLevel, fromMs: number, toMs: number): Promise<RedSliBucket[]> {
    const params: unknown[] = [];
    const { where, good } = redSliSql(q, params);
    const rows: { ms: string; good: number; total: number }[] = await m.query(
      `SELECT extract(epoch FROM r.bucket) * 1000 AS ms, SUM(${good}) AS good, SUM(r.calls) AS total
       FROM ${TABLE[level]} r JOIN series s ON s.id = r.series_id
       WHERE ${where.join(' AND ')} AND r.bucket >= to_timestamp($${params.push(fromMs / 1000)}) AND r.bucket < to_timestamp($${params.push(toMs / 1000)})
       GROUP BY r.bucket ORDER BY r.bucket`,
      params,
    );
    return rows.map((r) => ({ bucketMs: Number(r.ms), good: Number(r.good), total: Number(r.total) }));
  }

  /** hasDimensions: some series of `service` carries every one of `keys` as a dimension, so an attribute selector can match. */
  async hasDimensions(m: EntityManager, service: string, keys: string[]): Promise<boolean> {
    const [row]: { x: boolean }[] = await m.query(`SELECT EXISTS (SELECT 1 FROM series s WHERE s.service = $1 AND s.dims ?& $2::text[]) AS x`, [service, keys]);
    return row.x;
  }

  /** hasOverflow: spans of the service beyond the series limit lost their operation name. */
  async hasOverflow(service: string): Promise<boolean> {
    const [row]: { x: boolean }[] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM series WHERE service = $1 AND overflow) AS x`, [service]);
    return row.x;
  }
}

/**
 * redSliSql is the series filter and the per-row good expression over
 * `red_minute r` / `red_hour r` joined to `series s`. Parameters are pushed
 * onto `params`, after what the caller put there.
 */
function redSliSql(q: RedSliQuery, params: unknown[]): { where: string[]; good: string } {
  const where = [`s.service = $${params.push(q.service)}`, `s.span_kind = ANY($${params.push(q.selector.spanKinds.map((k) => SPAN_KIND_LABELS[k]))}::text[])`, `NOT s.overflow`];
  if (q.selector.operations.length > 0) where.push(operationMatchSql(q.selector.operations, params));
  for (const [k, v] of Object.entries(q.selector.attributes)) {
    // Only dimensions present on the series can be matched.
    where.push(`s.dims ? $${params.push(k)} AND s.dims->>$${params.length} = $${params.push(v)}`);
  }
  if (q.indicator.type === 'availability') return { where, good: 'r.calls - r.errors' };
  const maxIndex = bucketIndex(q.indicator.thresholdMs);
  const fast = `(SELECT COALESCE(SUM(value::double precision), 0) FROM bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z)
                 WHERE key = 'z' OR key::int <= $${params.push(maxIndex)})`;
  // Errors are not split by duration in RED rows: assume they spread like the rest.
  return { where, good: q.indicator.requireSuccess ? `${fast} * CASE WHEN r.calls > 0 THEN (r.calls - r.errors) / r.calls ELSE 0 END` : fast };
}
