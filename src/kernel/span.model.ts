/**
 * SpanRecord is the one shape every ingest path (OTLP protobuf, OTLP JSON,
 * span summaries) decodes into. It holds only what classification,
 * aggregation and exemplars need; everything else in a span is skipped at
 * decode time so that the hot path never allocates for it.
 */
export interface SpanRecord {
  /** service.name from the resource ('' when absent; such spans are rejected). */
  service: string;
  /** Span name: the operation, low-cardinality by OTel convention. */
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Start time, unix epoch milliseconds (may carry a fraction). NaN when absent. */
  startMs: number;
  /** end - start in milliseconds (may carry a fraction); negative means a broken span. */
  durationMs: number;
  /** OTLP Status.code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  /** Lower-case hex trace id, '' when absent. */
  traceId: string;
  /** W3C tracestate of the span, '' when absent (carries OpenTelemetry `ot=th:`). */
  traceState: string;
  /**
   * The attributes the engine asked for (see AttributeWanted), resource
   * attributes first and span attributes over them. Values are the scalar
   * OTLP AnyValue kinds; arrays, maps and bytes are not kept.
   */
  attributes: Map<string, string | number | boolean>;
}

export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** SPAN_KIND_LABELS is the OTLP enum name of each SpanKind number, also the spanmetrics `span_kind` label. */
export const SPAN_KIND_LABELS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;

/** SPAN_KIND_NAMES is the lower-case name of each SpanKind number, as users write kinds in config and APIs. */
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

/** NAMEABLE_SPAN_KINDS are the kinds a user may select ('unspecified' is never asked for). */
export const NAMEABLE_SPAN_KINDS: readonly string[] = SPAN_KIND_NAMES.slice(1);

/** spanKindFromName maps `server` (any case) to its SpanKind number; undefined for anything else. */
export function spanKindFromName(name: string): number | undefined {
  const i = NAMEABLE_SPAN_KINDS.indexOf(name.toLowerCase());
  return i < 0 ? undefined : i + 1;
}
