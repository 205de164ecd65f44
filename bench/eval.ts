/**
 * Evaluation benchmark (issues 4 and 14): one evaluation tick — window sums
 * for every SLO, the pure core, and the stored snapshots — for 1,000 and
 * 10,000 SLOs, with 7-day and 30-day windows, as the leader runs it between
 * minutes of live ingest (see runEvaluationBench). Data is generated in SQL: hour rows for the
 * whole 30 days, minute rows wherever a window sum reads them (the last two
 * hours and an hour either side of every window start). Rows elsewhere are
 * never read by a tick, so leaving them out changes nothing but load time.
 */
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { loadConfig } from '../src/config/config.js';
import { MetricsService } from '../src/metrics/metrics.service.js';
import { SliRepository } from '../src/slo/sli.repository.js';
import { DataStartRepository } from '../src/slo/data-start.repository.js';
import { EvaluatorTickRepository } from '../src/slo/evaluator-tick.repository.js';
import { SloEvaluationService } from '../src/slo/slo-evaluation.service.js';
import { SloMetrics } from '../src/slo/slo-metrics.js';
import { SloStatusRepository } from '../src/slo/slo-status.repository.js';
import { SloRepository } from '../src/slo/slo.repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface EvalFigure {
  slos: number;
  window: string;
  /** Median steady tick: live counts written for every SLO each minute, some late ones. */
  tickMs: number;
  /** Slowest steady tick (the rounds cross an hour boundary). */
  maxTickMs: number;
  /** The first tick after leadership moved: every window read from the tables. */
  fullReadMs: number;
  /** Median CPU of this (the evaluating) process per steady tick: the database's share excluded, and less skewed by a busy machine than wall time. */
  cpuMs: number;
}

