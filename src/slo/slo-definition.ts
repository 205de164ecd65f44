import type { SloDefinition } from '../evaluation/slo-evaluator.js';
import type { SloSpec } from './slo.types.js';

/** toDefinition is what the pure core needs of an SLO (stored or not). */
export function toDefinition(slo: SloSpec): SloDefinition {
  return {
    objective: slo.objective,
    window: slo.window,
    ...(slo.alerting.policy ? { policy: slo.alerting.policy } : {}),
    ...(slo.alerting.minEvents !== undefined ? { minEvents: slo.alerting.minEvents } : {}),
    ...(slo.alerting.minWindowCoverage !== undefined ? { minWindowCoverage: slo.alerting.minWindowCoverage } : {}),
  };
}
