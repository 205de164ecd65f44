import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { notFound } from '../common/errors.js';
import { SloEvaluationService, TickResult } from '../slo/slo-evaluation.service.js';
import { AlertMetrics } from './alert-metrics.js';
import { AlertFilter, AlertRepository, alertView as view } from './alert.repository.js';
import { AlertStepper } from './alert-stepper.js';
import { RuleConditionsService } from './rule-conditions.service.js';
import { sloAlertConditions } from '../evaluation/slo-alerts.js';
import { NotifyPlanner } from '../notify/notify-planner.service.js';
import type { NotifiableAlert } from '../notify/notifiable-alert.js';
import { AlertmanagerPusher } from '../notify/alertmanager-pusher.service.js';
import { RESOLVED_RETENTION_MS } from '../evaluation/alert-state.js';
import { SloRegistry } from '../slo/slo-registry.js';
import { EntityManager } from 'typeorm';
import { isUuid } from '../common/patterns.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

/**
 * AlertingService runs one evaluation tick end to end — SLO statuses, the
 * alert conditions of every SLO and rule, one step of them all, then the
 * notification plan, in the evaluator's single transaction — and serves
 * the alerts API.
 */
@Injectable()
export class AlertingService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly evaluator: SloEvaluationService,
    private readonly stepper: AlertStepper,
    private readonly rules: RuleConditionsService,
    private readonly planner: NotifyPlanner,
    private readonly alerts: AlertRepository,
    private readonly metrics: AlertMetrics,
    private readonly slos: SloRegistry,
    private readonly alertmanagers: AlertmanagerPusher,
  ) {}

  async tick(nowMs: number, tickMs: number): Promise<TickResult> {
    let current: NotifiableAlert[] = [];
    const result = await this.evaluator.tick(nowMs, tickMs, async (m, statuses, sloIds) => {
      const sloConditions = statuses.flatMap(({ slo, status, noDataEvents }) =>
        sloAlertConditions(slo, status, noDataEvents, `${this.config.publicUrl}/api/v1/slos/${slo.id}/status`),
      );
      const rules = await this.rules.conditions(m, nowMs);
      await this.stepper.step(m, [...sloConditions, ...rules.conditions], nowMs);
      await this.alerts.resolveOrphans(m, nowMs, sloIds, rules.ruleIds);
      current = await this.notifiable(m, nowMs);
      // Outbox rows commit with the transitions that caused them: firing
      // alerts, and those resolved within the last minute.
      const due = current.filter((a) => a.state === 'firing' || (a.resolvedAtMs ?? 0) >= nowMs - MINUTE_MS);
      const sent = await this.planner.plan(m, due, nowMs);
      await this.alerts.markSent(m, sent, nowMs);
    });
    this.metrics.publish(await this.alerts.open());
    // Alertmanager gets the committed state of every alert each tick, as Prometheus re-sends it; in the background.
    if (result.leader) void this.alertmanagers.afterTick(current, nowMs);
    return result;
  }

  /** notifiable: this tick's alerts as notify needs them, channels from their SLO or rule. */
  private async notifiable(m: EntityManager, nowMs: number): Promise<NotifiableAlert[]> {
    const sloChannels = new Map(this.slos.all.map((s) => [s.id, s.channels]));
    return (await this.alerts.notifiable(m, nowMs, RESOLVED_RETENTION_MS)).map((a) => {
      const { source: _source, sourceId: _sourceId, lastSentAt: _lastSentAt, ...snapshot } = view(a);
      return {
        id: a.id,
        source: a.source,
        sourceId: a.source_id,
        state: a.state,
        severity: a.severity,
        labels: a.labels,
        justResolved: a.just_resolved,
        firedAtMs: a.fired_at ? new Date(a.fired_at).getTime() : undefined,
        resolvedAtMs: a.resolved_at ? new Date(a.resolved_at).getTime() : undefined,
        lastSentAtMs: a.last_sent_at ? new Date(a.last_sent_at).getTime() : undefined,
        repeats: a.repeats,
        channels: (a.source === 'slo' ? sloChannels.get(a.source_id) : a.rule_channels) ?? [],
        snapshot,
      };
    });
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
