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
  /** The parts of each window asked for this tick, by from and then to: every SLO of a shape asks the same ones. */
  private readonly split = new Map<number, Map<number, PartSums[]>>();

  constructor(
    private readonly slots: ReadonlyMap<string, number>,
    private readonly parts: ReadonlyMap<string, PartSums>,
    private readonly minuteHorizonMs: number,
  ) {}

  countsFor(sloId: string): WindowCounts {
    return new SlotCounts(this, this.slots.get(sloId));
  }

  /** sumSlot adds slot i's sums over the parts of [fromMs, toMs). */
  sumSlot(i: number | undefined, fromMs: number, toMs: number): EventCounts {
    if (i === undefined) return { good: 0, total: 0 };
    const parts = this.partsOf(fromMs, toMs);
    let good = 0;
    let total = 0;
    for (let k = 0; k < parts.length; k++) {
      const v = parts[k].v;
      good += v[2 * i];
      total += v[2 * i + 1];
    }
    return { good, total };
  }

  private partsOf(fromMs: number, toMs: number): PartSums[] {
    let byTo = this.split.get(fromMs);
    if (!byTo) {
      byTo = new Map();
      this.split.set(fromMs, byTo);
    }
    let found = byTo.get(toMs);
    if (!found) {
      found = storedParts(fromMs, toMs, this.minuteHorizonMs).map((p) => {
        const s = this.parts.get(p.key);
        if (!s) throw new Error(`window [${fromMs}, ${toMs}) was not loaded`);
        return s;
      });
      byTo.set(toMs, found);
    }
    return found;
  }
}

/** One SLO's view of CachedSums. */
class SlotCounts implements WindowCounts {
  constructor(
    private readonly sums: CachedSums,
    private readonly slot: number | undefined,
  ) {}

  sum(fromMs: number, toMs: number): EventCounts {
    return this.sums.sumSlot(this.slot, fromMs, toMs);
  }
}
