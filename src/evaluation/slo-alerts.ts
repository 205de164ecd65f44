import { ATTRIBUTION_MIN_MS, type AlertCondition, type AlertOwner, stepConditions } from './alert-conditions.js';
import { type AlertState, type AlertStep, type AlertTiming, DEFAULT_ALERT_TIMING } from './alert-state.js';
import type { Severity } from './policy.js';
import type { SloStatus, TierStatus } from './slo-evaluator.js';
import { formatDuration, formatWindow, type SloWindow } from './windows.js';

/**
 * The alerts of an SLO as conditions of its status (alert-conditions.ts):
 * the two burn-rate alerts — `page` when any page tier fires, `ticket` when
 * any ticket tier fires and the page does not (a fast burn always also
 * crosses the slow tiers, and one outage should wake one person once, not
 * also open a ticket about itself) — and, when the SLO asks for them,
 * budget exhaustion and no data.
 */

/** SLO_ALERT_NAME is the `alertname` label of every burn-rate alert. */
export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';
export const SLO_EXHAUSTED_ALERT_NAME = 'SloErrorBudgetExhausted';
export const SLO_NO_DATA_ALERT_NAME = 'SloNoData';

/** SloAlertConditions: the raw tier verdicts and the resulting alert conditions. */
export interface SloAlertConditions {
  /** Any page tier fires. */
  page: boolean;
  /** Any ticket tier fires (before inhibition). */
  ticketTiers: boolean;
  /** The ticket condition after inhibition: ticketTiers and the page is neither active nor firing. */
  ticket: boolean;
  /** A firing ticket tier was suppressed by the page. */
  ticketInhibited: boolean;
}

/** SloAlertOptions: the SLO's identity labels and optional per-severity timing. */
export interface SloAlertOptions {
  /** Labels identifying the SLO (e.g. slo, service); alertname and severity are added. */
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  page?: Partial<AlertTiming>;
  ticket?: Partial<AlertTiming>;
  /** The SLO's id, for the incident row (replay has none). */
  sourceId?: string;
  /** What an open burn alert of this severity records (replay records nothing). */
  details?: (severity: Severity) => Record<string, unknown>;
  attribution?: (severity: Severity) => AlertCondition['attribution'];
}

/** SloAlertStates are the persisted states of an SLO's two alerts (undefined = none). */
export interface SloAlertStates {
  page?: AlertState;
  ticket?: AlertState;
}

/** SloAlertsStep is one evaluation of both alerts. */
export interface SloAlertsStep {
  conditions: SloAlertConditions;
  page: AlertStep;
  ticket: AlertStep;
}

/** firingTiers are the tiers of one severity that fire in `status`. */
export function firingTiers(status: SloStatus, severity: Severity): TierStatus[] {
  return status.tiers.filter((t) => t.severity === severity && t.firing);
}

/**
 * sloBurnConditions are the page condition, then the ticket condition,
 * of `status`. The ticket is inhibited by the page — while the page
 * condition holds and while the page alert is pending or firing
 * (keep_firing_for included), so a page that lingers does not let a ticket
 * for the same burn slip out. When the page resolves and the slow tiers
 * still fire, the ticket fires then: the budget is still burning and
 * someone should look during working hours.
 */
export function sloBurnConditions(status: SloStatus, options: SloAlertOptions): [AlertCondition, AlertCondition] {
  const burn = (severity: Severity, timing: Partial<AlertTiming> | undefined): AlertCondition => {
    const firing = firingTiers(status, severity);
    const value = firing.length > 0 ? Math.max(...firing.map((t) => t.longBurnRate)) : undefined;
    const attribution = options.attribution?.(severity);
    return {
      owner: owner(options, severity),
      labels: { ...options.labels, alertname: SLO_ALERT_NAME, severity },
      ...(options.annotations ? { annotations: options.annotations } : {}),
      active: firing.length > 0,
      ...(value !== undefined ? { value } : {}),
      timing: timingOf(timing),
      details: () => options.details?.(severity) ?? {},
      ...(attribution ? { attribution } : {}),
    };
  };
  const page = burn('page', options.page);
  const ticket = { ...burn('ticket', options.ticket), inhibitedBy: page };
  return [page, ticket];
}

/**
 * stepSloAlerts steps the two burn-rate alerts of one SLO at the status's
 * evaluation time: sloBurnConditions through stepConditions. Replay and the
 * simulations step an SLO on its own with it.
 */
export function stepSloAlerts(status: SloStatus, prev: SloAlertStates, options: SloAlertOptions): SloAlertsStep {
  const [page, ticket] = stepConditions(sloBurnConditions(status, options), (i) => (i === 0 ? prev.page : prev.ticket), status.evaluatedAtMs);
  return {
    conditions: {
      page: page.condition.active,
      ticketTiers: ticket.condition.active,
      ticket: ticket.condition.active && !ticket.inhibited,
      ticketInhibited: ticket.inhibited,
    },
    page: page.step,
    ticket: ticket.step,
  };
}

