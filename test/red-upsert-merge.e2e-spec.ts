import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source.js';
import { rollUp, type RedRow } from '../src/ingest/aggregate/aggregator.js';
import { RedRepository, histogramFromStored } from '../src/ingest/red.repository.js';
import { HOUR_MS, MINUTE_MS } from '../src/kernel/minute-ranges.js';
import type { HistogramJson } from '../src/kernel/log-histogram.js';
import { seededRandom } from './support/random.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The group commit adds each batch's rows to the stored ones in SQL (ON
 * CONFLICT … DO UPDATE). This checks that merge against the in-memory one
 * (rollUp): random rows written over many commits must leave in the
 * database exactly what merging them all in memory gives — counts,
 * histogram buckets and exemplars — for minute and hour rows.
 */
describe('RED upsert merge (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource(db.url, 'red-upsert-merge');
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
  const SERIES = ['a', 'b', 'c'];
  let traceSeq = 0;

  function randomRow(rnd: () => number): RedRow {
    const key = SERIES[Math.floor(rnd() * SERIES.length)];
    const minuteMs = T0 + 50 * MINUTE_MS + Math.floor(rnd() * 20) * MINUTE_MS; // crosses an hour: two hour rows per series
    const b: Record<string, number> = {};
    // Buckets far apart on purpose: the stored and the new dense arrays often do not overlap.
    const base = Math.floor(rnd() * 200) - 20;
    let calls = 0;
    for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++) {
      const k = String(base + Math.floor(rnd() * 30));
      const n = 1 + Math.floor(rnd() * 4);
      b[k] = (b[k] ?? 0) + n;
      calls += n;
    }
    const z = rnd() < 0.3 ? 1 : 0;
    calls += z;
    const errors = Math.floor(rnd() * (calls + 1));
    const exemplar = () => ({ traceId: (++traceSeq).toString(16).padStart(32, '0'), durationMs: traceSeq * 7 % 1000 + rnd() });
    const errorsEx = Array.from({ length: Math.min(errors, 3) }, exemplar);
    const slowest = Array.from({ length: Math.min(calls, 3) }, exemplar).sort((x, y) => y.durationMs - x.durationMs);
    return {
      minuteMs,
      seriesKey: key,
      labels: { service: 'svc', spanName: key, spanKind: 'SPAN_KIND_SERVER', dims: {}, overflow: false },
      calls,
      errors,
      durationSumMs: calls * 10,
      histogram: { b, z },
      exemplars: { errors: errorsEx, slowest },
    } satisfies RedRow;
  }

  async function stored(table: 'red_minute' | 'red_hour'): Promise<Map<string, { calls: number; errors: number; dur: number; hist: HistogramJson; ex: RedRow['exemplars'] }>> {
    const rows: { key: string; ms: string; calls: number; errors: number; dur: number; entries: Record<string, string> | null; ex: RedRow['exemplars'] }[] =
      await ds.query(
        `SELECT s.series_key AS key, (extract(epoch FROM r.bucket) * 1000)::bigint AS ms, r.calls, r.errors, r.duration_sum_ms AS dur, r.exemplars AS ex,
                (SELECT jsonb_object_agg(e.key, e.value) FROM bw_hist_entries(r.hist_lo, r.hist_n, r.hist_z) e) AS entries
         FROM ${table} r JOIN series s ON s.id = r.series_id`,
      );
    return new Map(rows.map((r) => [`${Number(r.ms)}|${r.key}`, { calls: r.calls, errors: r.errors, dur: r.dur, hist: histogramFromStored(r.entries ?? {}), ex: r.ex }]));
  }

  function expectSame(actual: Awaited<ReturnType<typeof stored>>, expected: RedRow[]): void {
    expect([...actual.keys()].sort()).toEqual(expected.map((r) => `${r.minuteMs}|${r.seriesKey}`).sort());
    for (const e of expected) {
      const a = actual.get(`${e.minuteMs}|${e.seriesKey}`)!;
      expect({ calls: a.calls, errors: a.errors, dur: a.dur }).toEqual({ calls: e.calls, errors: e.errors, dur: e.durationSumMs });
      expect(a.hist).toEqual(e.histogram);
      // Errors: the first three seen are kept; slowest: the three slowest overall, slowest first.
      expect(a.ex.errors.map((x) => x.traceId)).toEqual(e.exemplars.errors.map((x) => x.traceId));
      expect(a.ex.slowest.map((x) => x.traceId)).toEqual(e.exemplars.slowest.map((x) => x.traceId));
    }
  }

  it('rows written over many commits equal the in-memory merge of all of them', async () => {
    const rnd = seededRandom(20261129);
    const repo = new RedRepository(ds);
    const all: RedRow[] = [];
    for (let commit = 0; commit < 60; commit++) {
      // One commit never holds the same (series, minute) twice: rollUp merges within it, as the aggregator does.
      const minute = rollUp(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => randomRow(rnd)), MINUTE_MS);
      all.push(...minute);
      await repo.write(minute, rollUp(minute, HOUR_MS));
    }
    expectSame(await stored('red_minute'), rollUp(all, MINUTE_MS));
    expectSame(await stored('red_hour'), rollUp(all, HOUR_MS));
  });
});
