import request from 'supertest';
import { useTestApp, type TestApp } from './support/test-app.js';
import { exportSpans, repeat, SpanKind, SpanSpec } from './support/otel.js';

/** Stored totals per (service, span name, kind), summed over all minutes. */
async function storedTotals(t: TestApp): Promise<Record<string, { calls: number; errors: number; durationSumMs: number }>> {
  const rows: { k: string; calls: number; errors: number; dur: number }[] = await t.dataSource.query(
    `SELECT s.service || '|' || s.span_name || '|' || s.span_kind AS k, SUM(m.calls) AS calls, SUM(m.errors) AS errors,
            SUM(m.duration_sum_ms) AS dur
     FROM red_minute m JOIN series s ON s.id = m.series_id GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, { calls: Number(r.calls), errors: Number(r.errors), durationSumMs: Number(r.dur) }]));
}

describe('OTLP ingest from the real OpenTelemetry SDK and exporters', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50' }, { listen: true });
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000;

  it('stores exact RED counts for spans of several services, kinds and statuses over protobuf and JSON', async () => {
    const checkout: SpanSpec[] = [
      ...repeat(40, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 20, attributes: { 'http.response.status_code': 200 } }, minute),
      ...repeat(7, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 300, attributes: { 'http.response.status_code': 503 } }, minute),
      // The old attribute name counts too.
      ...repeat(2, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 300, attributes: { 'http.status_code': 500 } }, minute),
      ...repeat(3, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 50, error: true }, minute + 60_000),
      // 4xx is the caller's fault: not an error.
      ...repeat(5, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 5, attributes: { 'http.response.status_code': 404 } }, minute),
      // A 5xx seen by a client is the callee's failure, not the client span's.
      ...repeat(10, { name: 'GET payments', kind: SpanKind.CLIENT, durationMs: 15, attributes: { 'http.response.status_code': 502 } }, minute),
      ...repeat(4, { name: 'GET payments', kind: SpanKind.CLIENT, durationMs: 15, error: true }, minute),
    ];
    const inventory: SpanSpec[] = [
      ...repeat(20, { name: 'process order', kind: SpanKind.CONSUMER, durationMs: 100 }, minute),
      ...repeat(6, { name: 'process order', kind: SpanKind.CONSUMER, durationMs: 100, error: true }, minute),
      ...repeat(9, { name: 'inventory.v1.Stock/Reserve', kind: SpanKind.SERVER, durationMs: 8, attributes: { 'rpc.grpc.status_code': 14 } }, minute),
      ...repeat(11, { name: 'inventory.v1.Stock/Reserve', kind: SpanKind.SERVER, durationMs: 8, attributes: { 'rpc.grpc.status_code': 5 } }, minute),
    ];
    // Each service sends half of its spans over protobuf and half over JSON.
    const half = <T>(xs: T[], odd: boolean) => xs.filter((_, i) => i % 2 === (odd ? 1 : 0));
    await Promise.all([
      exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'checkout' }, half(checkout, false)),
      exportSpans(t.baseUrl, 'json', { 'service.name': 'checkout' }, half(checkout, true)),
      exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'inventory' }, half(inventory, false)),
      exportSpans(t.baseUrl, 'json', { 'service.name': 'inventory' }, half(inventory, true)),
    ]);

    expect(await storedTotals(t)).toEqual({
      'checkout|GET payments|SPAN_KIND_CLIENT': { calls: 14, errors: 4, durationSumMs: 14 * 15 },
      'checkout|POST /cart|SPAN_KIND_SERVER': { calls: 57, errors: 12, durationSumMs: 40 * 20 + 9 * 300 + 3 * 50 + 5 * 5 },
      'inventory|inventory.v1.Stock/Reserve|SPAN_KIND_SERVER': { calls: 20, errors: 9, durationSumMs: 20 * 8 },
      'inventory|process order|SPAN_KIND_CONSUMER': { calls: 26, errors: 6, durationSumMs: 26 * 100 },
    });

    // Hour rows hold the same totals (the roll-up the long windows read).
    const hour: { calls: number; errors: number }[] = await t.dataSource.query(`SELECT SUM(calls) AS calls, SUM(errors) AS errors FROM red_hour`);
    expect({ calls: Number(hour[0].calls), errors: Number(hour[0].errors) }).toEqual({ calls: 117, errors: 31 });
  });

  it('answers the services API from the stored rows', async () => {
    const res = await request(t.server).get('/api/v1/services?window=15m').expect(200);
    const byName = Object.fromEntries(res.body.services.map((s: { service: string }) => [s.service, s]));
    expect(byName.checkout).toMatchObject({ calls: 71, errors: 16, suspectedTailSampling: false });
    expect(byName.checkout.ratePerSecond).toBeCloseTo(71 / 900, 5);
    expect(byName.inventory).toMatchObject({ calls: 46, errors: 15 });
    expect(byName.checkout.errorRatio).toBeCloseTo(16 / 71, 12);

    const ops = await request(t.server).get('/api/v1/services/checkout/operations?window=15m').expect(200);
    const cart = ops.body.operations.find((o: { operation: string }) => o.operation === 'POST /cart');
    expect(cart).toMatchObject({ spanKind: 'SPAN_KIND_SERVER', calls: 57, errors: 12 });
    // p50 of the cart spans is 20 ms (40 of 57), p99 300 ms; the histogram guarantees 2%.
    expect(Math.abs(cart.latencyMs.p50 - 20) / 20).toBeLessThanOrEqual(0.02);
    expect(Math.abs(cart.latencyMs.p99 - 300) / 300).toBeLessThanOrEqual(0.02);
    expect(cart.exampleTraceIds.errors.length).toBeGreaterThan(0);
    expect(cart.exampleTraceIds.errors[0]).toMatch(/^[0-9a-f]{32}$/);

    await request(t.server).get('/api/v1/services?window=2m').expect(400);
    await request(t.server).get('/api/v1/services?window=31d').expect(400);
  });

  it('exposes the counts on /metrics in the spanmetrics naming', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    const line = (labels: string) => {
      const l = res.text.split('\n').find((x) => x.startsWith(`traces_span_metrics_calls_total{${labels}}`));
      return l === undefined ? undefined : Number(l.split(' ').pop());
    };
    expect(line('service_name="checkout",span_name="POST /cart",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_ERROR"')).toBe(12);
    expect(line('service_name="checkout",span_name="POST /cart",span_kind="SPAN_KIND_SERVER",status_code="STATUS_CODE_UNSET"')).toBe(45);
    expect(res.text).toContain(
      'traces_span_metrics_duration_seconds_count{service_name="inventory",span_name="process order",span_kind="SPAN_KIND_CONSUMER"} 26',
    );
    expect(res.text).toContain(
      'traces_span_metrics_duration_seconds_bucket{service_name="checkout",span_name="POST /cart",span_kind="SPAN_KIND_SERVER",le="0.05"} 48',
    );
    expect(res.text).toMatch(/burnwatch_spans_accepted_total\{protocol="otlp_protobuf"\} \d+/);
  });

  it('reports spans without service.name as rejected in partialSuccess and counts the rest', async () => {
    const now = Date.now();
    const ns = (ms: number) => String(BigInt(Math.round(ms)) * 1_000_000n);
    const span = (name: string) => ({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      name,
      kind: 2,
      startTimeUnixNano: ns(now - 1000),
      endTimeUnixNano: ns(now - 990),
    });
    const body = {
      resourceSpans: [
        { resource: { attributes: [] }, scopeSpans: [{ spans: [span('no-service'), span('no-service')] }] },
        { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'json-direct' } }] }, scopeSpans: [{ spans: [span('GET /x')] }] },
      ],
    };
    const res = await request(t.server).post('/v1/traces').set('Content-Type', 'application/json').send(body).expect(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe('2');
    expect(res.body.partialSuccess.errorMessage).toContain('service.name');
    const totals = await storedTotals(t);
    expect(totals['json-direct|GET /x|SPAN_KIND_SERVER']).toEqual({ calls: 1, errors: 0, durationSumMs: 10 });
  });
});
