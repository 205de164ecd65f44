import { SpanKind, StatusCode, type SpanRecord } from '../../kernel/span.model.js';

/**
 * Zipkin v2 JSON (zipkin-api's zipkin2-api.yaml, `ListOfSpans`) into the
 * same SpanRecord as OTLP, so classification, sampling, SLO counting and
 * ack-after-commit are the pipeline's, not this decoder's. It reads only
 * what the engine needs and ignores unknown fields, as Zipkin does.
 *
 * Mapping, after the OpenTelemetry Collector's Zipkin receiver:
 *  - localEndpoint.serviceName → service (absent: the span is rejected like
 *    an OTLP span without service.name);
 *  - name → operation ('' when absent: Zipkin allows unnamed spans);
 *  - kind SERVER/CLIENT/PRODUCER/CONSUMER → the OTel kinds; absent means a
 *    local (in-process) span, which is OTel's INTERNAL;
 *  - timestamp and duration are epoch microseconds; a span without either
 *    is incomplete in Zipkin's terms (its start or its end was lost) and is
 *    rejected with a reason, never counted with a guessed latency;
 *  - the `error` tag (any value, Zipkin's convention) or
 *    `otel.status_code=ERROR` marks a failure; `otel.status_code=OK` is
 *    the explicit override, as over OTLP; `http.status_code` and other tags
 *    are attributes for the classifier (Zipkin tags are all strings);
 *  - `shared: true` marks the server half of an RPC that reuses its
 *    client's span id: it is still the server's own span, timed by the
 *    server, and counts for the server's service like any other; the client
 *    half counts for the client's service. Nothing is merged or dropped.
 */

export class ZipkinJsonError extends Error {}

const KINDS: Record<string, number> = { SERVER: SpanKind.SERVER, CLIENT: SpanKind.CLIENT, PRODUCER: SpanKind.PRODUCER, CONSUMER: SpanKind.CONSUMER };
const HEX_ID = /^[0-9a-f]{16}$|^[0-9a-f]{32}$/i;
const MAX_STRING = 4096;

function fail(path: string, expected: string): never {
  throw new ZipkinJsonError(`${path}: ${expected}`);
}

function optString(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > MAX_STRING) fail(path, `expected a string of at most ${MAX_STRING} characters`);
  return v;
}

/** Epoch or duration microseconds: Zipkin writes int64 as a JSON number; some encoders quote it. */
function optMicros(v: unknown, path: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) fail(path, 'expected a non-negative number of microseconds');
  return n;
}

function object(v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, unknown>;
}

/** decodeZipkinSpans validates a parsed body; the first malformed field fails the batch with its path. */
export function decodeZipkinSpans(body: unknown, wantedKeys: ReadonlySet<string>): SpanRecord[] {
  if (!Array.isArray(body)) fail('body', 'expected a JSON array of Zipkin v2 spans');
  return body.map((raw: unknown, i: number): SpanRecord => {
    const p = `[${i}]`;
    const s = object(raw, p);
    if (!s) fail(p, 'expected an object');
    const traceId = optString(s.traceId, `${p}.traceId`);
    if (traceId === undefined || !HEX_ID.test(traceId)) fail(`${p}.traceId`, 'expected 16 or 32 hex characters');
    const id = optString(s.id, `${p}.id`);
    if (id === undefined || !/^[0-9a-f]{16}$/i.test(id)) fail(`${p}.id`, 'expected 16 hex characters');
    const kindName = optString(s.kind, `${p}.kind`);
    if (kindName !== undefined && KINDS[kindName] === undefined) fail(`${p}.kind`, 'expected CLIENT, SERVER, PRODUCER or CONSUMER');
    const timestamp = optMicros(s.timestamp, `${p}.timestamp`);
    const duration = optMicros(s.duration, `${p}.duration`);
    const local = object(s.localEndpoint, `${p}.localEndpoint`);
    const service = optString(local?.serviceName, `${p}.localEndpoint.serviceName`) ?? '';
    const tags = object(s.tags, `${p}.tags`) ?? {};
    const attributes = new Map<string, string | number | boolean>();
    for (const [k, v] of Object.entries(tags)) {
      if (typeof v !== 'string') fail(`${p}.tags.${k}`, 'expected a string (Zipkin tag values are strings)');
      if (wantedKeys.has(k)) attributes.set(k, v);
    }
    const otelStatus = tags['otel.status_code'];
    const statusCode =
      tags.error !== undefined || otelStatus === 'ERROR' ? StatusCode.ERROR : otelStatus === 'OK' ? StatusCode.OK : StatusCode.UNSET;
    return {
      service,
      name: optString(s.name, `${p}.name`) ?? '',
      kind: kindName === undefined ? SpanKind.INTERNAL : KINDS[kindName],
      // Incomplete spans: NaN start and a negative duration are the classifier's "cannot place" and "cannot time".
      startMs: timestamp === undefined ? NaN : timestamp / 1000,
      durationMs: duration === undefined ? -1 : duration / 1000,
      statusCode,
      // 64-bit Zipkin trace ids are the low half of a 128-bit one, as B3 and W3C propagation treat them.
      traceId: traceId.toLowerCase().padStart(32, '0'),
      traceState: '',
      attributes,
    };
  });
}
