import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SloStatus } from '../evaluation/slo-evaluator.js';

/** SloStatusRepository keeps the evaluator's latest snapshot per SLO. */
@Injectable()
export class SloStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(m: EntityManager, statuses: { sloId: string; status: SloStatus }[], nowMs: number): Promise<void> {
    if (statuses.length === 0) return;
    await m.query(
      `INSERT INTO slo_status (slo_id, evaluated_at, status)
       SELECT id, to_timestamp($3), s FROM unnest($1::uuid[], $2::json[]) AS t(id, s)
       WHERE EXISTS (SELECT 1 FROM slos WHERE slos.id = t.id)
       ON CONFLICT (slo_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, status = excluded.status`,
      [statuses.map((s) => s.sloId), statuses.map((s) => JSON.stringify(s.status)), nowMs / 1000],
    );
  }

  /** latest returns every stored snapshot with its time: one query, for the console's SLO list. */
  async latest(): Promise<Map<string, { evaluatedAtMs: number; status: SloStatus }>> {
    const rows: { slo_id: string; evaluated_at: Date; status: SloStatus }[] = await this.dataSource.query(
      `SELECT slo_id, evaluated_at, status FROM slo_status`,
    );
    return new Map(rows.map((r) => [r.slo_id, { evaluatedAtMs: new Date(r.evaluated_at).getTime(), status: r.status }]));
  }
}
