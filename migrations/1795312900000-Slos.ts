import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Slos stores SLO definitions, their exact per-minute and per-hour good/total
 * counts, and the evaluator's latest status snapshot. The count tables have
 * no foreign key to slos on purpose: a span batch in flight for an SLO that
 * was just deleted must not fail the whole group commit; orphan rows are
 * removed with the SLO and by the retention job.
 */
export class Slos1795312900000 implements MigrationInterface {
  name = 'Slos1795312900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slos (
        id                uuid PRIMARY KEY,
        name              text NOT NULL UNIQUE,
        service           text NOT NULL,
        spec              jsonb NOT NULL,
        version           integer NOT NULL DEFAULT 1,
        approximate_until timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX slos_service_idx ON slos (service)`);
    for (const table of ['sli_minute', 'sli_hour']) {
      await q.query(`
        CREATE TABLE ${table} (
          slo_id uuid NOT NULL,
          bucket timestamptz NOT NULL,
          good   double precision NOT NULL,
          total  double precision NOT NULL,
          PRIMARY KEY (slo_id, bucket)
        )`);
      await q.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
    }
    // The latest snapshot is derived data, rewritten every tick: UNLOGGED
    // (no WAL; emptied after a crash, refilled by the next tick) and json
    // (stored as text, not parsed into jsonb) keep a tick of thousands of
    // SLOs from being dominated by writing them.
    await q.query(`
      CREATE UNLOGGED TABLE slo_status (
        slo_id       uuid PRIMARY KEY REFERENCES slos(id) ON DELETE CASCADE,
        evaluated_at timestamptz NOT NULL,
        status       json NOT NULL
      )`);
    // One row: the last evaluation tick (slot start) any replica completed,
    // so a tick is evaluated once however many replicas' timers fire for it.
    await q.query(`
      CREATE TABLE evaluator_tick (
        id           smallint PRIMARY KEY CHECK (id = 1),
        last_tick_ms bigint NOT NULL,
        completed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluator_tick`);
    await q.query(`DROP TABLE slo_status`);
    await q.query(`DROP TABLE sli_hour`);
    await q.query(`DROP TABLE sli_minute`);
    await q.query(`DROP TABLE slos`);
  }
}
