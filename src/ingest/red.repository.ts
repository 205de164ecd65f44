import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RedRow } from './aggregate/aggregator.js';
import type { HistogramJson } from '../kernel/log-histogram.js';

/** The stored histogram is a flat jsonb map bucket index -> count ('z' = zero bucket), so SQL can merge it by key. */
export function histogramToStored(h: HistogramJson): Record<string, number> {
  return h.z ? { ...h.b, z: h.z } : { ...h.b };
}

export function histogramFromStored(stored: Record<string, number | string>): HistogramJson {
  const b: Record<string, number> = {};
  let z = 0;
  for (const [k, v] of Object.entries(stored)) {
    if (k === 'z') z = Number(v);
    else b[k] = Number(v);
  }
  return { b, z };
}

/**
 * RedRepository writes RED rows with additive upserts: every replica adds its
 * counts to the same (series, bucket) row, so totals are exact however many
 * processes ingest. Series ids are cached only after a commit succeeded, so a
 * rolled-back transaction can never leave the cache pointing at a missing row.
 */
@Injectable()
export class RedRepository {
  private readonly seriesIds = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** write stores minute rows and their hour roll-ups in one transaction. */
  async write(minuteRows: RedRow[], hourRows: RedRow[], extra?: (m: EntityManager) => Promise<void>): Promise<void> {
    if (minuteRows.length === 0) {
      if (extra) await this.dataSource.transaction(extra);
      return;
    }
    const fresh = new Map<string, number>();
    await this.dataSource.transaction(async (m) => {
      const ids = await this.resolveSeries(m, minuteRows, fresh);
      await this.upsert(m, 'red_minute', minuteRows, ids);
      await this.upsert(m, 'red_hour', hourRows, ids);
      if (extra) await extra(m);
    });
    for (const [k, v] of fresh) this.seriesIds.set(k, v);
  }

  private async resolveSeries(m: EntityManager, rows: RedRow[], fresh: Map<string, number>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const missing = new Map<string, RedRow>();
    for (const r of rows) {
      const id = this.seriesIds.get(r.seriesKey);
      if (id !== undefined) ids.set(r.seriesKey, id);
      else missing.set(r.seriesKey, r);
    }
    if (missing.size === 0) return ids;
    const list = [...missing.values()].sort((a, b) => (a.seriesKey < b.seriesKey ? -1 : 1));
    // DO UPDATE (a no-op write) makes RETURNING yield ids of rows that already existed too.
    const result: { id: string; series_key: string }[] = await m.query(
      `INSERT INTO series (series_key, service, span_name, span_kind, dims, overflow)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::boolean[])
       ON CONFLICT (series_key) DO UPDATE SET series_key = excluded.series_key
       RETURNING id, series_key`,
      [
        list.map((r) => r.seriesKey),
        list.map((r) => r.labels.service),
        list.map((r) => r.labels.spanName),
        list.map((r) => r.labels.spanKind),
        list.map((r) => JSON.stringify(r.labels.dims)),
        list.map((r) => r.labels.overflow),
      ],
    );
    for (const row of result) {
      ids.set(row.series_key, Number(row.id));
      fresh.set(row.series_key, Number(row.id));
    }
    return ids;
  }

  private async upsert(m: EntityManager, table: 'red_minute' | 'red_hour', rows: RedRow[], ids: Map<string, number>): Promise<void> {
    if (rows.length === 0) return;
    // Lock rows in one global order (series id, bucket) so concurrent flushes
    // from several replicas cannot deadlock each other.
    const sorted = rows
      .map((r) => ({ r, id: ids.get(r.seriesKey)! }))
      .sort((a, b) => a.id - b.id || a.r.minuteMs - b.r.minuteMs);
    await m.query(
      `INSERT INTO ${table} (series_id, bucket, calls, errors, duration_sum_ms, hist, prom_buckets, exemplars)
       SELECT id, to_timestamp(ms / 1000.0), calls, errors, dur, hist, pb::double precision[], ex
       FROM unnest($1::bigint[], $2::double precision[], $3::double precision[], $4::double precision[],
                   $5::double precision[], $6::jsonb[], $7::text[], $8::jsonb[])
            AS t(id, ms, calls, errors, dur, hist, pb, ex)
       ON CONFLICT (series_id, bucket) DO UPDATE SET
         calls = ${table}.calls + excluded.calls,
         errors = ${table}.errors + excluded.errors,
         duration_sum_ms = ${table}.duration_sum_ms + excluded.duration_sum_ms,
         hist = bw_hist_merge(${table}.hist, excluded.hist),
         prom_buckets = bw_array_add(${table}.prom_buckets, excluded.prom_buckets),
         exemplars = bw_exemplars_merge(${table}.exemplars, excluded.exemplars)`,
      [
        sorted.map((s) => s.id),
        sorted.map((s) => s.r.minuteMs),
        sorted.map((s) => s.r.calls),
        sorted.map((s) => s.r.errors),
        sorted.map((s) => s.r.durationSumMs),
        sorted.map((s) => JSON.stringify(histogramToStored(s.r.histogram))),
        sorted.map((s) => `{${s.r.promBuckets.join(',')}}`),
        sorted.map((s) => JSON.stringify(s.r.exemplars)),
      ],
    );
  }
}
