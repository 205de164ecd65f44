import request from 'supertest';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { metricValue } from './support/metrics.js';
import { until } from './support/wait.js';
import { SloRegistry } from '../src/slo/slo-registry.js';

async function ticks(t: TestApp): Promise<{ leader: number; follower: number }> {
  const text = (await request(t.server).get('/metrics').expect(200)).text;
  return {
    leader: metricValue(text, 'burnwatch_evaluation_ticks_total', { role: 'leader' }) ?? 0,
    follower: metricValue(text, 'burnwatch_evaluation_ticks_total', { role: 'follower' }) ?? 0,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('evaluation leadership across two instances on one database', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(db.url, { EVAL_INTERVAL_SECONDS: '1' });
    b = await startTestApp(db.url, { EVAL_INTERVAL_SECONDS: '1' });
    await request(a.server)
      .post('/api/v1/slos')
      .send({ name: 'led', service: 'svc', indicator: { type: 'availability' }, objective: 99.9, window: '30d' })
      .expect(201);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('evaluates each tick once, whichever instance gets there first', async () => {
    const start = Date.now();
    await sleep(4200);
    const elapsedSlots = Math.ceil((Date.now() - start) / 1000) + 1;
    const [ta, tb] = [await ticks(a), await ticks(b)];
    const leaderTicks = ta.leader + tb.leader;
    // Every slot is evaluated by exactly one of them: the other one's timer finds it done.
    expect(leaderTicks).toBeGreaterThanOrEqual(3);
    expect(leaderTicks).toBeLessThanOrEqual(elapsedSlots);
    expect(ta.follower + tb.follower).toBeGreaterThanOrEqual(3);
  });

  it('counts spans for an SLO created on the other instance within seconds', async () => {
    const created = await request(a.server)
      .post('/api/v1/slos')
      .send({ name: 'made-on-a', service: 'replica-svc', indicator: { type: 'availability' }, objective: 99, window: '7d' })
      .expect(201);
    // b polls the SLO set every 2 s.
    const registry = b.app.get(SloRegistry);
    const start = Date.now();
    await until('b to load the new SLO', () => registry.all.some((s) => s.id === created.body.id));
    expect(Date.now() - start).toBeLessThan(5000);
    const spans = Array.from({ length: 10 }, (_, i) => ({ service: 'replica-svc', operation: 'op', start: Date.now(), durationMs: 1, status: i < 3 ? 'error' : 'ok' }));
    await request(b.server).post('/api/v1/spans').set('Content-Type', 'application/json').send(JSON.stringify(spans)).expect(200);
    const [row] = await a.dataSource.query(`SELECT SUM(good) AS good, SUM(total) AS total FROM sli_minute WHERE slo_id = $1`, [created.body.id]);
    expect({ good: Number(row.good), total: Number(row.total) }).toEqual({ good: 7, total: 10 });
  });

  it('lets the survivor take over within one interval when the other stops', async () => {
    await a.close();
    const before = (await ticks(b)).leader;
    await sleep(2200);
    expect((await ticks(b)).leader - before).toBeGreaterThanOrEqual(1);
    const [{ completed_at }] = await b.dataSource.query(`SELECT completed_at FROM evaluator_tick WHERE id = 1`);
    expect(Date.now() - new Date(completed_at).getTime()).toBeLessThan(1500);
  });
});
