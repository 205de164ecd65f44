import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { minuteHorizon, RangeRecorder } from '../kernel/stored-ranges.js';
import { EntityManager } from 'typeorm';
import { fingerprint, RESOLVED_RETENTION_MS, stepAlert } from '../evaluation/alert-state.js';
import { evaluationEnd, MINUTE_MS } from '../kernel/minute-ranges.js';
import { evaluateSymptom } from '../evaluation/symptom-rule.evaluator.js';
import { symptomRuleToJson, type RedSums } from '../evaluation/symptom-rule.js';
import { AlertRepository, toState } from './alert.repository.js';
import { AlertRuleRepository } from './alert-rule.repository.js';
import { AttributionRepository } from './attribution.repository.js';
import { loadRuleCountsBatch } from './rule-red-batch.js';

/**
 * RuleAlertsService evaluates symptom rules in the evaluator's transaction:
 * the pure evaluator decides whether each condition holds, the pure state
 * machine applies `for` and `keep_firing_for`, and the repository persists.
 */
@Injectable()
export class RuleAlertsService {
  private readonly logger = new Logger('RuleAlerts');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rules: AlertRuleRepository,
    private readonly alerts: AlertRepository,
    private readonly attribution: AttributionRepository,
  ) {}

  /** step evaluates every rule and returns the ids of the rules that exist in this transaction. */
  async step(m: EntityManager, nowMs: number): Promise<string[]> {
    const rules = await this.rules.list(m);
    const ids = rules.map((r) => r.id);
    if (rules.length === 0) return ids;
    const current = await this.alerts.current(m, nowMs - RESOLVED_RETENTION_MS);
    // Pass 1: the ranges each rule reads; then all rules' counts in a few queries.
    const queries = rules.map((rule) => {
      const recorder = new RangeRecorder<RedSums>({ calls: 0, errors: 0, histogram: { b: {}, z: 0 } });
      try {
        evaluateSymptom(rule.spec.condition, recorder, nowMs);
      } catch {
        // Reported by the loop below, which runs the same evaluator again.
      }
      return { selector: rule.spec.selector, ranges: [...recorder.ranges.values()], withHistogram: rule.spec.condition.type === 'latency' };
    });
    const allCounts = await loadRuleCountsBatch(m, queries, minuteHorizon(nowMs, this.config.retention.minuteDays));
    for (const [i, rule] of rules.entries()) {
      const spec = rule.spec;
      try {
        const counts = allCounts[i];
        const result = evaluateSymptom(spec.condition, counts, nowMs);
        const labels = { ...spec.labels, alertname: spec.name, rule: spec.name, service: spec.selector.service, severity: spec.severity };
        const prev = current.get(fingerprint(labels));
        const step = stepAlert(prev && toState(prev), result.active, nowMs, {
          forMs: spec.forMs,
          keepFiringForMs: spec.keepFiringForMs,
          resolvedRetentionMs: RESOLVED_RETENTION_MS,
          labels,
          annotations: spec.annotations,
          ...(result.value !== null ? { value: result.value } : {}),
        });
        if (!prev && !step.next) continue;
        const active = step.next && step.next.state !== 'inactive';
        const end = evaluationEnd(nowMs);
        const details = active
          ? {
              rule: { id: rule.id, name: spec.name, ...symptomRuleToJson(spec) },
              condition: symptomRuleToJson(spec).condition,
              value: result.value,
              threshold: result.threshold,
              calls: result.calls,
              ...(result.baseline !== undefined ? { baseline: result.baseline } : {}),
              topOperations: await this.attribution.topOperations(
                m,
                spec.selector.service,
                end - Math.max(spec.condition.windowMs, 5 * MINUTE_MS),
                end,
                spec.condition.type === 'latency' ? 'slowest' : 'errors',
              ),
            }
          : {};
        await this.alerts.apply(m, prev, step, { source: 'rule', sourceId: rule.id, service: spec.selector.service, severity: spec.severity }, details, nowMs);
      } catch (e) {
        this.logger.error(`rule ${spec.name} cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return ids;
  }
}
