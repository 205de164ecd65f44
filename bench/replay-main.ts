/** Runs only the replay benchmark: `npm run build && node dist/bench/replay-main.js`. */
import { startDatabase } from './server.js';
import { runReplayBench } from './replay.js';

const infra = await startDatabase();
try {
  const f = await runReplayBench(infra.url);
  console.log(`replay 30 d, ${f.steps} minute steps: load ${f.loadMs.toFixed(0)} ms + replay ${f.replayMs.toFixed(0)} ms = ${(f.loadMs + f.replayMs).toFixed(0)} ms (${f.incidents} incidents)`);
} finally {
  await infra.stop();
}
