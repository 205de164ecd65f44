import { SpanKind, StatusCode } from '../../kernel/span.model.js';
import { decodeZipkinSpans, ZipkinJsonError } from './zipkin-json.decoder.js';

const wanted = new Set(['http.status_code']);
const base = { traceId: '463ac35c9f6413ad', id: 'a2fb4a1d1a96d312', name: 'get /a', timestamp: 1700000000123456, duration: 1500, localEndpoint: { serviceName: 'svc' } };

describe('decodeZipkinSpans', () => {
  it('maps a Zipkin v2 span to the pipeline span: µs to ms, 64-bit trace id as the low half, wanted tags only', () => {
    const [s] = decodeZipkinSpans([{ ...base, kind: 'CLIENT', tags: { 'http.status_code': '503', 'http.path': '/a' }, remoteEndpoint: { serviceName: 'x' }, unknown: 1 }], wanted);
    expect(s).toEqual({
      service: 'svc',
      name: 'get /a',
      kind: SpanKind.CLIENT,
      startMs: 1700000000123.456,
      durationMs: 1.5,
      statusCode: StatusCode.UNSET,
      traceId: '0000000000000000463ac35c9f6413ad',
      traceState: '',
      attributes: new Map([['http.status_code', '503']]),
    });
  });

  it('reads the error tag and otel.status_code as OTel status, and an absent kind as a local span', () => {
    const [a, b, c, d] = decodeZipkinSpans(
      [{ ...base, tags: { error: '' } }, { ...base, tags: { 'otel.status_code': 'ERROR' } }, { ...base, tags: { 'otel.status_code': 'OK' } }, { ...base, timestamp: '1700000000123456' }],
      wanted,
    );
    expect([a.statusCode, b.statusCode, c.statusCode, d.statusCode]).toEqual([StatusCode.ERROR, StatusCode.ERROR, StatusCode.OK, StatusCode.UNSET]);
    expect(a.kind).toBe(SpanKind.INTERNAL);
    expect(d.startMs).toBe(1700000000123.456);
  });

  it('names the first malformed field', () => {
    expect(() => decodeZipkinSpans({}, wanted)).toThrow(ZipkinJsonError);
    expect(() => decodeZipkinSpans([base, { ...base, id: 'zz' }], wanted)).toThrow('[1].id: expected 16 hex characters');
    expect(() => decodeZipkinSpans([{ ...base, duration: -1 }], wanted)).toThrow('[0].duration');
    expect(() => decodeZipkinSpans([{ ...base, localEndpoint: 'svc' }], wanted)).toThrow('[0].localEndpoint: expected an object');
  });
});
