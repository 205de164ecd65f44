import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RedTables stores span-derived RED metrics. A series row names one
 * (service, span name, kind, extra dimensions) combination once; minute and
 * hour rows hold additive counters so that any number of ingesting replicas
 * can upsert into them with `x = x + excluded.x`.
 */
export class RedTables1795312800000 implements MigrationInterface {
  name = 'RedTables1795312800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE series (
        id         bigserial PRIMARY KEY,
        series_key text NOT NULL UNIQUE,
        service    text NOT NULL,
        span_name  text NOT NULL,
        span_kind  text NOT NULL,
        dims       jsonb NOT NULL DEFAULT '{}',
        overflow   boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX series_service_idx ON series (service)`);

    // Counts are double precision because sampled spans count with their
    // adjusted count (1/p); unsampled traffic stays an exact integer there.
    for (const table of ['red_minute', 'red_hour']) {
      await q.query(`
        CREATE TABLE ${table} (
          series_id        bigint NOT NULL REFERENCES series(id) ON DELETE CASCADE,
          bucket           timestamptz NOT NULL,
          calls            double precision NOT NULL,
          errors           double precision NOT NULL,
          duration_sum_ms  double precision NOT NULL,
          hist             jsonb NOT NULL,
          prom_buckets     double precision[] NOT NULL,
          exemplars        jsonb NOT NULL DEFAULT '{}',
          PRIMARY KEY (series_id, bucket)
        )`);
      await q.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
    }

    // Histogram buckets are a jsonb map index -> count; merging sums by key.
    await q.query(`
      CREATE FUNCTION bw_hist_merge(a jsonb, b jsonb) RETURNS jsonb
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT COALESCE(jsonb_object_agg(k, s), '{}'::jsonb)
        FROM (
          SELECT k, SUM(v::double precision) AS s
          FROM (SELECT key AS k, value AS v FROM jsonb_each_text(a)
                UNION ALL
                SELECT key, value FROM jsonb_each_text(b)) u
          GROUP BY k
        ) t
      $$`);
    await q.query(`
      CREATE FUNCTION bw_array_add(a double precision[], b double precision[]) RETURNS double precision[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ARRAY(SELECT COALESCE(x, 0) + COALESCE(y, 0) FROM unnest(a, b) AS t(x, y))
      $$`);
    // Exemplars: keep the stored trace ids and top up from the new batch,
    // at most three of each kind, so a minute's first failures stay visible.
    await q.query(`
      CREATE FUNCTION bw_exemplars_merge(a jsonb, b jsonb) RETURNS jsonb
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT jsonb_build_object(
          'errors', COALESCE((SELECT jsonb_agg(e) FROM (
              SELECT e FROM jsonb_array_elements(COALESCE(a->'errors', '[]') || COALESCE(b->'errors', '[]')) e LIMIT 3) x), '[]'),
          'slowest', COALESCE((SELECT jsonb_agg(e) FROM (
              SELECT e FROM jsonb_array_elements(COALESCE(a->'slowest', '[]') || COALESCE(b->'slowest', '[]')) e
              ORDER BY (e->>'durationMs')::double precision DESC LIMIT 3) x), '[]'))
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE red_hour`);
    await q.query(`DROP TABLE red_minute`);
    await q.query(`DROP TABLE series`);
    await q.query(`DROP FUNCTION bw_hist_merge(jsonb, jsonb)`);
    await q.query(`DROP FUNCTION bw_array_add(double precision[], double precision[])`);
    await q.query(`DROP FUNCTION bw_exemplars_merge(jsonb, jsonb)`);
  }
}
