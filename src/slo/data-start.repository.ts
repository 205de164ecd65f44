import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

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
    if (sloIds.length === 0) return out;
    const rows: { id: string; first: string | null }[] = await m.query(
      `SELECT u.id, extract(epoch FROM COALESCE(
           (SELECT min(x.bucket) FROM sli_minute x WHERE x.slo_id = u.id AND x.bucket >= h.first AND x.bucket < h.first + interval '1 hour'),
           h.first,
           (SELECT min(x.bucket) FROM sli_minute x WHERE x.slo_id = u.id))) * 1000 AS first
       FROM unnest($1::uuid[]) AS u(id)
       LEFT JOIN LATERAL (SELECT min(bucket) AS first FROM sli_hour WHERE slo_id = u.id) h ON true`,
      [sloIds],
    );
    for (const r of rows) out.set(r.id, r.first === null ? null : Number(r.first));
    return out;
  }
}
