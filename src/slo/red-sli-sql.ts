import { operationMatchSql } from '../common/patterns.js';
import { bucketIndex } from '../kernel/log-histogram.js';
import { SPAN_KIND_LABELS } from '../kernel/span.model.js';
import type { SloSpec } from './slo.types.js';

/**
 * RedSliSql is how an SLO's good/total counts are rebuilt from RED rows
 * (`red_minute r` / `red_hour r` joined to `series s`): the series filter and
 * the per-row good expression. Shared by backfill (which stores them) and
 * preview (which only reads them), so both mean the same selection.
 * Parameters are pushed onto `params`, after what the caller put there.
 */
export interface RedSliSql {
  where: string[];
  good: string;
}

export function redSliSql(spec: SloSpec, params: unknown[]): RedSliSql {
  const where = [`s.service = $${params.push(spec.service)}`, `s.span_kind = ANY($${params.push(spec.selector.spanKinds.map((k) => SPAN_KIND_LABELS[k]))}::text[])`, `NOT s.overflow`];
  if (spec.selector.operations.length > 0) where.push(operationMatchSql(spec.selector.operations, params));
  for (const [k, v] of Object.entries(spec.selector.attributes)) {
    // Only dimensions present on the series can be matched.
    where.push(`s.dims ? $${params.push(k)} AND s.dims->>$${params.length} = $${params.push(v)}`);
  }
  let good: string;
  if (spec.indicator.type === 'availability') {
    good = 'r.calls - r.errors';
  } else {
    const maxIndex = bucketIndex(spec.indicator.thresholdMs);
    const fast = `(SELECT COALESCE(SUM(value::double precision), 0) FROM bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z)
                   WHERE key = 'z' OR key::int <= $${params.push(maxIndex)})`;
    // Errors are not split by duration in RED rows: assume they spread like the rest.
    good = spec.indicator.requireSuccess ? `${fast} * CASE WHEN r.calls > 0 THEN (r.calls - r.errors) / r.calls ELSE 0 END` : fast;
  }
  return { where, good };
}
