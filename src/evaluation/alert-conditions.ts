import { type AlertState, type AlertStep, type AlertTiming, stepAlert } from './alert-state.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

/**
 * Every alert Burnwatch raises — SLO burn-rate tiers, budget exhaustion,
 * no data, symptom rules — is an AlertCondition produced by the pure core
 * from (definition, counts, now), and every condition is stepped by the one
 * state machine (alert-state.ts) through stepConditions. The shell's only
 * jobs are to load the previous states, add what needs I/O (the operations
 * behind an open alert) and persist each step.
 */

/** AlertOwner is what the incident row records about where the alert comes from. */
export interface AlertOwner {
  source: 'slo' | 'rule';
  sourceId: string;
  service: string;
  severity: string;
}

/** ATTRIBUTION_MIN_MS: the operations behind an alert are ranked over at least five minutes, enough calls to rank. */
export const ATTRIBUTION_MIN_MS = 5 * MINUTE_MS;

/** AlertAttribution says where the shell looks for the operations behind an open alert. */
export interface AlertAttribution {
  service: string;
  /** How far back from the evaluation end the operations are ranked. */
  windowMs: number;
  /** Rank operations by errors (availability, error ratio) or by their slowest spans (latency). */
  by: 'errors' | 'slowest';
}

export interface AlertCondition {
  owner: AlertOwner;
  /** The full label set (alertname and severity included): the alert's identity. */
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** Whether the condition holds at this evaluation, before inhibition. */
  active: boolean;
  /** The value that crossed (burn rate, error ratio, remaining budget...). */
  value?: number;
  timing: AlertTiming;
  /**
   * An alert earlier in the same list that holds this one back while its
   * condition holds or while it is pending or firing (keep_firing_for
   * included): the ticket under the page of the same SLO.
   */
  inhibitedBy?: AlertCondition;
  /** What an open incident records for the person it reaches. Called only for open alerts: details cost allocations. */
  details(): Record<string, unknown>;
  attribution?: AlertAttribution;
}

/** ConditionStep is one condition stepped: the state machine's result and whether an inhibitor held it back. */
export interface ConditionStep {
  condition: AlertCondition;
  step: AlertStep;
  /** The condition held but an inhibitor held it back, so it was stepped as inactive. */
  inhibited: boolean;
}

/** holds: the condition holds, or its alert is pending or firing after this step. */
function holds(condition: AlertCondition, step: AlertStep): boolean {
  return condition.active || step.next?.state === 'pending' || step.next?.state === 'firing';
}

/**
 * stepConditions steps every condition once at `nowMs`, in list order, from
 * the previous state `prevOf` gives for it (by position). An inhibited
 * condition is stepped as inactive, so an inhibited pending alert is
 * cancelled and an inhibited firing one resolves, as if its condition had
 * gone. Never mutates the previous states.
 */
export function stepConditions(
  conditions: readonly AlertCondition[],
  prevOf: (index: number) => AlertState | undefined,
  nowMs: number,
): ConditionStep[] {
  const stepped = new Map<AlertCondition, AlertStep>();
  return conditions.map((condition, i) => {
    const inhibitor = condition.inhibitedBy && stepped.get(condition.inhibitedBy);
    if (condition.inhibitedBy && !inhibitor) throw new Error(`alert ${condition.labels.alertname}: its inhibitor must come before it`);
    const inhibited = condition.active && inhibitor !== undefined && holds(condition.inhibitedBy!, inhibitor);
    const step = stepAlert(prevOf(i), condition.active && !inhibited, nowMs, {
      ...condition.timing,
      labels: condition.labels,
      ...(condition.annotations ? { annotations: condition.annotations } : {}),
      ...(condition.value !== undefined ? { value: condition.value } : {}),
    });
    stepped.set(condition, step);
    return { condition, step, inhibited };
  });
}
