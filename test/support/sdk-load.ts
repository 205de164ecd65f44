import { SpanKind, SpanStatusCode, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** What one SDK run did, counted at the SDK's own seams. */
export interface SdkLoadResult {
  /** Spans ended by the application (what it offered to the SDK). */
  offered: number;
  /** Spans in exports the exporter reported as SUCCESS (the receiver answered 2xx). */
  exported: number;
  /** Spans in exports the exporter reported as FAILED (non-retryable answer, timeout, retries used up). */
  failed: number;
  /**
   * Spans that never reached the exporter: the BatchSpanProcessor queue
   * (2,048 at defaults) was full when they ended, so the SDK silently
   * discarded them. offered - exported - failed once the provider shut down.
   */
  dropped: number;
  /** Export calls made (one at a time at BatchSpanProcessor defaults). */
  exports: number;
  /** Seconds from the first span to the end of the last export. */
  seconds: number;
}

/** Counts every export's outcome, and passes everything through to the real exporter. */
class CountingExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  exports = 0;
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.exports++;
    this.inner.export(spans, (r) => {
      if (r.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else this.failed += spans.length;
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Counts spans as the application ends them, in front of the BatchSpanProcessor. */
class CountingProcessor implements SpanProcessor {
  ended = 0;
  constructor(private readonly inner: SpanProcessor) {}
  onStart(span: Span, ctx: Context): void {
    this.inner.onStart(span, ctx);
  }
  onEnd(span: ReadableSpan): void {
    this.ended++;
    this.inner.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** Spans made per event-loop turn at most. */
const BURST = 64;

const ROUTES = ['/api/orders/{id}', '/api/cart', '/api/cart/{id}/items', '/api/payments', '/api/stock/{sku}', '/api/products/{id}', '/healthz', '/api/users/{id}'];

export interface SdkLoadOptions {
  /** Base URL of the receiver; spans go to `${url}/v1/traces`. */
  url: string;
  service: string;
  spansPerSecond: number;
  seconds: number;
  /** Every n-th span is an error (status ERROR, HTTP 500). */
  errorEvery?: number;
  /** Called once a second with the running counts (for a bench's progress line). */
  onSecond?: (r: Omit<SdkLoadResult, 'dropped' | 'seconds'>) => void;
}

/**
 * runSdkLoad plays an instrumented service: the OpenTelemetry JS SDK exactly
 * at its defaults (BatchSpanProcessor: queue 2,048, batches of 512, one
 * export in flight; the OTLP proto exporter with its default settings),
 * ending SERVER spans at a steady rate. The rate is kept by catching up with
 * the clock every few ms, so a slow tick does not lower what is offered.
 * Spans the SDK drops because its queue was full are counted, not hidden.
 */
export async function runSdkLoad(o: SdkLoadOptions): Promise<SdkLoadResult> {
  const exporter = new CountingExporter(new OTLPTraceExporter({ url: `${o.url}/v1/traces` }));
  const processor = new CountingProcessor(new BatchSpanProcessor(exporter));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': o.service, 'service.instance.id': `${o.service}-1` }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('burnwatch-sdk-load');
  const total = Math.round(o.spansPerSecond * o.seconds);
  const errorEvery = o.errorEvery ?? 100;
  const started = performance.now();
  let made = 0;
  let nextReport = 1000;
  while (made < total) {
    const elapsed = performance.now() - started;
    const due = Math.min(total, Math.floor((elapsed / 1000) * o.spansPerSecond));
    // At most a slice per turn: after a stall (GC, a busy machine) catching up
    // in one synchronous burst would overflow the SDK's queue by itself,
    // before the exporter had a chance to run.
    const until = Math.min(due, made + BURST);
    for (; made < until; made++) {
      const route = ROUTES[made % ROUTES.length];
      const error = made % errorEvery === errorEvery - 1;
      const span = tracer.startSpan(`GET ${route}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'GET', 'http.route': route, 'url.scheme': 'http', 'server.port': 8080 },
      });
      span.setAttribute('http.response.status_code', error ? 500 : 200);
      if (error) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    if (o.onSecond && elapsed >= nextReport) {
      nextReport += 1000;
      o.onSecond({ offered: processor.ended, exported: exporter.exported, failed: exporter.failed, exports: exporter.exports });
    }
    // Yield to the event loop (the exporter's I/O runs here), then catch up.
    if (made < due) await new Promise((r) => setImmediate(r));
    else await new Promise((r) => setTimeout(r, 2));
  }
  await provider.forceFlush();
  await provider.shutdown();
  const seconds = (performance.now() - started) / 1000;
  const offered = processor.ended;
  return {
    offered,
    exported: exporter.exported,
    failed: exporter.failed,
    dropped: offered - exporter.exported - exporter.failed,
    exports: exporter.exports,
    seconds,
  };
}
