import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { labelValue } from '../kernel/exposition.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { SloStatus } from '../evaluation/slo-evaluator.js';

/**
 * SloMetrics exposes the latest SLO snapshots and the evaluator's own
 * health. The per-SLO gauges are rendered as text at scrape time from the
 * last published snapshots: setting ~40 labelled prom-client gauges per SLO
 * on every tick cost more than evaluating 10,000 SLOs.
 */
@Injectable()
export class SloMetrics {
  readonly evalDuration: Histogram;
  readonly lastSuccess: Gauge;
  readonly ticks: Counter<'role'>;
  private latest: { name: string; service: string; status: SloStatus }[] = [];

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
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
    metrics.addText(() => this.render());
  }

  /** publish replaces the snapshots shown, so deleted SLOs disappear from /metrics. */
  publish(snapshots: { name: string; service: string; status: SloStatus }[]): void {
    this.latest = snapshots;
  }

  private render(): string {
    const objective: string[] = ['# HELP burnwatch_slo_objective_ratio SLO objective as a ratio (0.999).', '# TYPE burnwatch_slo_objective_ratio gauge'];
    const sli: string[] = ['# HELP burnwatch_slo_sli_ratio Good/total over the window.', '# TYPE burnwatch_slo_sli_ratio gauge'];
    const burn: string[] = ['# HELP burnwatch_slo_burn_rate Error ratio / (1 - objective) over the window.', '# TYPE burnwatch_slo_burn_rate gauge'];
    const budget: string[] = [
      '# HELP burnwatch_slo_error_budget_remaining_ratio Share of the error budget left in the SLO window.',
      '# TYPE burnwatch_slo_error_budget_remaining_ratio gauge',
    ];
    const events: string[] = ['# HELP burnwatch_slo_events Events over the window, by kind (good, total).', '# TYPE burnwatch_slo_events gauge'];
    for (const { name, service, status } of this.latest) {
      const base = `slo="${labelValue(name)}",service="${labelValue(service)}"`;
      objective.push(`burnwatch_slo_objective_ratio{${base}} ${status.objective / 100}`);
      budget.push(`burnwatch_slo_error_budget_remaining_ratio{${base}} ${status.budget.remainingFraction}`);
      const windows = { ...status.windows, full: status.full };
      for (const [window, w] of Object.entries(windows)) {
        const l = `${base},window="${window}"`;
        if (w.sli !== null) sli.push(`burnwatch_slo_sli_ratio{${l}} ${w.sli}`);
        burn.push(`burnwatch_slo_burn_rate{${l}} ${w.burnRate}`);
        events.push(`burnwatch_slo_events{${l},kind="good"} ${w.good}`);
        events.push(`burnwatch_slo_events{${l},kind="total"} ${w.total}`);
      }
    }
    return [...objective, ...sli, ...burn, ...budget, ...events].join('\n') + '\n';
  }
}
