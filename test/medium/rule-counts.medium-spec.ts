import { DataSource } from 'typeorm';
import { RuleCountsRepository, type RuleQuery } from '../../src/red/rule-counts.repository.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/kernel/minute-ranges.js';
import { minuteHorizon } from '../../src/kernel/stored-ranges.js';
import { seededRandom } from '../support/random.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { migratedDataSource } from '../support/test-app.js';

const ruleCounts = new RuleCountsRepository();

describe('symptom rule counts for a whole tick in a fixed number of queries', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await migratedDataSource(db.url, 'burnwatch-test-rule-batch');
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('equal the per-rule sums for random rules over random RED rows', async () => {
    const rnd = seededRandom(1414);
    const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + 21_000;
    const ops = ['GET /a', 'GET /b', 'POST /a', 'rpc.Check', 'rpc.List'];
    const kinds = ['SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_CONSUMER'];
    const ids: string[] = [];
    for (const svc of ['cart', 'pay', 'ship']) {
      for (const op of ops) {
        for (const kind of kinds) {
          const [{ id }] = await ds.query(
            `INSERT INTO series (series_key, service, span_name, span_kind) VALUES ($1, $2, $3, $4) RETURNING id`,
            [`${svc}|${op}|${kind}`, svc, op, kind],
          );
          ids.push(String(id));
        }
      }
    }
    // Rows at random minutes over 9 days, their hour rows kept consistent.
    for (let k = 0; k < 1500; k++) {
      const id = ids[Math.floor(rnd() * ids.length)];
      const at = now - Math.floor(rnd() * 9 * DAY_MS);
      const calls = 1 + Math.floor(rnd() * 20);
      const errors = Math.floor(rnd() * calls);
      // One log bucket holding all but one call, and one call in the zero bucket (dense layout).
      const bucket = Math.floor(rnd() * 40);
      for (const [table, step] of [['red_minute', MINUTE_MS], ['red_hour', HOUR_MS]] as const) {
        await ds.query(
          `INSERT INTO ${table} (series_id, bucket, calls, errors, duration_sum_ms, hist_lo, hist_n, hist_z)
           VALUES ($1, to_timestamp($2), $3, $4, 0, $5, ARRAY[$6::double precision], 1)
           ON CONFLICT (series_id, bucket) DO UPDATE SET calls = ${table}.calls + excluded.calls, errors = ${table}.errors + excluded.errors,
             hist_lo = bw_dense_lo(${table}.hist_lo, ${table}.hist_n, excluded.hist_lo, excluded.hist_n),
             hist_n = bw_dense_add(${table}.hist_lo, ${table}.hist_n, excluded.hist_lo, excluded.hist_n),
             hist_z = ${table}.hist_z + excluded.hist_z`,
          [id, (Math.floor(at / step) * step) / 1000, calls, errors, bucket, calls - 1],
        );
      }
    }
    const end = now - (now % MINUTE_MS) + MINUTE_MS;
    const rules: RuleQuery[] = Array.from({ length: 40 }, () => {
      const len = [5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 90 * MINUTE_MS, DAY_MS][Math.floor(rnd() * 5)];
      const back = rnd() < 0.3 ? 7 * DAY_MS : 0;
      return {
        selector: {
          service: ['cart', 'pay', 'ship', 'none'][Math.floor(rnd() * 4)],
          operations: [[], ['GET /*'], ['rpc.Check', 'POST /?'], ['GET /b']][Math.floor(rnd() * 4)],
          spanKinds: [['server', 'consumer'], ['client'], ['server']][Math.floor(rnd() * 3)],
        },
        ranges: [[end - len, end], [end - back - len, end - back]],
        withHistogram: rnd() < 0.5,
      };
    });
    const horizon = minuteHorizon(now, 8);
    const batch = await ruleCounts.load(ds.manager, rules, horizon);
    let nonZero = 0;
    for (const [i, rule] of rules.entries()) {
      const single = await ruleCounts.loadOne(ds.manager, rule.selector, rule.ranges, rule.withHistogram, horizon);
      for (const [f, t] of rule.ranges) {
        const a = batch[i].sum(f, t);
        const b = single.sum(f, t);
        expect({ calls: a.calls, errors: a.errors }).toEqual({ calls: b.calls, errors: b.errors });
        expect(a.histogram).toEqual(rule.withHistogram ? b.histogram : { b: {}, z: 0 });
        if (a.calls > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(20);
  }, 60_000);
});
