import { parseAllDocuments, stringify } from 'yaml';
import { fromOpenSlo, OpenSloError, toOpenSlo } from './openslo.mapping.js';
import { validateSloSpec } from './slo.validation.js';

/** Every kind of SLO Burnwatch supports, as REST bodies. */
const BODIES: Record<string, unknown>[] = [
  { name: 'minimal', service: 'checkout', indicator: { type: 'availability' }, objective: 99.9, window: '30d' },
  {
    name: 'availability-options',
    service: 'checkout',
    description: 'carts are saved',
    indicator: { type: 'availability', clientErrorsAreBad: true, ignoreStatusCodes: [429, 499] },
    selector: { operations: ['POST /cart', 'GET /cart/*'], spanKinds: ['server'], attributes: { 'deployment.environment.name': 'prod' } },
    objective: 99.95,
    window: '7d',
    labels: { team: 'payments', tier: '1' },
    runbookUrl: 'https://runbooks.example.com/checkout',
    channels: ['oncall-slack', 'payments-email'],
    alerting: { minEvents: 250, minWindowCoverage: 0.8, budgetExhaustion: { belowPercent: 10 }, noData: { after: '15m' } },
  },
  {
    name: 'latency-month',
    service: 'search',
    indicator: { type: 'latency', thresholdMs: 250.5, requireSuccess: false },
    selector: { spanKinds: ['consumer', 'server'] },
    objective: 99,
    window: 'month:Europe/Berlin',
    channels: ['oncall-slack'],
    alerting: {
      policy: {
        tiers: [
          { severity: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, budgetFraction: 0.02 },
          { severity: 'ticket', longWindowMs: 86_400_000, shortWindowMs: 7_200_000, budgetFraction: 0.1 },
        ],
      },
    },
  },
  { name: 'latency-week', service: 'search', indicator: { type: 'latency', thresholdMs: 100 }, objective: 95.5, window: 'week:UTC', channels: ['x'], alerting: { policy: { tiers: [] } } },
  { name: 'one-day', service: 'jobs', indicator: { type: 'availability' }, objective: 90, window: '1d', alerting: { minWindowCoverage: 0 } },
];

const roundTrip = (body: Record<string, unknown>) => {
  const spec = validateSloSpec(body);
  const { slo, targets } = toOpenSlo(spec);
  const text = [slo, ...targets].map((d) => stringify(d)).join('---\n');
  const docs = parseAllDocuments(text).map((d) => d.toJS());
  const [imported] = fromOpenSlo(docs as unknown[]);
  return { spec, back: validateSloSpec(imported.body), text };
};

