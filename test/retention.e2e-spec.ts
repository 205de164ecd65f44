import { createTestDatabase, TestDatabase } from './support/test-database.js';
import { startTestApp, TestApp } from './support/test-app.js';
import { RetentionJob } from '../src/retention/retention.job.js';

describe('retention', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp(db.url, { RETENTION_MINUTE_DAYS: '8', RETENTION_HOUR_DAYS: '400' });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('deletes minute rows past RETENTION_MINUTE_DAYS and hour rows past RETENTION_HOUR_DAYS, keeping the rest', async () => {
    const day = 86_400_000;
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO series (series_key, service, span_name, span_kind) VALUES ('k', 's', 'op', 'SPAN_KIND_SERVER') RETURNING id`,
    );
    const row = (table: string, ms: number) =>
      t.dataSource.query(
        `INSERT INTO ${table} (series_id, bucket, calls, errors, duration_sum_ms) VALUES ($1, to_timestamp($2), 1, 0, 1)`,
        [id, ms / 1000],
      );
    await row('red_minute', now - 9 * day);
    await row('red_minute', now - 7 * day);
    await row('red_hour', now - 401 * day);
    await row('red_hour', now - 399 * day);
    const result = await t.app.get(RetentionJob).run(now);
    expect(result).toEqual({ minuteRows: 1, hourRows: 1 });
    const [{ m }] = await t.dataSource.query(`SELECT count(*)::int AS m FROM red_minute`);
    const [{ h }] = await t.dataSource.query(`SELECT count(*)::int AS h FROM red_hour`);
    expect({ m, h }).toEqual({ m: 1, h: 1 });
  });
});
