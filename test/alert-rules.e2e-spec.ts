import request from 'supertest';
import { until } from './support/wait.js';
import { useTestApp } from './support/test-app.js';


describe('symptom rules', () => {
  const t = useTestApp({ FLUSH_INTERVAL_MS: '50', EVAL_INTERVAL_SECONDS: '1' });

  const rule = (over: Record<string, unknown> = {}) => ({
    name: 'api-5xx',
    selector: { service: 'api', operations: ['GET /orders*'], spanKinds: ['server'] },
    condition: { type: 'error_ratio', window: '5m', threshold: 0.1, minCalls: 10 },
    for: '0s',
    severity: 'page',
    annotations: { summary: 'orders failing' },
    ...over,
  });

  it('validates rules with 400s naming the field, 409 for duplicates, 404 for unknown ids', async () => {
    const bad = await request(t.server).post('/api/v1/alert-rules').send(rule({ condition: { type: 'error_ratio', window: '5m', threshold: 2 } })).expect(400);
    expect(bad.body.message).toContain('condition.threshold');
    const noSev = await request(t.server).post('/api/v1/alert-rules').send({ ...rule(), severity: undefined }).expect(400);
    expect(noSev.body.message).toContain('severity');
    const created = await request(t.server).post('/api/v1/alert-rules').send(rule({ name: 'tmp' })).expect(201);
    expect(created.body).toMatchObject({ name: 'tmp', condition: { type: 'error_ratio', window: '5m', threshold: 0.1 } });
    await request(t.server).post('/api/v1/alert-rules').send(rule({ name: 'tmp' })).expect(409);
    await request(t.server).put(`/api/v1/alert-rules/${created.body.id}`).send(rule({ name: 'tmp', for: '1m' })).expect(200);
    await request(t.server).delete(`/api/v1/alert-rules/${created.body.id}`).expect(204);
    await request(t.server).get(`/api/v1/alert-rules/${created.body.id}`).expect(404);
  });

  it('fires an error-ratio rule from ingested spans and names the failing operation', async () => {
    await request(t.server).post('/api/v1/alert-rules').send(rule()).expect(201);
    const now = Date.now();
    const spans = Array.from({ length: 40 }, (_, i) => ({
      service: 'api',
      operation: i % 2 ? 'GET /orders/:id' : 'GET /ordersearch',
      start: now - 2000,
      durationMs: 3,
      status: i % 4 === 1 ? 'error' : 'ok',
      traceId: (i + 1).toString(16).padStart(32, '0'),
    }));
    await request(t.server).post('/api/v1/spans').set('Content-Type', 'application/json').send(JSON.stringify(spans)).expect(200);
    const open = await until('the rule alert', async () => {
      const a = (await request(t.server).get('/api/v1/alerts').expect(200)).body;
      return a.length > 0 && a;
    });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ alertname: 'api-5xx', source: 'rule', state: 'firing', severity: 'page', value: 0.25 });
    expect(open[0].details.topOperations[0]).toMatchObject({ operation: 'GET /orders/:id', errors: 10 });
    expect(open[0].details.topOperations[0].exampleTraceIds[0]).toMatch(/^0+[0-9a-f]+$/);
  });

  it('resolves the alert of a rule that is deleted while it fires', async () => {
    const [rule] = (await request(t.server).get('/api/v1/alert-rules').expect(200)).body;
    const [alert] = (await request(t.server).get('/api/v1/alerts').expect(200)).body;
    await request(t.server).delete(`/api/v1/alert-rules/${rule.id}`).expect(204);
    const resolved = await until('the orphan to resolve', async () => {
      const a = (await request(t.server).get(`/api/v1/alerts/${alert.id}`).expect(200)).body;
      return a.state === 'resolved' && a;
    });
    expect(resolved.transitions.map((x: { transition: string }) => x.transition)).toEqual(['firing', 'resolved']);
  });
});