/** SloAlertSubject is what the alerts of an SLO are made from: a stored SLO has these fields. */
export interface SloAlertSubject {
  id: string;
  name: string;
  service: string;
  labels: Record<string, string>;
  objective: number;
  window: SloWindow;
  runbookUrl: string | null;
  indicator: { type: 'availability' | 'latency' };
  alerting: {
    budgetExhaustion?: { belowPercent: number };
    noData?: { afterMs: number };
  };
}

/**
 * sloAlertConditions are every alert condition of one SLO at one
 * evaluation: page and ticket burn, then budget exhaustion and no data when
 * the SLO asks for them. `noDataEvents` are the events in its no-data window
 * (undefined when not counted); `link` is where its status is shown.
 */
export function sloAlertConditions(slo: SloAlertSubject, status: SloStatus, noDataEvents: number | undefined, link: string): AlertCondition[] {
  const labels = { ...slo.labels, slo: slo.name, service: slo.service };
  const annotate = (summary: string) => ({ summary, ...(slo.runbookUrl ? { runbook_url: slo.runbookUrl } : {}), dashboard: link });
  const details = (severity: Severity) => sloAlertDetails(slo, status, severity, link);
  // One per severity: the ticket's also serves budget exhaustion and no data.
  const attributions = { page: sloAttribution(slo, status, 'page'), ticket: sloAttribution(slo, status, 'ticket') };
  const attribution = (severity: Severity) => attributions[severity];
  const conditions: AlertCondition[] = sloBurnConditions(status, {
    labels,
    annotations: annotate(`${slo.name}: error budget burning`),
    sourceId: slo.id,
    details,
    attribution,
  });
  // The single-condition alerts are tickets: they need a look during working hours, not a wake-up.
  const ticket = (alertname: string, active: boolean, summary: string): AlertCondition => ({
    owner: { source: 'slo', sourceId: slo.id, service: slo.service, severity: 'ticket' },
    labels: { ...labels, alertname, severity: 'ticket' },
    annotations: annotate(summary),
    active,
    value: status.budget.remainingFraction,
    timing: DEFAULT_ALERT_TIMING,
    details: () => details('ticket'),
    attribution: attributions.ticket,
  });
  const exhaustion = slo.alerting.budgetExhaustion;
  if (exhaustion) {
    const active = status.full.total > 0 && status.budget.remainingFraction * 100 < exhaustion.belowPercent;
    conditions.push(ticket(SLO_EXHAUSTED_ALERT_NAME, active, `${slo.name}: less than ${exhaustion.belowPercent}% of the error budget left`));
  }
  if (slo.alerting.noData && noDataEvents !== undefined) {
    conditions.push(ticket(SLO_NO_DATA_ALERT_NAME, noDataEvents === 0, `${slo.name}: no events for ${formatDuration(slo.alerting.noData.afterMs)}`));
  }
  return conditions;
}

/** sloAttribution: the operations behind an SLO alert, over its shortest firing short window (at least five minutes). */
function sloAttribution(slo: SloAlertSubject, status: SloStatus, severity: Severity): AlertCondition['attribution'] {
  const tiers = firingTiers(status, severity);
  const shortest = tiers.length ? Math.min(...tiers.map((t) => t.shortWindowMs)) : ATTRIBUTION_MIN_MS;
  return { service: slo.service, windowMs: Math.max(shortest, ATTRIBUTION_MIN_MS), by: slo.indicator.type === 'availability' ? 'errors' : 'slowest' };
}

/** sloAlertDetails: what the person paged needs to act, without opening anything else first. */
function sloAlertDetails(slo: SloAlertSubject, status: SloStatus, severity: Severity, link: string): Record<string, unknown> {
  return {
    slo: { id: slo.id, name: slo.name, service: slo.service, objective: slo.objective, window: formatWindow(slo.window) },
    severity,
    crossed: firingTiers(status, severity).map((t) => ({
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
    runbookUrl: slo.runbookUrl,
    link,
  };
}

function owner(options: SloAlertOptions, severity: Severity): AlertOwner {
  return { source: 'slo', sourceId: options.sourceId ?? '', service: options.labels.service ?? '', severity };
}

/** timingOf fills what a partial override leaves out (or sets to undefined) with the defaults. */
function timingOf(override: Partial<AlertTiming> | undefined): AlertTiming {
  return {
    forMs: override?.forMs ?? DEFAULT_ALERT_TIMING.forMs,
    keepFiringForMs: override?.keepFiringForMs ?? DEFAULT_ALERT_TIMING.keepFiringForMs,
    resolvedRetentionMs: override?.resolvedRetentionMs ?? DEFAULT_ALERT_TIMING.resolvedRetentionMs,
  };
}
