/**
 * Cross-checks both decoders against the official OpenTelemetry JS
 * serializers: randomized ReadableSpans go through ProtobufTraceSerializer and
 * JsonTraceSerializer, and the decoded records must equal what the spans say.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanRecord } from '../../kernel/span.model.js';
import { readTraceRequestJson } from './otlp-json-bytes.decoder.js';
import { decodeTraceRequestJson } from './otlp-json.decoder.js';
import { decodeTraceRequestProto, ProtoDecodeError } from './otlp-proto.decoder.js';
import type { AttrValue } from './otlp.types.js';
import { seededRandom } from '../../../test/support/random.js';

const WANTED = new Set(['http.route', 'http.response.status_code', 'deployment.environment', 'ok', 'ratio', 'list', 'map', 'blob', 'ключ.юникод', '']);
const KEY_POOL = [...WANTED, 'url.path', 'net.peer.port', 'user_agent.original', 'http.routf', 'x'.repeat(10), 'emoji.😀'];

function makeGen(seed: number) {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const hex = (bytes: number) => Array.from({ length: bytes }, () => int(256).toString(16).padStart(2, '0')).join('');
  const str = () => pick(['', 'GET', '/api/orders/{id}', 'prod', 'ünïcödé', '😀 emoji', 'x'.repeat(100), `v${int(50)}`]);
  const scalar = (): AttrValue =>
    pick<() => AttrValue>([
      str,
      () => rnd() < 0.5,
      () => int(1000) - 500,
      () => pick([2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 60, -(2 ** 63), 4294967296, -4294967297]),
      () => (int(2e6) - 1e6) / 7 + 0.5,
    ])();
  const value = (depth: number): unknown => {
    const r = int(10);
    if (r < 6 || depth > 3) return scalar();
    if (r === 6) return Array.from({ length: int(4) }, scalar);
    if (r === 7) return Uint8Array.from([1, 2, int(256)]);
    return Object.fromEntries(Array.from({ length: int(3) }, (_, i) => [`k${i}`, value(depth + 1)]));
  };
  const attrs = (n: number): Attributes => {
    const a: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) a[pick(KEY_POOL)] = value(0);
    return a as Attributes;
  };
  const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  return { rnd, int, pick, hex, attrs, hrTime, value };
}

function randomSpans(seed: number, count: number): ReadableSpan[] {
  const g = makeGen(seed);
  const resources: Resource[] = [
    resourceFromAttributes({ 'service.name': 'checkout', 'deployment.environment': 'prod', 'http.route': '/res', ...g.attrs(3) }),
    resourceFromAttributes({ 'service.name': 'ünïcödé-svc', list: ['a', 'b'], ok: true, ...g.attrs(2) }),
    resourceFromAttributes({ 'host.name': 'no-service' }),
    resourceFromAttributes({ 'service.name': 42 as unknown as string, ratio: 0.25 }),
  ];
  const scopes = [
    { name: 'scope-a', version: '1.0.0' },
    { name: 'scope-b', schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' },
    { name: 'scope-c', version: '2', attributes: { 'scope.attr': 'x' } },
  ];
  const traceIds = Array.from({ length: 8 }, () => g.hex(16));
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < count; i++) {
    const traceId = g.rnd() < 0.5 ? g.pick(traceIds) : g.hex(16);
    const traceState = g.rnd() < 0.4 ? new TraceState(`ot=th:${g.int(16).toString(16)},vendor=v${g.int(9)}`) : undefined;
    const startNs = 1_700_000_000_000_000_000n + BigInt(g.int(2 ** 31)) * 1_000_003n + BigInt(g.int(1e9));
    const durNs = g.rnd() < 0.05 ? -BigInt(g.int(1e6)) : BigInt(g.int(2 ** 30)) * BigInt(g.int(100) + 1);
    const endNs = startNs + durNs;
    const code = g.pick([SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR]);
    const link = { context: { traceId: g.hex(16), spanId: g.hex(8), traceFlags: TraceFlags.SAMPLED, traceState }, attributes: g.attrs(2) };
    spans.push({
      name: g.pick(['GET /api/orders/{id}', 'SELECT orders', 'ünïcödé op', '', `op-${g.int(1000)}`]),
      kind: g.pick([SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER]),
      spanContext: () => ({ traceId, spanId: g.hex(8), traceFlags: TraceFlags.SAMPLED, traceState }),
      parentSpanContext: g.rnd() < 0.5 ? { traceId, spanId: g.hex(8), traceFlags: TraceFlags.SAMPLED, isRemote: true } : undefined,
      startTime: g.hrTime(startNs),
      endTime: g.hrTime(endNs),
      duration: g.hrTime(durNs < 0n ? 0n : durNs),
      status: code === SpanStatusCode.ERROR ? { code, message: 'boom' } : { code },
      attributes: g.attrs(g.int(12)),
      links: g.rnd() < 0.3 ? [link] : [],
      events: g.rnd() < 0.3 ? [{ name: 'exception', time: g.hrTime(startNs + 5n), attributes: g.attrs(3) }] : [],
      ended: true,
      resource: g.pick(resources),
      instrumentationScope: g.pick(scopes),
      droppedAttributesCount: g.int(3),
      droppedEventsCount: g.int(3),
      droppedLinksCount: g.int(3),
    });
  }
  return spans;
}

const isScalar = (v: unknown): v is AttrValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function nanosOf(t: HrTime): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

/** What a SpanRecord must contain, computed from the ReadableSpan independently of the decoders. */
function expectedRecord(s: ReadableSpan, wanted: Set<string>): SpanRecord {
  const attributes = new Map<string, AttrValue>();
  for (const source of [s.resource.attributes, s.attributes]) {
    for (const [k, v] of Object.entries(source)) {
      if (!wanted.has(k)) continue;
      if (isScalar(v)) attributes.set(k, v);
      else attributes.delete(k);
    }
  }
  const svc = s.resource.attributes['service.name'];
  const start = nanosOf(s.startTime);
  const ctx = s.spanContext();
  return {
    service: typeof svc === 'string' ? svc : '',
    name: s.name,
    kind: s.kind + 1,
    startMs: Number(start / 1_000_000n) + Number(start % 1_000_000n) / 1e6,
    durationMs: Number(nanosOf(s.endTime) - start) / 1e6,
    statusCode: s.status.code,
    traceId: ctx.traceId,
    traceState: ctx.traceState?.serialize() ?? '',
    attributes,
  };
}

