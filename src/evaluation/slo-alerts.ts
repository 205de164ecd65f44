import { type AlertState, type AlertStep, type AlertTiming, DEFAULT_ALERT_TIMING, stepAlert } from './alert-state.js';
import type { Severity } from './policy.js';
import type { SloStatus, TierStatus } from './slo-evaluator.js';

/**
 * The two burn-rate alerts of an SLO, derived from its status: `page` when
 * any page tier fires, `ticket` when any ticket tier fires and the page does
 * not. A fast burn always also crosses the slow tiers, and one outage should
 * wake one person once, not also open a ticket about itself.
 */

/** SLO_ALERT_NAME is the `alertname` label of every burn-rate alert. */
export const SLO_ALERT_NAME = 'SloErrorBudgetBurn';

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
 * stepSloAlerts steps the page alert, then the ticket alert, at the status's
 * evaluation time. The ticket is inhibited while the page condition holds and
 * while the page alert is pending or firing (keep_firing_for included), so a
 * page that lingers does not let a ticket for the same burn slip out. When
 * the page resolves and the slow tiers still fire, the ticket fires then: the
 * budget is still burning and someone should look during working hours.
 */
export function stepSloAlerts(status: SloStatus, prev: SloAlertStates, options: SloAlertOptions): SloAlertsStep {
  const nowMs = status.evaluatedAtMs;
  const pageTiers = firingTiers(status, 'page');
  const ticketTiers = firingTiers(status, 'ticket');

  const page = stepAlert(prev.page, pageTiers.length > 0, nowMs, {
    ...timing(options.page),
    ...payload(options, 'page', pageTiers),
  });
  const pageHolds = pageTiers.length > 0 || page.next?.state === 'pending' || page.next?.state === 'firing';
  const ticketActive = ticketTiers.length > 0 && !pageHolds;
  const ticket = stepAlert(prev.ticket, ticketActive, nowMs, {
    ...timing(options.ticket),
    ...payload(options, 'ticket', ticketTiers),
  });

  return {
    conditions: {
      page: pageTiers.length > 0,
      ticketTiers: ticketTiers.length > 0,
      ticket: ticketActive,
      ticketInhibited: ticketTiers.length > 0 && pageHolds,
    },
    page,
    ticket,
  };
}

/** timing fills what a partial override leaves out (or sets to undefined) with the defaults. */
function timing(override: Partial<AlertTiming> | undefined): AlertTiming {
  return {
    forMs: override?.forMs ?? DEFAULT_ALERT_TIMING.forMs,
    keepFiringForMs: override?.keepFiringForMs ?? DEFAULT_ALERT_TIMING.keepFiringForMs,
    resolvedRetentionMs: override?.resolvedRetentionMs ?? DEFAULT_ALERT_TIMING.resolvedRetentionMs,
  };
}

/** payload: labels of one severity's alert, and as value the highest long-window burn among its firing tiers. */
function payload(options: SloAlertOptions, severity: Severity, firing: TierStatus[]) {
  const value = firing.length > 0 ? Math.max(...firing.map((t) => t.longBurnRate)) : undefined;
  return {
    labels: { ...options.labels, alertname: SLO_ALERT_NAME, severity },
    ...(options.annotations ? { annotations: options.annotations } : {}),
    ...(value !== undefined ? { value } : {}),
  };
}
