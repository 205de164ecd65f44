import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: channels (their secrets live in `config` and are never
 * returned by the API), the outbox that the evaluator fills in its own
 * transaction and every replica's dispatcher drains with SKIP LOCKED, and
 * silences.
 */
export class Notifications1795313100000 implements MigrationInterface {
  name = 'Notifications1795313100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE channels (
        id         uuid PRIMARY KEY,
        name       text NOT NULL UNIQUE,
        type       text NOT NULL CHECK (type IN ('slack', 'email', 'webhook')),
        config     jsonb NOT NULL,
        severities text[] NOT NULL DEFAULT '{}',
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notifications (
        id              bigserial PRIMARY KEY,
        dedup_key       text NOT NULL UNIQUE,
        alert_id        uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        channel_id      uuid NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
        kind            text NOT NULL CHECK (kind IN ('firing', 'repeat', 'resolved')),
        payload         jsonb NOT NULL,
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until     timestamptz,
        last_error      text,
        created_at      timestamptz NOT NULL DEFAULT now(),
        sent_at         timestamptz
      )`);
    // The dispatcher's claim query scans only what may be due.
    await q.query(`CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query(`CREATE INDEX notifications_alert_idx ON notifications (alert_id)`);
    await q.query(`ALTER TABLE alerts ADD COLUMN repeats integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE silences (
        id         uuid PRIMARY KEY,
        matchers   jsonb NOT NULL,
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL,
        created_by text NOT NULL,
        comment    text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX silences_ends_idx ON silences (ends_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE silences`);
    await q.query(`ALTER TABLE alerts DROP COLUMN repeats`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE channels`);
  }
}
