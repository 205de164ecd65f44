import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface OperationBurn {
  operation: string;
  spanKind: string;
  errors: number;
  calls: number;
  exampleTraceIds: string[];
}

/**
 * AttributionRepository names the operations burning a service's budget:
 * the top operations by failed spans over a recent window, each with trace
 * ids of real failed (or, for latency, slowest) spans, so the person paged
 * can open a trace instead of starting from a dashboard.
 */
@Injectable()
export class AttributionRepository {
  async topOperations(m: EntityManager, service: string, fromMs: number, toMs: number, by: 'errors' | 'slowest', limit = 5): Promise<OperationBurn[]> {
    const rows: { span_name: string; span_kind: string; errors: number; calls: number; ex: { errors?: { traceId: string }[]; slowest?: { traceId: string }[] }[] }[] =
      await m.query(
        `SELECT s.span_name, s.span_kind, SUM(r.errors) AS errors, SUM(r.calls) AS calls, jsonb_agg(r.exemplars) AS ex
         FROM red_minute r JOIN series s ON s.id = r.series_id
         WHERE s.service = $1 AND r.bucket >= to_timestamp($2) AND r.bucket < to_timestamp($3)
         GROUP BY s.span_name, s.span_kind
         ORDER BY ${by === 'errors' ? 'SUM(r.errors) DESC,' : ''} SUM(r.calls) DESC
         LIMIT $4`,
        [service, fromMs / 1000, toMs / 1000, limit],
      );
    return rows
      .filter((r) => by !== 'errors' || Number(r.errors) > 0)
      .map((r) => {
        const ids = new Set<string>();
        for (const e of r.ex ?? []) for (const x of (by === 'errors' ? e.errors : e.slowest) ?? []) if (ids.size < 3) ids.add(x.traceId);
        return { operation: r.span_name, spanKind: r.span_kind, errors: Number(r.errors), calls: Number(r.calls), exampleTraceIds: [...ids] };
      });
  }
}
