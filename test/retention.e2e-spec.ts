import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { useTestApp } from './support/test-app.js';
import { RetentionJob } from '../src/retention/retention.job.js';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('retention', () => {
  const t = useTestApp({ RETENTION_MINUTE_DAYS: '8', RETENTION_HOUR_DAYS: '400' });

  it('deletes minute rows past RETENTION_MINUTE_DAYS and hour rows past RETENTION_HOUR_DAYS, keeping the rest', async () => {
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

  it('deletes SLO counts past the same horizons, and counts of SLOs that no longer exist', async () => {
    const slo = await request(t.server)
      .post('/api/v1/slos')
      .send({ name: 'kept', service: 's', indicator: { type: 'availability' }, objective: 99, window: '7d' })
      .expect(201);
    const id: string = slo.body.id;
    const gone = randomUUID(); // as if written by a batch in flight while its SLO was deleted
    const row = (table: string, sloId: string, ms: number) =>
      t.dataSource.query(`INSERT INTO ${table} (slo_id, bucket, good, total) VALUES ($1, to_timestamp($2), 1, 1)`, [sloId, ms / 1000]);
    await row('sli_minute', id, now - 9 * day);
    await row('sli_minute', id, now - 7 * day);
    await row('sli_minute', gone, now - 1 * day);
    await row('sli_hour', id, now - 401 * day);
    await row('sli_hour', id, now - 399 * day);
    await row('sli_hour', gone, now - 1 * day);
    await t.app.get(RetentionJob).run(now);
    const left = async (table: string) =>
      (await t.dataSource.query(`SELECT slo_id, extract(epoch FROM bucket) * 1000 AS ms FROM ${table} ORDER BY bucket`)).map((r: { slo_id: string; ms: string }) => [r.slo_id, Number(r.ms)]);
    expect(await left('sli_minute')).toEqual([[id, now - 7 * day]]);
    expect(await left('sli_hour')).toEqual([[id, now - 399 * day]]);
  });

  it('deletes delivered notifications sent before the hour horizon, and keeps newer ones and every undelivered one', async () => {
    const alertId = randomUUID();
    await t.dataSource.query(
      `INSERT INTO alerts (id, fingerprint, source, source_id, alertname, severity, service, labels, state, active_at, fired_at)
       VALUES ($1, $2, 'slo', $3, 'SloErrorBudgetBurn', 'page', 's', '{}', 'firing', now(), now())`,
      [alertId, alertId.slice(0, 16), randomUUID()],
    );
    const channel = await request(t.server).post('/api/v1/channels').send({ name: 'hooks', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } }).expect(201);
    const note = async (key: string, status: string, sentMs: number | null, createdMs: number) =>
      t.dataSource.query(
        `INSERT INTO notifications (dedup_key, alert_id, channel_id, kind, payload, status, sent_at, created_at, next_attempt_at)
         VALUES ($1, $2, $3, 'firing', '{}', $4, to_timestamp($5), to_timestamp($6), 'infinity')`,
        [key, alertId, channel.body.id, status, sentMs === null ? null : sentMs / 1000, createdMs / 1000],
      );
    await note('old-sent', 'sent', now - 401 * day, now - 401 * day);
    await note('new-sent', 'sent', now - 399 * day, now - 401 * day);
    await note('old-dead', 'dead', null, now - 401 * day);
    await note('old-pending', 'pending', null, now - 401 * day);
    await t.app.get(RetentionJob).run(now);
    const keys = (await t.dataSource.query(`SELECT dedup_key FROM notifications ORDER BY dedup_key`)).map((r: { dedup_key: string }) => r.dedup_key);
    expect(keys).toEqual(['new-sent', 'old-dead', 'old-pending']);
  });

  it('deletes alerts closed before the hour horizon with their transitions, and keeps newer ones and every open one', async () => {
    const alert = async (name: string, state: string, updatedMs: number) => {
      const id = randomUUID();
      await t.dataSource.query(
        `INSERT INTO alerts (id, fingerprint, source, source_id, alertname, severity, service, labels, state, active_at, fired_at, resolved_at, created_at, updated_at)
         VALUES ($1, $2, 'rule', $3, $4, 'page', 's', '{}', $5, to_timestamp($6), to_timestamp($6), $7, to_timestamp($6), to_timestamp($6))`,
        [id, id.slice(0, 16), randomUUID(), name, state, updatedMs / 1000, state === 'resolved' ? new Date(updatedMs) : null],
      );
      await t.dataSource.query(`INSERT INTO alert_transitions (alert_id, at, transition) VALUES ($1, to_timestamp($2), $3)`, [id, updatedMs / 1000, 'firing']);
      return id;
    };
    const oldResolved = await alert('old-resolved', 'resolved', now - 401 * day);
    const oldCancelled = await alert('old-cancelled', 'cancelled', now - 401 * day);
    await alert('new-resolved', 'resolved', now - 399 * day);
    await alert('old-firing', 'firing', now - 401 * day);
    await t.app.get(RetentionJob).run(now);
    const names = (await t.dataSource.query(`SELECT alertname FROM alerts WHERE source = 'rule' ORDER BY alertname`)).map((r: { alertname: string }) => r.alertname);
    expect(names).toEqual(['new-resolved', 'old-firing']);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM alert_transitions WHERE alert_id = ANY($1::uuid[])`, [[oldResolved, oldCancelled]]);
    expect(n).toBe(0);
  });
});
