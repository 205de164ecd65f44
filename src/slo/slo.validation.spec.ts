import { SloValidationError, specToJson, validateSloSpec } from './slo.validation.js';

const valid = {
  name: 'checkout-latency',
  service: 'checkout',
  description: 'fast carts',
  indicator: { type: 'latency', thresholdMs: 300, requireSuccess: false },
  selector: { operations: ['POST /cart', 'GET /cart/*'], spanKinds: ['server'], attributes: { 'http.route': '/cart' } },
  objective: 99.5,
  window: 'month:Europe/Berlin',
  labels: { team: 'payments' },
  runbookUrl: 'https://runbooks.example.com/checkout',
  channels: ['oncall-slack'],
  alerting: {
    policy: { tiers: [{ severity: 'page', longWindowMs: 3_600_000, shortWindowMs: 300_000, budgetFraction: 0.02 }] },
    minEvents: 50,
    budgetExhaustion: { belowPercent: 10 },
    noData: { after: '15m' },
  },
};

function problems(body: unknown): string[] {
  try {
    validateSloSpec(body);
    return [];
  } catch (e) {
    if (e instanceof SloValidationError) return e.problems;
    throw e;
  }
}

describe('SLO definitions are strict', () => {
  it('refuses a selector put inside the indicator, saying where it belongs', () => {
    const body = { ...valid, selector: undefined, indicator: { type: 'latency', thresholdMs: 300, selector: { operations: ['POST /cart'] } } };
    expect(problems(body)).toEqual(['indicator.selector: unknown field; "selector" belongs at the top level']);
  });

  it('refuses a misspelt field and suggests the real one', () => {
    const { objective: _o, ...rest } = valid;
    expect(problems({ ...rest, objectve: 99 })).toEqual(
      expect.arrayContaining(['objectve: unknown field; did you mean "objective"?', expect.stringMatching(/^objective: /)]),
    );
    expect(problems({ ...valid, selector: { spanKind: ['server'] } })).toEqual(['selector.spanKind: unknown field; did you mean "spanKinds"?']);
  });

  it('refuses an objective written as a ratio, with the percentage it probably meant', () => {
    expect(problems({ ...valid, objective: 0.999 })).toEqual(['objective: is a percentage, so 0.999 means 0.999 %; did you mean 99.9?']);
    expect(problems({ ...valid, objective: 0.95 })).toEqual(['objective: is a percentage, so 0.95 means 0.95 %; did you mean 95?']);
  });

  it('refuses fields of the other indicator type and unknown fields deep inside the policy', () => {
    const body = {
      ...valid,
      indicator: { type: 'availability', thresholdMs: 300 },
      alerting: { policy: { tiers: [{ ...valid.alerting.policy.tiers[0], factor: 14.4 }] } },
    };
    expect(problems(body)).toEqual(['indicator.thresholdMs: unknown field; allowed only with another "type"', 'alerting.policy.tiers[0].factor: unknown field']);
  });

  it('names a bad indicator type once', () => {
    expect(problems({ ...valid, indicator: { type: 'availabilty' } })).toEqual(['indicator.type: must be "availability" or "latency"']);
  });

  it('round-trips a valid definition unchanged, and accepts it back with the read-only fields GET adds', () => {
    const json = specToJson(validateSloSpec(valid));
    expect(json).toEqual({ ...valid, indicator: { type: 'latency', thresholdMs: 300, requireSuccess: false } });
    const fetched = { id: '8a0f3c55-0b5e-4a57-9d1e-6c1b2f0a9e11', ...json, version: 3, createdAt: 'x', updatedAt: 'y', approximateUntil: null, warnings: [] };
    expect(specToJson(validateSloSpec(fetched))).toEqual(json);
  });
});
