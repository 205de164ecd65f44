import type { EntityManager } from 'typeorm';
import type { Range } from '../kernel/minute-ranges.js';
import type { StoredLevel } from '../kernel/stored-ranges.js';

const TABLE: Record<StoredLevel, string> = { minute: 'sli_minute', hour: 'sli_hour' };

/** One stored SLI row: an SLO's good and total events of one minute or hour. */
export interface SliBucketRow {
  sloId: string;
  bucketMs: number;
  good: number;
  total: number;
}

/** The sums of one SLO over one of the ranges asked for (`index` into them). */
export interface SliRangeSum {
  sloId: string;
  index: number;
  good: number;
  total: number;
}

/**
 * SliWindowRepository holds the queries the evaluator's window cache
 * (sli-window-cache.ts) reads the sli tables with, all inside the tick's
 * transaction.
 */
export class SliWindowRepository {
  /** snapshotXmin: the xmin of the transaction's snapshot, the cache's watermark for the next tick. */
  async snapshotXmin(m: EntityManager): Promise<string> {
    const [{ xmin }]: { xmin: string }[] = await m.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
    return xmin;
  }

  /** changedSince: every row written by a transaction at or after `xid` (its changed_xid, see the SliChangeMarkers migration). */
  async changedSince(m: EntityManager, level: StoredLevel, xid: string): Promise<SliBucketRow[]> {
    const rows: { slo_id: string; ms: string; good: number; total: number }[] = await m.query(
      `SELECT slo_id, extract(epoch FROM bucket) * 1000 AS ms, good, total FROM ${TABLE[level]} WHERE changed_xid >= $1::xid8`,
      [xid],
    );
    return rows.map(bucketRow);
  }

  /** rowsFrom: every row from `fromMs` on, of the SLOs `ids` (every SLO when null). */
  async rowsFrom(m: EntityManager, level: StoredLevel, fromMs: number, ids: readonly string[] | null): Promise<SliBucketRow[]> {
    const params: unknown[] = [fromMs / 1000];
    const rows: { slo_id: string; ms: string; good: number; total: number }[] = await m.query(
      `SELECT slo_id, extract(epoch FROM bucket) * 1000 AS ms, good, total FROM ${TABLE[level]}
       WHERE bucket >= to_timestamp($1) ${ids ? `AND slo_id = ANY($${params.push(ids)}::uuid[])` : ''}`,
      params,
    );
    return rows.map(bucketRow);
  }

  /**
   * sumRanges sums every range per SLO (of `ids`, or every SLO) in one
   * query, joined on the ranges so only rows inside one are read.
   */
  async sumRanges(m: EntityManager, level: StoredLevel, ranges: readonly Range[], ids: readonly string[] | null): Promise<SliRangeSum[]> {
    if (ranges.length === 0) return [];
    const params: unknown[] = [ranges.map((r) => r[0] / 1000), ranges.map((r) => r[1] / 1000)];
    const rows: { slo_id: string; idx: string; good: number; total: number }[] = await m.query(
      `SELECT x.slo_id, r.idx, SUM(x.good) AS good, SUM(x.total) AS total
       FROM unnest($1::double precision[], $2::double precision[]) WITH ORDINALITY AS r(f, t, idx)
       JOIN ${TABLE[level]} x ON x.bucket >= to_timestamp(r.f) AND x.bucket < to_timestamp(r.t)
       ${ids ? `WHERE x.slo_id = ANY($${params.push(ids)}::uuid[])` : ''}
       GROUP BY x.slo_id, r.idx`,
      params,
    );
    return rows.map((r) => ({ sloId: r.slo_id, index: Number(r.idx) - 1, good: Number(r.good), total: Number(r.total) }));
  }
}

function bucketRow(r: { slo_id: string; ms: string; good: number; total: number }): SliBucketRow {
  return { sloId: r.slo_id, bucketMs: Number(r.ms), good: Number(r.good), total: Number(r.total) };
}
