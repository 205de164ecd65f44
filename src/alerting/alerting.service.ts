import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors.js';
import { SloEvaluationService, TickResult } from '../slo/slo-evaluation.service.js';
import { AlertMetrics } from './alert-metrics.js';
import { AlertFilter, AlertRepository, alertView as view } from './alert.repository.js';
import { SloAlertsService } from './slo-alerts.service.js';
import { RuleAlertsService } from './rule-alerts.service.js';
import { NotifyPlanner } from '../notify/notify-planner.service.js';
import { AlertmanagerPusher } from '../notify/alertmanager-pusher.service.js';
import { isUuid } from '../common/patterns.js';

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
    private readonly alertmanagers: AlertmanagerPusher,
  ) {}

  async tick(nowMs: number, tickMs: number): Promise<TickResult> {
    const result = await this.evaluator.tick(nowMs, tickMs, async (m, statuses) => {
      await this.sloAlerts.step(m, statuses, nowMs);
      await this.ruleAlerts.step(m, nowMs);
      await this.alerts.resolveOrphans(m, nowMs);
      // Outbox rows commit with the transitions that caused them.
      await this.planner.plan(m, nowMs);
    });
    this.metrics.publish(await this.alerts.open());
    // Alertmanager gets the committed state of every alert each tick, as Prometheus re-sends it; in the background.
    if (result.leader) void this.alertmanagers.afterTick(nowMs);
    return result;
  }

  async list(filter: Partial<AlertFilter>) {
    const limit = Math.min(Math.max(Number(filter.limit ?? 100) || 100, 1), 1000);
    return (await this.alerts.list({ ...filter, limit })).map(view);
  }

  async get(id: string) {
    const found = isUuid(id) ? await this.alerts.get(id) : undefined;
    if (!found) throw notFound(`alert ${id} not found`);
    return { ...view(found.alert), transitions: found.transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })) };
  }
}
