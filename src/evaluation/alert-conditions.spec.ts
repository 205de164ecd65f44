import { MinuteCounts } from '../../test/support/minute-counts.js';
import { DAY_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { type AlertCondition, stepConditions } from './alert-conditions.js';
import { type AlertState, DEFAULT_ALERT_TIMING } from './alert-state.js';
import { ruleAlertCondition } from './rule-alerts.js';
import { SLO_ALERT_NAME, SLO_EXHAUSTED_ALERT_NAME, SLO_NO_DATA_ALERT_NAME, type SloAlertSubject, sloAlertConditions } from './slo-alerts.js';
import { evaluateSlo } from './slo-evaluator.js';
import { evaluateSymptom } from './symptom-rule.evaluator.js';
import { validateSymptomRule } from '../alerting/alert-rule.validation.js';
import { MinuteRedCounts } from '../../test/support/minute-red-counts.js';

const NOW = Date.parse('2024-05-01T12:00:30Z');
const LINK = 'http://burnwatch.test/api/v1/slos/slo-1/status';

const condition = (name: string, active: boolean, extra: Partial<AlertCondition> = {}): AlertCondition => ({
  owner: { source: 'rule', sourceId: name, service: 'checkout', severity: 'page' },
  labels: { alertname: name },
  active,
  timing: DEFAULT_ALERT_TIMING,
  details: () => ({}),
  ...extra,
});

describe('stepConditions', () => {
  it('steps each condition from its own previous state, in list order', () => {
    const a = condition('a', true);
    const b = condition('b', false);
    const firingB: AlertState = { fingerprint: 'fb', labels: { alertname: 'b' }, state: 'firing', activeAt: NOW - MINUTE_MS, firedAt: NOW - MINUTE_MS };
    const [sa, sb] = stepConditions([a, b], (i) => (i === 1 ? firingB : undefined), NOW);
    expect(sa).toMatchObject({ condition: a, inhibited: false, step: { transition: 'firing', next: { state: 'firing', firedAt: NOW } } });
    expect(sb).toMatchObject({ condition: b, inhibited: false, step: { transition: 'resolved', next: { state: 'inactive', resolvedAt: NOW } } });
  });

  it('an inhibited condition is stepped as inactive: its pending alert is cancelled, its firing alert resolves', () => {
    const page = condition('page', true);
    const pendingTicket = condition('pending-ticket', true, { inhibitedBy: page, timing: { ...DEFAULT_ALERT_TIMING, forMs: 5 * MINUTE_MS } });
    const firingTicket = condition('firing-ticket', true, { inhibitedBy: page });
    const prev: (AlertState | undefined)[] = [
      undefined,
      { fingerprint: 'p', labels: { alertname: 'pending-ticket' }, state: 'pending', activeAt: NOW - MINUTE_MS },
      { fingerprint: 'f', labels: { alertname: 'firing-ticket' }, state: 'firing', activeAt: NOW - MINUTE_MS, firedAt: NOW - MINUTE_MS },
    ];
    const [, pending, firing] = stepConditions([page, pendingTicket, firingTicket], (i) => prev[i], NOW);
    expect(pending).toMatchObject({ inhibited: true, step: { transition: 'cancelled', next: undefined } });
    expect(firing).toMatchObject({ inhibited: true, step: { transition: 'resolved' } });
  });

  it('an inhibitor holds while its alert is firing after its condition went (keep_firing_for)', () => {
    const page = condition('page', false, { timing: { ...DEFAULT_ALERT_TIMING, keepFiringForMs: 10 * MINUTE_MS } });
    const ticket = condition('ticket', true, { inhibitedBy: page });
    const firingPage: AlertState = { fingerprint: 'p', labels: { alertname: 'page' }, state: 'firing', activeAt: NOW - MINUTE_MS, firedAt: NOW - MINUTE_MS };
    const [p, t] = stepConditions([page, ticket], (i) => (i === 0 ? firingPage : undefined), NOW);
    expect(p.step.next?.state).toBe('firing');
    expect(t).toMatchObject({ inhibited: true, step: { next: undefined } });
    // Once the page has resolved, the ticket is free to fire.
    const [, later] = stepConditions([page, ticket], () => undefined, NOW);
    expect(later).toMatchObject({ inhibited: false, step: { transition: 'firing' } });
  });

  it('refuses an inhibitor listed after the condition it inhibits', () => {
    const page = condition('page', true);
    expect(() => stepConditions([condition('ticket', true, { inhibitedBy: page }), page], () => undefined, NOW)).toThrow(/inhibitor must come before/);
  });
});

describe('sloAlertConditions', () => {
  const slo: SloAlertSubject = {
    id: 'slo-1',
    name: 'checkout-availability',
    service: 'checkout',
    labels: { team: 'payments' },
    objective: 99.9,
    window: { kind: 'rolling', days: 30 },
    runbookUrl: 'https://runbooks.test/checkout',
    indicator: { type: 'availability' },
    alerting: { budgetExhaustion: { belowPercent: 80 }, noData: { afterMs: 10 * MINUTE_MS } },
  };
  /** 31 healthy days at 1,000 events a minute, then the last `outageMin` minutes all failing. */
  const status = (outageMin: number) => {
    const counts = new MinuteCounts();
    const start = Math.floor(NOW / MINUTE_MS) * MINUTE_MS - 31 * DAY_MS;
    for (let m = start; m <= NOW; m += MINUTE_MS) counts.add(m, NOW - m <= outageMin * MINUTE_MS ? 0 : 1000, 1000);
    return evaluateSlo({ objective: slo.objective, window: slo.window }, counts, NOW);
  };

  it('makes page and ticket burn, budget exhaustion and no data, each labelled as the SLO', () => {
    const conditions = sloAlertConditions(slo, status(0), 500, LINK);
    const identity = { team: 'payments', slo: 'checkout-availability', service: 'checkout' };
    expect(conditions.map((c) => c.labels)).toEqual([
      { ...identity, alertname: SLO_ALERT_NAME, severity: 'page' },
      { ...identity, alertname: SLO_ALERT_NAME, severity: 'ticket' },
      { ...identity, alertname: SLO_EXHAUSTED_ALERT_NAME, severity: 'ticket' },
      { ...identity, alertname: SLO_NO_DATA_ALERT_NAME, severity: 'ticket' },
    ]);
    expect(conditions.map((c) => c.active)).toEqual([false, false, false, false]);
    expect(conditions.every((c) => c.owner.source === 'slo' && c.owner.sourceId === 'slo-1' && c.owner.service === 'checkout')).toBe(true);
    expect(conditions[1].inhibitedBy).toBe(conditions[0]);
    expect(conditions[3].annotations).toEqual({ summary: 'checkout-availability: no events for 10m', runbook_url: 'https://runbooks.test/checkout', dashboard: LINK });
  });

  it('leaves out no data when its events were not counted, and both extras when the SLO does not ask', () => {
    expect(sloAlertConditions(slo, status(0), undefined, LINK).map((c) => c.labels.alertname)).toEqual([SLO_ALERT_NAME, SLO_ALERT_NAME, SLO_EXHAUSTED_ALERT_NAME]);
    expect(sloAlertConditions({ ...slo, alerting: {} }, status(0), 0, LINK)).toHaveLength(2);
  });

  it('a 15-minute outage: the page holds with its burn rate, the budget drops below 80%, and details say what crossed', () => {
    const s = status(15);
    const [page, ticket, exhausted, noData] = sloAlertConditions(slo, s, 0, LINK);
    expect(page.active).toBe(true);
    expect(page.value).toBeCloseTo(Math.max(...s.tiers.filter((t) => t.severity === 'page' && t.firing).map((t) => t.longBurnRate)));
    expect(exhausted).toMatchObject({ active: true, value: s.budget.remainingFraction });
    expect(s.budget.remainingFraction).toBeLessThan(0.8);
    expect(noData.active).toBe(true); // zero events counted in its window
    const details = page.details();
    expect(details).toMatchObject({
      slo: { id: 'slo-1', name: 'checkout-availability', service: 'checkout', objective: 99.9, window: '30d' },
      severity: 'page',
      budgetRemaining: s.budget.remainingFraction,
      runbookUrl: 'https://runbooks.test/checkout',
      link: LINK,
    });
    expect(details.crossed).toContainEqual(expect.objectContaining({ longWindow: '1h', shortWindow: '5m', factor: 14.4 }));
    // Operations are ranked over the shortest firing short window, never under five minutes.
    expect(page.attribution).toEqual({ service: 'checkout', windowMs: 5 * MINUTE_MS, by: 'errors' });
    // The slow tiers burn too, but the page holds, so stepping both fires the page and holds the ticket back.
    expect(ticket.active).toBe(true);
    const steps = stepConditions([page, ticket], () => undefined, NOW);
    expect(steps.map((x) => [x.step.next?.state, x.inhibited])).toEqual([['firing', false], [undefined, true]]);
  });

  it('ranks a latency SLO’s operations by their slowest spans', () => {
    const [page] = sloAlertConditions({ ...slo, indicator: { type: 'latency' } }, status(15), 0, LINK);
    expect(page.attribution?.by).toBe('slowest');
  });
});

describe('ruleAlertCondition', () => {
  const { spec, errors } = validateSymptomRule({
    name: 'checkout-5xx',
    selector: { service: 'checkout' },
    severity: 'page',
    condition: { type: 'error_ratio', window: '10m', threshold: 0.05 },
    for: '2m',
    keepFiringFor: '5m',
    labels: { team: 'payments' },
    annotations: { summary: 'checkout fails' },
  });

  it('is the rule’s evaluation with its labels, timing and details', () => {
    expect(errors).toEqual([]);
    const counts = new MinuteRedCounts();
    for (let t = 0; t < 10; t++) counts.add(NOW - (t + 1) * MINUTE_MS, 100, 20);
    const result = evaluateSymptom(spec!.condition, counts, NOW);
    const c = ruleAlertCondition({ id: 'rule-1', spec: spec! }, result);
    expect(c).toMatchObject({
      owner: { source: 'rule', sourceId: 'rule-1', service: 'checkout', severity: 'page' },
      labels: { team: 'payments', alertname: 'checkout-5xx', rule: 'checkout-5xx', service: 'checkout', severity: 'page' },
      annotations: { summary: 'checkout fails' },
      active: true,
      value: result.value,
      timing: { forMs: 2 * MINUTE_MS, keepFiringForMs: 5 * MINUTE_MS },
      attribution: { service: 'checkout', windowMs: 10 * MINUTE_MS, by: 'errors' },
    });
    expect(c.details()).toMatchObject({ rule: { id: 'rule-1', name: 'checkout-5xx' }, condition: { type: 'error_ratio', window: '10m' }, threshold: 0.05, calls: result.calls });
  });
});
