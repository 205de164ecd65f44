import pg from 'pg';
import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

describe('nothing acknowledged is lost when the database goes away', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.url, { FLUSH_INTERVAL_MS: '50' }, { listen: true });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('answers 503 + Retry-After during the outage, and stores exactly the spans of requests that got 200', async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    const statuses: number[] = [];
    let acknowledged = 0;
    let retryAfterSeen = false;
    let stop = false;
    const start = Date.now();

    // Four concurrent senders, 25 spans per request, for the whole test.
    const sender = async (id: number) => {
      for (let i = 0; !stop; i++) {
        const batch = Array.from({ length: 25 }, (_, k) => ({
          service: `svc-${id}`,
          operation: 'op',
          start: start + ((i * 25 + k) % 50_000),
          durationMs: 3,
          status: k % 5 === 0 ? 'error' : 'ok',
        }));
        const res = await fetch(`${t.baseUrl}/api/v1/spans`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        statuses.push(res.status);
        if (res.status === 200) acknowledged += 25;
        if (res.status === 503 && res.headers.get('retry-after')) retryAfterSeen = true;
        await res.arrayBuffer();
      }
    };
    const senders = [0, 1, 2, 3].map(sender);

    await until('spans acknowledged before the outage', () => acknowledged >= 500);
    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [db.name]);
    await until('503 answers during the outage', () => statuses.filter((s) => s === 503).length >= 8);
    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    const back = statuses.length;
    await until('200 answers again after the outage', () => statuses.slice(back).filter((s) => s === 200).length >= 20);
    stop = true;
    await Promise.all(senders);
    await admin.end();

    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(retryAfterSeen).toBe(true);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // Requests after the outage succeed again.
    expect(statuses.slice(-4).every((s) => s === 200)).toBe(true);

    const [row] = await t.dataSource.query(`SELECT SUM(calls) AS calls, SUM(errors) AS errors FROM red_minute`);
    expect(Number(row.calls)).toBe(acknowledged);
    expect(Number(row.errors)).toBe(acknowledged / 5);
    const [hour] = await t.dataSource.query(`SELECT SUM(calls) AS calls FROM red_hour`);
    expect(Number(hour.calls)).toBe(acknowledged);
  });
});
