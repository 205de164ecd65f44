import { alertFacts, factRows, subjectLine, whatHappened } from './facts.js';
import { formatSeconds } from './format.js';
import type { AlertSnapshot, Notification, NotificationKind } from './notification.js';
import { sampleSloAlert } from '../../../test/support/sample-alert.js';

const SENT = '2024-05-01T10:05:00.000Z';
const note = (alert: AlertSnapshot, kind: NotificationKind = 'firing'): Notification => ({ kind, alert, publicUrl: 'http://bw.example.com/', sentAt: SENT });

const ruleAlert = (details: Record<string, unknown>): AlertSnapshot =>
  sampleSloAlert({
    alertname: 'checkout-5xx',
    severity: 'ticket',
    labels: { alertname: 'checkout-5xx', severity: 'ticket', service: 'checkout' },
    annotations: {},
    value: 0.072,
    details,
  });

describe('alertFacts for an SLO alert', () => {
  const f = alertFacts(note(sampleSloAlert()));

  it('names the SLO, objective, SLI, budget and time to exhaustion in human form', () => {
    expect(f.title).toBe('checkout-availability');
    expect(f.objective).toBe('99.9%');
    expect(f.sloWindow).toBe('30d');
    expect(f.sli).toBe('99.853%');
    expect(f.budgetLeft).toBe('62.3%');
    expect(f.timeToExhaustion).toBe('2h 10m');
  });

  it('lists burn rates shortest window first and the steepest crossed tier first', () => {
    expect(f.burnRates.map((b) => b.window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    expect(f.burnRates[2]).toEqual({ window: '1h', rate: '14.9x' });
    expect(f.crossed[0]).toEqual({ windows: '1h/5m', factor: '14.4x', longBurnRate: '14.9x', shortBurnRate: '15.2x' });
    expect(f.crossed[1].windows).toBe('6h/30m');
    expect(f.headlineBurn).toBe('14.9x');
  });

  it('keeps the failing operations with their example trace ids and the runbook, dashboard and alert links', () => {
    expect(f.topOperations[0]).toMatchObject({ operation: 'POST /api/checkout', errors: 412, calls: 2750 });
    expect(f.topOperations[0].exampleTraceIds).toContain('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(f.links).toEqual([
      { label: 'Runbook', url: 'https://runbooks.example.com/checkout' },
      { label: 'Dashboard', url: 'http://burnwatch.example.com/api/v1/slos/slo-1/status' },
      { label: 'Alert', url: 'http://bw.example.com/api/v1/alerts/00000000-0000-4000-8000-000000000001' },
    ]);
  });

  it('gives the subject and sentence every channel leads with', () => {
    const n = note(sampleSloAlert());
    expect(subjectLine(n, f)).toBe('[FIRING:page] checkout-availability burn 14.9x');
    expect(whatHappened(n, f)).toBe(
      'checkout-availability is burning its error budget at 14.9x the sustainable rate; budget exhausted in 2h 10m at this rate.',
    );
    const resolved = note(sampleSloAlert({ state: 'resolved', resolvedAt: '2024-05-01T10:44:30.000Z' }), 'resolved');
    const rf = alertFacts(resolved);
    expect(subjectLine(resolved, rf)).toBe('[RESOLVED:page] checkout-availability');
    expect(rf.duration).toBe('42m 30s');
  });

  it('words a repeat as a reminder that it is still burning, under the same subject', () => {
    const n = note(sampleSloAlert(), 'repeat');
    const rf = alertFacts(n);
    expect(subjectLine(n, rf)).toBe('[FIRING:page] checkout-availability burn 14.9x');
    expect(whatHappened(n, rf)).toMatch(/^checkout-availability is still burning its error budget/);
    expect(factRows(n, rf)).toContainEqual({ label: 'State', value: 'firing (reminder)' });
  });

  it('says an exhausted budget is exhausted', () => {
    const ff = alertFacts(note(sampleSloAlert({ details: { ...sampleSloAlert().details, budgetRemaining: -0.12, timeToExhaustionSeconds: 0 } })));
    expect(ff.budgetLeft).toBe('-12% (exhausted)');
    expect(ff.timeToExhaustion).toBe('exhausted now');
    expect(whatHappened(note(sampleSloAlert({ details: { ...sampleSloAlert().details, timeToExhaustionSeconds: 0 } })), ff)).toBe(
      'checkout-availability is burning its error budget at 14.9x the sustainable rate; the error budget is exhausted.',
    );
  });
});

describe('alertFacts for a symptom rule alert', () => {
  it('describes an error-ratio rule with its value and threshold', () => {
    const n = note(ruleAlert({ rule: 'checkout-5xx', condition: { type: 'error_ratio', window: '5m', threshold: 0.05, minCalls: 10 }, value: 0.072, threshold: 0.05 }));
    const f = alertFacts(n);
    expect(f.title).toBe('checkout-5xx');
    expect(f.rule).toEqual({ name: 'checkout-5xx', condition: 'error ratio over 5m above 5%', value: '7.2%', threshold: '5%', headline: 'error ratio 7.2%' });
    expect(subjectLine(n, f)).toBe('[FIRING:ticket] checkout-5xx error ratio 7.2%');
    expect(f.headlineBurn).toBeNull();
  });

  it('reads the spec shape of a latency rule (windowMs) and a rule given as an object', () => {
    const f = alertFacts(note(ruleAlert({ rule: { id: 'r1', name: 'slow-checkout' }, condition: { type: 'latency', windowMs: 600000, percentile: 99, thresholdMs: 300 }, value: 512.4, threshold: 300 })));
    expect(f.rule).toMatchObject({ name: 'slow-checkout', condition: 'p99 latency over 10m above 300 ms', value: '512.4 ms' });
  });

  it('describes a traffic drop as a signed deviation', () => {
    const f = alertFacts(note(ruleAlert({ rule: 'orders-drop', condition: { type: 'traffic', window: '15m', baseline: 'last_week', direction: 'down', deviationPercent: 50 }, value: -62.04, threshold: -50 })));
    expect(f.rule).toMatchObject({ condition: 'traffic over 15m down by 50% or more vs the same time last week', value: '-62%', threshold: '-50%' });
  });
});

describe('alertFacts with missing or malformed details', () => {
  it('still produces a usable message from the alert row alone', () => {
    const bare = sampleSloAlert({ details: {}, annotations: {}, labels: {}, firedAt: null, activeAt: null });
    const f = alertFacts(note(bare));
    expect(f.title).toBe('SloErrorBudgetBurn');
    expect(f.burnRates).toEqual([]);
    expect(f.topOperations).toEqual([]);
    expect(f.timeToExhaustion).toBeNull();
    expect(subjectLine(note(bare), f)).toBe('[FIRING:page] SloErrorBudgetBurn');
  });

  it('ignores fields of the wrong type and links that are not http(s)', () => {
    const odd = sampleSloAlert({
      annotations: { runbook_url: 'javascript:alert(1)' },
      details: { slo: 'nope', crossed: 'x', burnRates: { '1h': 'fast', '5m': 3 }, topOperations: [null, { operation: 42 }, { operation: 'GET /' }], sli: '99', runbookUrl: 7 },
    });
    const f = alertFacts(note(odd));
    expect(f.burnRates).toEqual([{ window: '5m', rate: '3x' }]);
    expect(f.crossed).toEqual([]);
    expect(f.topOperations).toEqual([{ operation: 'GET /', spanKind: null, errors: null, calls: null, exampleTraceIds: [] }]);
    expect(f.sli).toBeNull();
    expect(f.links.map((l) => l.label)).toEqual(['Alert']);
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [600, '10m'],
    [7830, '2h 10m'],
    [3 * 86400 + 4 * 3600 + 59, '3d 4h'],
    [86400 + 30, '1d'],
  ])('%d s reads as %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});
