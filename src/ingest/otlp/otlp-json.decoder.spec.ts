/**
 * OTLP/JSON decoding: spec mapping, lenient spellings, precise errors,
 * hostile nesting. Every case runs against the decoder of parsed bodies and
 * against the one of body bytes (which falls back to it).
 */
import type { SpanRecord } from '../../kernel/span.model.js';
import { decodeTraceRequestJsonBody } from './otlp-json-bytes.decoder.js';
import { decodeTraceRequestJson, OtlpJsonError } from './otlp-json.decoder.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const wanted = { keys: new Set(['http.route', 'n', 'f', 'b', 'deployment.environment']) };

// Loose on purpose: the tests build malformed bodies.
type J = Record<string, any>;
const span = (over: J = {}): J => ({
  traceId: TRACE,
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: 'eee19b7ec3c1b173',
  traceState: 'ot=th:c',
  name: 'GET /cart',
  kind: 2,
  startTimeUnixNano: '1700000000123456789',
  endTimeUnixNano: '1700000000373456790',
  attributes: [
    { key: 'http.route', value: { stringValue: '/cart' } },
    { key: 'n', value: { intValue: '-42' } },
    { key: 'f', value: { doubleValue: 0.5 } },
    { key: 'b', value: { boolValue: false } },
    { key: 'ignored', value: { stringValue: 'x' } },
  ],
  events: [{ timeUnixNano: '1700000000123456789', name: 'e', attributes: [] }],
  links: [{ traceId: TRACE, spanId: 'eee19b7ec3c1b172' }],
  status: { code: 2, message: 'boom' },
  flags: 257,
  ...over,
});
const req = (spans: J[], resourceAttrs: J[] = [{ key: 'service.name', value: { stringValue: 'cart' } }]): J => ({
  resourceSpans: [{ resource: { attributes: resourceAttrs }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
});
const expected = {
  service: 'cart',
  name: 'GET /cart',
  kind: 2,
  startMs: 1700000000123.456789,
  durationMs: 250.000001,
  statusCode: 2,
  traceId: TRACE,
  traceState: 'ot=th:c',
  attributes: new Map<string, string | number | boolean>([
    ['http.route', '/cart'],
    ['n', -42],
    ['f', 0.5],
    ['b', false],
  ]),
};
/** Converts every lowerCamelCase key to the proto snake_case name. */
const snake = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(snake)
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)]))
      : v;

/** A decoder under test: of a request given as an object, and of one given as JSON text. */
type Decoder = [string, (body: unknown) => SpanRecord[], (text: string) => SpanRecord[]];
const decoders: Decoder[] = [
  ['decodeTraceRequestJson', (body) => decodeTraceRequestJson(body, wanted).spans, (text) => decodeTraceRequestJson(JSON.parse(text), wanted).spans],
  [
    'decodeTraceRequestJsonBody',
    (body) => decodeTraceRequestJsonBody(Buffer.from(JSON.stringify(body)), wanted).spans,
    (text) => decodeTraceRequestJsonBody(Buffer.from(text), wanted).spans,
  ],
];

