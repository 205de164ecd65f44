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
    // Two text parameters, not a uuid[] and a json[]: the driver escaped
    // every element of 10,000-element arrays, which cost more than the write.
    let ids = '';
    let sums = '[';
    for (let i = 0; i < snapshots.length; i++) {
      const sep = i === 0 ? '' : ',';
      ids += sep + snapshots[i].sloId;
      sums += sep + snapshots[i].sums;
    }
    await m.query(
      `INSERT INTO slo_status (slo_id, evaluated_at, sums)
       SELECT id::uuid, to_timestamp($3), s.value
       FROM unnest(string_to_array($1, ',')) WITH ORDINALITY AS t(id, i)
       JOIN json_array_elements($2::json) WITH ORDINALITY AS s(value, i) USING (i)
       WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = t.id::uuid)
       ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, sums = excluded.sums`,
      [ids, `${sums}]`, nowMs / 1000],
    );
  }

  async latest(): Promise<StoredSnapshot[]> {
    const rows: { slo_id: string; ms: string; sums: number[] }[] = await this.dataSource.query(
      `SELECT slo_id, extract(epoch FROM evaluated_at) * 1000 AS ms, sums FROM slo_status`,
    );
    return rows.map((r) => ({ sloId: r.slo_id, evaluatedAtMs: Math.round(Number(r.ms)), sums: r.sums }));
  }
}
