import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface OutboxRow {
  id: string;
  dedup_key: string;
  alert_id: string;
  channel_id: string;
  kind: 'firing' | 'repeat' | 'resolved';
  payload: Record<string, unknown>;
  status: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  next_attempt_at: Date;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * OutboxRepository: rows are added in the evaluator's transaction (so an
 * alert transition and its notifications commit together) and claimed by
 * any replica's dispatcher with FOR UPDATE SKIP LOCKED plus a lease, so a
 * notification is sent by one replica at a time and a crashed sender's
 * claim lapses on its own.
 */
@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** pruneSent deletes delivered notifications older than the cutoff: they are history, not work. */
  async pruneSent(cutoffMs: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM notifications WHERE status = 'sent' AND sent_at < to_timestamp($1)`, [cutoffMs / 1000]);
  }

  /** enqueue ignores a row whose dedup key exists: one message per (alert, transition, channel). */
  async enqueue(m: EntityManager, rows: { dedupKey: string; alertId: string; channelId: string; kind: string; payload: unknown }[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await m.query(
      `INSERT INTO notifications (dedup_key, alert_id, channel_id, kind, payload)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[])
       ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
      [rows.map((r) => r.dedupKey), rows.map((r) => r.alertId), rows.map((r) => r.channelId), rows.map((r) => r.kind), rows.map((r) => JSON.stringify(r.payload))],
    );
    return inserted.length;
  }

  /** claim takes up to `limit` due rows (or rows whose lease lapsed) for `leaseMs`. */
  async claim(limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const [rows]: [OutboxRow[], number] = await this.dataSource.query(
      `UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1,
              lease_until = now() + ($2 || ' milliseconds')::interval
       WHERE n.id IN (
         SELECT id FROM notifications
         WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING n.*`,
      [limit, String(leaseMs)],
    );
    return rows;
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL WHERE id = $1`, [id]);
  }

  async retryAt(id: string, atMs: number, error: string, countAttempt = true): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'pending', next_attempt_at = to_timestamp($2), lease_until = NULL, last_error = $3,
              attempts = attempts - $4 WHERE id = $1`,
      [id, atMs / 1000, error, countAttempt ? 0 : 1],
    );
  }

  async markDead(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET status = 'dead', lease_until = NULL, last_error = $2 WHERE id = $1`, [id, error]);
  }

  /** retryDead puts a dead letter back in the queue with a fresh attempt budget. */
  async retryDead(id: string): Promise<boolean> {
    const [, n] = await this.dataSource.query(
      `UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = now(), created_at = now() WHERE id = $1 AND status = 'dead'`,
      [id],
    );
    return Number(n) > 0;
  }

  async list(filter: { status?: string; alertId?: string; limit: number }): Promise<OutboxRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.alertId) where.push(`alert_id = $${params.push(filter.alertId)}`);
    return this.dataSource.query(
      `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
  }

  async depth(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) AS age
       FROM notifications WHERE status IN ('pending', 'sending')`,
    );
    return { pending: Number(row.n), oldestAgeSeconds: Number(row.age) };
  }
}
