import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** DataStart: the SLO's first event (null: none stored) and the first hour row it was refined from (null: no hour rows). */
export interface DataStart {
  first: number | null;
  hour: number | null;
}

/** PruneMark: how many retention runs deleted SLO counts, and the highest cutoffs they deleted below. */
export interface PruneMark {
  n: number;
  minuteCutoffMs: number;
  hourCutoffMs: number;
}

/**
 * DataStartRepository finds when each SLO's history begins, for the
 * partial-window guard: the first hour row (hour rows outlive minute rows),
 * refined to the first minute row inside that hour when it is still kept.
 * Both are index probes on (slo_id, bucket), a few per SLO, however long
 * the history.
 */
@Injectable()
export class DataStartRepository {
  async firstEvents(m: EntityManager, sloIds: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const [id, s] of await this.dataStarts(m, sloIds)) out.set(id, s.first);
    return out;
  }

  /** dataStarts is firstEvents with the hour row each start was refined from, for DataStartCache. */
  async dataStarts(m: EntityManager, sloIds: string[]): Promise<Map<string, DataStart>> {
    const out = new Map<string, DataStart>();
    if (sloIds.length === 0) return out;
    const rows: { id: string; first: string | null; hour: string | null }[] = await m.query(
      `SELECT u.id, extract(epoch FROM h.first) * 1000 AS hour, extract(epoch FROM COALESCE(
           (SELECT min(x.bucket) FROM sli_minute x WHERE x.slo_id = u.id AND x.bucket >= h.first AND x.bucket < h.first + interval '1 hour'),
           h.first,
           (SELECT min(x.bucket) FROM sli_minute x WHERE x.slo_id = u.id))) * 1000 AS first
       FROM unnest($1::uuid[]) AS u(id)
       LEFT JOIN LATERAL (SELECT min(bucket) AS first FROM sli_hour WHERE slo_id = u.id) h ON true`,
      [sloIds],
    );
    for (const r of rows) out.set(r.id, { first: r.first === null ? null : Number(r.first), hour: r.hour === null ? null : Number(r.hour) });
    return out;
  }

  /** pruneMark reads the retention job's mark (SliRepository.prune); null before the first prune that deleted anything. */
  async pruneMark(m: EntityManager): Promise<PruneMark | null> {
    const rows: { n: string; minute: string; hour: string }[] = await m.query(
      `SELECT n, extract(epoch FROM minute_cutoff) * 1000 AS minute, extract(epoch FROM hour_cutoff) * 1000 AS hour FROM sli_prunes WHERE id = 1`,
    );
    return rows.length ? { n: Number(rows[0].n), minuteCutoffMs: Number(rows[0].minute), hourCutoffMs: Number(rows[0].hour) } : null;
  }
}