describe('OpenSLO v1 mapping', () => {
  it.each(BODIES.map((b) => [b.name, b]))('export then import gives back the same SLO: %s', (_name, body) => {
    const { spec, back } = roundTrip(body as Record<string, unknown>);
    expect(back).toEqual(spec);
  });

  it('writes what an OpenSLO reader expects: Occurrences, targetPercent, a rolling window, burnrate conditions', () => {
    const { text } = roundTrip(BODIES[1]);
    expect(text).toContain('apiVersion: openslo/v1');
    expect(text).toContain('budgetingMethod: Occurrences');
    expect(text).toContain('targetPercent: 99.95');
    expect(text).toMatch(/duration: 7d\n\s+isRolling: true/);
    expect(text).toMatch(/kind: burnrate\n\s+op: gte\n\s+threshold: 0.?\d*/);
    expect(text).toContain('type: Burnwatch');
    expect(text).toContain('kind: AlertNotificationTarget');
  });

  const slo = (spec: Record<string, unknown>) => ({
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'imported' },
    spec: {
      service: 'checkout',
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '4w', isRolling: true }],
      objectives: [{ target: 0.999 }],
      indicatorRef: 'checkout-sli',
      ...spec,
    },
  });
  const sli = {
    apiVersion: 'openslo/v1',
    kind: 'SLI',
    metadata: { name: 'checkout-sli' },
    spec: { ratioMetric: { counter: true, good: { metricSource: { type: 'Burnwatch', spec: { indicator: { type: 'availability' } } } }, total: { metricSource: { type: 'Burnwatch', spec: {} } } } },
  };

  it('imports referenced SLIs, alert policies, conditions and targets written by hand', () => {
    const docs = [
      slo({ alertPolicies: [{ alertPolicyRef: 'fast-burn' }] }),
      sli,
      { apiVersion: 'openslo/v1', kind: 'AlertPolicy', metadata: { name: 'fast-burn' }, spec: { conditions: [{ conditionRef: 'one-hour' }], notificationTargets: [{ targetRef: 'oncall' }] } },
      { apiVersion: 'openslo/v1', kind: 'AlertCondition', metadata: { name: 'one-hour' }, spec: { severity: 'page', condition: { kind: 'burnrate', op: 'gte', threshold: 14, lookbackWindow: '1h' } } },
      { apiVersion: 'openslo/v1', kind: 'AlertNotificationTarget', metadata: { name: 'oncall' }, spec: { target: 'slack' } },
    ];
    const spec = validateSloSpec(fromOpenSlo(docs)[0].body);
    expect(spec).toMatchObject({ name: 'imported', objective: 99.9, window: { kind: 'rolling', days: 28 }, channels: ['oncall'] });
    // 14 × 1 h / 28 d = 0.0208…; the short window defaults to 1/12 of the long one.
    expect(spec.alerting.policy!.tiers).toEqual([{ severity: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, budgetFraction: Number(((14 * 3_600_000) / (28 * 86_400_000)).toPrecision(12)) }]);
  });

  const problems = (docs: unknown[]): string => {
    try {
      fromOpenSlo(docs);
    } catch (e) {
      if (e instanceof OpenSloError) return e.message;
      throw e;
    }
    return '';
  };

  it('refuses Timeslices and RatioTimeslices precisely, naming the document', () => {
    expect(problems([slo({ budgetingMethod: 'Timeslices' }), sli])).toMatch(/^document 1 \(SLO imported\): spec\.budgetingMethod: Timeslices is not supported/);
    expect(problems([slo({ budgetingMethod: 'RatioTimeslices' }), sli])).toContain('RatioTimeslices is not supported');
  });

  it('refuses an unknown metricSource type, thresholdMetric, calendar windows Burnwatch cannot keep, and dangling references', () => {
    const prom = { ...sli, spec: { ratioMetric: { good: { metricSource: { type: 'Prometheus', spec: { query: 'x' } } }, total: { metricSource: { type: 'Prometheus', spec: {} } } } } };
    expect(problems([slo({}), prom])).toContain('spec.ratioMetric.good.metricSource.type: unknown metric source type "Prometheus"');
    expect(problems([slo({}), { ...sli, spec: { thresholdMetric: {} } }])).toContain('thresholdMetric: not supported');
    expect(problems([slo({ timeWindow: [{ duration: '1Q', calendar: { timeZone: 'UTC' } }] }), sli])).toContain('1M (month) or 1w (week)');
    expect(problems([slo({ timeWindow: [{ duration: '1w', calendar: { timeZone: 'UTC', startTime: '2024-01-03 00:00:00' } }] }), sli])).toContain('start at midnight on Monday');
    expect(problems([slo({})])).toContain('spec.indicatorRef: no SLI named checkout-sli');
    expect(problems([slo({ alertPolicies: [{ alertPolicyRef: 'nope' }] }), sli])).toContain('spec.alertPolicies[0].alertPolicyRef: no AlertPolicy named nope');
    expect(problems([{ apiVersion: 'openslo/v2', kind: 'SLO', metadata: { name: 'x' }, spec: {} }])).toContain('apiVersion: must be openslo/v1');
  });
});
