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

async function lastTickMs(t: TestApp): Promise<number | undefined> {
  const rows: { last_tick_ms: string }[] = await t.dataSource.query(`SELECT last_tick_ms FROM evaluator_tick WHERE id = 1`);
  return rows.length ? Number(rows[0].last_tick_ms) : undefined;
}

/**
 * The replicas' own timers, on real time. That each slot is evaluated once
 * is shown slot by slot with an explicit clock in
 * test/medium/evaluator-leader.medium-spec.ts; here the stored slots stand
 * in for elapsed time, so nothing depends on how fast the machine is.
 */
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
    const firstSlot = await until('a first tick', () => lastTickMs(a));
    const t0 = [await ticks(a), await ticks(b)];
    const led0 = t0[0].leader + t0[1].leader;
    const [ta, tb] = await until('three led and three followed ticks', async () => {
      const now = [await ticks(a), await ticks(b)];
      return now[0].leader + now[1].leader - led0 >= 3 && now[0].follower + now[1].follower >= 3 && now;
    });
    const lastSlot = (await lastTickMs(a))!;
    const leaderTicks = ta.leader + tb.leader - led0;
    // Every slot is evaluated by exactly one of them: the other one's timer finds it done.
    // (+1: a tick may have stored its slot but not yet counted itself when firstSlot was read.)
    expect(leaderTicks).toBeGreaterThanOrEqual(3);
    expect(leaderTicks).toBeLessThanOrEqual((lastSlot - firstSlot) / 1000 + 1);
    expect(ta.follower + tb.follower).toBeGreaterThanOrEqual(3);
  });

  it('counts spans for an SLO created on the other instance within seconds', async () => {
    const created = await request(a.server)
      .post('/api/v1/slos')
      .send({ name: 'made-on-a', service: 'replica-svc', indicator: { type: 'availability' }, objective: 99, window: '7d' })
      .expect(201);
    // b polls the SLO set every 2 s.
    const registry = b.app.get(SloRegistry);
    await until('b to load the new SLO', () => registry.all.some((s) => s.id === created.body.id), 5000);
    const spans = Array.from({ length: 10 }, (_, i) => ({ service: 'replica-svc', operation: 'op', start: Date.now(), durationMs: 1, status: i < 3 ? 'error' : 'ok' }));
    await request(b.server).post('/api/v1/spans').set('Content-Type', 'application/json').send(JSON.stringify(spans)).expect(200);
    const [row] = await a.dataSource.query(`SELECT SUM(good) AS good, SUM(total) AS total FROM sli_minute WHERE slo_id = $1`, [created.body.id]);
    expect({ good: Number(row.good), total: Number(row.total) }).toEqual({ good: 7, total: 10 });
  });

  it('lets the survivor take over within one interval when the other stops', async () => {
    await a.close();
    const stoppedSlot = Math.floor(Date.now() / 1000) * 1000;
    const before = (await ticks(b)).leader;
    // Its timer fires just after the next boundary; two intervals leave room for a slow tick.
    await until('b to lead a tick', async () => (await ticks(b)).leader - before >= 1, 2200);
    expect((await ticks(b)).leader - before).toBeGreaterThanOrEqual(1);
    // The slot b evaluated is one that began after a stopped.
    expect(await lastTickMs(b)).toBeGreaterThanOrEqual(stoppedSlot);
  });
});
