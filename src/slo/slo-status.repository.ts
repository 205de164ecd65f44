import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** StoredSnapshot is one SLO's latest snapshot: the window sums of snapshot-sums.ts. */
export interface StoredSnapshot {
  sloId: string;
  evaluatedAtMs: number;
  sums: number[];
}

/** SloStatusRepository keeps the evaluator's latest snapshot per SLO, in the compact form of snapshot-sums.ts. */
@Injectable()
export class SloStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(m: EntityManager, snapshots: { sloId: string; sums: string }[], nowMs: number): Promise<void> {
    if (snapshots.length === 0) return;
    await m.query(
      `INSERT INTO slo_status (slo_id, evaluated_at, sums)
       SELECT id, to_timestamp($3), s FROM unnest($1::uuid[], $2::json[]) AS t(id, s)
       WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = t.id)
       ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, sums = excluded.sums`,
      [snapshots.map((s) => s.sloId), snapshots.map((s) => s.sums), nowMs / 1000],
    );
  }

  async latest(): Promise<StoredSnapshot[]> {
    const rows: { slo_id: string; ms: string; sums: number[] }[] = await this.dataSource.query(
      `SELECT slo_id, extract(epoch FROM evaluated_at) * 1000 AS ms, sums FROM slo_status`,
    );
    return rows.map((r) => ({ sloId: r.slo_id, evaluatedAtMs: Math.round(Number(r.ms)), sums: r.sums }));
  }
}
