import request from 'supertest';
import { createTestDatabase, TestDatabase } from '../support/test-database.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { metricValue } from '../support/metrics.js';
import { TickDriver } from '../support/tick-driver.js';
import { AlertingService } from '../../src/alerting/alerting.service.js';

async function ticks(t: TestApp): Promise<{ leader: number; follower: number }> {
  const text = (await request(t.server).get('/metrics').expect(200)).text;
  return {
    leader: metricValue(text, 'burnwatch_evaluation_ticks_total', { role: 'leader' }) ?? 0,
    follower: metricValue(text, 'burnwatch_evaluation_ticks_total', { role: 'follower' }) ?? 0,
  };
}

/**
 * Leadership with an explicit clock: both replicas evaluate the same slots,
 * chosen by the test, on one real database. (The timers that pick slots in
 * production are covered by test/evaluator-leader.e2e-spec.ts.)
 */
describe('evaluation leadership, slot by slot (explicit clock)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const interval = 1000;
  // Slots of a fixed instant: the test owns time, so nothing depends on when it runs.
  const base = Math.floor(Date.now() / interval) * interval;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startTestApp(db.url, { EVAL_INTERVAL_SECONDS: '1' });
    b = await startTestApp(db.url, { EVAL_INTERVAL_SECONDS: '1' });
    await TickDriver.explicit(a, base);
    await TickDriver.explicit(b, base);
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
    const before = [await ticks(a), await ticks(b)];
    const slots = [1, 2, 3].map((i) => base + i * interval);
    for (const [i, slot] of slots.entries()) {
      // Alternate who arrives first, and let the second arrive while the first may still hold the lock.
      const [first, second] = i % 2 === 0 ? [a, b] : [b, a];
      const results = await Promise.all([first.app.get(AlertingService).tick(slot + 50, slot), second.app.get(AlertingService).tick(slot + 300, slot)]);
      // Every slot is evaluated by exactly one of them: the other one finds it done (or locked).
      expect(results.filter((r) => r.leader)).toHaveLength(1);
      expect(results.find((r) => r.leader)?.evaluated).toBe(1);
    }
    const after = [await ticks(a), await ticks(b)];
    const leaderTicks = after[0].leader + after[1].leader - before[0].leader - before[1].leader;
    const followerTicks = after[0].follower + after[1].follower - before[0].follower - before[1].follower;
    expect(leaderTicks).toBeGreaterThanOrEqual(3);
    expect(leaderTicks).toBeLessThanOrEqual(slots.length);
    expect(followerTicks).toBeGreaterThanOrEqual(3);
    const [{ last_tick_ms }] = await a.dataSource.query(`SELECT last_tick_ms FROM evaluator_tick WHERE id = 1`);
    expect(Number(last_tick_ms)).toBe(slots[2]);
  });

  it('lets the survivor take over the next slot when the other stops', async () => {
    const last = base + 3 * interval;
    // a led the last slot above half the time; whoever it was, a now stops.
    await a.close();
    const before = (await ticks(b)).leader;
    const next = last + interval;
    const result = await b.app.get(AlertingService).tick(next + 50, next);
    expect(result.leader).toBe(true);
    expect((await ticks(b)).leader - before).toBeGreaterThanOrEqual(1);
    const [{ last_tick_ms }] = await b.dataSource.query(`SELECT last_tick_ms FROM evaluator_tick WHERE id = 1`);
    expect(Number(last_tick_ms)).toBe(next);
  });
});
