import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/kernel/minute-ranges.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';
import { SliRepository } from '../../src/slo/sli.repository.js';
import { SloEvaluationService, type Evaluated } from '../../src/slo/slo-evaluation.service.js';
import { SloMetrics } from '../../src/slo/slo-metrics.js';
import { DataStartRepository } from '../../src/slo/data-start.repository.js';
import { EvaluatorTickRepository } from '../../src/slo/evaluator-tick.repository.js';
import { SloStatusRepository } from '../../src/slo/slo-status.repository.js';
import { SloRepository } from '../../src/slo/slo.repository.js';
import type { SloSpec } from '../../src/slo/slo.types.js';
import { parseWindow } from '../../src/evaluation/windows.js';
import { seededRandom } from '../support/random.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { migratedDataSource } from '../support/test-app.js';

const WINDOWS = ['30d', '7d', '1d', 'month', 'week:Europe/Berlin'];

function spec(name: string, window: string): SloSpec {
  return {
    name,
    service: 'svc',
    description: '',
    indicator: { type: 'availability', clientErrorsAreBad: false, ignoreStatusCodes: [] },
    selector: { operations: [], spanKinds: [2, 5], attributes: {} },
    objective: 99,
    window: parseWindow(window),
    labels: {},
    runbookUrl: null,
    channels: [],
    alerting: { noData: { afterMs: 10 * MINUTE_MS } },
  } as unknown as SloSpec;
}

/** counts: every window's good/total of a status, to compare two evaluations exactly. */
function counts(e: Evaluated[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { slo, status, noDataEvents } of e) {
    out[slo.name] = {
      full: [status.full.good, status.full.total],
      ...Object.fromEntries(Object.entries(status.windows).map(([k, w]) => [k, [w.good, w.total]])),
      noDataEvents,
      // Kept between ticks too (DataStartCache).
      dataStartMs: status.dataStartMs,
    };
  }
  return out;
}

