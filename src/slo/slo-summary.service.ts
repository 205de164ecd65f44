import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { evaluateSlo, type SloStatus } from '../evaluation/slo-evaluator.js';
import { formatWindow } from '../evaluation/windows.js';
import { SloEvaluationService } from './slo-evaluation.service.js';
import { SloStatusRepository } from './slo-status.repository.js';
import { toDefinition } from './slo-definition.js';
import { StoredSums } from './snapshot-sums.js';
import { SloRepository } from './slo.repository.js';
import type { Slo } from './slo.types.js';

/**
 * SloSummaryService answers "how is every SLO doing" in one request, for the
 * console's list. It serves the evaluator's stored snapshots, which are at
 * most a couple of intervals old and cost one query for all SLOs; SLOs without
 * a usable snapshot (new, just edited, or the evaluator is behind) are
 * evaluated on the spot, together, with the same batched sums as a tick.
 */
@Injectable()
export class SloSummaryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly slos: SloRepository,
    private readonly snapshots: SloStatusRepository,
    private readonly evaluator: SloEvaluationService,
  ) {}

  async summaries(nowMs: number) {
    const [slos, snapshots] = await Promise.all([this.slos.list(), this.snapshots.latest()]);
    const stored = new Map(snapshots.map((s) => [s.sloId, s]));
    const maxAgeMs = 3 * this.config.evalIntervalSeconds * 1000;
    const fresh = new Map<string, { atMs: number; status: SloStatus }>();
    const stale: Slo[] = [];
    for (const slo of slos) {
      const snap = stored.get(slo.id);
      const status = snap && snap.evaluatedAtMs >= Date.parse(slo.updatedAt) && nowMs - snap.evaluatedAtMs <= maxAgeMs ? fromSnapshot(slo, snap) : undefined;
      if (status && snap) fresh.set(slo.id, { atMs: snap.evaluatedAtMs, status });
      else stale.push(slo);
    }
    if (stale.length) {
      for (const e of await this.evaluator.evaluate(this.dataSource.manager, stale, nowMs)) fresh.set(e.slo.id, { atMs: nowMs, status: e.status });
    }
    return slos.map((slo) => summary(slo, fresh.get(slo.id)));
  }
}

/** fromSnapshot re-derives a status from the window sums the evaluator stored; undefined when they no longer fit the definition. */
function fromSnapshot(slo: Slo, snap: { evaluatedAtMs: number; sums: number[] }): SloStatus | undefined {
  try {
    return evaluateSlo(toDefinition(slo), new StoredSums(snap.sums), snap.evaluatedAtMs);
  } catch {
    return undefined;
  }
}

function summary(slo: Slo, s: { atMs: number; status: SloStatus } | undefined) {
  const approxUntil = slo.approximateUntil ? Date.parse(slo.approximateUntil) : null;
  const st = s?.status;
  // Snapshots went through JSON: an infinite burn rate (no budget at all) is null there.
  const burn = (w: '1h' | '6h') => st?.windows?.[w]?.burnRate ?? null;
  return {
    id: slo.id,
    name: slo.name,
    service: slo.service,
    description: slo.description,
    indicator: slo.indicator.type,
    objective: slo.objective,
    window: formatWindow(slo.window),
    labels: slo.labels,
    evaluatedAt: s ? new Date(s.atMs).toISOString() : null,
    sli: st ? st.full.sli : null,
    events: st ? st.full.total : 0,
    noData: st ? st.noData : true,
    budgetRemaining: st ? st.budget.remainingFraction : null,
    burnRates: { '1h': burn('1h'), '6h': burn('6h') },
    timeToExhaustionSeconds: st && st.timeToExhaustionMs !== null ? st.timeToExhaustionMs / 1000 : null,
    approximate: st ? approxUntil !== null && st.bounds.startMs < approxUntil : false,
  };
}
