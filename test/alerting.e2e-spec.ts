import request from 'supertest';
import { SpanKind } from '@opentelemetry/api';
import { until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';
import { exportSpans, repeat, SpanSpec } from './support/otel.js';
import { metricValue } from './support/metrics.js';

const ENV = { FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1', PUBLIC_URL: 'https://burnwatch.example.com' };

describe('burn-rate alerts from real traffic', () => {
  const t = useTestApp(ENV, { listen: true });
  let sloId: string;
  const now = Date.now();
  const thisMinute = Math.floor(now / 60_000) * 60_000;

  beforeAll(async () => {
    const slo = await request(t.server)
      .post('/api/v1/slos')
      .send({
        name: 'checkout-availability',
        service: 'shop',
        indicator: { type: 'availability' },
        selector: { operations: ['POST /checkout', 'GET /products'] },
        objective: 99.9,
        window: '30d',
        runbookUrl: 'https://runbooks.example.com/checkout',
      })
      .expect(201);
    sloId = slo.body.id;
  });

  const alerts = async (state = 'all') => (await request(t.server).get(`/api/v1/alerts?state=${state}`).expect(200)).body;

  it('stays quiet on healthy traffic', async () => {
    const healthy: SpanSpec[] = [];
    for (let i = 60; i >= 2; i--) healthy.push(...repeat(100, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute - i * 60_000));
    // The service has run for days: without older history the partial-window guard would
    // (rightly) judge the 1d and 3d ticket windows by the budget actually spent, see the last test.
    healthy.push(...repeat(100, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute - 4 * 86_400_000));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, healthy);
    const tick = async () => Number((await t.dataSource.query(`SELECT last_tick_ms FROM evaluator_tick`))[0]?.last_tick_ms ?? 0);
    const sent = Date.now();
    await until('two ticks after the traffic', async () => (await tick()) >= sent + 1000);
    expect(await alerts()).toEqual([]);
  });

  it('pages on an outage, naming the failing operation with a real trace id', async () => {
    const outage = repeat(300, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 2, attributes: { 'http.response.status_code': 503 } }, now - 20_000).map(
      (s) => ({ ...s, startMs: now - 5000 + (s.startMs % 1000) }),
    );
    const traceIds = await exportSpans(t.baseUrl, 'json', { 'service.name': 'shop' }, [
      ...outage,
      ...repeat(50, { name: 'GET /products', kind: SpanKind.SERVER, durationMs: 5 }, thisMinute).map((s) => ({ ...s, startMs: now - 4000 })),
    ]);
    const open = await until('the page alert', async () => {
      const a = await alerts('active');
      return a.length > 0 && a;
    });
    expect(open).toHaveLength(1);
    const page = open[0];
    expect(page).toMatchObject({
      state: 'firing',
      severity: 'page',
      alertname: 'SloErrorBudgetBurn',
      service: 'shop',
      labels: { slo: 'checkout-availability', service: 'shop', severity: 'page', alertname: 'SloErrorBudgetBurn' },
      annotations: { runbook_url: 'https://runbooks.example.com/checkout', dashboard: `https://burnwatch.example.com/api/v1/slos/${sloId}/status` },
    });
    const d = page.details;
    expect(d.crossed[0]).toMatchObject({ longWindow: '1h', shortWindow: '5m', factor: 14.4 });
    expect(d.crossed[0].shortBurnRate).toBeGreaterThan(14.4);
    expect(d.topOperations[0]).toMatchObject({ operation: 'POST /checkout', errors: 300 });
    expect(d.topOperations[0].exampleTraceIds.length).toBeGreaterThan(0);
    for (const id of d.topOperations[0].exampleTraceIds) expect(traceIds).toContain(id);
    // 300 bad of ~6,250 events against a 0.1% budget (6.25 events): the budget is gone.
    expect(d.budgetRemaining).toBeLessThan(0);
    expect(d.timeToExhaustionSeconds).toBe(0);
    expect(d.burnRates['5m']).toBeGreaterThan(14.4);
    expect(d.link).toBe(`https://burnwatch.example.com/api/v1/slos/${sloId}/status`);

    const m = (await request(t.server).get('/metrics').expect(200)).text;
    expect(metricValue(m, 'burnwatch_alerts', { state: 'firing', severity: 'page' })).toBe(1);
    expect(metricValue(m, 'ALERTS', { alertname: 'SloErrorBudgetBurn', alertstate: 'firing', slo: 'checkout-availability' })).toBe(1);
  });

  it('keeps one alert across a restart while it fires', async () => {
    const before = (await alerts('active'))[0];
    await t.restart(ENV, { listen: true });
    // Wait for two ticks of the new process: they must neither open a second alert nor fire again.
    const ticks = async () => Number((await t.dataSource.query(`SELECT last_tick_ms FROM evaluator_tick`))[0]?.last_tick_ms ?? 0);
    const first = await ticks();
    await until('two ticks after the restart', async () => (await ticks()) >= first + 2000);
    const all = await alerts('all');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id: before.id, state: 'firing', activeAt: before.activeAt, firedAt: before.firedAt });
    const detail = (await request(t.server).get(`/api/v1/alerts/${before.id}`).expect(200)).body;
    expect(detail.transitions.filter((x: { transition: string }) => x.transition === 'firing')).toHaveLength(1);
  });

  it('resolves the page once healthy traffic brings the short windows back under their factors', async () => {
    // Enough good traffic that both page tiers drop below their factors: 300 bad in ~66,000 is
    // a burn of ~4.5 (< 6 for the 6h/30m tier), while the ticket tiers (3 and 1) may still fire.
    const recovery = repeat(60_000, { name: 'POST /checkout', kind: SpanKind.SERVER, durationMs: 30 }, thisMinute).map((s, i) => ({ ...s, startMs: Date.now() - 3000 + (i % 2000) }));
    await exportSpans(t.baseUrl, 'protobuf', { 'service.name': 'shop' }, recovery);
    const all = await until('the page to resolve', async () => {
      const a = await alerts('all');
      return a.some((x: { severity: string; state: string }) => x.severity === 'page' && x.state === 'resolved') && a.some((x: { severity: string }) => x.severity === 'ticket') && a;
    });
    const page = all.find((a: { severity: string }) => a.severity === 'page');
    expect(page.state).toBe('resolved');
    expect(page.resolvedAt).not.toBeNull();
    const detail = (await request(t.server).get(`/api/v1/alerts/${page.id}`).expect(200)).body;
    expect(detail.transitions.map((x: { transition: string }) => x.transition)).toEqual(['firing', 'resolved']);
    // The slow burn continues: with the page gone, the ticket is no longer inhibited.
    const ticket = all.find((a: { severity: string }) => a.severity === 'ticket');
    expect(ticket?.state).toBe('firing');
    await request(t.server).get('/api/v1/alerts/00000000-0000-0000-0000-000000000000').expect(404);
    await request(t.server).get('/api/v1/alerts?state=bogus').expect(400);
  });
});
