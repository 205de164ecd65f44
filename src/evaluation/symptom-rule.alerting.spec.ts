import { stepConditions } from './alert-conditions.js';
import type { AlertPhase, AlertState, AlertTransition } from './alert-state.js';
import { ruleAlertCondition } from './rule-alerts.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import type { SymptomRuleSpec } from './symptom-rule.js';
import { validateSymptomRule } from '../alerting/alert-rule.validation.js';
import { evaluateSymptom } from './symptom-rule.evaluator.js';
import { MinuteRedCounts } from '../../test/support/minute-red-counts.js';

/**
 * A symptom rule end to end in the pure core: per-minute RED rows, a clock
 * stepped once a minute (at :30), evaluateSymptom for the condition, made an
 * alert condition by ruleAlertCondition and stepped by stepConditions for
 * `for` and `keep_firing_for` — what the scheduler shell does.
 */

const NOON = Date.parse('2024-05-13T12:00:00Z');
const M = MINUTE_MS;

interface Row {
  /** Minutes after 12:00; the evaluation runs at 30 s past that minute. */
  t: number;
  active: boolean;
  state: AlertPhase | undefined;
  transition?: AlertTransition;
}

function rule(body: Record<string, unknown>): SymptomRuleSpec {
  const { spec, errors } = validateSymptomRule({ name: 'checkout-5xx', selector: { service: 'checkout' }, severity: 'page', ...body });
  expect(errors).toEqual([]);
  return spec!;
}

/** traffic writes `perMinute(minutes after noon)` = [calls, errors] for every minute of [fromMin, toMin). */
function traffic(fromMin: number, toMin: number, perMinute: (t: number) => [number, number]): MinuteRedCounts {
  const counts = new MinuteRedCounts();
  for (let t = fromMin; t < toMin; t++) counts.add(NOON + t * M, ...perMinute(t));
  return counts;
}

/** run steps the rule through the table and returns every transition, in order. */
function run(spec: SymptomRuleSpec, counts: MinuteRedCounts, rows: Row[]): AlertTransition[] {
  let state: AlertState | undefined;
  const transitions: AlertTransition[] = [];
  for (const row of rows) {
    const nowMs = NOON + row.t * M + 30_000;
    const result = evaluateSymptom(spec.condition, counts, nowMs);
    const condition = ruleAlertCondition({ id: 'rule-1', spec }, result);
    const [{ step }] = stepConditions([condition], () => state, nowMs);
    const { next, transition } = step;
    expect({ t: row.t, active: result.active, state: next?.state, transition }).toEqual(row);
    if (transition) transitions.push(transition);
    state = next;
  }
  return transitions;
}

/** steps lists one row per minute in [from, to), all with the same expectation. */
const steps = (from: number, to: number, row: Omit<Row, 't'>): Row[] => Array.from({ length: to - from }, (_, i) => ({ t: from + i, ...row }));

