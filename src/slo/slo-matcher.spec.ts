import { SpanKind, type SpanRecord } from '../kernel/span.model.js';
import { SloMatcher } from './slo-matcher.js';
import type { Indicator, Selector, Slo } from './slo.types.js';

const availability: Indicator = { type: 'availability', clientErrorsAreBad: false, ignoreStatusCodes: [] };

function slo(id: string, indicator: Indicator = availability, selector: Partial<Selector> = {}, service = 'shop'): Slo {
  return {
    id,
    name: id,
    service,
    description: '',
    indicator,
    selector: { operations: [], spanKinds: [SpanKind.SERVER, SpanKind.CONSUMER], attributes: {}, ...selector },
    objective: 99,
    window: { kind: 'rolling', days: 30 },
    labels: {},
    runbookUrl: null,
    channels: [],
    alerting: {},
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    approximateUntil: null,
  };
}

function span(over: Partial<Omit<SpanRecord, 'attributes'>> & { attributes?: Record<string, string | number | boolean> } = {}): SpanRecord {
  const { attributes, ...rest } = over;
  return {
    service: 'shop',
    name: 'GET /cart',
    kind: SpanKind.SERVER,
    startMs: 0,
    durationMs: 10,
    statusCode: 0,
    traceId: '',
    traceState: '',
    ...rest,
    attributes: new Map(Object.entries(attributes ?? {})),
  };
}

/** verdicts: what each SLO counts for the span — 'good', 'bad', or absent when not counted. */
function verdicts(slos: Slo[], s: SpanRecord, error = false): Record<string, 'good' | 'bad'> {
  const out: Record<string, 'good' | 'bad'> = {};
  new SloMatcher(slos).match(s, error, (id, good) => (out[id] = good ? 'good' : 'bad'));
  return out;
}

describe('SloMatcher: availability', () => {
  it('counts a span good, and an error bad', () => {
    expect(verdicts([slo('a')], span())).toEqual({ a: 'good' });
    expect(verdicts([slo('a')], span(), true)).toEqual({ a: 'bad' });
  });

  it('counts 4xx good by default (the caller erred) and bad with clientErrorsAreBad, from either status attribute', () => {
    const strict = slo('strict', { type: 'availability', clientErrorsAreBad: true, ignoreStatusCodes: [] });
    for (const key of ['http.response.status_code', 'http.status_code']) {
      expect(verdicts([slo('lenient'), strict], span({ attributes: { [key]: 404 } }))).toEqual({ lenient: 'good', strict: 'bad' });
      // A status sent as a string (some SDKs do) is read the same way.
      expect(verdicts([strict], span({ attributes: { [key]: '499' } }))).toEqual({ strict: 'bad' });
    }
    // 4xx bounds: 399 and 500 are not client errors (500 without the error flag stays good).
    expect(verdicts([strict], span({ attributes: { 'http.response.status_code': 399 } }))).toEqual({ strict: 'good' });
    expect(verdicts([strict], span({ attributes: { 'http.response.status_code': 500 } }))).toEqual({ strict: 'good' });
    expect(verdicts([strict], span({ attributes: { 'http.response.status_code': 'n/a' } }))).toEqual({ strict: 'good' });
  });

  it('does not count spans whose status is in ignoreStatusCodes, even errors, and counts the rest as usual', () => {
    const shed = slo('shed', { type: 'availability', clientErrorsAreBad: true, ignoreStatusCodes: [429, 503] });
    expect(verdicts([shed], span({ attributes: { 'http.response.status_code': 429 } }))).toEqual({});
    expect(verdicts([shed], span({ attributes: { 'http.status_code': 503 } }), true)).toEqual({});
    expect(verdicts([shed], span({ attributes: { 'http.response.status_code': 404 } }))).toEqual({ shed: 'bad' });
    expect(verdicts([shed], span({ attributes: { 'http.response.status_code': 500 } }), true)).toEqual({ shed: 'bad' });
    expect(verdicts([shed], span())).toEqual({ shed: 'good' });
  });
});

