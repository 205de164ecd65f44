import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SliRow } from './sli-accumulator.js';
import type { SloSpec } from './slo.types.js';
import { redSliSql } from './red-sli-sql.js';

/**
 * RedSliRepository reads what an SLO that is not saved yet would have
 * counted, from the stored RED rows: per-minute and per-hour good/total in
 * the same shape as the sli tables, so a preview steps the same code as a
 * replay of a saved SLO.
 */
@Injectable()
export class RedSliRepository {
  constructor(private readonly dataSource: DataSource) {}

  async series(spec: SloSpec, fromMs: number, toMs: number): Promise<{ hours: SliRow[]; minutes: SliRow[] }> {
    const read = async (table: 'red_minute' | 'red_hour'): Promise<SliRow[]> => {
      const params: unknown[] = [];
      const { where, good } = redSliSql(spec, params);
      const rows: { ms: string; good: number; total: number }[] = await this.dataSource.query(
        `SELECT extract(epoch FROM r.bucket) * 1000 AS ms, SUM(${good}) AS good, SUM(r.calls) AS total
         FROM ${table} r JOIN series s ON s.id = r.series_id
         WHERE ${where.join(' AND ')} AND r.bucket >= to_timestamp($${params.push(fromMs / 1000)}) AND r.bucket < to_timestamp($${params.push(toMs / 1000)})
         GROUP BY r.bucket ORDER BY r.bucket`,
        params,
      );
      return rows.map((r) => ({ sloId: '', bucketMs: Number(r.ms), good: Number(r.good), total: Number(r.total) }));
    };
    const [hours, minutes] = await Promise.all([read('red_hour'), read('red_minute')]);
    return { hours, minutes };
  }

  /** hasOverflow: spans of the service beyond the series limit lost their operation name. */
  async hasOverflow(service: string): Promise<boolean> {
    const [row]: { x: boolean }[] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM series WHERE service = $1 AND overflow) AS x`, [service]);
    return row.x;
  }
}
