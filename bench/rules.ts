/**
 * Symptom-rule benchmark (issue 14): the counts of 1,000 rules for one tick
 * — error ratio, latency percentile and last-week traffic rules over 1,000
 * series — read batched (what the tick does) and per rule (the old way),
 * then the pure evaluator over them. Alert persistence is not included: it
 * only writes the rules whose state changed.
 */
import pg from 'pg';
import { RuleCountsRepository, type RuleQuery } from '../src/red/rule-counts.repository.js';
import { createDataSource } from '../src/database/data-source.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/kernel/minute-ranges.js';
import { evaluateSymptom } from '../src/evaluation/symptom-rule.evaluator.js';
import type { RedSums, SymptomCondition } from '../src/evaluation/symptom-rule.js';
import { minuteHorizon, RangeRecorder } from '../src/kernel/stored-ranges.js';

const ruleCounts = new RuleCountsRepository();

export interface RuleFigure {
  rules: number;
  batchedMs: number;
  perRuleMs: number;
  queriesBatched: number;
}

const SERVICES = 100;
const OPS = 10;

async function seed(url: string, nowMs: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`TRUNCATE series CASCADE`);
  await c.query(
    `INSERT INTO series (series_key, service, span_name, span_kind)
     SELECT 'svc-' || s || '|op-' || o, 'svc-' || s, 'op-' || o, 'SPAN_KIND_SERVER' FROM generate_series(1, $1) s, generate_series(1, $2) o`,
    [SERVICES, OPS],
  );
  // Dense histogram (hist_lo, hist_n, hist_z): 900 calls in bucket 20, 90 in 30, 10 in 45.
  const hist = `20, ARRAY(SELECT (CASE i WHEN 20 THEN 900 WHEN 30 THEN 90 WHEN 45 THEN 10 ELSE 0 END)::double precision FROM generate_series(20, 45) i), 0`;
  const minuteEnd = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  // Minute rows for the last two hours and around a week ago (last-week baselines); hour rows for 8 days.
  for (const [f, t] of [[minuteEnd - 2 * HOUR_MS, minuteEnd + MINUTE_MS], [minuteEnd - 7 * DAY_MS - 2 * HOUR_MS, minuteEnd - 7 * DAY_MS + HOUR_MS]]) {
    await c.query(
      `INSERT INTO red_minute (series_id, bucket, calls, errors, duration_sum_ms, hist_lo, hist_n, hist_z)
       SELECT s.id, to_timestamp(m), 1000, 3, 25000, ${hist} FROM series s, generate_series($1::bigint, $2::bigint, 60) m`,
      [f / 1000, (t - MINUTE_MS) / 1000],
    );
  }
  const hourEnd = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  await c.query(
    `INSERT INTO red_hour (series_id, bucket, calls, errors, duration_sum_ms, hist_lo, hist_n, hist_z)
     SELECT s.id, to_timestamp(h), 60000, 180, 1500000, ${hist} FROM series s, generate_series($1::bigint, $2::bigint, 3600) h`,
    [(hourEnd - 8 * DAY_MS) / 1000, hourEnd / 1000],
  );
  await c.query(`ANALYZE series, red_minute, red_hour`);
  await c.end();
}

function conditions(i: number): SymptomCondition {
  switch (i % 3) {
    case 0:
      return { type: 'error_ratio', windowMs: 5 * MINUTE_MS, threshold: 0.05, minCalls: 10 };
    case 1:
      return { type: 'latency', windowMs: 30 * MINUTE_MS, percentile: 99, thresholdMs: 500, minCalls: 10 };
    default:
      return { type: 'traffic', windowMs: HOUR_MS, baseline: 'last_week', trailingWindows: 0, deviationPercent: 50, direction: 'both', minCalls: 100 };
  }
}

/** runRuleBench seeds RED rows and times the counts of `count` rules for one tick (median of `rounds`). */
export async function runRuleBench(url: string, count = 1_000, rounds = 3): Promise<RuleFigure> {
  const now = Date.now();
  await seed(url, now);
  const ds = createDataSource(url, 'burnwatch-bench-rules');
  await ds.initialize();
  try {
    const horizon = minuteHorizon(now, 8);
    const rules = Array.from({ length: count }, (_, i) => {
      const condition = conditions(i);
      const recorder = new RangeRecorder<RedSums>({ calls: 0, errors: 0, histogram: { b: {}, z: 0 } });
      evaluateSymptom(condition, recorder, now);
      const query: RuleQuery = {
        selector: { service: `svc-${(i % SERVICES) + 1}`, operations: i % 2 ? [] : [`op-${(i % OPS) + 1}`], spanKinds: ['server'] },
        ranges: [...recorder.ranges.values()],
        withHistogram: condition.type === 'latency',
      };
      return { condition, query };
    });
    let queries = 0;
    const batched: number[] = [];
    let active = 0;
    let perRuleMs = 0;
    // Inside a transaction with JIT off, as in the evaluator's tick.
    await ds.transaction(async (m) => {
      await m.query(`SET LOCAL jit = off`);
      const counting = new Proxy(m, {
        get: (target, prop, recv) => (prop === 'query' ? (...a: unknown[]) => (queries++, (target.query as (...x: unknown[]) => unknown)(...a)) : Reflect.get(target, prop, recv)),
      });
      for (let r = 0; r < rounds; r++) {
        queries = 0;
        const t0 = performance.now();
        const counts = await ruleCounts.load(counting, rules.map((x) => x.query), horizon);
        active = rules.filter((x, i) => evaluateSymptom(x.condition, counts[i], now).active).length;
        batched.push(performance.now() - t0);
      }
      const t1 = performance.now();
      for (const x of rules) {
        const counts = await ruleCounts.loadOne(m, x.query.selector, x.query.ranges, x.query.withHistogram, horizon);
        evaluateSymptom(x.condition, counts, now);
      }
      perRuleMs = performance.now() - t1;
    });
    const sorted = [...batched].sort((a, b) => a - b);
    const fig = { rules: count, batchedMs: sorted[Math.floor(sorted.length / 2)], perRuleMs, queriesBatched: queries };
    process.stdout.write(
      `  ${count} symptom rules over ${SERVICES * OPS} series: batched ${fig.batchedMs.toFixed(0)} ms in ${queries} queries ` +
        `(rounds ${batched.map((b) => b.toFixed(0)).join(', ')}; ${active} active), per rule ${perRuleMs.toFixed(0)} ms\n`,
    );
    return fig;
  } finally {
    await ds.query(`TRUNCATE series CASCADE`).catch(() => undefined);
    await ds.destroy();
  }
}
