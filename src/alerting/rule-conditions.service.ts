import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import type { AlertCondition } from '../evaluation/alert-conditions.js';
import { ruleAlertCondition } from '../evaluation/rule-alerts.js';
import { evaluateSymptom } from '../evaluation/symptom-rule.evaluator.js';
import type { RedSums } from '../evaluation/symptom-rule.js';
import { minuteHorizon, RangeRecorder } from '../kernel/stored-ranges.js';
import { AlertRuleRepository } from './alert-rule.repository.js';
import { RuleCountsRepository } from '../red/rule-counts.repository.js';

/**
 * RuleConditionsService reads the symptom rules and the RED counts they
 * need — every rule's counts in a few batched queries, not one per rule —
 * and returns each rule's alert condition from the pure evaluator. The
 * alert stepper steps them with the SLOs' conditions.
 */
@Injectable()
export class RuleConditionsService {
  private readonly logger = new Logger('RuleAlerts');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rules: AlertRuleRepository,
    private readonly counts: RuleCountsRepository,
  ) {}

  /** conditions: every rule's condition at `nowMs`, and the ids of the rules that exist in this transaction. */
  async conditions(m: EntityManager, nowMs: number): Promise<{ conditions: AlertCondition[]; ruleIds: string[] }> {
    const rules = await this.rules.list(m);
    const ruleIds = rules.map((r) => r.id);
    if (rules.length === 0) return { conditions: [], ruleIds };
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
    const allCounts = await this.counts.load(m, queries, minuteHorizon(nowMs, this.config.retention.minuteDays));
    const conditions: AlertCondition[] = [];
    for (const [i, rule] of rules.entries()) {
      try {
        conditions.push(ruleAlertCondition(rule, evaluateSymptom(rule.spec.condition, allCounts[i], nowMs)));
      } catch (e) {
        // One broken rule must not stop the others (nor the SLOs) from being evaluated; its alert keeps its state.
        this.logger.error(`rule ${rule.spec.name} cannot be evaluated: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { conditions, ruleIds };
  }
}
