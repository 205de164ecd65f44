import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { labelName, labelValue } from '../kernel/exposition.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AlertRow } from './alert.repository.js';

/**
 * AlertMetrics: `burnwatch_alerts{state,severity}` counts, and one
 * Prometheus-style `ALERTS` series per pending or firing alert, so existing
 * Grafana alert panels show Burnwatch's alerts too. Rendered as text because
 * each alert has its own label set.
 */
@Injectable()
export class AlertMetrics {
  private readonly counts: Gauge<'state' | 'severity'>;
  private open: AlertRow[] = [];

  constructor(metrics: MetricsService) {
    this.counts = new Gauge({
      name: 'burnwatch_alerts',
      help: 'Open alerts by state (pending, firing) and severity.',
      labelNames: ['state', 'severity'],
      registers: [metrics.registry],
    });
    metrics.addText(() => this.render());
  }

  publish(open: AlertRow[]): void {
    this.open = open;
    this.counts.reset();
    for (const state of ['pending', 'firing']) for (const severity of ['page', 'ticket']) this.counts.set({ state, severity }, 0);
    for (const a of open) this.counts.inc({ state: a.state, severity: a.severity });
  }

  private render(): string {
    const lines = ['# HELP ALERTS Pending and firing alerts, one series each.', '# TYPE ALERTS gauge'];
    for (const a of this.open) {
      const labels = { ...a.labels, alertstate: a.state };
      const text = Object.entries(labels)
        .map(([k, v]) => `${labelName(k)}="${labelValue(String(v))}"`)
        .join(',');
      lines.push(`ALERTS{${text}} 1`);
    }
    return lines.join('\n') + '\n';
  }
}
