import request from 'supertest';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTestApp, useTestApp, type TestApp } from './support/test-app.js';
import { exportSpans, repeat, SpanKind } from './support/otel.js';

async function totals(t: TestApp, service: string): Promise<{ calls: number; errors: number }> {
  const [row] = await t.dataSource.query(
    `SELECT COALESCE(SUM(m.calls), 0) AS calls, COALESCE(SUM(m.errors), 0) AS errors
     FROM red_minute m JOIN series s ON s.id = m.series_id WHERE s.service = $1`,
    [service],
  );
  return { calls: Number(row.calls), errors: Number(row.errors) };
}

describe('sampling, cardinality, backpressure and many writers', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', SERIES_LIMIT_PER_SERVICE: '3', MAX_INFLIGHT_SPANS: '1000' }, { listen: true });
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;

  it('counts spans sampled by OpenTelemetry probability sampling with their adjusted count (tracestate ot=th)', async () => {
    const exporter = new OTLPTraceExporter({ url: `${t.baseUrl}/v1/traces` });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'sampled-th' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('e2e');
    // th:8 = probability 1/2 -> each span stands for 2; th:c = 1/4 -> 4.
    const parent = (th: string) =>
      trace.setSpanContext(context.active(), {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        traceState: new TraceState(`ot=th:${th},vendor=x`),
      });
    for (let i = 0; i < 10; i++) tracer.startSpan('GET /a', { kind: SpanKind.SERVER, startTime: minute + i }, parent('8')).end(minute + i + 5);
    for (let i = 0; i < 3; i++) {
      const s = tracer.startSpan('GET /a', { kind: SpanKind.SERVER, startTime: minute + i }, parent('c'));
      s.setStatus({ code: 2 });
      s.end(minute + i + 5);
    }
    await provider.forceFlush();
    await provider.shutdown();
    expect(await totals(t, 'sampled-th')).toEqual({ calls: 10 * 2 + 3 * 4, errors: 3 * 4 });
  });

  it('counts spans with the configured SampleRate attribute as 1-in-N, and unsampled spans exactly', async () => {
    await exportSpans(t.baseUrl, 'json', { 'service.name': 'sampled-attr' }, [
      ...repeat(7, { name: 'op', kind: SpanKind.SERVER, durationMs: 1, attributes: { SampleRate: 10 } }, minute),
      ...repeat(2, { name: 'op', kind: SpanKind.SERVER, durationMs: 1, error: true, attributes: { SampleRate: 10 } }, minute),
      ...repeat(5, { name: 'op', kind: SpanKind.SERVER, durationMs: 1 }, minute),
    ]);
    expect(await totals(t, 'sampled-attr')).toEqual({ calls: 9 * 10 + 5, errors: 20 });
  });

  it('folds series beyond the per-service limit into one overflow series, counted in a self-metric', async () => {
    await exportSpans(
      t.baseUrl,
      'protobuf',
      { 'service.name': 'wide' },
      ['a', 'b', 'c', 'd', 'e'].flatMap((op) => repeat(4, { name: `GET /${op}`, kind: SpanKind.SERVER, durationMs: 2 }, minute)),
    );
    expect(await totals(t, 'wide')).toEqual({ calls: 20, errors: 0 });
    const series: { span_name: string; overflow: boolean }[] = await t.dataSource.query(
      `SELECT span_name, overflow FROM series WHERE service = 'wide' ORDER BY span_name`,
    );
    expect(series.filter((s) => !s.overflow)).toHaveLength(3);
    expect(series.filter((s) => s.overflow)).toHaveLength(1);
    const metrics = await request(t.server).get('/metrics').expect(200);
    expect(metrics.text).toContain('traces_span_metrics_calls_total{service_name="wide",otel_metric_overflow="true",status_code="STATUS_CODE_UNSET"} 8');
    expect(metrics.text).toContain('burnwatch_series_overflow_spans_total{service="wide"} 8');
  });

  it('flags a service whose spans look tail-sampled (nearly all errors) in the services API', async () => {
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'errors-only' }, repeat(120, { name: 'op', kind: SpanKind.SERVER, durationMs: 3, error: true }, minute));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'healthy' }, repeat(120, { name: 'op', kind: SpanKind.SERVER, durationMs: 3 }, minute));
    const res = await request(t.server).get('/api/v1/services?window=15m').expect(200);
    const flag = (name: string) => res.body.services.find((s: { service: string }) => s.service === name).suspectedTailSampling;
    expect(flag('errors-only')).toBe(true);
    expect(flag('healthy')).toBe(false);
  });

  it('answers 429 with Retry-After when more spans wait than MAX_INFLIGHT_SPANS', async () => {
    const spans = Array.from({ length: 1001 }, () => ({ service: 'big', operation: 'op', start: Date.now(), durationMs: 1, status: 'ok' }));
    const res = await request(t.server).post('/api/v1/spans').set('Content-Type', 'application/json').send(JSON.stringify(spans)).expect(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(await totals(t, 'big')).toEqual({ calls: 0, errors: 0 });
  });

  it('sums exactly when two processes ingest into one database at once', async () => {
    const other = await startTestApp(t.db.url, { FLUSH_INTERVAL_MS: '30' }, { listen: true });
    try {
      const spans = repeat(300, { name: 'shared', kind: SpanKind.SERVER, durationMs: 4 }, minute);
      const errs = repeat(30, { name: 'shared', kind: SpanKind.SERVER, durationMs: 4, error: true }, minute);
      await Promise.all([
        exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'replicated' }, [...spans, ...errs]),
        exportSpans(other.baseUrl, 'json', { 'service.name': 'replicated' }, [...spans, ...errs]),
        exportSpans(other.baseUrl, 'protobuf', { 'service.name': 'replicated' }, spans),
      ]);
    } finally {
      await other.close();
    }
    expect(await totals(t, 'replicated')).toEqual({ calls: 330 * 2 + 300, errors: 60 });
    const [hour] = await t.dataSource.query(
      `SELECT SUM(h.calls) AS calls FROM red_hour h JOIN series s ON s.id = h.series_id WHERE s.service = 'replicated'`,
    );
    expect(Number(hour.calls)).toBe(960);
  });
});