/** seed uses a plain client: loading millions of rows outlasts the app pool's query timeout. */
async function seed(url: string, count: number, nowMs: number): Promise<void> {
  const ds = new pg.Client({ connectionString: url });
  await ds.connect();
  const window = '30d';
  await ds.query(`TRUNCATE slos, sli_minute, sli_hour, slo_status, evaluator_tick`);
  await ds.query(
    `INSERT INTO slos (id, name, service, spec)
     SELECT gen_random_uuid(), 'slo-' || i, 'svc-' || (i % 100),
            jsonb_build_object('name', 'slo-' || i, 'service', 'svc-' || (i % 100), 'description', '',
              'indicator', jsonb_build_object('type', 'availability', 'clientErrorsAreBad', false, 'ignoreStatusCodes', '[]'::jsonb),
              'selector', jsonb_build_object('operations', '[]'::jsonb, 'spanKinds', '[2,5]'::jsonb, 'attributes', '{}'::jsonb),
              'objective', 99.9, 'window', $2::text, 'labels', '{}'::jsonb, 'runbookUrl', null, 'channels', '[]'::jsonb, 'alerting', '{}'::jsonb)
     FROM generate_series(1, $1) AS i`,
    [count, window],
  );
  const end = Math.floor(nowMs / HOUR) * HOUR;
  // Millions of rows load several times faster into tables without their
  // secondary indexes; they are built once at the end, as the migrations define them.
  await ds.query(`DROP INDEX IF EXISTS sli_hour_bucket_idx, sli_hour_changed_idx, sli_minute_bucket_idx, sli_minute_changed_idx`);
  await ds.query(
    `INSERT INTO sli_hour (slo_id, bucket, good, total)
     SELECT s.id, to_timestamp(h), 59940, 60000 FROM slos s, generate_series($1::bigint, $2::bigint, 3600) AS h`,
    [(end - 31 * DAY) / 1000, end / 1000],
  );
  const edges = [0, 5 * 60_000, 30 * 60_000, HOUR, 2 * HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY];
  const minuteEnd = Math.floor(nowMs / 60_000) * 60_000;
  const ranges: [number, number][] = [[minuteEnd - 2 * HOUR, minuteEnd + 60_000]];
  for (const e of edges.slice(5)) ranges.push([minuteEnd - e - HOUR, minuteEnd - e + HOUR]);
  for (const [f, t] of ranges) {
    await ds.query(
      `INSERT INTO sli_minute (slo_id, bucket, good, total)
       SELECT s.id, to_timestamp(m), 999, 1000 FROM slos s, generate_series($1::bigint, $2::bigint, 60) AS m
       ON CONFLICT DO NOTHING`,
      [f / 1000, (t - 60_000) / 1000],
    );
  }
  for (const table of ['sli_minute', 'sli_hour']) {
    await ds.query(`CREATE INDEX IF NOT EXISTS ${table}_bucket_idx ON ${table} (bucket)`);
    await ds.query(`CREATE INDEX IF NOT EXISTS ${table}_changed_idx ON ${table} (changed_xid)`);
  }
  await ds.query(`ANALYZE`);
  await ds.end();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * ingestMinute writes what live ingest would between two ticks: this
 * minute's and this hour's rows for every SLO, plus late spans — 1 % of SLOs
 * ten minutes late, 0.1 % two days late (those SLOs are read again whole).
 */
async function ingestMinute(ds: DataSource, sli: SliRepository, ids: string[], nowMs: number, round: number): Promise<void> {
  const minute = Math.floor(nowMs / 60_000) * 60_000;
  const hour = Math.floor(nowMs / HOUR) * HOUR;
  await ds.transaction(async (m) => {
    await sli.write(m, 'sli_minute', ids.map((sloId) => ({ sloId, bucketMs: minute, good: 999, total: 1000 })));
    await sli.write(m, 'sli_hour', ids.map((sloId) => ({ sloId, bucketMs: hour, good: 999, total: 1000 })));
    const late = ids.filter((_, i) => (i + round) % 100 === 0);
    await sli.write(m, 'sli_minute', late.map((sloId) => ({ sloId, bucketMs: minute - 10 * 60_000, good: 0, total: 5 })));
    const old = ids.filter((_, i) => (i + round) % 1000 === 0);
    await sli.write(m, 'sli_minute', old.map((sloId) => ({ sloId, bucketMs: minute - 2 * DAY, good: 0, total: 5 })));
    await sli.write(m, 'sli_hour', old.map((sloId) => ({ sloId, bucketMs: Math.floor((minute - 2 * DAY) / HOUR) * HOUR, good: 0, total: 5 })));
  });
}

/**
 * runEvaluationBench seeds 30 days of counts and times ticks as the leader
 * runs them: one full read (leadership just moved), then `rounds` ticks a
 * minute apart with live and late counts written in between, starting two
 * minutes before an hour boundary so the slowest (hourly) case is in them.
 */
export async function runEvaluationBench(url: string, rounds = 7, counts = [1_000, 10_000]): Promise<EvalFigure[]> {
  const ds = createDataSource(url, 'burnwatch-bench-eval');
  await ds.initialize();
  const slos = new SloRepository(ds);
  const sli = new SliRepository(ds);
  const evaluator = new SloEvaluationService(loadConfig({}), ds, slos, sli, new SloStatusRepository(ds), new SloMetrics(new MetricsService()), new DataStartRepository(), new EvaluatorTickRepository());
  const out: EvalFigure[] = [];
  try {
    for (const count of counts) {
      const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * 60_000 - 30_000;
      const seedStart = Date.now();
      await seed(url, count, start + rounds * 60_000);
      process.stdout.write(`  seeded ${count} SLOs with 30 days of counts in ${((Date.now() - seedStart) / 1000).toFixed(1)} s\n`);
      const ids = (await slos.list()).map((s) => s.id);
      for (const window of ['7d', '30d']) {
        await ds.query(`UPDATE slos SET spec = jsonb_set(spec, '{window}', to_jsonb($1::text)), version = version + 1`, [window]);
        await ds.query(`DELETE FROM evaluator_tick`);
        evaluator.cache.invalidate();
        let now = start;
        let slot = 0;
        const t0 = performance.now();
        await evaluator.tick(now, ++slot);
        const fullReadMs = performance.now() - t0;
        const ticks: number[] = [];
        const cpus: number[] = [];
        const stats: string[] = [];
        for (let r = 0; r < rounds; r++) {
          now += 60_000;
          await ingestMinute(ds, sli, ids, now, r);
          const t1 = performance.now();
          const cpu0 = process.cpuUsage();
          const result = await evaluator.tick(now, ++slot);
          ticks.push(performance.now() - t1);
          const cpu = process.cpuUsage(cpu0);
          cpus.push((cpu.user + cpu.system) / 1000);
          if (result.evaluated !== count) throw new Error(`tick evaluated ${result.evaluated} of ${count}`);
          const s = evaluator.cache.lastStats;
          stats.push(`${s.changedRows}/${s.dirtySlos}/${s.partsMoved}/${s.partsRead} [${Object.values(s.ms).map((x) => x.toFixed(0)).join('/')}]`);
        }
        const f = { slos: count, window, tickMs: median(ticks), maxTickMs: Math.max(...ticks), fullReadMs, cpuMs: median(cpus) };
        out.push(f);
        process.stdout.write(
          `  ${count} SLOs, ${window}: tick median ${f.tickMs.toFixed(0)} ms (this process's CPU ${f.cpuMs.toFixed(0)} ms), max ${f.maxTickMs.toFixed(0)} ms ` +
            `(ticks ${ticks.map((t) => t.toFixed(0)).join(', ')}; changed rows/dirty SLOs/parts moved/parts read [ms changes/moves/reads/dirty] ${stats.join(' ')}); ` +
            `first tick after leadership moved ${fullReadMs.toFixed(0)} ms\n`,
        );
      }
    }
  } finally {
    await ds.query(`TRUNCATE slos, sli_minute, sli_hour, slo_status, evaluator_tick`).catch(() => undefined);
    await ds.destroy();
  }
  return out;
}
