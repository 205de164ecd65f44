import request from 'supertest';
import pg from 'pg';
import { useTestApp } from './support/test-app.js';

describe('foundation: health, readiness, errors, metrics', () => {
  const t = useTestApp({ METRICS_TOKEN: 'metrics-token-0123456789' });

  it('serves /healthz and /readyz', async () => {
    await request(t.server).get('/healthz').expect(200, { status: 'ok' });
    await request(t.server).get('/readyz').expect(200, { status: 'ready' });
  });

  it('applies the real migrations (tables exist, synchronize off)', async () => {
    const rows: { table_name: string }[] = await t.dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['series', 'red_minute', 'red_hour', 'migrations']));
  });

  it('works in UTC whatever zone the server is in, so hour buckets are UTC hours', async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${t.db.name} SET TimeZone = 'Asia/Kolkata'`);
    await admin.end();
    // New connections get the database default unless Burnwatch overrides it.
    const other = new pg.Client({ connectionString: t.db.url });
    await other.connect();
    expect((await other.query('SHOW TimeZone')).rows[0].TimeZone).toBe('Asia/Kolkata');
    await other.end();
    await t.dataSource.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const rows: { TimeZone: string; hour: Date }[] = await t.dataSource.query(
      `SELECT current_setting('TimeZone') AS "TimeZone", date_trunc('hour', '2026-01-01T10:45:00Z'::timestamptz) AS hour`,
    );
    expect(rows[0].TimeZone).toBe('UTC');
    expect(new Date(rows[0].hour).toISOString()).toBe('2026-01-01T10:00:00.000Z');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await request(t.server).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('requires the metrics token on /metrics when one is configured', async () => {
    await request(t.server).get('/metrics').expect(401);
    await request(t.server).get('/metrics').set('Authorization', 'Bearer wrong-token-0000000000').expect(401);
    const res = await request(t.server).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789').expect(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('reports 503 on /readyz while the database refuses connections, and recovers', async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${t.db.name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [t.db.name]);
      const down = await request(t.server).get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');
      await request(t.server).get('/healthz').expect(200);
    } finally {
      await admin.query(`ALTER DATABASE ${t.db.name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await request(t.server).get('/readyz').expect(200);
  });
});
