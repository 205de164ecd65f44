import { DAY_MS, HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { type SymptomRuleSpec, symptomRuleToJson } from '../evaluation/symptom-rule.js';
import { ALERT_RULE_EXAMPLE } from './alert-rule.schema.js';
import { validateSymptomRule } from './alert-rule.validation.js';

/** The rule from the API documentation (5xx ratio on checkout's cart endpoint), naming a channel; a fresh copy each time. */
const example = () => ({ ...structuredClone(ALERT_RULE_EXAMPLE), annotations: { summary: 'checkout returns 5xx' }, channels: ['slack-payments'] });

/** errorsOf validates `example()` changed by `change` and returns the errors. */
function errorsOf(change: (body: Record<string, any>) => void): string[] {
  const body: Record<string, any> = example();
  change(body);
  return validateSymptomRule(body).errors;
}

describe('validateSymptomRule', () => {
  it('reads the documented example into milliseconds', () => {
    expect(validateSymptomRule(example())).toEqual({
      spec: {
        name: 'checkout-5xx',
        selector: { service: 'checkout', operations: ['POST /cart'], spanKinds: ['server'] },
        condition: { type: 'error_ratio', windowMs: 5 * MINUTE_MS, threshold: 0.05, minCalls: 20 },
        forMs: 2 * MINUTE_MS,
        keepFiringForMs: 5 * MINUTE_MS,
        severity: 'page',
        labels: { team: 'payments' },
        annotations: { summary: 'checkout returns 5xx' },
        channels: ['slack-payments'],
      },
      errors: [],
    });
  });

  it('fills defaults: for/keepFiringFor 0s, server+consumer spans, every operation, minCalls 10', () => {
    const { spec } = validateSymptomRule({
      name: 'api-p99',
      selector: { service: 'api' },
      condition: { type: 'latency', window: '10m', percentile: 99, thresholdMs: 800 },
      severity: 'ticket',
    });
    expect(spec).toEqual({
      name: 'api-p99',
      selector: { service: 'api', operations: [], spanKinds: ['server', 'consumer'] },
      condition: { type: 'latency', windowMs: 10 * MINUTE_MS, percentile: 99, thresholdMs: 800, minCalls: 10 },
      forMs: 0,
      keepFiringForMs: 0,
      severity: 'ticket',
      labels: {},
      annotations: {},
      channels: [],
    });
  });

  it('traffic defaults: direction both, minimum baseline 100 calls, 6 trailing windows for a trailing mean', () => {
    const trailing = validateSymptomRule({ ...example(), condition: { type: 'traffic', window: '15m', baseline: 'trailing_mean', deviationPercent: 50 } });
    expect(trailing.spec?.condition).toEqual({
      type: 'traffic', windowMs: 15 * MINUTE_MS, baseline: 'trailing_mean', trailingWindows: 6, deviationPercent: 50, direction: 'both', minCalls: 100,
    });
    const weekly = validateSymptomRule({ ...example(), condition: { type: 'traffic', window: '1h', baseline: 'last_week', deviationPercent: 80, direction: 'down' } });
    expect(weekly.spec?.condition).toMatchObject({ baseline: 'last_week', trailingWindows: 0, direction: 'down', windowMs: HOUR_MS });
  });

  it('accepts span kinds as written on /metrics (SPAN_KIND_SERVER) and stores them lower-case, once', () => {
    const { spec } = validateSymptomRule({ ...example(), selector: { service: 'checkout', spanKinds: ['SPAN_KIND_SERVER', 'server', 'Client'] } });
    expect(spec?.selector.spanKinds).toEqual(['server', 'client']);
  });

  it.each<[string, (b: Record<string, any>) => void, string]>([
    ['no service', (b) => delete b.selector.service, 'selector.service: is required'],
    ['no selector', (b) => delete b.selector, 'selector: is required, e.g. {"service": "checkout"}'],
    ['empty service', (b) => (b.selector.service = ''), 'selector.service: must be a non-empty string (a service.name), got ""'],
    ['unknown kind', (b) => (b.selector.spanKinds = ['server', 'edge']), 'selector.spanKinds: must be a non-empty list of internal, server, client, producer, consumer, got ["server","edge"]'],
    ['no kinds', (b) => (b.selector.spanKinds = []), 'selector.spanKinds: must be a non-empty list of internal, server, client, producer, consumer, got []'],
    ['operations not a list', (b) => (b.selector.operations = 'POST /cart'), 'selector.operations: must be a list of operation names or globs (empty = every operation)'],
    ['bad name', (b) => (b.name = 'checkout 5xx'), 'name: must be 1-128 letters, digits or . _ : - starting with a letter or digit, got "checkout 5xx"'],
    ['threshold as percent', (b) => (b.condition.threshold = 5), 'condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got 5'],
    ['threshold 1 can never be exceeded', (b) => (b.condition.threshold = 1), 'condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got 1'],
    ['threshold missing', (b) => delete b.condition.threshold, 'condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got nothing'],
    ['minCalls 0', (b) => (b.condition.minCalls = 0), 'condition.minCalls: must be a whole number >= 1 (the fewest calls in the window for the rule to fire), got 0'],
    ['window as ms', (b) => (b.condition.window = 300000), 'condition.window: must be a duration such as "5m" or "1h" (1m to 1w), got 300000'],
    ['window unparseable', (b) => (b.condition.window = '5 min'), 'condition.window: expected a whole number and one of s, m, h, d, w, got "5 min"'],
    ['window too short', (b) => (b.condition.window = '30s'), 'condition.window: must be from 1m to 1w, got "30s"'],
    ['window too long', (b) => (b.condition.window = '8d'), 'condition.window: must be from 1m to 1w, got "8d"'],
    ['window not whole minutes', (b) => (b.condition.window = '90s'), 'condition.window: must be whole minutes, got "90s"'],
    ['for unparseable', (b) => (b.for = '2 minutes'), 'for: expected a whole number and one of s, m, h, d, w, got "2 minutes"'],
    ['for as a number', (b) => (b.for = 120), 'for: must be a duration such as "5m" or "1h" (0s to 1w), got 120'],
    ['keepFiringFor too long', (b) => (b.keepFiringFor = '2w'), 'keepFiringFor: must be from 0s to 1w, got "2w"'],
    ['severity', (b) => (b.severity = 'critical'), "severity: must be 'page', 'ticket' or 'info', got \"critical\""],
    ['label key', (b) => (b.labels = { 'team-name': 'x' }), 'labels.team-name: key must match ^[a-zA-Z_][a-zA-Z0-9_]{0,62}$'],
    ['annotation value', (b) => (b.annotations = { summary: 3 }), 'annotations.summary: must be a string of at most 4096 characters'],
    ['channels', (b) => (b.channels = 'slack'), 'channels: must be a list of channel ids'],
    ['condition type', (b) => (b.condition.type = 'errors'), "condition.type: must be 'error_ratio', 'latency' or 'traffic', got \"errors\""],
    ['percentile', (b) => (b.condition = { type: 'latency', window: '5m', percentile: 99.9, thresholdMs: 500 }), 'condition.percentile: must be one of 50, 90, 95, 99, got 99.9'],
    ['latency threshold', (b) => (b.condition = { type: 'latency', window: '5m', percentile: 99, thresholdMs: 0 }), 'condition.thresholdMs: must be a number of milliseconds > 0 and <= 3600000, got 0'],
    ['baseline', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'yesterday', deviationPercent: 50 }), "condition.baseline: must be 'last_week' or 'trailing_mean', got \"yesterday\""],
    ['direction', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'last_week', deviationPercent: 50, direction: 'sideways' }), "condition.direction: must be 'up', 'down' or 'both', got \"sideways\""],
    ['drop beyond 100%', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'last_week', deviationPercent: 150, direction: 'down' }), "condition.deviationPercent: must be <= 100 for direction 'down' (traffic cannot drop by more), got 150"],
    ['deviation 0', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'last_week', deviationPercent: 0 }), 'condition.deviationPercent: must be a percentage > 0 and <= 10000, got 0'],
    ['trailing windows 0', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'trailing_mean', trailingWindows: 0, deviationPercent: 50 }), 'condition.trailingWindows: must be a whole number >= 1 (previous windows averaged), got 0'],
    ['trailing lookback', (b) => (b.condition = { type: 'traffic', window: '1d', baseline: 'trailing_mean', trailingWindows: 30, deviationPercent: 50 }), 'condition.trailingWindows: 30 windows of 1d reach back more than 4w'],
    ['trailing windows with last_week', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'last_week', trailingWindows: 6, deviationPercent: 50 }), "condition.trailingWindows: only applies to baseline 'trailing_mean'"],
    ['traffic minCalls', (b) => (b.condition = { type: 'traffic', window: '5m', baseline: 'last_week', deviationPercent: 50, minCalls: 2.5 }), 'condition.minCalls: must be a whole number >= 1 (the least baseline traffic for the rule to fire), got 2.5'],
  ])('%s → a 400 naming the field', (_, change, message) => {
    expect(errorsOf(change)).toEqual([message]);
  });

  it('reports every problem of a body at once, and no spec', () => {
    const result = validateSymptomRule({ name: 'x', selector: {}, condition: { type: 'error_ratio', window: '5m', threshold: 2 }, for: 'soon' });
    expect(result.spec).toBeUndefined();
    expect(result.errors).toEqual([
      'selector.service: is required',
      'condition.threshold: must be a ratio in [0, 1) (0.05 is 5%; the rule fires above it), got 2',
      'for: expected a whole number and one of s, m, h, d, w, got "soon"',
      "severity: must be 'page', 'ticket' or 'info', got nothing",
    ]);
    expect(validateSymptomRule([]).errors).toEqual(['body: must be a JSON object']);
  });

  it('threshold 0 is allowed: with `>` it means "any error at all"', () => {
    expect(errorsOf((b) => (b.condition.threshold = 0))).toEqual([]);
  });
});

