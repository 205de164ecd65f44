import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CompactSloStatus stores each SLO's latest snapshot as the window sums its
 * status was computed from (see src/slo/snapshot-sums.ts), ~200 bytes, not
 * the ~2 KB status: readers re-derive the status with the pure core. The
 * table is derived data (UNLOGGED, refilled by the next tick), so the old
 * rows are simply dropped.
 */
export class CompactSloStatus1795313200001 implements MigrationInterface {
  name = 'CompactSloStatus1795313200001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE slo_status`);
    await q.query(`ALTER TABLE slo_status DROP COLUMN status, ADD COLUMN sums json NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE slo_status`);
    await q.query(`ALTER TABLE slo_status DROP COLUMN sums, ADD COLUMN status json NOT NULL`);
  }
}
