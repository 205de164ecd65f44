import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RedCounts } from '../evaluation/symptom-rule.js';
import { loadRuleCountsBatch, type RuleQuery } from './rule-red-batch.js';

/**
 * RuleCountsRepository answers the symptom rules of a tick from the stored
 * RED rows, in a fixed number of queries however many rules there are
 * (rule-red-batch.ts), inside the evaluator's transaction.
 */
@Injectable()
export class RuleCountsRepository {
  load(m: EntityManager, rules: RuleQuery[], minuteHorizonMs: number): Promise<RedCounts[]> {
    return loadRuleCountsBatch(m, rules, minuteHorizonMs);
  }
}