describe('symptomRuleToJson', () => {
  const bodies = [
    example(),
    { ...example(), for: '0s', keepFiringFor: '90m', condition: { type: 'latency', window: '1h', percentile: 95, thresholdMs: 250.5, minCalls: 50 } },
    { ...example(), condition: { type: 'traffic', window: '1d', baseline: 'last_week', deviationPercent: 100, direction: 'down', minCalls: 1000 } },
    { ...example(), condition: { type: 'traffic', window: '30m', baseline: 'trailing_mean', trailingWindows: 12, deviationPercent: 300, direction: 'up', minCalls: 100 } },
  ];

  it.each(bodies.map((b) => [b.condition.type, b]))('%s: writes the user shape back, durations formatted', (_, body) => {
    const spec = validateSymptomRule(body).spec as SymptomRuleSpec;
    expect(symptomRuleToJson(spec)).toEqual(body);
    expect(validateSymptomRule(symptomRuleToJson(spec))).toEqual({ spec, errors: [] });
  });

  it('writes durations in the largest whole unit', () => {
    const spec = validateSymptomRule({ ...example(), for: '120m', keepFiringFor: '3600s', condition: { ...example().condition, window: '1440m' } }).spec!;
    expect(spec.condition.windowMs).toBe(DAY_MS);
    expect(symptomRuleToJson(spec)).toMatchObject({ for: '2h', keepFiringFor: '1h', condition: { window: '1d' } });
  });
});
