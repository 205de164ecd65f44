/**
 * Runs only the evaluation benchmark: `npm run build && node dist/bench/eval-main.js`.
 * BENCH_EVAL_SLOS=1000,10000 picks the sizes; BENCH_DATABASE_URL runs it on an
 * existing (empty, scratch) database instead of a fresh embedded one — its
 * SLO and count tables are truncated.
 */
import { createDataSource } from '../src/database/data-source.js';
import { startDatabase } from './server.js';
import { runEvaluationBench } from './eval.js';

const counts = (process.env.BENCH_EVAL_SLOS ?? '1000,10000').split(',').map(Number);
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
  const figures = await runEvaluationBench(url, 7, counts);
  for (const f of figures) {
    console.log(`${f.slos} SLOs ${f.window}: tick ${f.tickMs.toFixed(0)} ms (max ${f.maxTickMs.toFixed(0)} ms), first tick after leadership moved ${f.fullReadMs.toFixed(0)} ms`);
  }
} finally {
  await stop();
}
