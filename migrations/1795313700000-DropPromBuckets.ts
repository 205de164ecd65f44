import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DropPromBuckets removes the per-row Prometheus bucket counts from the RED
 * tables. Nothing reads them from the database: the span-derived duration
 * histogram on /metrics is kept in memory by each replica (its counters run
 * from process start, as Prometheus counters do), and percentiles come from
 * the log-bucket histogram. Merging the column cost every conflicting row of
 * every group commit an array addition for nothing.
 *
 * `down` restores the column empty: the counts it held are not recoverable.
 */
export class DropPromBuckets1795313700000 implements MigrationInterface {
  name = 'DropPromBuckets1795313700000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['red_minute', 'red_hour']) await q.query(`ALTER TABLE ${table} DROP COLUMN prom_buckets`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['red_minute', 'red_hour']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN prom_buckets double precision[] NOT NULL DEFAULT '{}'`);
    }
  }
}
