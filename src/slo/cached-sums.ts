import type { EventCounts } from '../evaluation/burn-rate.js';
import type { WindowCounts } from '../evaluation/slo-evaluator.js';
import { storedParts, type StoredPart } from '../kernel/stored-ranges.js';

/** One stored part's sums for every SLO slot (see SliWindowCache): v[2i] good, v[2i + 1] total. */
export interface PartSums {
  part: StoredPart;
  v: Float64Array;
}

/** CachedSums serves the pure core's WindowCounts from the cache's part sums. */
export class CachedSums {
  private readonly split = new Map<string, PartSums[]>();

  constructor(
    private readonly slots: ReadonlyMap<string, number>,
    private readonly parts: ReadonlyMap<string, PartSums>,
    private readonly minuteHorizonMs: number,
  ) {}

  countsFor(sloId: string): WindowCounts {
    const i = this.slots.get(sloId);
    return {
      sum: (fromMs: number, toMs: number): EventCounts => {
        const acc = { good: 0, total: 0 };
        if (i === undefined) return acc;
        for (const s of this.partsOf(fromMs, toMs)) {
          acc.good += s.v[2 * i];
          acc.total += s.v[2 * i + 1];
        }
        return acc;
      },
    };
  }

  private partsOf(fromMs: number, toMs: number): PartSums[] {
    const key = `${fromMs}|${toMs}`;
    let found = this.split.get(key);
    if (!found) {
      found = storedParts(fromMs, toMs, this.minuteHorizonMs).map((p) => {
        const s = this.parts.get(p.key);
        if (!s) throw new Error(`window [${fromMs}, ${toMs}) was not loaded`);
        return s;
      });
      this.split.set(key, found);
    }
    return found;
  }
}
