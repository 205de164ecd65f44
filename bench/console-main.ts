/** Runs only the console benchmark: `npm run bench:console` (BENCH_DATABASE_URL to use a running PostgreSQL). */
import { startDatabase } from './server.js';
import { runConsoleBench } from './console.js';

const infra = process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined } : await startDatabase();
try {
  const f = await runConsoleBench(infra.url);
  console.log(`${f.slos} SLOs: GET /api/v1/slos/summary cold ${f.summaryColdMs.toFixed(0)} ms, warm (snapshots) ${f.summaryWarmMs.toFixed(0)} ms`);
  console.log(f.renderMs === null ? 'browser figures skipped: /usr/bin/chromium not found' : `SLO list in Chromium: navigation to the list of ${f.slos} SLOs ${f.renderMs.toFixed(0)} ms (target < 1,000 ms), search re-filter ${f.filterMs!.toFixed(0)} ms`);
} finally {
  await infra.stop();
}
