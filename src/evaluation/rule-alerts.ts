import { ATTRIBUTION_MIN_MS, type AlertCondition } from './alert-conditions.js';
import { RESOLVED_RETENTION_MS } from './alert-state.js';
import type { SymptomResult } from './symptom-rule.evaluator.js';
import { symptomRuleToJson, type SymptomRuleSpec } from './symptom-rule.js';

/**
 * ruleAlertCondition is the alert condition of one symptom rule, from its
 * evaluation (evaluateSymptom): active as the result says, held for the
 * rule's `for` and `keep_firing_for` by the state machine.
 */
export function ruleAlertCondition(rule: { id: string; spec: SymptomRuleSpec }, result: SymptomResult): AlertCondition {
  const spec = rule.spec;
  return {
    owner: { source: 'rule', sourceId: rule.id, service: spec.selector.service, severity: spec.severity },
    labels: { ...spec.labels, alertname: spec.name, rule: spec.name, service: spec.selector.service, severity: spec.severity },
    annotations: spec.annotations,
    active: result.active,
    ...(result.value !== null ? { value: result.value } : {}),
    timing: { forMs: spec.forMs, keepFiringForMs: spec.keepFiringForMs, resolvedRetentionMs: RESOLVED_RETENTION_MS },
    details: () => {
      const json = symptomRuleToJson(spec);
      return {
        rule: { id: rule.id, name: spec.name, ...json },
        condition: json.condition,
        value: result.value,
        threshold: result.threshold,
        calls: result.calls,
        ...(result.baseline !== undefined ? { baseline: result.baseline } : {}),
      };
    },
    attribution: {
      service: spec.selector.service,
      windowMs: Math.max(spec.condition.windowMs, ATTRIBUTION_MIN_MS),
      by: spec.condition.type === 'latency' ? 'slowest' : 'errors',
    },
  };
}
