import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors.js';
import { SloEvaluationService, TickResult } from '../slo/slo-evaluation.service.js';
import { AlertMetrics } from './alert-metrics.js';
import { AlertFilter, AlertRepository, AlertRow } from './alert.repository.js';
import { SloAlertsService } from './slo-alerts.service.js';
import { RuleAlertsService } from './rule-alerts.service.js';
import { NotifyPlanner } from '../notify/notify-planner.service.js';

function view(a: AlertRow) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: a.id,
    fingerprint: a.fingerprint,
    source: a.source,
    sourceId: a.source_id,
    alertname: a.alertname,
    severity: a.severity,
    service: a.service,
    state: a.state,
    labels: a.labels,
    annotations: a.annotations,
    value: a.value,
    details: a.details,
    activeAt: iso(a.active_at),
    firedAt: iso(a.fired_at),
    resolvedAt: iso(a.resolved_at),
    lastSentAt: iso(a.last_sent_at),
  };
}

/**
 * AlertingService runs one evaluation tick end to end — SLO statuses, then
 * alert steps, in the evaluator's single transaction — and serves the alerts API.
 */
@Injectable()
export class AlertingService {
  constructor(
    private readonly evaluator: SloEvaluationService,
    private readonly sloAlerts: SloAlertsService,
    private readonly ruleAlerts: RuleAlertsService,
    private readonly planner: NotifyPlanner,
    private readonly alerts: AlertRepository,
    private readonly metrics: AlertMetrics,
  ) {}

  async tick(nowMs: number, tickMs: number): Promise<TickResult> {
    const result = await this.evaluator.tick(nowMs, tickMs, async (m, statuses) => {
      await this.sloAlerts.step(m, statuses, nowMs);
      await this.ruleAlerts.step(m, nowMs);
      // Outbox rows commit with the transitions that caused them.
      await this.planner.plan(m, nowMs);
    });
    this.metrics.publish(await this.alerts.open());
    return result;
  }

  async list(filter: Partial<AlertFilter>) {
    const limit = Math.min(Math.max(Number(filter.limit ?? 100) || 100, 1), 1000);
    return (await this.alerts.list({ ...filter, limit })).map(view);
  }

  async get(id: string) {
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await this.alerts.get(id) : undefined;
    if (!found) throw notFound(`alert ${id} not found`);
    return { ...view(found.alert), transitions: found.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })) };
  }
}
