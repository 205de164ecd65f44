import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SliRow } from './sli-accumulator.js';

/**
 * SliSeriesRepository reads one SLO's stored rows for a replay: up to 60
 * days of minute rows (86,400) per call. Each table comes back as three
 * float8 arrays in one row rather than one row per minute, which the driver
 * parses several times faster than 86,400 row objects.
 */
@Injectable()
export class SliSeriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async series(sloId: string, fromMs: number, toMs: number): Promise<{ hours: SliRow[]; minutes: SliRow[] }> {
    const read = async (table: 'sli_minute' | 'sli_hour'): Promise<SliRow[]> => {
      const [row]: { ms: number[] | null; good: number[] | null; total: number[] | null }[] = await this.dataSource.query(
        `SELECT array_agg(extract(epoch FROM bucket)::float8 * 1000 ORDER BY bucket) AS ms,
                array_agg(good ORDER BY bucket) AS good, array_agg(total ORDER BY bucket) AS total
         FROM ${table} WHERE slo_id = $1 AND bucket >= to_timestamp($2) AND bucket < to_timestamp($3)`,
        [sloId, fromMs / 1000, toMs / 1000],
      );
      const out: SliRow[] = [];
      const ms = row?.ms ?? [];
      for (let i = 0; i < ms.length; i++) out.push({ sloId, bucketMs: Number(ms[i]), good: Number(row.good![i]), total: Number(row.total![i]) });
      return out;
    };
    const [hours, minutes] = await Promise.all([read('sli_hour'), read('sli_minute')]);
    return { hours, minutes };
  }
}
