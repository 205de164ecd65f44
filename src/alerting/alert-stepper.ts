import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { type AlertCondition, stepConditions } from '../evaluation/alert-conditions.js';
import { fingerprint, RESOLVED_RETENTION_MS } from '../evaluation/alert-state.js';
import { evaluationEnd } from '../kernel/minute-ranges.js';
import { AlertRepository, toState } from './alert.repository.js';
import { AttributionRepository } from '../red/attribution.repository.js';

/**
 * AlertStepper is the one shell loop every alert goes through: it loads
 * the previous state of each condition, steps them all in the pure core
 * (stepConditions), and persists each step in the evaluator's transaction —
 * adding, for an open alert, the operations behind it, the one fact that
 * needs the database.
 */
@Injectable()
export class AlertStepper {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly attribution: AttributionRepository,
  ) {}

  async step(m: EntityManager, conditions: readonly AlertCondition[], nowMs: number): Promise<void> {
    const current = await this.alerts.current(m, nowMs - RESOLVED_RETENTION_MS);
    const rows = conditions.map((c) => (current.size > 0 ? current.get(fingerprint(c.labels)) : undefined));
    for (const [i, { condition, step }] of stepConditions(conditions, (i) => rows[i] && toState(rows[i]), nowMs).entries()) {
      const prev = rows[i];
      if (!prev && !step.next) continue;
      const open = step.next !== undefined && step.next.state !== 'inactive';
      const details = open ? { ...condition.details(), ...(await this.topOperations(m, condition, nowMs)) } : {};
      await this.alerts.apply(m, prev, step, condition.owner, details, nowMs);
    }
  }

  private async topOperations(m: EntityManager, condition: AlertCondition, nowMs: number) {
    const a = condition.attribution;
    if (!a) return {};
    const end = evaluationEnd(nowMs);
    return { topOperations: await this.attribution.topOperations(m, a.service, end - a.windowMs, end, a.by) };
  }
}
