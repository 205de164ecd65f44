/**
 * Runs only the evaluation benchmark: `npm run build && node dist/bench/eval-main.js`.
 * BENCH_EVAL_SLOS=1000,10000 picks the sizes (empty: none), BENCH_RULES=1000 the
 * symptom rules (0: none); BENCH_DATABASE_URL runs it on an
 * existing (empty, scratch) database instead of a fresh embedded one — its
 * SLO and count tables are truncated.
 */
import { createDataSource } from '../src/database/data-source.js';
import { startDatabase } from './server.js';
import { runEvaluationBench } from './eval.js';
import { runRuleBench } from './rules.js';

const counts = (process.env.BENCH_EVAL_SLOS ?? '1000,10000').split(',').filter(Boolean).map(Number);
const rules = Number(process.env.BENCH_RULES ?? 1000);
let url = process.env.BENCH_DATABASE_URL;
let stop = async () => undefined as unknown;
if (url) {
  const ds = createDataSource(url, 'burnwatch-bench');
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
} else {
  const infra = await startDatabase();
  url = infra.url;
  stop = infra.stop;
}
try {
  const figures = counts.length ? await runEvaluationBench(url, 7, counts) : [];
  const ruleFigure = rules > 0 ? await runRuleBench(url, rules) : undefined;
  if (ruleFigure) console.log(`${ruleFigure.rules} symptom rules: ${ruleFigure.batchedMs.toFixed(0)} ms batched (${ruleFigure.queriesBatched} queries), ${ruleFigure.perRuleMs.toFixed(0)} ms per rule`);
  for (const f of figures) {
    console.log(`${f.slos} SLOs ${f.window}: tick ${f.tickMs.toFixed(0)} ms (max ${f.maxTickMs.toFixed(0)} ms), first tick after leadership moved ${f.fullReadMs.toFixed(0)} ms`);
  }
} finally {
  await stop();
}
