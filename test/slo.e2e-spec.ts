import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';
import { exportSpans, repeat } from './support/otel.js';
import { metricValue } from './support/metrics.js';

const availability = (over: Record<string, unknown> = {}) => ({
  name: 'checkout-availability',
  service: 'checkout',
  indicator: { type: 'availability' },
  selector: { operations: ['POST /cart', 'GET /cart/*'] },
  objective: 99,
  window: '30d',
  labels: { team: 'payments' },
  runbookUrl: 'https://runbooks.example.com/checkout',
  ...over,
});

describe('SLOs: definitions, exact counting, status, history', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1' }, { listen: true });
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;

  const api = () => request(t.server);

  it('validates each field with a 400 naming it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ objective: 100 }, 'objective:'],
      [{ objective: '99' }, 'objective:'],
      [{ name: '' }, 'name:'],
      [{ service: 7 }, 'service:'],
      [{ window: '120d' }, 'window'],
      [{ window: 'month:Mars/Olympus' }, 'window'],
      [{ indicator: { type: 'latency' } }, 'indicator.thresholdMs:'],
      [{ indicator: { type: 'vibes' } }, 'indicator.type:'],
      [{ selector: { spanKinds: ['sideways'] } }, 'selector.spanKinds:'],
      [{ runbookUrl: 'javascript:alert(1)' }, 'runbookUrl:'],
      [{ alerting: { policy: { tiers: [{ severity: 'page', longWindowMs: 300000, shortWindowMs: 3600000, budgetFraction: 0.02 }] } } }, 'alerting.policy.tiers[0].shortWindowMs'],
      [{ labels: { 'bad key': 'x' } }, 'labels.bad key:'],
    ];
    for (const [over, field] of cases) {
      const res = await api().post('/api/v1/slos').send(availability(over)).expect(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.message).toContain(field);
    }
  });

  it('creates, lists, gets, patches and replaces; 404 for unknown ids, 409 for duplicate names', async () => {
    const created = await api().post('/api/v1/slos').send(availability({ name: 'crud-test' })).expect(201);
    expect(created.body).toMatchObject({ name: 'crud-test', objective: 99, window: '30d', selector: { spanKinds: ['server', 'consumer'] }, version: 1 });
    await api().post('/api/v1/slos').send(availability({ name: 'crud-test' })).expect(409);
    const id = created.body.id;
    await api().get(`/api/v1/slos/${id}`).expect(200);
    const patched = await api().patch(`/api/v1/slos/${id}`).send({ objective: 99.5 }).expect(200);
    expect(patched.body).toMatchObject({ objective: 99.5, version: 2, labels: { team: 'payments' } });
    // As in a JSON merge patch, null removes a field and its default applies again; a required one is then missing.
    await api().patch(`/api/v1/slos/${id}`).send({ description: 'checkout must work' }).expect(200);
    const cleared = await api().patch(`/api/v1/slos/${id}`).send({ description: null }).expect(200);
    expect(cleared.body).toMatchObject({ description: '', objective: 99.5 });
    const noObjective = await api().patch(`/api/v1/slos/${id}`).send({ objective: null }).expect(400);
    expect(noObjective.body.message).toContain('objective');
    const replaced = await api().put(`/api/v1/slos/${id}`).send(availability({ name: 'crud-test-2', window: 'month:Europe/Berlin' })).expect(200);
    expect(replaced.body).toMatchObject({ name: 'crud-test-2', window: 'month:Europe/Berlin', objective: 99 });
    const list = await api().get('/api/v1/slos?label=team=payments').expect(200);
    expect(list.body.map((s: { name: string }) => s.name)).toContain('crud-test-2');
    await api().delete(`/api/v1/slos/${id}`).expect(204);
    await api().get(`/api/v1/slos/${id}`).expect(404);
    await api().get('/api/v1/slos/00000000-0000-0000-0000-000000000000').expect(404);
    await api().get('/api/v1/slos/not-a-uuid/status').expect(404);
  });

  it('reports tiers that can never fire for the objective, on write and in status', async () => {
    const res = await api().post('/api/v1/slos').send(availability({ name: 'loose', objective: 90 })).expect(201);
    // 90%: the largest burn rate is 10, below the 1h page tier's 14.4.
    expect(res.body.warnings.join(' ')).toMatch(/tiers\[0\].*can never fire/);
    const status = await api().get(`/api/v1/slos/${res.body.id}/status`).expect(200);
    expect(status.body.alerting.tiers[0]).toMatchObject({ severity: 'page', unreachable: true });
    await api().delete(`/api/v1/slos/${res.body.id}`).expect(204);
  });

  it('counts spans from a real OTel exporter exactly against each SLO', async () => {
    const slo = await api().post('/api/v1/slos').send(availability()).expect(201);
    expect(slo.body.approximateUntil).toBeNull();
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'checkout' }, [
      ...repeat(180, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 20, attributes: { 'http.response.status_code': 200 } }, minute),
      ...repeat(12, { name: 'GET /cart/:id', kind: SpanKind.SERVER, durationMs: 20, attributes: { 'http.response.status_code': 503 } }, minute),
      ...repeat(8, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 20, error: true }, minute),
      ...repeat(5, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 20, attributes: { 'http.response.status_code': 404 } }, minute),
      // Not selected: other operations, client spans, other services.
      ...repeat(30, { name: 'GET /health', kind: SpanKind.SERVER, durationMs: 1 }, minute),
      ...repeat(30, { name: 'POST /cart', kind: SpanKind.CLIENT, durationMs: 1, error: true }, minute),
    ]);
    await exportSpans(t.baseUrl, 'json', { 'service.name': 'search' }, repeat(50, { name: 'POST /cart', kind: SpanKind.SERVER, durationMs: 1, error: true }, minute));

    const status = await api().get(`/api/v1/slos/${slo.body.id}/status`).expect(200);
    expect(status.body.events).toEqual({ good: 185, bad: 20, total: 205 });
    expect(status.body.sli).toBeCloseTo(185 / 205, 12);
    expect(status.body.windows['5m']).toMatchObject({ good: 185, total: 205 });
    // Burn rate = error ratio / (1 - objective) = (20/205) / 0.01.
    expect(status.body.windows['1h'].burnRate).toBeCloseTo(20 / 205 / 0.01, 9);
    expect(status.body.errorBudget.remainingFraction).toBeCloseTo(1 - 20 / (0.01 * 205), 9);
    expect(status.body.approximate).toBe(false);
    expect(status.body.noData).toBe(false);
  });

  it('judges latency exactly at the threshold: equal is good, one microsecond over is bad', async () => {
    const slo = await api()
      .post('/api/v1/slos')
      .send({ name: 'search-latency', service: 'latency-svc', indicator: { type: 'latency', thresholdMs: 100 }, objective: 99, window: '7d' })
      .expect(201);
    const sec = Math.floor(minute / 1000);
    const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'latency-svc' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${t.baseUrl}/v1/traces` }))],
    });
    const tracer = provider.getTracer('e2e');
    const span = (endNanos: number) => tracer.startSpan('GET /search', { kind: SpanKind.SERVER, startTime: [sec, 0] }).end([sec, endNanos]);
    for (let i = 0; i < 7; i++) span(100_000_000); // exactly 100 ms
    for (let i = 0; i < 3; i++) span(100_001_000); // 100.001 ms
    span(99_999_999);
    await provider.forceFlush();
    await provider.shutdown();
    const status = await api().get(`/api/v1/slos/${slo.body.id}/status`).expect(200);
    expect(status.body.events).toEqual({ good: 8, bad: 3, total: 11 });
  });

  it('backfills an SLO created after the traffic from RED data, marked approximate', async () => {
    const res = await api()
      .post('/api/v1/slos')
      .send(availability({ name: 'late-slo', selector: { operations: ['POST /cart'] } }))
      .expect(201);
    expect(res.body.approximateUntil).not.toBeNull();
    const status = await api().get(`/api/v1/slos/${res.body.id}/status`).expect(200);
    // From RED rows: POST /cart SERVER spans = 180 ok + 8 errors + 5 4xx.
    expect(status.body.events).toEqual({ good: 185, bad: 8, total: 193 });
    expect(status.body.approximate).toBe(true);
    const history = await api().get(`/api/v1/slos/${res.body.id}/history?step=1m&from=${new Date(minute - 120_000).toISOString()}`).expect(200);
    expect(history.body.points.length).toBeGreaterThan(2);
    expect(history.body.points.every((p: { approximate: boolean }) => p.approximate)).toBe(true);
    const last = history.body.points[history.body.points.length - 1];
    expect(last.sli).toBeCloseTo(185 / 193, 9);
  });

  it('evaluates on schedule, stores a snapshot, and exposes SLO gauges on /metrics', async () => {
    await until('snapshots of the three SLOs', async () => {
      const [{ n }] = await t.dataSource.query(`SELECT count(*) AS n FROM slo_status`);
      return Number(n) >= 3;
    });
    const m = (await api().get('/metrics').expect(200)).text;
    expect(metricValue(m, 'burnwatch_slo_objective_ratio', { slo: 'checkout-availability' })).toBeCloseTo(0.99, 12);
    expect(metricValue(m, 'burnwatch_slo_events', { slo: 'checkout-availability', window: '1h', kind: 'total' })).toBe(205);
    expect(metricValue(m, 'burnwatch_slo_sli_ratio', { slo: 'checkout-availability', window: 'full' })).toBeCloseTo(185 / 205, 9);
    expect(metricValue(m, 'burnwatch_slo_burn_rate', { slo: 'checkout-availability', window: '5m' })).toBeCloseTo(20 / 205 / 0.01, 6);
    expect(metricValue(m, 'burnwatch_slo_error_budget_remaining_ratio', { slo: 'checkout-availability' })).toBeCloseTo(1 - 20 / 2.05, 6);
    expect(metricValue(m, 'burnwatch_evaluation_ticks_total', { role: 'leader' })).toBeGreaterThanOrEqual(1);
  });
});
