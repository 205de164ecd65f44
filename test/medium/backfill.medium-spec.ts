import { DataSource } from 'typeorm';
import { HOUR_MS, MINUTE_MS } from '../../src/kernel/minute-ranges.js';
import { RedSliRepository } from '../../src/red/red-sli.repository.js';
import { BackfillService } from '../../src/slo/backfill.service.js';
import { SliRepository } from '../../src/slo/sli.repository.js';
import type { SloSpec } from '../../src/slo/slo.types.js';
import { seededRandom } from '../support/random.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { migratedDataSource } from '../support/test-app.js';

/**
 * Backfill rebuilds a new SLO's history from RED rows (read by red) into
 * its sli rows (written by slo): minute rows of [from, to), hour rows of the
 * whole hours from the one holding `from`, and the partial hour before `to`
 * from its rebuilt minutes. Checked against sums the test makes itself.
 */
describe('backfill from RED rows', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let backfill: BackfillService;
  const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'burnwatch-test-backfill');
    backfill = new BackfillService(new RedSliRepository(ds), new SliRepository(ds));
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const spec = (sloName: string): SloSpec => ({
    name: sloName,
    service: 'cart',
    description: '',
    indicator: { type: 'availability', clientErrorsAreBad: false, ignoreStatusCodes: [] },
    selector: { operations: ['POST /cart'], spanKinds: [2], attributes: {} },
    objective: 99.9,
    window: { kind: 'rolling', days: 30 },
    labels: {},
    runbookUrl: null,
    channels: [],
    alerting: {},
  });

  async function newSlo(name: string): Promise<string> {
    const [{ id }] = await ds.query(
      `INSERT INTO slos (id, name, service, spec) VALUES (gen_random_uuid(), $1, 'cart', '{}'::jsonb) RETURNING id`,
      [name],
    );
    return String(id);
  }

  it('writes the minutes of [from, to), the whole hours from the one holding from, and the partial last hour', async () => {
    const rnd = seededRandom(77);
    const series: Record<string, string> = {};
    for (const [op, kind] of [['POST /cart', 'SPAN_KIND_SERVER'], ['POST /cart', 'SPAN_KIND_CLIENT'], ['GET /cart', 'SPAN_KIND_SERVER']]) {
      const [{ id }] = await ds.query(`INSERT INTO series (series_key, service, span_name, span_kind) VALUES ($1, 'cart', $2, $3) RETURNING id`, [
        `cart|${op}|${kind}`, op, kind,
      ]);
      series[`${op}|${kind}`] = String(id);
    }
    const to = floorHour(Date.now()) + 37 * MINUTE_MS;
    const from = to - 5 * HOUR_MS - 13 * MINUTE_MS; // 23 minutes into an hour
    // What the SLO selects: POST /cart SERVER spans, per minute and per hour (all of the hour's minutes).
    const minutes = new Map<number, { good: number; total: number }>();
    const hours = new Map<number, { good: number; total: number }>();
    const add = (map: Map<number, { good: number; total: number }>, at: number, good: number, total: number) => {
      const c = map.get(at) ?? { good: 0, total: 0 };
      map.set(at, { good: c.good + good, total: c.total + total });
    };
    for (let at = floorHour(from) - HOUR_MS; at < to + 2 * MINUTE_MS; at += MINUTE_MS) {
      for (const [key, id] of Object.entries(series)) {
        if (rnd() < 0.3) continue;
        const calls = 1 + Math.floor(rnd() * 50);
        const errors = Math.floor(rnd() * 3);
        for (const [table, step] of [['red_minute', MINUTE_MS], ['red_hour', HOUR_MS]] as const) {
          await ds.query(
            `INSERT INTO ${table} (series_id, bucket, calls, errors, duration_sum_ms, hist_lo, hist_n, hist_z)
             VALUES ($1, to_timestamp($2), $3, $4, 0, 0, ARRAY[]::double precision[], $3)
             ON CONFLICT (series_id, bucket) DO UPDATE SET calls = ${table}.calls + excluded.calls, errors = ${table}.errors + excluded.errors,
               hist_z = ${table}.hist_z + excluded.hist_z`,
            [id, (Math.floor(at / step) * step) / 1000, calls, errors],
          );
        }
        if (key !== 'POST /cart|SPAN_KIND_SERVER') continue;
        if (at >= from && at < to) add(minutes, at, calls - errors, calls);
        if (at >= floorHour(from) && at < floorHour(to)) add(hours, floorHour(at), calls - errors, calls);
        if (at >= Math.max(from, floorHour(to)) && at < to) add(hours, floorHour(to), calls - errors, calls);
      }
    }

    const sloId = await newSlo('cart-backfill');
    expect(await ds.transaction((m) => backfill.backfill(m, sloId, spec('cart-backfill'), from, to))).toBe(true);

    const read = async (table: string) =>
      new Map(
        (
          (await ds.query(`SELECT extract(epoch FROM bucket) * 1000 AS ms, good, total FROM ${table} WHERE slo_id = $1`, [sloId])) as {
            ms: string;
            good: number;
            total: number;
          }[]
        ).map((r) => [Number(r.ms), { good: Number(r.good), total: Number(r.total) }]),
      );
    expect(await read('sli_minute')).toEqual(minutes);
    expect(await read('sli_hour')).toEqual(hours);
  });

  it('finds no history where RED rows hold none, and writes nothing', async () => {
    const sloId = await newSlo('empty-backfill');
    const to = floorHour(Date.now()) - 48 * HOUR_MS;
    expect(await ds.transaction((m) => backfill.backfill(m, sloId, spec('empty-backfill'), to - HOUR_MS, to))).toBe(false);
    const [{ n }] = await ds.query(`SELECT (SELECT count(*) FROM sli_minute WHERE slo_id = $1) + (SELECT count(*) FROM sli_hour WHERE slo_id = $1) AS n`, [sloId]);
    expect(Number(n)).toBe(0);
  });
});