describe('SloMatcher: latency', () => {
  const latency = (requireSuccess: boolean) => slo(requireSuccess ? 'strict' : 'lenient', { type: 'latency', thresholdMs: 300, requireSuccess });

  it('is good up to and including the threshold, bad above it', () => {
    expect(verdicts([latency(true)], span({ durationMs: 300 }))).toEqual({ strict: 'good' });
    expect(verdicts([latency(true)], span({ durationMs: 300.5 }))).toEqual({ strict: 'bad' });
    expect(verdicts([latency(false)], span({ durationMs: 301 }))).toEqual({ lenient: 'bad' });
  });

  it('counts a fast error bad with requireSuccess, and good with requireSuccess: false', () => {
    expect(verdicts([latency(true), latency(false)], span({ durationMs: 5 }), true)).toEqual({ strict: 'bad', lenient: 'good' });
  });

  it('ignores HTTP status: 4xx and ignore lists belong to availability', () => {
    expect(verdicts([latency(false)], span({ durationMs: 5, attributes: { 'http.response.status_code': 404 } }))).toEqual({ lenient: 'good' });
  });
});

describe('SloMatcher: selectors', () => {
  it('meets only the SLOs of the span\'s own service', () => {
    expect(verdicts([slo('shop'), slo('other', availability, {}, 'billing')], span())).toEqual({ shop: 'good' });
    expect(verdicts([slo('shop')], span({ service: 'billing' }))).toEqual({});
  });

  it('selects every operation when none is named, else exact names and globs (* any run, ? one character)', () => {
    const slos = [
      slo('all'),
      slo('exact', availability, { operations: ['GET /cart'] }),
      slo('star', availability, { operations: ['GET /c*'] }),
      slo('one', availability, { operations: ['GET /car?'] }),
      slo('dot', availability, { operations: ['GET.*'] }),
    ];
    expect(verdicts(slos, span({ name: 'GET /cart' }))).toEqual({ all: 'good', exact: 'good', star: 'good', one: 'good' });
    expect(verdicts(slos, span({ name: 'GET /checkout' }))).toEqual({ all: 'good', star: 'good' });
    expect(verdicts(slos, span({ name: 'GET /carts' }))).toEqual({ all: 'good', star: 'good' });
    // Glob metacharacters are only * and ?: a "." in the glob is a literal dot.
    expect(verdicts(slos, span({ name: 'GET /x' }))).toEqual({ all: 'good' });
    expect(verdicts(slos, span({ name: 'GET.anything' }))).toEqual({ all: 'good', dot: 'good' });
  });

  it('selects SERVER and CONSUMER spans by default, and exactly the listed span kinds otherwise', () => {
    const slos = [slo('default'), slo('client', availability, { spanKinds: [SpanKind.CLIENT] })];
    expect(verdicts(slos, span({ kind: SpanKind.SERVER }))).toEqual({ default: 'good' });
    expect(verdicts(slos, span({ kind: SpanKind.CONSUMER }))).toEqual({ default: 'good' });
    expect(verdicts(slos, span({ kind: SpanKind.CLIENT }))).toEqual({ client: 'good' });
    expect(verdicts(slos, span({ kind: SpanKind.INTERNAL }))).toEqual({});
  });

  it('requires every selector attribute to be present and equal (compared as text)', () => {
    const prod = slo('prod', availability, { attributes: { 'deployment.environment.name': 'prod', 'http.route': '/cart' } });
    const port = slo('port', availability, { attributes: { 'server.port': '443' } });
    expect(verdicts([prod], span({ attributes: { 'deployment.environment.name': 'prod', 'http.route': '/cart' } }))).toEqual({ prod: 'good' });
    expect(verdicts([prod], span({ attributes: { 'deployment.environment.name': 'prod' } }))).toEqual({});
    expect(verdicts([prod], span({ attributes: { 'deployment.environment.name': 'staging', 'http.route': '/cart' } }))).toEqual({});
    expect(verdicts([port], span({ attributes: { 'server.port': 443 } }))).toEqual({ port: 'good' });
  });

  it('tells the decoders which attribute keys the selectors read', () => {
    const m = new SloMatcher([slo('a', availability, { attributes: { 'deployment.environment.name': 'prod' } }), slo('b', availability, { attributes: { 'http.route': '/x' } })]);
    expect([...m.attributeKeys].sort()).toEqual(['deployment.environment.name', 'http.route']);
  });
});
