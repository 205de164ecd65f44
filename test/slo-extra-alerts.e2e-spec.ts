import request from 'supertest';
import { until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';


describe('optional SLO alerts: budget exhaustion and no data', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1' });

  it('validates the options', async () => {
    const base = { name: 'x', service: 's', indicator: { type: 'availability' }, objective: 99, window: '7d' };
    const a = await request(t.server).post('/api/v1/slos').send({ ...base, alerting: { noData: { after: '30s' } } }).expect(400);
    expect(a.body.message).toContain('alerting.noData.after');
    const b = await request(t.server).post('/api/v1/slos').send({ ...base, alerting: { budgetExhaustion: { belowPercent: 0 } } }).expect(400);
    expect(b.body.message).toContain('alerting.budgetExhaustion.belowPercent');
  });

  it('tickets when a service goes silent, and when the budget runs low', async () => {
    const silent = await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'silent', service: 'ghost', indicator: { type: 'availability' }, objective: 99, window: '7d', alerting: { noData: { after: '15m' } } })
      .expect(201);
    expect(silent.body.alerting).toEqual({ noData: { after: '15m' } });
    await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'spent', service: 'busy', indicator: { type: 'availability' }, objective: 99, window: '7d', alerting: { budgetExhaustion: { belowPercent: 50 }, minEvents: 1000000 } })
      .expect(201);
    const now = Date.now();
    // 1% budget: 1 bad in 200 events leaves 50% of it; 2 bad leave none.
    const spans = Array.from({ length: 200 }, (_, i) => ({ service: 'busy', operation: 'op', start: now - 1000, durationMs: 1, status: i < 2 ? 'error' : 'ok' }));
    await request(t.server).post('/api/v1/spans').set('Content-Type', 'application/json').send(JSON.stringify(spans)).expect(200);
    const open = await until('both optional alerts', async () => {
      const a = (await request(t.server).get('/api/v1/alerts').expect(200)).body as { alertname: string; severity: string; labels: Record<string, string> }[];
      return a.length >= 2 && a;
    });
    const names = open.map((a) => `${a.alertname}:${a.labels.slo}:${a.severity}`).sort();
    // minEvents keeps the burn-rate alerts quiet here, so only the two optional alerts fire.
    expect(names).toEqual(['SloErrorBudgetExhausted:spent:ticket', 'SloNoData:silent:ticket']);
  });
  it('resolves the alerts of an SLO that is deleted while they fire, and only those', async () => {
    const slos = (await request(t.server).get('/api/v1/slos').expect(200)).body as { id: string; name: string }[];
    const silent = slos.find((s) => s.name === 'silent')!;
    const alerts = (await request(t.server).get('/api/v1/alerts').expect(200)).body as { id: string; labels: Record<string, string> }[];
    const orphan = alerts.find((a) => a.labels.slo === 'silent')!;
    const kept = alerts.find((a) => a.labels.slo === 'spent')!;
    await request(t.server).delete(`/api/v1/slos/${silent.id}`).expect(204);
    const resolved = await until('the orphan to resolve', async () => {
      const a = (await request(t.server).get(`/api/v1/alerts/${orphan.id}`).expect(200)).body;
      return a.state === 'resolved' && a;
    });
    expect(resolved.transitions.map((x: { transition: string }) => x.transition)).toEqual(['firing', 'resolved']);
    // The other SLO's alert went through the same ticks and still fires.
    expect((await request(t.server).get(`/api/v1/alerts/${kept.id}`).expect(200)).body.state).toBe('firing');
  });
});