describe.each(decoders)('%s', (_, decode, decodeText) => {
  const errorOf = (body: unknown): OtlpJsonError => {
    try {
      decode(body);
    } catch (e) {
      expect(e).toBeInstanceOf(OtlpJsonError);
      return e as OtlpJsonError;
    }
    throw new Error('expected OtlpJsonError');
  };

  it('decodes the OTLP/JSON mapping', () => {
    expect(decode(req([span()]))).toEqual([expected]);
  });

  it('accepts int64 as numbers and strings', () => {
    const s = span({ startTimeUnixNano: 1700000000123456, endTimeUnixNano: '1700000001123456', attributes: [{ key: 'n', value: { intValue: 7 } }] });
    expect(decode(req([s]))[0]).toMatchObject({ startMs: 1700000000.123456, durationMs: 1, attributes: new Map([['n', 7]]) });
    const big = span({ attributes: [{ key: 'n', value: { intValue: '-9223372036854775808' } }] });
    expect(decode(req([big]))[0].attributes.get('n')).toBe(-(2 ** 63));
  });

  it('accepts proto snake_case field names', () => {
    expect(decode(snake(req([span()])))).toEqual([expected]);
  });

  it('accepts enum names and numeric enum strings', () => {
    const s = span({ kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_OK' } });
    expect(decode(req([s]))[0]).toMatchObject({ kind: 5, statusCode: 1 });
    expect(decode(req([span({ kind: '3', status: {} })]))[0]).toMatchObject({ kind: 3, statusCode: 0 });
  });

  it('ignores unknown fields and treats null as absent', () => {
    const s = span({ futureField: { deep: [1] }, traceState: null, status: null });
    const body = { resourceSpans: [{ extra: 1, resource: { attributes: req([]).resourceSpans[0].resource.attributes, x: 2 }, scopeSpans: [{ spans: [s], y: 3 }] }], z: 4 };
    expect(decode(body)[0]).toMatchObject({ service: 'cart', traceState: '', statusCode: 0, name: 'GET /cart' });
  });

  it('lower-cases hex trace ids and defaults absent fields', () => {
    expect(decode(req([span({ traceId: TRACE.toUpperCase() })]))[0].traceId).toBe(TRACE);
    expect(decode({})).toEqual([]);
    expect(decode({ resourceSpans: [{}] })).toEqual([]);
    expect(decode(req([{}], []))).toEqual([
      { service: '', name: '', kind: 0, startMs: NaN, durationMs: NaN, statusCode: 0, traceId: '', traceState: '', attributes: new Map() },
    ]);
    expect(decode(req([{ startTimeUnixNano: '0', endTimeUnixNano: '5' }]))[0]).toMatchObject({ startMs: NaN, durationMs: NaN });
    expect(decode(req([{ startTimeUnixNano: '1700000000000000000' }]))[0].durationMs).toBeLessThan(0);
  });

  it('keeps scalar values only, with span attributes over resource ones', () => {
    const res = [
      { key: 'service.name', value: { stringValue: 'cart' } },
      { key: 'deployment.environment', value: { stringValue: 'prod' } },
      { key: 'http.route', value: { stringValue: '/res' } },
      { key: 'n', value: { intValue: 1 } },
    ];
    const attrs = [
      { key: 'http.route', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
      { key: 'n', value: { kvlistValue: { values: [] } } },
      { key: 'f', value: { doubleValue: 'NaN' } },
      { key: 'b', value: { bytesValue: 'AAE=' } },
      { key: 'deployment.environment', value: { doubleValue: '-Infinity' } },
    ];
    const got = decode(req([span({ attributes: attrs })], res))[0].attributes;
    expect(got).toEqual(new Map([['deployment.environment', -Infinity], ['f', NaN]]));
  });

  it('takes service.name only from a string resource attribute', () => {
    expect(decode(req([span()], [{ key: 'service.name', value: { intValue: 3 } }]))[0].service).toBe('');
    expect(decode(req([span({ attributes: [{ key: 'service.name', value: { stringValue: 'x' } }] })], []))[0].service).toBe('');
  });

  it.each<[string, (b: J) => unknown, string]>([
    ['body', () => null, '(request): expected object'],
    ['body array', () => [], '(request): expected object'],
    ['resourceSpans', (b) => ((b.resourceSpans = {}), b), 'resourceSpans: expected array'],
    ['resourceSpans item', (b) => ((b.resourceSpans[0] = 5), b), 'resourceSpans[0]: expected object'],
    ['resource', (b) => ((b.resourceSpans[0].resource = []), b), 'resourceSpans[0].resource: expected object'],
    ['resource attrs', (b) => ((b.resourceSpans[0].resource.attributes = 'x'), b), 'resourceSpans[0].resource.attributes: expected array'],
    ['scopeSpans', (b) => ((b.resourceSpans[0].scopeSpans = 1), b), 'resourceSpans[0].scopeSpans: expected array'],
    ['spans', (b) => ((b.resourceSpans[0].scopeSpans[1].spans = {}), b), 'resourceSpans[0].scopeSpans[1].spans: expected array'],
  ])('names the path of a structural error: %s', (_, mutate, message) => {
    const body = req([span()]);
    body.resourceSpans[0].scopeSpans.push({ spans: [span(), span()] });
    expect(errorOf(mutate(body)).message).toBe(message);
  });

  const P = 'resourceSpans[0].scopeSpans[1].spans[3]';
  it.each<[J, string]>([
    [{ startTimeUnixNano: true }, `${P}.startTimeUnixNano: expected integer string`],
    [{ startTimeUnixNano: '12a' }, `${P}.startTimeUnixNano: expected integer string`],
    [{ startTimeUnixNano: '-5' }, `${P}.startTimeUnixNano: expected integer string`],
    [{ endTimeUnixNano: 1.5 }, `${P}.endTimeUnixNano: expected integer string`],
    [{ endTimeUnixNano: undefined, end_time_unix_nano: '' }, `${P}.endTimeUnixNano: expected integer string`],
    [{ traceId: 'xyz0' }, `${P}.traceId: expected hex string`],
    [{ traceId: 'abc' }, `${P}.traceId: expected hex string`],
    [{ traceId: 5 }, `${P}.traceId: expected string`],
    [{ name: 5 }, `${P}.name: expected string`],
    [{ kind: 'SPAN_KIND_BOGUS' }, `${P}.kind: unknown enum value "SPAN_KIND_BOGUS"`],
    [{ kind: '__proto__' }, `${P}.kind: unknown enum value "__proto__"`],
    [{ kind: 1.5 }, `${P}.kind: expected enum integer or name`],
    [{ status: 'x' }, `${P}.status: expected object`],
    [{ status: { code: {} } }, `${P}.status.code: expected enum integer or name`],
    [{ attributes: {} }, `${P}.attributes: expected array`],
    [{ attributes: ['x'] }, `${P}.attributes[0]: expected object`],
    [{ attributes: [{ key: 5 }] }, `${P}.attributes[0].key: expected string`],
    [{ attributes: [{ key: 'a', value: [] }] }, `${P}.attributes[0].value: expected object`],
    [{ attributes: [{}, {}, { key: 'a', value: { stringValue: 5 } }] }, `${P}.attributes[2].value.stringValue: expected string`],
    [{ attributes: [{ key: 'a', value: { boolValue: 'true' } }] }, `${P}.attributes[0].value.boolValue: expected boolean`],
    [{ attributes: [{ key: 'a', value: { intValue: 1.5 } }] }, `${P}.attributes[0].value.intValue: expected integer string`],
    [{ attributes: [{ key: 'a', value: { int_value: '1e3' } }] }, `${P}.attributes[0].value.intValue: expected integer string`],
    [{ attributes: [{ key: 'a', value: { doubleValue: 'abc' } }] }, `${P}.attributes[0].value.doubleValue: expected number`],
  ])('names the path of a span field error: %j', (over, message) => {
    const body = req([span()]);
    body.resourceSpans[0].scopeSpans.push({ spans: [span(), span(), span(), span(over)] });
    expect(errorOf(body).message).toBe(message);
  });

  it('does not descend into deeply nested values', () => {
    // Built as text: JSON.stringify itself would overflow on this nesting.
    let nested = '{"stringValue":"leaf"}';
    for (let i = 0; i < 100_000; i++) nested = `{"kvlistValue":{"values":[{"key":"k","value":${nested}}]}}`;
    let text = '{"stringValue":"leaf"}';
    for (let i = 0; i < 100_000; i++) text = `{"arrayValue":{"values":[${text}]}}`;
    const attrs = [
      { key: 'http.route', value: '@nested' },
      { key: 'other', value: '@nested' },
      { key: 'n', value: '@text' },
    ];
    const body = JSON.stringify(req([span({ attributes: attrs })], [{ key: 'deployment.environment', value: '@text' }]));
    const got = decodeText(body.replaceAll('"@nested"', nested).replaceAll('"@text"', text))[0];
    expect(got.attributes).toEqual(new Map());
  });
});