// The serializers group spans by resource and scope, so compare in a canonical order.
const sortKey = (r: SpanRecord) => `${r.traceId}|${r.startMs}|${r.durationMs}|${r.name}|${r.service}`;
const sorted = (rs: SpanRecord[]) => [...rs].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));

describe('OTLP decoders vs the official OpenTelemetry serializers', () => {
  const wanted = { keys: WANTED };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('protobuf: randomized spans (seed %i)', (seed) => {
    const spans = randomSpans(seed, 300);
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const got = decodeTraceRequestProto(bytes, wanted).spans;
    expect(got).toHaveLength(spans.length);
    expect(sorted(got)).toEqual(sorted(spans.map((s) => expectedRecord(s, WANTED))));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('json: randomized spans (seed %i)', (seed) => {
    const spans = randomSpans(seed, 300);
    const body = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!));
    const got = decodeTraceRequestJson(body, wanted).spans;
    expect(sorted(got)).toEqual(sorted(spans.map((s) => expectedRecord(s, WANTED))));
  });

  // The byte-level reader must take what the serializer sends on its fast path (no fallback to JSON.parse).
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('json bytes: randomized spans (seed %i)', (seed) => {
    const spans = randomSpans(seed, 300);
    const got = readTraceRequestJson(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!), wanted)?.spans;
    expect(got && sorted(got)).toEqual(sorted(spans.map((s) => expectedRecord(s, WANTED))));
  });

  it('protobuf and json decoders agree record for record, in wire order', () => {
    const spans = randomSpans(99, 500);
    const fromProto = decodeTraceRequestProto(ProtobufTraceSerializer.serializeRequest(spans)!, wanted).spans;
    const bytes = Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
    expect(decodeTraceRequestJson(JSON.parse(bytes.toString('utf8')), wanted).spans).toEqual(fromProto);
    expect(readTraceRequestJson(bytes, wanted)?.spans).toEqual(fromProto);
  });

  it('keeps only wanted keys and always resolves service.name', () => {
    const spans = randomSpans(7, 100);
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const none = decodeTraceRequestProto(bytes, { keys: new Set() }).spans;
    expect(none.every((r) => r.attributes.size === 0)).toBe(true);
    expect(sorted(none).map((r) => r.service)).toEqual(sorted(spans.map((s) => expectedRecord(s, new Set()))).map((r) => r.service));
    // Listing service.name also keeps it as an attribute, whatever its type.
    const withService = decodeTraceRequestProto(bytes, { keys: new Set(['service.name']) }).spans;
    const attrTypes = new Set<string>();
    for (const r of withService) {
      const attr = r.attributes.get('service.name');
      attrTypes.add(typeof attr);
      expect(r.service).toBe(typeof attr === 'string' ? attr : '');
    }
    expect(attrTypes).toEqual(new Set(['string', 'number', 'undefined']));
  });

  it('throws only ProtoDecodeError on truncated or corrupted serializer output', () => {
    // One resource → one top-level field, so every proper prefix but the empty one is truncated.
    const resource = resourceFromAttributes({ 'service.name': 'one' });
    const spans = randomSpans(11, 6).map((s) => ({ ...s, resource }));
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    for (let k = 1; k < bytes.length; k++) {
      expect(() => decodeTraceRequestProto(bytes.subarray(0, k), wanted)).toThrow(ProtoDecodeError);
    }
    const rnd = seededRandom(5);
    for (let i = 0; i < 2000; i++) {
      const m = Uint8Array.from(bytes);
      for (let j = 1 + Math.floor(rnd() * 4); j > 0; j--) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      try {
        decodeTraceRequestProto(m, wanted);
      } catch (e) {
        if (!(e instanceof ProtoDecodeError)) throw e;
      }
    }
  });

  it('decodes a Uint8Array view with a non-zero byteOffset', () => {
    const spans = randomSpans(3, 20);
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    const view = padded.subarray(5, 5 + bytes.length);
    expect(decodeTraceRequestProto(view, wanted).spans).toEqual(decodeTraceRequestProto(bytes, wanted).spans);
  });
});
