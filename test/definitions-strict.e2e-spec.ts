import request from 'supertest';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';

const slo = {
  name: 'checkout-availability',
  service: 'checkout',
  indicator: { type: 'availability' },
  selector: { operations: ['POST /cart'], spanKinds: ['server'] },
  objective: 99.9,
  window: '30d',
  channels: ['oncall-slack'],
};

describe('definitions are strict over the API', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.url);
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('refuses an SLO naming a channel that does not exist, since its alerts would notify nobody', async () => {
    const res = await request(t.server).post('/api/v1/slos').send(slo).expect(400);
    expect(res.body.message).toBe('channels: no channel named "oncall-slack"; create it first (POST /api/v1/channels) or remove it');
    const rule = {
      name: 'checkout-5xx',
      selector: { service: 'checkout' },
      condition: { type: 'error_ratio', window: '5m', threshold: 0.05 },
      severity: 'page',
      channels: ['nobody'],
    };
    const r = await request(t.server).post('/api/v1/alert-rules').send(rule).expect(400);
    expect(r.body.message).toContain('channels: no channel named "nobody"');
  });

  it('gives 400 naming the path of misplaced or mistyped fields, and stores nothing', async () => {
    const nested = await request(t.server)
      .post('/api/v1/slos')
      .send({ ...slo, channels: [], selector: undefined, indicator: { type: 'latency', thresholdMs: 300, selector: { operations: ['POST /cart'] } } })
      .expect(400);
    expect(nested.body.message).toContain('indicator.selector: unknown field; "selector" belongs at the top level');
    const typo = await request(t.server).post('/api/v1/slos').send({ ...slo, channels: [], objectve: 99 }).expect(400);
    expect(typo.body.message).toContain('objectve: unknown field; did you mean "objective"?');
    const ratio = await request(t.server).post('/api/v1/slos').send({ ...slo, channels: [], objective: 0.999 }).expect(400);
    expect(ratio.body.message).toContain('did you mean 99.9?');
    expect((await request(t.server).get('/api/v1/slos').expect(200)).body).toEqual([]);
  });

  it('round-trips a definition: what GET returns, PUT back, changes nothing', async () => {
    const channel = await request(t.server)
      .post('/api/v1/channels')
      .send({ name: 'oncall-slack', type: 'slack', config: { webhookUrl: 'http://127.0.0.1:9/hook' } })
      .expect(201);
    const created = await request(t.server).post('/api/v1/slos').send(slo).expect(201);
    const fetched = (await request(t.server).get(`/api/v1/slos/${created.body.id}`).expect(200)).body;
    const put = await request(t.server).put(`/api/v1/slos/${created.body.id}`).send(fetched).expect(200);
    const strip = ({ version: _v, updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    expect(strip(put.body)).toEqual(strip(fetched));

    // While the SLO names it, the channel can be neither deleted nor renamed away from under it.
    const del = await request(t.server).delete(`/api/v1/channels/${channel.body.id}`).expect(409);
    expect(del.body.message).toBe('channel oncall-slack is still named by SLO checkout-availability; remove it from them first');
    await request(t.server)
      .put(`/api/v1/channels/${channel.body.id}`)
      .send({ name: 'renamed', type: 'slack', config: { webhookUrl: 'http://127.0.0.1:9/hook' } })
      .expect(409);
    await request(t.server).patch(`/api/v1/slos/${created.body.id}`).send({ channels: [] }).expect(200);
    await request(t.server).delete(`/api/v1/channels/${channel.body.id}`).expect(204);
  });
});