describe('symptom rule with for and keep_firing_for', () => {
  it('error ratio: pending, firing 2 m later (for), resolved once the 5 m window is clean', () => {
    const spec = rule({ condition: { type: 'error_ratio', window: '5m', threshold: 0.05, minCalls: 20 }, for: '2m' });
    // 100 calls a minute; half of them fail from 12:00 to 12:09.
    const counts = traffic(-30, 30, (t) => [100, t >= 0 && t < 10 ? 50 : 0]);
    run(spec, counts, [
      { t: -1, active: false, state: undefined },
      { t: 0, active: true, state: 'pending', transition: 'pending' }, // 50 of 500 = 10% with the current minute
      { t: 1, active: true, state: 'pending' },
      { t: 2, active: true, state: 'firing', transition: 'firing' },
      ...steps(3, 14, { active: true, state: 'firing' }), // errors stop at 12:10, but 12:10–12:13 windows still hold bad minutes
      { t: 14, active: false, state: 'inactive', transition: 'resolved' }, // window [12:10, 12:15) is clean
      { t: 15, active: false, state: 'inactive' },
    ]);
  });

  it('a blip shorter than `for` never fires', () => {
    const spec = rule({ condition: { type: 'error_ratio', window: '1m', threshold: 0.05 }, for: '2m' });
    const counts = traffic(-5, 10, (t) => [100, t === 0 || t === 1 ? 100 : 0]);
    const transitions = run(spec, counts, [
      { t: 0, active: true, state: 'pending', transition: 'pending' },
      { t: 1, active: true, state: 'pending' },
      { t: 2, active: false, state: undefined, transition: 'cancelled' },
      { t: 3, active: false, state: undefined },
    ]);
    expect(transitions).not.toContain('firing');
  });

  describe('a flapping error stream', () => {
    // Bad minutes at 12:00-01, 03, 06, 08; a 1-minute window makes the condition flap with them.
    const bad = new Set([0, 1, 3, 6, 8]);
    const counts = traffic(-5, 40, (t) => [100, bad.has(t) ? 20 : 0]);
    const condition = { type: 'error_ratio', window: '1m', threshold: 0.1, minCalls: 20 };

    it('inside keep_firing_for stays one firing alert, resolved keep_firing_for after the last bad minute', () => {
      const spec = rule({ condition, for: '1m', keepFiringFor: '5m' });
      const transitions = run(spec, counts, [
        { t: 0, active: true, state: 'pending', transition: 'pending' },
        { t: 1, active: true, state: 'firing', transition: 'firing' },
        { t: 2, active: false, state: 'firing' },
        { t: 3, active: true, state: 'firing' },
        { t: 4, active: false, state: 'firing' },
        { t: 5, active: false, state: 'firing' },
        { t: 6, active: true, state: 'firing' },
        { t: 7, active: false, state: 'firing' },
        { t: 8, active: true, state: 'firing' },
        ...steps(9, 14, { active: false, state: 'firing' }), // keep firing since 12:09:30
        { t: 14, active: false, state: 'inactive', transition: 'resolved' }, // 5 m after 12:09:30
      ]);
      expect(transitions).toEqual(['pending', 'firing', 'resolved']);
    });

    it('without keep_firing_for the same stream pages four times', () => {
      const spec = rule({ condition, for: '0s' });
      const rows: Row[] = Array.from({ length: 10 }, (_, t) => ({
        t,
        active: bad.has(t),
        state: bad.has(t) ? 'firing' : 'inactive',
        ...(bad.has(t) !== bad.has(t - 1) ? { transition: bad.has(t) ? 'firing' : 'resolved' } : {}),
      }));
      expect(run(spec, counts, rows).filter((x) => x === 'firing')).toHaveLength(4);
    });
  });

  it('traffic dropping to zero fires after `for`; the same drop on a low-traffic service does not', () => {
    const condition = { type: 'traffic', window: '5m', baseline: 'last_week', deviationPercent: 90, direction: 'down' };
    const spec = rule({ condition, for: '3m' });
    /** A week and a day at `perMinute` calls, then nothing from 12:00. */
    const outage = (perMinute: number) => traffic(-(8 * DAY_MS) / M, 20, (t) => [t < 0 ? perMinute : 0, 0]);
    const healthy = outage(50);
    run(spec, healthy, [
      ...steps(0, 4, { active: false, state: undefined }), // whole-minute windows: 12:00 is first read at 12:01:30
      { t: 4, active: false, state: undefined }, // window [11:59, 12:04): 50 of 250 calls, −80%
      { t: 5, active: true, state: 'pending', transition: 'pending' }, // [12:00, 12:05): −100%
      { t: 6, active: true, state: 'pending' },
      { t: 7, active: true, state: 'pending' },
      { t: 8, active: true, state: 'firing', transition: 'firing' },
    ]);
    // 3 calls a minute is 15 per window, below the default minimum baseline of 100: never fires.
    const quiet = outage(3);
    run(spec, quiet, steps(0, 20, { active: false, state: undefined }));
    expect(evaluateSymptom(spec.condition, quiet, NOON + 10 * M)).toMatchObject({ value: -100, reason: 'insufficient baseline' });
  });
});
