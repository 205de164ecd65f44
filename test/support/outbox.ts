import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** queue puts one firing notification for a fresh alert in the outbox, as the evaluator would. */
export async function queue(t: TestApp, channelId: string, extra = ''): Promise<string> {
  const alertId = randomUUID();
  await t.dataSource.query(
    `INSERT INTO alerts (id, fingerprint, source, source_id, alertname, severity, service, labels, state, active_at, fired_at)
     VALUES ($1, $2, 'slo', $3, 'SloErrorBudgetBurn', 'page', 'svc', '{"slo":"s"}', 'firing', now(), now())`,
    [alertId, alertId.slice(0, 16), randomUUID()],
  );
  const payload = {
    kind: 'firing',
    alert: { id: alertId, fingerprint: 'f', alertname: 'SloErrorBudgetBurn', severity: 'page', state: 'firing', service: 'svc', labels: { slo: 's' }, annotations: {}, value: 20, details: {}, activeAt: null, firedAt: null, resolvedAt: null },
  };
  const [row] = await t.dataSource.query(
    `INSERT INTO notifications (dedup_key, alert_id, channel_id, kind, payload ${extra ? ', status, lease_until, attempts' : ''})
     VALUES ($1, $2, $3, 'firing', $4 ${extra ? `, ${extra}` : ''}) RETURNING id`,
    [`${alertId}:firing:0:${channelId}`, alertId, channelId, JSON.stringify(payload)],
  );
  return String(row.id);
}

export async function notification(t: TestApp, id: string) {
  const [row] = await t.dataSource.query(`SELECT status, attempts, last_error, next_attempt_at, lease_until FROM notifications WHERE id = $1`, [id]);
  return row as { status: string; attempts: number; last_error: string | null; next_attempt_at: Date; lease_until: Date | null };
}
