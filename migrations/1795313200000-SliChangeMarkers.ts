import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SliChangeMarkers gives every sli_minute / sli_hour row the id of the
 * transaction that last wrote it (xid8, never wraps). The evaluator keeps
 * window sums in memory between ticks and re-reads only rows written since
 * its last read: rows whose changed_xid is at or above the xmin of the
 * snapshot it read with. Every transaction below that xmin had finished and
 * was visible then; anything at or above it may not have been, so it is read
 * again — late spans are counted exactly, whatever order commits land in.
 * The index keeps that read proportional to the rows changed, not the table.
 */
export class SliChangeMarkers1795313200000 implements MigrationInterface {
  name = 'SliChangeMarkers1795313200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['sli_minute', 'sli_hour']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`);
      await q.query(`CREATE INDEX ${table}_changed_idx ON ${table} (changed_xid)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sli_minute', 'sli_hour']) {
      await q.query(`DROP INDEX ${table}_changed_idx`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN changed_xid`);
    }
  }
}
