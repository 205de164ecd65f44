import { SpanKind, StatusCode, type SpanRecord } from '../../kernel/span.model.js';
import { ATTRIBUTE_KEYS_USED, classifierAttributeKeys, classify, type ClassifiedSpan, type ClassifierOptions } from './classifier.js';

function span(over: Partial<SpanRecord> = {}, attributes: Record<string, string | number | boolean> = {}): SpanRecord {
  return {
    service: 'checkout',
    name: 'GET /cart/{id}',
    kind: SpanKind.SERVER,
    startMs: 1_700_000_000_000,
    durationMs: 12,
    statusCode: StatusCode.UNSET,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    traceState: '',
    attributes: new Map(Object.entries(attributes)),
    ...over,
  };
}

const plain: ClassifierOptions = { extraDimensions: [] };

function accepted(s: SpanRecord, options: ClassifierOptions = plain): ClassifiedSpan {
  const c = classify(s, options);
  if ('reject' in c) throw new Error(`rejected: ${c.reject}`);
  return c;
}

const isErr = (over: Partial<SpanRecord>, attrs: Record<string, string | number | boolean> = {}) => accepted(span(over, attrs)).error;

describe('classify: series labels', () => {
  it('labels by service, span name, spanmetrics kind string and configured dimensions', () => {
    const c = accepted(span({}, { 'http.route': '/cart/{id}' }), {
      extraDimensions: ['http.route', 'deployment.environment.name'],
    });
    expect(c.labels).toEqual({
      service: 'checkout',
      spanName: 'GET /cart/{id}',
      spanKind: 'SPAN_KIND_SERVER',
      dims: { 'http.route': '/cart/{id}', 'deployment.environment.name': '' },
      overflow: false,
    });
  });

  it.each([
    [0, 'SPAN_KIND_UNSPECIFIED'],
    [1, 'SPAN_KIND_INTERNAL'],
    [2, 'SPAN_KIND_SERVER'],
    [3, 'SPAN_KIND_CLIENT'],
    [4, 'SPAN_KIND_PRODUCER'],
    [5, 'SPAN_KIND_CONSUMER'],
    [9, 'SPAN_KIND_UNSPECIFIED'],
  ])('kind %d is %s', (kind, name) => {
    expect(accepted(span({ kind })).labels.spanKind).toBe(name);
  });

  it('stringifies number and boolean dimension values', () => {
    const c = accepted(span({}, { 'k8s.pod.ready': true, 'app.shard': 7 }), { extraDimensions: ['k8s.pod.ready', 'app.shard'] });
    expect(c.labels.dims).toEqual({ 'k8s.pod.ready': 'true', 'app.shard': '7' });
  });

  it('gives equal label tuples equal keys and never confuses different ones', () => {
    const opts = { extraDimensions: ['a'] };
    expect(accepted(span({}, { a: 'x' }), opts).seriesKey).toBe(accepted(span({}, { a: 'x' }), opts).seriesKey);
    // Same concatenation, different tuples.
    const k1 = accepted(span({ service: 'a\u0000b', name: 'c' }), opts).seriesKey;
    const k2 = accepted(span({ service: 'a', name: 'b\u0000c' }), opts).seriesKey;
    expect(k1).not.toBe(k2);
    // A missing dimension and a dimension that is the string "" are the same series, by design.
    expect(accepted(span({}, {}), opts).seriesKey).toBe(accepted(span({}, { a: '' }), opts).seriesKey);
    expect(accepted(span({}, { a: 1 }), opts).seriesKey).toBe(accepted(span({}, { a: '1' }), opts).seriesKey);
  });
});

