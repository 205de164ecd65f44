import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export { SpanKind, SpanStatusCode };

export interface SpanSpec {
  name: string;
  kind: SpanKind;
  startMs: number;
  durationMs: number;
  error?: boolean;
  attributes?: Attributes;
}

/**
 * exportSpans sends spans through the real OpenTelemetry JS SDK and the
 * official OTLP exporter (protobuf or http/json), exactly as an instrumented
 * service would, and waits until the exporter has delivered them. Returns
 * the trace ids the SDK generated, in order.
 */
export async function exportSpans(
  baseUrl: string,
  protocol: 'protobuf' | 'json',
  resource: Attributes,
  spans: SpanSpec[],
  headers: Record<string, string> = {},
): Promise<string[]> {
  const url = `${baseUrl}/v1/traces`;
  // A high concurrency limit: the default drops batches past 30 in flight, which would make counts inexact.
  const config = { url, headers, concurrencyLimit: 10_000 };
  const exporter = protocol === 'protobuf' ? new ProtoExporter(config) : new JsonExporter(config);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, maxQueueSize: 100_000, scheduledDelayMillis: 50 })],
  });
  const tracer = provider.getTracer('burnwatch-e2e');
  const traceIds: string[] = [];
  for (const s of spans) {
    const span = tracer.startSpan(s.name, { kind: s.kind, startTime: s.startMs, attributes: s.attributes });
    if (s.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end(s.startMs + s.durationMs);
    traceIds.push(span.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return traceIds;
}

/** repeat builds n copies of a span spec, with start times spread over one minute. */
export function repeat(n: number, spec: Omit<SpanSpec, 'startMs'>, minuteStartMs: number): SpanSpec[] {
  return Array.from({ length: n }, (_, i) => ({ ...spec, startMs: minuteStartMs + ((i * 997) % 59_000) }));
}
