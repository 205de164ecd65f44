import request from 'supertest';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { metricValue } from './support/metrics.js';
import { runSdkLoad } from './support/sdk-load.js';

/**
 * An SDK at its defaults exports one batch of 512 at a time and drops what
 * overflows its 2,048-span queue: the time we take to acknowledge is its
 * throughput. With acks paced by a 200 ms commit timer one SDK got at most
 * ~2,600 spans/s through; this runs above that, with the server at its
 * default configuration, and asserts counts only.
 */
describe('one OpenTelemetry SDK at its defaults loses no span to us', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.url, {}, { listen: true });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('exports every span offered at 3,500 spans/s for 4 s, and stores, counts and exposes exactly that many', async () => {
    const slo = await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'steady-availability', service: 'steady', indicator: { type: 'availability' }, objective: 99, window: '30d' })
      .expect(201);

    const r = await runSdkLoad({ url: t.baseUrl, service: 'steady', spansPerSecond: 3500, seconds: 4, errorEvery: 100 });

    expect(r.offered).toBe(14_000);
    // Nothing dropped by the SDK's full queue, nothing failed at export.
    expect({ dropped: r.dropped, failed: r.failed }).toEqual({ dropped: 0, failed: 0 });
    expect(r.exported).toBe(14_000);

    // Every exported span was acknowledged after its commit: it is stored already, no waiting.
    const [red] = await t.dataSource.query(
      `SELECT SUM(m.calls) AS calls, SUM(m.errors) AS errors FROM red_minute m JOIN series s ON s.id = m.series_id WHERE s.service = 'steady'`,
    );
    expect({ calls: Number(red.calls), errors: Number(red.errors) }).toEqual({ calls: 14_000, errors: 140 });
    const [hour] = await t.dataSource.query(
      `SELECT SUM(h.calls) AS calls FROM red_hour h JOIN series s ON s.id = h.series_id WHERE s.service = 'steady'`,
    );
    expect(Number(hour.calls)).toBe(14_000);
    const [sli] = await t.dataSource.query(`SELECT SUM(good) AS good, SUM(total) AS total FROM sli_minute WHERE slo_id = $1`, [slo.body.id]);
    expect({ good: Number(sli.good), total: Number(sli.total) }).toEqual({ good: 13_860, total: 14_000 });

    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    expect(metricValue(metrics, 'burnwatch_spans_accepted_total', { protocol: 'otlp_protobuf' })).toBe(14_000);
    let calls = 0;
    for (const line of metrics.split('\n')) {
      if (line.startsWith('traces_span_metrics_calls_total{') && line.includes('service_name="steady"')) calls += Number(line.split(' ').pop());
    }
    expect(calls).toBe(14_000);
  });
});
