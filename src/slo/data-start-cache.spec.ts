import type { EntityManager } from 'typeorm';
import { HOUR_MS, MINUTE_MS } from '../kernel/minute-ranges.js';
import { DataStartCache } from './data-start-cache.js';
import type { DataStart, DataStartRepository, PruneMark } from './data-start.repository.js';
import type { CacheChanges } from './sli-window-cache.js';

/** A repository over a table of starts the test edits, counting what it is asked. */
function fakeRepository() {
  const table = new Map<string, DataStart>();
  let mark: PruneMark | null = null;
  const asked: string[][] = [];
  const repository = {
    async dataStarts(_m: EntityManager, ids: string[]) {
      asked.push([...ids].sort());
      return new Map(ids.map((id) => [id, table.get(id) ?? { first: null, hour: null }]));
    },
    async pruneMark() {
      return mark;
    },
  } as unknown as DataStartRepository;
  return { table, asked, repository, setMark: (m: PruneMark) => (mark = m) };
}

const m = {} as EntityManager;
const quiet: CacheChanges = { full: false, reread: new Set(), earliest: new Map() };
const H = Date.UTC(2026, 10, 29, 12);

describe('DataStartCache', () => {
  it('asks only for what may have moved, and answers what the table holds', async () => {
    const { table, asked, repository, setMark } = fakeRepository();
    const cache = new DataStartCache(repository);
    table.set('young', { first: H + 20 * MINUTE_MS, hour: H });
    table.set('old', { first: H - 240 * HOUR_MS + 17 * MINUTE_MS, hour: H - 240 * HOUR_MS });
    table.set('long', { first: H - 900 * HOUR_MS, hour: H - 900 * HOUR_MS });
    const ids = ['young', 'old', 'long', 'none'];
    const load = async (changes: CacheChanges) => {
      const out = await cache.load(m, ids, changes);
      // Whatever was asked, the answer is the table's.
      for (const id of ids) expect(out.get(id)).toBe(table.get(id)?.first ?? null);
      return asked[asked.length - 1];
    };

    expect(await load({ ...quiet, full: true })).toEqual(['long', 'none', 'old', 'young']);
    // Nothing changed: only the SLO without data is asked again.
    expect(await load(quiet)).toEqual(['none']);
    // Live writes after the first hour move nothing.
    expect(await load({ ...quiet, earliest: new Map([['young', H + HOUR_MS], ['old', H]]) })).toEqual(['none']);

    // A late span inside the young SLO's first hour, before its first event.
    table.set('young', { first: H + 5 * MINUTE_MS, hour: H });
    expect(await load({ ...quiet, earliest: new Map([['young', H + 5 * MINUTE_MS]]) })).toEqual(['none', 'young']);

    // An edit or a backfill reads the SLO again.
    expect(await load({ ...quiet, reread: new Set(['long']) })).toEqual(['long', 'none']);

    // A prune below the old SLO's first minute row (not its hour row): only that start moved.
    setMark({ n: 1, minuteCutoffMs: H - 192 * HOUR_MS, hourCutoffMs: H - 9600 * HOUR_MS });
    table.set('old', { first: H - 240 * HOUR_MS, hour: H - 240 * HOUR_MS });
    expect(await load(quiet)).toEqual(['none', 'old']);
    // The same mark again: nothing new was deleted.
    expect(await load(quiet)).toEqual(['none']);

    // A prune of hour rows reaching the long-lived SLO's first hour.
    setMark({ n: 2, minuteCutoffMs: H - 192 * HOUR_MS, hourCutoffMs: H - 899 * HOUR_MS });
    table.set('long', { first: H - 899 * HOUR_MS, hour: H - 899 * HOUR_MS });
    expect(await load(quiet)).toEqual(['long', 'none']);

    // A full read (leadership moved) trusts nothing kept.
    expect(await load({ ...quiet, full: true })).toEqual(['long', 'none', 'old', 'young']);
  });
});
