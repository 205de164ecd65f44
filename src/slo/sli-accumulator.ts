import { MINUTE_MS } from '../kernel/minute-ranges.js';

export interface SliRow {
  sloId: string;
  /** Start of the row's bucket, epoch ms: a minute in sli_minute, an hour in sli_hour. */
  bucketMs: number;
  good: number;
  total: number;
}

/** SliBucket is one bucket's counts without whose they are: what the window readers (prefix sums, stored counts) need. */
export type SliBucket = Pick<SliRow, 'bucketMs' | 'good' | 'total'>;

/**
 * SliAccumulator holds one flush batch's per-(SLO, minute) good and total
 * counts. Counts are adjusted counts (1/p for sampled spans), so they stay
 * exact integers for unsampled traffic.
 */
export class SliAccumulator {
  private cells = new Map<string, SliRow>();

  add(sloId: string, startMs: number, good: boolean, n: number): void {
    const minuteMs = Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
    const key = `${minuteMs}|${sloId}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { sloId, bucketMs: minuteMs, good: 0, total: 0 };
      this.cells.set(key, cell);
    }
    cell.total += n;
    if (good) cell.good += n;
  }

  get size(): number {
    return this.cells.size;
  }

  /** drain returns the rows sorted (SLO, minute) — one lock order for every replica. */
  drain(): SliRow[] {
    const rows = [...this.cells.values()].sort((a, b) => (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : a.bucketMs - b.bucketMs));
    this.cells = new Map();
    return rows;
  }
}

/** rollUpSli merges minute rows into hour rows (one upsert may not touch a row twice). */
export function rollUpSli(rows: readonly SliRow[], periodMs: number): SliRow[] {
  const out = new Map<string, SliRow>();
  for (const r of rows) {
    const start = Math.floor(r.bucketMs / periodMs) * periodMs;
    const key = `${r.sloId}|${start}`;
    const acc = out.get(key);
    if (acc) {
      acc.good += r.good;
      acc.total += r.total;
    } else out.set(key, { sloId: r.sloId, bucketMs: start, good: r.good, total: r.total });
  }
  return [...out.values()];
}
