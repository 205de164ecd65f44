import type { EntityManager } from 'typeorm';
import { HOUR_MS } from '../kernel/minute-ranges.js';
import type { DataStart, DataStartRepository, PruneMark } from './data-start.repository.js';
import type { CacheChanges } from './sli-window-cache.js';

/**
 * DataStartCache keeps each SLO's data start (DataStartRepository) between
 * the leader's ticks: asking for 10,000 of them every tick cost more than
 * evaluating them. A kept start is asked for again when it may have moved:
 *
 * - a full read of the window cache (leadership moved, a failed tick), or
 *   the SLO was read whole again (new, edited — an edit may delete its
 *   counts —, or written to before the recent zone: a backfill);
 * - a row was written in or before the SLO's first hour (a span late
 *   enough to start its history earlier; rows written later cannot);
 * - the SLO has no data yet (its first span may have just arrived);
 * - the retention job deleted counts since the last tick (SliRepository
 *   prune bumps a mark) and this start was among the rows it deleted:
 *   its first hour row is below the hour cutoff, or the minute row it was
 *   refined to is below the minute cutoff.
 *
 * Writes are additive and deletions are the cases above, so any other
 * start is still what DataStartRepository would answer.
 */
export class DataStartCache {
  private readonly known = new Map<string, DataStart>();
  private mark: PruneMark | null = null;
  /** SLOs asked for in the last load, for the tests. */
  lastAsked = 0;

  constructor(private readonly repository: DataStartRepository) {}

  async load(m: EntityManager, sloIds: readonly string[], changes: CacheChanges): Promise<Map<string, number | null>> {
    if (changes.full) this.known.clear();
    const mark = await this.repository.pruneMark(m);
    const pruned = mark !== null && mark.n !== this.mark?.n ? mark : null;
    const ask = sloIds.filter((id) => {
      const kept = this.known.get(id);
      if (!kept || kept.first === null || changes.reread.has(id)) return true;
      const written = changes.earliest.get(id);
      if (written !== undefined && written < Math.floor(kept.first / HOUR_MS) * HOUR_MS + HOUR_MS) return true;
      return pruned !== null && prunedAway(kept, pruned);
    });
    for (const [id, start] of await this.repository.dataStarts(m, ask)) this.known.set(id, start);
    this.mark = mark;
    this.lastAsked = ask.length;
    const out = new Map<string, number | null>();
    for (const id of sloIds) out.set(id, this.known.get(id)?.first ?? null);
    return out;
  }

  invalidate(): void {
    this.known.clear();
    this.mark = null;
  }
}

/** prunedAway: whether a prune below `mark`'s cutoffs may have deleted the rows `start` was read from. */
function prunedAway(start: DataStart, mark: PruneMark): boolean {
  const first = start.first as number;
  if (start.hour === null) return first < mark.minuteCutoffMs;
  // A start refined to a minute after its hour's start loses that minute row to the minute cutoff.
  return start.hour < mark.hourCutoffMs || (first > start.hour && first < mark.minuteCutoffMs);
}
