import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts persists the alert state machine: one row per alert incident (a
 * fingerprint can have many incidents over time, at most one open), every
 * transition, and the symptom rules. `active_at` is stored so a restart
 * neither resets a `for` timer nor fires an alert twice.
 */
export class Alerts1795313000000 implements MigrationInterface {
  name = 'Alerts1795313000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
        id         uuid PRIMARY KEY,
        name       text NOT NULL UNIQUE,
        service    text NOT NULL,
        spec       jsonb NOT NULL,
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE alerts (
        id                uuid PRIMARY KEY,
        fingerprint       text NOT NULL,
        source            text NOT NULL CHECK (source IN ('slo', 'rule')),
        source_id         uuid NOT NULL,
        alertname         text NOT NULL,
        severity          text NOT NULL,
        service           text NOT NULL,
        labels            jsonb NOT NULL,
        annotations       jsonb NOT NULL DEFAULT '{}',
        state             text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved', 'cancelled')),
        value             double precision,
        details           jsonb NOT NULL DEFAULT '{}',
        active_at         timestamptz NOT NULL,
        fired_at          timestamptz,
        resolved_at       timestamptz,
        keep_firing_since timestamptz,
        last_sent_at      timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one open incident per fingerprint, whatever replicas do.
    await q.query(`CREATE UNIQUE INDEX alerts_open_fingerprint ON alerts (fingerprint) WHERE state IN ('pending', 'firing')`);
    await q.query(`CREATE INDEX alerts_state_idx ON alerts (state, severity)`);
    await q.query(`CREATE INDEX alerts_source_idx ON alerts (source_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE alert_transitions (
        id         bigserial PRIMARY KEY,
        alert_id   uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        at         timestamptz NOT NULL,
        transition text NOT NULL,
        value      double precision,
        details    jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX alert_transitions_alert_idx ON alert_transitions (alert_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_transitions`);
    await q.query(`DROP TABLE alerts`);
    await q.query(`DROP TABLE alert_rules`);
  }
}