describe('window sums kept between ticks (SliWindowCache)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let slos: SloRepository;
  let sli: SliRepository;
  const evaluator = () =>
    new SloEvaluationService(loadConfig({}), ds, slos, sli, new SloStatusRepository(ds), new SloMetrics(new MetricsService()), new DataStartRepository(), new EvaluatorTickRepository());

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'burnwatch-test-cache');
    slos = new SloRepository(ds);
    sli = new SliRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });
  beforeEach(async () => {
    await ds.query(`TRUNCATE slos, sli_minute, sli_hour, slo_status, evaluator_tick, sli_prunes`);
  });

  /** write adds counts as ingest does: the minute row and its hour row in one transaction. */
  const write = (sloId: string, ms: number, good: number, total: number) =>
    ds.transaction(async (m) => {
      const minuteMs = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
      await sli.write(m, 'sli_minute', [{ sloId, bucketMs: minuteMs, good, total }]);
      await sli.write(m, 'sli_hour', [{ sloId, bucketMs: Math.floor(ms / HOUR_MS) * HOUR_MS, good, total }]);
    });

  it('equals a full re-read after random live and late writes, leadership changes, SLO edits, creations and deletions', async () => {
    const rnd = seededRandom(14);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const a = evaluator();
    const b = evaluator();
    // Start a few minutes before an hour boundary, so steps cross hours and days.
    let now = Math.floor(Date.now() / DAY_MS) * DAY_MS - 7 * MINUTE_MS + 13_000;
    let ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await slos.insert(spec(`s${i}`, WINDOWS[i % WINDOWS.length]), ds.manager))!.id);
    for (const id of ids) {
      for (let k = 0; k < 40; k++) await write(id, now - Math.floor(rnd() * 31 * DAY_MS), Math.floor(rnd() * 90), 100);
    }
    let slot = 0;
    let incremental = 0;
    let moved = 0;
    for (let step = 0; step < 60; step++) {
      now += pick([0, MINUTE_MS, MINUTE_MS, 2 * MINUTE_MS, 7 * MINUTE_MS, 45 * MINUTE_MS]);
      const actions = Math.floor(rnd() * 6);
      for (let k = 0; k < actions; k++) {
        const r = rnd();
        const id = pick(ids);
        if (r < 0.35) await write(id, now, Math.floor(rnd() * 10), 10); // live
        else if (r < 0.6) await write(id, now - Math.floor(rnd() * 40 * MINUTE_MS), 1, 3); // minutes late
        else if (r < 0.75) await write(id, now - Math.floor(rnd() * 9 * DAY_MS), 2, 5); // days late
        else if (r < 0.82) {
          // An edit with a backfill: counts deleted and rebuilt, window changed.
          const slo = (await slos.get(id))!;
          await ds.transaction(async (m) => {
            await slos.update(id, spec(slo.name, pick(WINDOWS)), m);
            await sli.deleteCounts(m, id);
          });
          for (let j = 0; j < 5; j++) await write(id, now - Math.floor(rnd() * 20 * DAY_MS), 3, 4);
        } else if (r < 0.86) {
          // The retention job (RETENTION_MINUTE_DAYS 8, or an older run): first minute rows go, hour rows stay.
          await sli.prune(now - (8 + Math.floor(rnd() * 4)) * DAY_MS, now - 60 * DAY_MS);
        } else if (r < 0.9) {
          ids.push((await slos.insert(spec(`n${step}-${k}`, pick(WINDOWS)), ds.manager))!.id);
        } else if (r < 0.93 && ids.length > 2) {
          await slos.delete(id);
          ids = ids.filter((x) => x !== id);
        } else {
          await write(id, now - Math.floor(rnd() * 3 * HOUR_MS), 1, 1); // within the hour rows kept
        }
      }
      // Now and then another replica leads a tick.
      const leader = rnd() < 0.15 ? b : a;
      const result = await leader.tick(now, ++slot);
      expect(result.leader).toBe(true);
      if (!leader.cache.lastStats.full) incremental++;
      moved += leader.cache.lastStats.partsMoved;
      const reread = await leader.evaluate(ds.manager, await slos.list(), now);
      expect(counts(result.statuses)).toEqual(counts(reread));
    }
    // The test must have exercised the incremental path, not only full reads.
    expect(incremental).toBeGreaterThan(30);
    expect(moved).toBeGreaterThan(20);
  }, 120_000);

  it('counts a late span in the next tick, minutes or days late, and a write that commits while a tick reads', async () => {
    const a = evaluator();
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 30 * MINUTE_MS;
    const id = (await slos.insert(spec('late', '30d'), ds.manager))!.id;
    await write(id, now - 2 * DAY_MS, 99, 100);
    await write(id, now, 9, 10);
    const first = (await a.tick(now, 1)).statuses[0].status;
    expect([first.full.good, first.full.total]).toEqual([108, 110]);

    // A transaction that started before the tick and commits after it.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO sli_hour (slo_id, bucket, good, total) VALUES ($1, to_timestamp($2), 0, 7)
       ON CONFLICT (slo_id, bucket) DO UPDATE SET good = sli_hour.good + excluded.good, total = sli_hour.total + excluded.total, changed_xid = pg_current_xact_id()`,
      [id, (now - 5 * DAY_MS - (now % HOUR_MS)) / 1000],
    );

    await write(id, now - 10 * MINUTE_MS, 0, 5); // minutes late
    await write(id, now - 3 * DAY_MS, 1, 2); // days late
    const second = await a.tick(now + MINUTE_MS, 2);
    expect(a.cache.lastStats.full).toBe(false);
    const s2 = second.statuses[0].status;
    expect([s2.full.good, s2.full.total]).toEqual([109, 117]);
    expect([s2.windows['1h'].good, s2.windows['1h'].total]).toEqual([9, 15]);
    expect([s2.windows['3d'].good, s2.windows['3d'].total]).toEqual([108, 115]);

    await client.query('COMMIT');
    await client.end();
    const third = (await a.tick(now + 2 * MINUTE_MS, 3)).statuses[0].status;
    expect(a.cache.lastStats.full).toBe(false);
    expect([third.full.good, third.full.total]).toEqual([109, 124]);
  }, 60_000);

  it('keeps data starts between ticks, and moves one for a span late enough to start the history earlier and for a prune', async () => {
    const a = evaluator();
    const now = Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 40 * MINUTE_MS;
    const young = (await slos.insert(spec('young', '30d'), ds.manager))!.id;
    const old = (await slos.insert(spec('old', '30d'), ds.manager))!.id;
    const quiet = (await slos.insert(spec('quiet', '30d'), ds.manager))!.id;
    await write(young, now - 15 * MINUTE_MS, 1, 1);
    const oldHour = Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS;
    await write(old, oldHour + 17 * MINUTE_MS, 1, 1);
    await write(old, now, 1, 1);
    const start = (r: { statuses: Evaluated[] }, id: string) => r.statuses.find((e) => e.slo.id === id)!.status.dataStartMs;

    let r = await a.tick(now, 1);
    expect(start(r, young)).toBe(now - 15 * MINUTE_MS);
    expect(start(r, old)).toBe(oldHour + 17 * MINUTE_MS);
    expect(start(r, quiet)).toBeNull();

    // Live writes after the first hour: nothing to ask again but the SLO without data.
    await write(old, now + MINUTE_MS, 1, 1);
    r = await a.tick(now + MINUTE_MS, 2);
    // (Which starts were asked for again depends on other transactions in the cluster holding the
    // watermark back; data-start-cache.spec.ts checks that without a database.)
    expect(start(r, old)).toBe(oldHour + 17 * MINUTE_MS);

    // A span from before the young SLO's first event (recent: applied as a delta, not read again whole), and the quiet SLO's first one.
    await write(young, now - 25 * MINUTE_MS, 1, 1);
    await write(quiet, now + MINUTE_MS, 1, 1);
    r = await a.tick(now + 2 * MINUTE_MS, 3);
    expect(start(r, young)).toBe(now - 25 * MINUTE_MS);
    expect(start(r, quiet)).toBe(now + MINUTE_MS);

    // Retention deletes the old SLO's first minute row: its history now starts at that hour's row.
    await sli.prune(now - 9 * DAY_MS, now - 60 * DAY_MS);
    r = await a.tick(now + 3 * MINUTE_MS, 4);
    expect(start(r, old)).toBe(oldHour);
    const reread = await a.evaluate(ds.manager, await slos.list(), now + 3 * MINUTE_MS);
    expect(counts(r.statuses)).toEqual(counts(reread));
  }, 60_000);
});
