/**
 * Replay benchmark (issue 13): one SLO replayed minute by minute over 30
 * days — 43,200 steps of the pure core and the alert state machine — over
 * 60 days of stored minute and hour rows (the 30-day window of the first
 * step reaches 30 days further back). Target: under 2 s end to end.
 */
import { randomUUID } from 'node:crypto';
import { createDataSource } from '../src/database/data-source.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../src/kernel/minute-ranges.js';
import { replaySlo } from '../src/evaluation/replay.js';
import type { SloDefinition } from '../src/evaluation/slo-evaluator.js';
import { firstEventMs, PrefixCounts } from '../src/slo/prefix-counts.js';
import { replaySteps } from '../src/slo/replay.service.js';
import { SliSeriesRepository } from '../src/slo/sli-series.repository.js';
import type { SliRow } from '../src/slo/sli-accumulator.js';
import { seededRandom } from '../test/support/random.js';

export interface ReplayFigure {
  steps: number;
  /** Reading the rows from PostgreSQL. */
  loadMs: number;
  /** Prefix sums plus stepping. */
  replayMs: number;
  incidents: number;
}

const DEF: SloDefinition = { objective: 99.9, window: { kind: 'rolling', days: 30 } };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** runReplayBench seeds one SLO's rows and times `rounds` replays of its last 30 days; medians. */
export async function runReplayBench(url: string, rounds = 3): Promise<ReplayFigure> {
  const ds = createDataSource(url, 'burnwatch-bench-replay');
  await ds.initialize();
  try {
    const sloId = randomUUID();
    const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const from = Math.floor((now - 60 * DAY_MS) / HOUR_MS) * HOUR_MS;
    const rand = seededRandom(13);
    // 1,000 events a minute, 0.05% errors, and an outage of 100% errors for 15 minutes every 5 days.
    const ms: number[] = [];
    const good: number[] = [];
    for (let t = from; t < now; t += MINUTE_MS) {
      const outage = (t - from) % (5 * DAY_MS) < 15 * MINUTE_MS && t - from > DAY_MS;
      ms.push(t);
      good.push(outage ? 0 : 1000 - (rand() < 0.5 ? 1 : 0));
    }
    await ds.query(
      `INSERT INTO sli_minute (slo_id, bucket, good, total) SELECT $1, to_timestamp(m / 1000.0), g, 1000 FROM unnest($2::double precision[], $3::double precision[]) AS t(m, g)`,
      [sloId, ms, good],
    );
    await ds.query(
      `INSERT INTO sli_hour (slo_id, bucket, good, total) SELECT slo_id, date_trunc('hour', bucket), SUM(good), SUM(total) FROM sli_minute WHERE slo_id = $1 GROUP BY 1, 2`,
      [sloId],
    );
    await ds.query(`ANALYZE sli_minute; ANALYZE sli_hour`);
    const sli = new SliSeriesRepository(ds);
    const range = { fromMs: now - 30 * DAY_MS, toMs: now };
    const loads: number[] = [];
    const replays: number[] = [];
    let steps = 0;
    let incidents = 0;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const rows: { hours: SliRow[]; minutes: SliRow[] } = await sli.series(sloId, from, now + MINUTE_MS);
      const t1 = performance.now();
      // Minute rows kept for the whole range (RETENTION_MINUTE_DAYS >= 60): every step is a minute step.
      const counts = new PrefixCounts(from, now + MINUTE_MS, rows.hours, rows.minutes);
      const stepList = replaySteps(range, -Infinity);
      const result = replaySlo({ def: DEF, counts, dataStartMs: firstEventMs(rows.hours, rows.minutes), steps: stepList, pointEveryMs: 90 * MINUTE_MS });
      replays.push(performance.now() - t1);
      loads.push(t1 - t0);
      steps = stepList.length;
      incidents = result.incidents.length;
    }
    await ds.query(`DELETE FROM sli_minute WHERE slo_id = $1`, [sloId]);
    await ds.query(`DELETE FROM sli_hour WHERE slo_id = $1`, [sloId]);
    return { steps, loadMs: median(loads), replayMs: median(replays), incidents };
  } finally {
    await ds.destroy();
  }
}
