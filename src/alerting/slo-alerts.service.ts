import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { DEFAULT_ALERT_TIMING, fingerprint, RESOLVED_RETENTION_MS, stepAlert, type AlertStep } from '../evaluation/alert-state.js';
import { evaluationEnd, MINUTE_MS } from '../kernel/minute-ranges.js';
import { firingTiers, SLO_ALERT_NAME, stepSloAlerts } from '../evaluation/slo-alerts.js';
import type { SloStatus } from '../evaluation/slo-evaluator.js';
import { formatDuration, formatWindow } from '../evaluation/windows.js';
import type { Slo } from '../slo/slo.types.js';
import type { Evaluated } from '../slo/slo-evaluation.service.js';
import { AlertRepository, AlertRow, toState } from './alert.repository.js';
import { AttributionRepository } from './attribution.repository.js';

/**
 * SloAlertsService turns SLO statuses into alert state: it steps the page
 * and ticket alerts of every SLO through the pure state machine and
 * persists the result in the evaluator's transaction. It also decides what
 * an alert tells the person it reaches.
 */
@Injectable()
export class SloAlertsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly attribution: AttributionRepository,
  ) {}

  async step(m: EntityManager, statuses: Evaluated[], nowMs: number): Promise<void> {
    const current = await this.alerts.current(m, nowMs - RESOLVED_RETENTION_MS);
    for (const { slo, status, noDataEvents } of statuses) {
      const labels = { ...slo.labels, slo: slo.name, service: slo.service };
      const rowFor = (severity: string) => current.get(fingerprint({ ...labels, alertname: SLO_ALERT_NAME, severity }));
      const prevPage = rowFor('page');
      const prevTicket = rowFor('ticket');
      const annotations: Record<string, string> = {
        summary: `${slo.name}: error budget burning`,
        ...(slo.runbookUrl ? { runbook_url: slo.runbookUrl } : {}),
        dashboard: `${this.config.publicUrl}/api/v1/slos/${slo.id}/status`,
      };
      const step = stepSloAlerts(status, { page: prevPage && toState(prevPage), ticket: prevTicket && toState(prevTicket) }, { labels, annotations });
      await this.persist(m, slo, status, 'page', prevPage, step.page, nowMs);
      await this.persist(m, slo, status, 'ticket', prevTicket, step.ticket, nowMs);
      const exhaustion = slo.alerting.budgetExhaustion;
      if (exhaustion) {
        const active = status.full.total > 0 && status.budget.remainingFraction * 100 < exhaustion.belowPercent;
        await this.simple(m, current, slo, status, 'SloErrorBudgetExhausted', active, nowMs, {
          summary: `${slo.name}: less than ${exhaustion.belowPercent}% of the error budget left`,
        });
      }
      if (slo.alerting.noData && noDataEvents !== undefined) {
        await this.simple(m, current, slo, status, 'SloNoData', noDataEvents === 0, nowMs, {
          summary: `${slo.name}: no events for ${formatDuration(slo.alerting.noData.afterMs)}`,
        });
      }
    }
  }

  /** simple steps a one-condition ticket alert of an SLO (budget exhaustion, no data). */
  private async simple(
    m: EntityManager,
    current: Map<string, AlertRow>,
    slo: Slo,
    status: SloStatus,
    alertname: string,
    active: boolean,
    nowMs: number,
    annotations: Record<string, string>,
  ): Promise<void> {
    const labels = { ...slo.labels, slo: slo.name, service: slo.service, alertname, severity: 'ticket' };
    const prev = current.get(fingerprint(labels));
    const step = stepAlert(prev && toState(prev), active, nowMs, {
      ...DEFAULT_ALERT_TIMING,
      labels,
      annotations: { ...annotations, ...(slo.runbookUrl ? { runbook_url: slo.runbookUrl } : {}), dashboard: `${this.config.publicUrl}/api/v1/slos/${slo.id}/status` },
      value: status.budget.remainingFraction,
    });
    if (!prev && !step.next) return;
    const details = step.next && step.next.state !== 'inactive' ? await this.details(m, slo, status, 'ticket', nowMs) : {};
    await this.alerts.apply(m, prev, step, { source: 'slo', sourceId: slo.id, service: slo.service, severity: 'ticket' }, details, nowMs);
  }

  private async persist(m: EntityManager, slo: Slo, status: SloStatus, severity: 'page' | 'ticket', prev: AlertRow | undefined, step: AlertStep, nowMs: number) {
    if (!prev && !step.next) return;
    const active = step.next && step.next.state !== 'inactive';
    const details = active ? await this.details(m, slo, status, severity, nowMs) : {};
    await this.alerts.apply(m, prev, step, { source: 'slo', sourceId: slo.id, service: slo.service, severity }, details, nowMs);
  }

  /** details: what the person paged needs to act, without opening anything else first. */
  private async details(m: EntityManager, slo: Slo, status: SloStatus, severity: 'page' | 'ticket', nowMs: number) {
    const tiers = firingTiers(status, severity);
    const shortest = Math.min(...(tiers.length ? tiers.map((t) => t.shortWindowMs) : [5 * MINUTE_MS]));
    const end = evaluationEnd(nowMs);
    const by = slo.indicator.type === 'availability' ? 'errors' : 'slowest';
    const topOperations = await this.attribution.topOperations(m, slo.service, end - Math.max(shortest, 5 * MINUTE_MS), end, by);
    return {
      slo: { id: slo.id, name: slo.name, service: slo.service, objective: slo.objective, window: formatWindow(slo.window) },
      severity,
      crossed: tiers.map((t) => ({
        longWindow: formatDuration(t.longWindowMs),
        shortWindow: formatDuration(t.shortWindowMs),
        factor: t.factor,
        longBurnRate: t.longBurnRate,
        shortBurnRate: t.shortBurnRate,
      })),
      burnRates: Object.fromEntries(Object.entries(status.windows).map(([w, s]) => [w, s.burnRate])),
      sli: status.full.sli,
      budgetRemaining: status.budget.remainingFraction,
      timeToExhaustionSeconds: status.timeToExhaustionMs === null ? null : status.timeToExhaustionMs / 1000,
      topOperations,
      runbookUrl: slo.runbookUrl,
      link: `${this.config.publicUrl}/api/v1/slos/${slo.id}/status`,
    };
  }
}
