/**
 * Realistic OTLP request bodies for the benchmark, produced by the official
 * OpenTelemetry serializers so the server sees exactly what an SDK or a
 * Collector would send (field order, packing, hex ids in JSON).
 */
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { seededRandom } from '../test/support/random.js';

interface Operation {
  service: string;
  name: string;
  kind: SpanKind;
  method: string;
  route: string;
  /** Median duration in ms; durations are log-normal around it. */
  medianMs: number;
}

const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'inventory'];
const ROUTES = ['/api/orders/{id}', '/api/cart', '/api/cart/{id}/items', '/api/payments', '/api/stock/{sku}', '/api/products/{id}'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
  'Go-http-client/1.1',
];

/** 5 services × 4 operations = 20 operations, half SERVER (routes), half CLIENT (outgoing calls named by method, as HTTP semconv does). */
function operations(rnd: () => number): Operation[] {
  const ops: Operation[] = [];
  SERVICES.forEach((service, s) => {
    for (let i = 0; i < 4; i++) {
      const route = ROUTES[(s + i) % ROUTES.length];
      const method = METHODS[(s * 4 + i) % METHODS.length];
      const server = i % 2 === 0;
      ops.push({
        service,
        name: server ? `${method} ${route}` : method,
        kind: server ? SpanKind.SERVER : SpanKind.CLIENT,
        method,
        route,
        medianMs: 2 + rnd() * 40,
      });
    }
  });
  return ops;
}

function resourceFor(service: string, host: number): Resource {
  return resourceFromAttributes({
    'service.name': service,
    'service.version': '1.42.0',
    'service.instance.id': `${service}-${host}`,
    'deployment.environment.name': 'prod',
    'host.name': `ip-10-0-0-${host}`,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': '2.0.1',
  });
}

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

/**
 * makeSpans builds `count` spans: traces of ~8 spans, ~1% errors (status
 * ERROR, 5xx on server spans), ~3% 4xx (not errors), log-normal durations,
 * start times within the `windowMs` before `nowMs`, 10 attributes each.
 */
export function makeSpans(seed: number, count: number, nowMs: number, windowMs = 240_000): ReadableSpan[] {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const hex = (bytes: number) => {
    let s = '';
    for (let i = 0; i < bytes; i++) s += int(256).toString(16).padStart(2, '0');
    return s;
  };
  const ops = operations(seededRandom(1));
  const resources = new Map(SERVICES.map((s) => [s, resourceFor(s, 10 + int(200))]));
  const scopes = {
    [SpanKind.SERVER]: { name: '@opentelemetry/instrumentation-http', version: '0.52.1' },
    [SpanKind.CLIENT]: { name: '@opentelemetry/instrumentation-undici', version: '0.4.0' },
  } as Record<SpanKind, { name: string; version: string }>;
  const spans: ReadableSpan[] = [];
  let traceId = '';
  let rootSpanId = '';
  for (let i = 0; i < count; i++) {
    if (i % 8 === 0) {
      traceId = hex(16);
      rootSpanId = hex(8);
    }
    const op = ops[int(ops.length)];
    const r = rnd();
    const error = r < 0.01;
    const status = error ? (op.kind === SpanKind.SERVER ? 500 + int(4) : 503) : r < 0.04 ? 404 : op.method === 'POST' ? 201 : 200;
    // Log-normal: exp(N(0, 0.8)) around the median, the long tail real latencies have.
    const gauss = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const durNs = BigInt(Math.max(1000, Math.round(op.medianMs * Math.exp(0.8 * gauss) * 1e6)));
    const startNs = BigInt(nowMs - int(windowMs)) * 1_000_000n + BigInt(int(1_000_000));
    const attributes: Attributes = {
      'http.request.method': op.method,
      'url.scheme': 'https',
      'url.path': op.route.replace(/\{\w+\}/g, () => String(1000 + int(90000))),
      'http.route': op.route,
      'http.response.status_code': status,
      'server.address': `${op.service}.internal.example.com`,
      'server.port': 8080,
      'user_agent.original': USER_AGENTS[int(USER_AGENTS.length)],
      'net.peer.port': 30000 + int(30000),
      'network.protocol.version': '1.1',
    };
    const root = i % 8 === 0;
    // Constants per span: spanContext() is a closure and the loop variables move on.
    const [tid, parentId, spanId] = [traceId, rootSpanId, root ? rootSpanId : hex(8)];
    spans.push({
      name: op.name,
      kind: op.kind,
      spanContext: () => ({ traceId: tid, spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext: root ? undefined : { traceId: tid, spanId: parentId, traceFlags: TraceFlags.SAMPLED },
      startTime: hrTime(startNs),
      endTime: hrTime(startNs + durNs),
      duration: hrTime(durNs),
      status: error ? { code: SpanStatusCode.ERROR, message: `HTTP ${status}` } : { code: SpanStatusCode.UNSET },
      attributes,
      links: [],
      // Error spans carry the exception event instrumentations record.
      events: error
        ? [{ name: 'exception', time: hrTime(startNs + durNs / 2n), attributes: { 'exception.type': 'Error', 'exception.message': 'upstream timed out' } }]
        : [],
      ended: true,
      resource: resources.get(op.service)!,
      instrumentationScope: scopes[op.kind],
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return spans;
}

/**
 * seriesSpans builds spans for `services` × `operations` distinct series
 * (one SERVER kind each), `perSeries` spans per series, grouped into one
 * request body per service, for the /metrics cardinality measurement.
 */
export function seriesSpans(services: number, ops: number, perSeries: number, nowMs: number): ReadableSpan[][] {
  const base = makeSpans(7, ops * perSeries, nowMs);
  return Array.from({ length: services }, (_, s) => {
    const resource = resourceFor(`svc-${String(s).padStart(3, '0')}`, s);
    return base.map((span, i) => ({
      ...span,
      name: `GET /api/v1/op-${String(i % ops).padStart(3, '0')}/{id}`,
      kind: SpanKind.SERVER,
      resource,
    }));
  });
}

export interface Bodies {
  protobuf: Buffer[];
  json: Buffer[];
  spansPerBody: number;
}

/** buildBodies serializes `n` distinct batches once, in both encodings; the load generator cycles through them. */
export function buildBodies(n: number, spansPerBody: number, nowMs: number): Bodies {
  const protobuf: Buffer[] = [];
  const json: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const spans = makeSpans(1000 + i, spansPerBody, nowMs);
    protobuf.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!));
    json.push(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!));
  }
  return { protobuf, json, spansPerBody };
}

export const serializeProto = (spans: ReadableSpan[]): Buffer => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
