import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PlannedSpan } from './model.js';

/**
 * Services is one real OpenTelemetry SDK tracer provider per synthetic
 * service, exporting OTLP/protobuf to the engine exactly as an instrumented
 * service would; spans may carry past timestamps (the backfill).
 */
export class Services {
  private readonly providers = new Map<string, BasicTracerProvider>();
  private readonly tracers = new Map<string, Tracer>();

  constructor(
    private readonly endpoint: string,
    private readonly batch: { maxExportBatchSize: number; scheduledDelayMillis: number },
  ) {}

  private tracer(service: string): Tracer {
    let t = this.tracers.get(service);
    if (!t) {
      const exporter = new OTLPTraceExporter({ url: `${this.endpoint}/v1/traces`, concurrencyLimit: 64 });
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'demo' }),
        spanProcessors: [new BatchSpanProcessor(exporter, { ...this.batch, maxQueueSize: 200_000 })],
      });
      this.providers.set(service, provider);
      t = provider.getTracer('burnwatch-demo');
      this.tracers.set(service, t);
    }
    return t;
  }

  send(s: PlannedSpan): void {
    const span = this.tracer(s.op.service).startSpan(s.op.name, {
      kind: SpanKind.SERVER,
      startTime: s.startMs,
      attributes: {
        'http.request.method': s.op.method,
        'http.route': s.op.route,
        'http.response.status_code': s.status,
        // Head sampling: this span stands for `weight` requests (the engine's SAMPLE_RATE_ATTRIBUTE).
        SampleRate: s.weight,
      },
    });
    if (s.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${s.status}` });
    span.end(s.startMs + s.durationMs);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.shutdown()));
  }
}
