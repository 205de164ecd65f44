/** Runs only the evaluation benchmark: `npm run build && node dist/bench/eval-main.js`. */
import { startDatabase } from './server.js';
import { runEvaluationBench } from './eval.js';

const infra = await startDatabase();
try {
  const figures = await runEvaluationBench(infra.url);
  for (const f of figures) console.log(`${f.slos} SLOs ${f.window}: tick ${f.tickMs.toFixed(0)} ms, evaluate only ${f.evaluateOnlyMs.toFixed(0)} ms`);
} finally {
  await infra.stop();
}
