import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import type { SloStatus } from '../evaluation/slo-evaluator.js';

/** SloMetrics exposes the latest SLO snapshots and the evaluator's own health. */
@Injectable()
export class SloMetrics {
  private readonly objective: Gauge<'slo' | 'service'>;
  private readonly sli: Gauge<'slo' | 'service' | 'window'>;
  private readonly burn: Gauge<'slo' | 'service' | 'window'>;
  private readonly budget: Gauge<'slo' | 'service'>;
  private readonly events: Gauge<'slo' | 'service' | 'window' | 'kind'>;
  readonly evalDuration: Histogram;
  readonly lastSuccess: Gauge;
  readonly ticks: Counter<'role'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    const l = ['slo', 'service'] as const;
    this.objective = new Gauge({ name: 'burnwatch_slo_objective_ratio', help: 'SLO objective as a ratio (0.999).', labelNames: l, registers });
    this.sli = new Gauge({ name: 'burnwatch_slo_sli_ratio', help: 'Good/total over the window.', labelNames: [...l, 'window'], registers });
    this.burn = new Gauge({ name: 'burnwatch_slo_burn_rate', help: 'Error ratio / (1 - objective) over the window.', labelNames: [...l, 'window'], registers });
    this.budget = new Gauge({ name: 'burnwatch_slo_error_budget_remaining_ratio', help: 'Share of the error budget left in the SLO window.', labelNames: l, registers });
    this.events = new Gauge({ name: 'burnwatch_slo_events', help: 'Events over the window, by kind (good, total).', labelNames: [...l, 'window', 'kind'], registers });
    this.evalDuration = new Histogram({
      name: 'burnwatch_evaluation_duration_seconds',
      help: 'Duration of one evaluation tick (leader only).',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'burnwatch_evaluation_last_success_timestamp_seconds',
      help: 'When an evaluation tick last completed in this process (leader or follower).',
      registers,
    });
    this.ticks = new Counter({
      name: 'burnwatch_evaluation_ticks_total',
      help: 'Evaluation ticks by role: leader (held the advisory lock and evaluated) or follower (skipped).',
      labelNames: ['role'],
      registers,
    });
  }

  /** publish replaces every SLO gauge, so deleted SLOs disappear from /metrics. */
  publish(snapshots: { name: string; service: string; status: SloStatus }[]): void {
    for (const g of [this.objective, this.sli, this.burn, this.budget, this.events]) g.reset();
    for (const { name, service, status } of snapshots) {
      const base = { slo: name, service };
      this.objective.set(base, status.objective / 100);
      this.budget.set(base, status.budget.remainingFraction);
      const windows = { ...status.windows, full: status.full };
      for (const [window, w] of Object.entries(windows)) {
        if (w.sli !== null) this.sli.set({ ...base, window }, w.sli);
        this.burn.set({ ...base, window }, w.burnRate);
        this.events.set({ ...base, window, kind: 'good' }, w.good);
        this.events.set({ ...base, window, kind: 'total' }, w.total);
      }
    }
  }
}