describe('classify: rejects', () => {
  it('rejects spans without service.name', () => {
    expect(classify(span({ service: '' }), plain)).toEqual({ reject: 'missing_service_name' });
  });

  it('filters span kinds when configured', () => {
    const opts = { extraDimensions: [], spanKinds: new Set<number>([SpanKind.SERVER, SpanKind.CONSUMER]) };
    expect(classify(span({ kind: SpanKind.CLIENT }), opts)).toEqual({ reject: 'span_kind_filtered' });
    expect(classify(span({ kind: 42 }), opts)).toEqual({ reject: 'span_kind_filtered' });
    expect('reject' in classify(span({ kind: SpanKind.CONSUMER }), opts)).toBe(false);
  });

  it('rejects spans that cannot be placed in time or have no usable duration', () => {
    expect(classify(span({ startMs: NaN }), plain)).toEqual({ reject: 'invalid_start_time' });
    expect(classify(span({ durationMs: -3 }), plain)).toEqual({ reject: 'invalid_duration' });
    expect(classify(span({ durationMs: NaN }), plain)).toEqual({ reject: 'invalid_duration' });
    expect(classify(span({ durationMs: Infinity }), plain)).toEqual({ reject: 'invalid_duration' });
    expect('reject' in classify(span({ durationMs: 0 }), plain)).toBe(false);
  });
});

describe('classify: errors', () => {
  it('status ERROR is an error for every kind', () => {
    for (const kind of [0, 1, 2, 3, 4, 5]) expect(isErr({ kind, statusCode: StatusCode.ERROR })).toBe(true);
  });

  it('HTTP 5xx on a server span is an error, from either attribute and as a string', () => {
    expect(isErr({}, { 'http.response.status_code': 503 })).toBe(true);
    expect(isErr({}, { 'http.status_code': 500 })).toBe(true);
    expect(isErr({}, { 'http.response.status_code': '502' })).toBe(true);
    expect(isErr({}, { 'http.status_code': ' 504 ' })).toBe(true);
  });

  it('HTTP 4xx and 2xx are not errors; malformed codes are ignored', () => {
    for (const code of [200, 404, 429, 499, '404', 'oops', 500.5, true]) {
      expect(isErr({}, { 'http.response.status_code': code })).toBe(false);
    }
  });

  it('the current attribute wins over the deprecated one', () => {
    expect(isErr({}, { 'http.response.status_code': 200, 'http.status_code': 500 })).toBe(false);
  });

  it('a 5xx seen by a client span is not counted as its error', () => {
    expect(isErr({ kind: SpanKind.CLIENT }, { 'http.response.status_code': 503 })).toBe(false);
    expect(isErr({ kind: SpanKind.INTERNAL }, { 'rpc.grpc.status_code': 14 })).toBe(false);
  });

  it('status OK set by the user overrides a 5xx or gRPC error code', () => {
    expect(isErr({ statusCode: StatusCode.OK }, { 'http.response.status_code': 500 })).toBe(false);
    expect(isErr({ statusCode: StatusCode.OK }, { 'rpc.grpc.status_code': 13 })).toBe(false);
  });

  it('gRPC server errors are exactly UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS', () => {
    const errors = [];
    for (let code = 0; code <= 16; code++) if (isErr({}, { 'rpc.grpc.status_code': code })) errors.push(code);
    expect(errors).toEqual([2, 4, 12, 13, 14, 15]);
    expect(isErr({}, { 'rpc.grpc.status_code': '14' })).toBe(true);
  });

  it('reads the gRPC status name from rpc.response.status_code (newer semantic conventions)', () => {
    expect(isErr({}, { 'rpc.response.status_code': 'UNAVAILABLE' })).toBe(true);
    expect(isErr({}, { 'rpc.response.status_code': 'NOT_FOUND' })).toBe(false);
    expect(isErr({}, { 'rpc.response.status_code': 'OK' })).toBe(false);
  });

  it('an unset status with no status attributes is a success', () => {
    expect(isErr({})).toBe(false);
  });
});

describe('attribute keys for the decoder', () => {
  it('lists the status attributes and, with options, the configured dimensions once each', () => {
    expect(ATTRIBUTE_KEYS_USED).toEqual(
      expect.arrayContaining(['http.response.status_code', 'http.status_code', 'rpc.grpc.status_code']),
    );
    const keys = classifierAttributeKeys({ extraDimensions: ['http.route', 'http.status_code'] });
    expect(keys).toContain('http.route');
    expect(keys.filter((k) => k === 'http.status_code')).toHaveLength(1);
  });
});
