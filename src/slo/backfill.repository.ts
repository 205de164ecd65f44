import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { SloSpec } from './slo.types.js';
import { redSliSql } from './red-sli-sql.js';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';

/**
 * BackfillRepository gives a new or edited SLO history at once by rebuilding
 * its counts from the stored RED rows. It is approximate, and marked so:
 * latency uses the 2% histogram instead of each span's duration, HTTP-status
 * options cannot be applied (RED rows do not keep status codes), and an
 * attribute selector can only be honoured through configured dimensions —
 * when it cannot, no history is made rather than a wrong one.
 */
@Injectable()
export class BackfillRepository {
  /** backfill fills [fromMs, toMs) and returns whether it found any history. */
  async backfill(m: EntityManager, sloId: string, spec: SloSpec, fromMs: number, toMs: number): Promise<boolean> {
    if (toMs <= fromMs) return false;
    const params: unknown[] = [sloId];
    const { where, good } = redSliSql(spec, params);
    if (Object.keys(spec.selector.attributes).length > 0) {
      const [{ n }] = await m.query(
        `SELECT count(*) AS n FROM series s WHERE s.service = $1 AND s.dims ?& $2::text[]`,
        [spec.service, Object.keys(spec.selector.attributes)],
      );
      if (Number(n) === 0) return false;
    }
    const from = params.push(fromMs / 1000);
    const to = params.push(toMs / 1000);
    let found = 0;
    for (const [red, sli, unit] of [
      ['red_minute', 'sli_minute', MINUTE_MS],
      ['red_hour', 'sli_hour', HOUR_MS],
    ] as const) {
      // Hour rows: whole hours only, so the live counts of the current hour are not doubled;
      // from the hour holding `from`, which windows past minute retention read whole.
      const f = unit === MINUTE_MS ? `to_timestamp($${from})` : `date_trunc('hour', to_timestamp($${from}))`;
      const t = unit === MINUTE_MS ? `to_timestamp($${to})` : `date_trunc('hour', to_timestamp($${to}))`;
      const inserted: unknown[] = await m.query(
        `INSERT INTO ${sli} (slo_id, bucket, good, total)
         SELECT $1, r.bucket, SUM(${good}), SUM(r.calls)
         FROM ${red} r JOIN series s ON s.id = r.series_id
         WHERE ${where.join(' AND ')} AND r.bucket >= ${f} AND r.bucket < ${t}
         GROUP BY r.bucket
         ON CONFLICT (slo_id, bucket) DO UPDATE SET good = ${sli}.good + excluded.good, total = ${sli}.total + excluded.total, changed_xid = pg_current_xact_id()
         RETURNING 1`,
        params,
      );
      found += inserted.length;
    }
    if (found === 0) return false;
    // The partial hour before `to`: its minute rows, added to that hour's row.
    await m.query(
      `INSERT INTO sli_hour (slo_id, bucket, good, total)
       SELECT $1, date_trunc('hour', bucket), SUM(good), SUM(total) FROM sli_minute
       WHERE slo_id = $1 AND bucket >= GREATEST(to_timestamp($2), date_trunc('hour', to_timestamp($3))) AND bucket < to_timestamp($3)
       GROUP BY 2
       ON CONFLICT (slo_id, bucket) DO UPDATE SET good = sli_hour.good + excluded.good, total = sli_hour.total + excluded.total, changed_xid = pg_current_xact_id()`,
      [sloId, fromMs / 1000, toMs / 1000],
    );
    return true;
  }
}
