import type { EntityManager } from 'typeorm';
import { HOUR_MS, MINUTE_MS, type Range } from '../kernel/minute-ranges.js';
import { CachedSums, type PartSums } from './cached-sums.js';
import { storedParts, type StoredLevel, type StoredPart } from '../kernel/stored-ranges.js';
import { SliWindowRepository } from './sli-window.repository.js';
const STEP: Record<StoredLevel, number> = { minute: MINUTE_MS, hour: HOUR_MS };
const LEVELS: StoredLevel[] = ['minute', 'hour'];

/** Minutes this recent are kept row by row, so the late spans that usually arrive are applied as deltas. */
export const RECENT_MINUTES_MS = 30 * MINUTE_MS;

/** What the last load did, for the bench and the tests. */
export interface CacheLoadStats {
  full: boolean;
  changedRows: number;
  dirtySlos: number;
  /** Parts (see storedParts) read whole for every SLO this tick. */
  partsRead: number;
  /** Parts moved by adding and subtracting the buckets that entered and left them. */
  partsMoved: number;
  /** Milliseconds spent reading changes, moving parts, reading new parts, re-reading dirty SLOs. */
  ms: { changes: number; moves: number; reads: number; dirty: number };
}


/** What the last load saw change, per SLO (for DataStartCache). */
export interface CacheChanges {
  /** Every SLO was read whole: nothing kept from before can be trusted. */
  full: boolean;
  /** SLOs read whole again: new, edited, or with rows changed before the recent zone. */
  reread: ReadonlySet<string>;
  /** The earliest bucket of any row written since the load before, by SLO. */
  earliest: ReadonlyMap<string, number>;
}

/** A range to add (sign 1) or subtract (sign −1) into a part's sums. */
interface Op {
  level: StoredLevel;
  range: Range;
  sign: 1 | -1;
  v: Float64Array;
}

/**
 * SliWindowCache keeps the evaluator leader's window sums in memory between
 * ticks, so a tick reads what changed instead of every window again:
 *
 * - Sums are kept per stored part (hour rows in the middle, minute rows at
 *   the edges — the same parts every other reader uses), for every SLO.
 *   When the window moves, a part is moved too: the buckets that entered
 *   are added, those that left are subtracted. A 30-day window then costs
 *   what a 7-day one does: one hour row in, one out, a minute or two.
 * - Recent rows (the last RECENT_MINUTES_MS of minutes, the last two hours)
 *   are also kept row by row. A row written since the last read (its
 *   changed_xid, see the SliChangeMarkers migration) is applied as the
 *   difference to the kept value — live ingest and the usual late spans.
 * - A row changed further back (a backfill, a span hours late), an SLO
 *   created or edited, is "dirty": all of that SLO's parts are read again.
 * - `invalidate` (leadership moved, a failed tick) makes the next load a
 *   full read of every part for every SLO.
 *
 * Exactness rests on the watermark: the xmin of a snapshot taken before
 * the tick reads anything. Every transaction below it had finished and is
 * seen by those reads; a row written by any other carries a changed_xid at
 * or above it, and is read again next tick.
 */
export class SliWindowCache {
  constructor(private readonly sli: SliWindowRepository = new SliWindowRepository()) {}

  private readonly slots = new Map<string, number>();
  private readonly versions = new Map<string, number>();
  private ids: string[] = [];
  private capacity = 0;
  private parts = new Map<string, PartSums>();
  private readonly rows: Record<StoredLevel, Map<number, Float64Array>> = { minute: new Map(), hour: new Map() };
  private readonly recentFrom: Record<StoredLevel, number> = { minute: 0, hour: 0 };
  private watermark: string | null = null;
  private endMs = 0;
  lastChanges: CacheChanges = { full: true, reread: new Set(), earliest: new Map() };
  lastStats: CacheLoadStats = { full: true, changedRows: 0, dirtySlos: 0, partsRead: 0, partsMoved: 0, ms: { changes: 0, moves: 0, reads: 0, dirty: 0 } };

  /** invalidate makes the next load read everything again. */
  invalidate(): void {
    this.watermark = null;
  }

  /**
   * load brings the sums up to date for `slos` and every range in `ranges`
   * (all ending at or before `endMs`), inside the tick's transaction `m`.
   */
  async load(m: EntityManager, slos: readonly { id: string; version: number }[], ranges: Range[], minuteHorizonMs: number, endMs: number): Promise<CachedSums> {
    const xmin = await this.sli.snapshotXmin(m);
    const full = this.watermark === null || endMs < this.endMs;
    if (full) this.reset();
    const stats: CacheLoadStats = { full, changedRows: 0, dirtySlos: 0, partsRead: 0, partsMoved: 0, ms: { changes: 0, moves: 0, reads: 0, dirty: 0 } };
    let mark = performance.now();
    const lap = () => {
      const t = performance.now();
      const d = t - mark;
      mark = t;
      return d;
    };

    const dirty = this.syncSlos(slos, full);
    const earliest = new Map<string, number>();
    if (!full) stats.changedRows = await this.applyChanges(m, dirty, earliest);
    stats.ms.changes = lap();

    const recent = { minute: Math.floor((endMs - RECENT_MINUTES_MS) / MINUTE_MS) * MINUTE_MS, hour: Math.floor(endMs / HOUR_MS) * HOUR_MS - HOUR_MS };
    for (const level of LEVELS) {
      for (const ms of this.rows[level].keys()) if (ms < recent[level]) this.rows[level].delete(ms);
      this.recentFrom[level] = recent[level];
    }

    // Parts: kept, moved from an overlapping one, or read whole.
    const wanted = new Map<string, StoredPart>();
    for (const [f, t] of ranges) for (const p of storedParts(f, t, minuteHorizonMs)) wanted.set(p.key, p);
    const next = new Map<string, PartSums>();
    const moves: Op[] = [];
    const fresh: PartSums[] = [];
    for (const [key, part] of wanted) {
      const kept = this.parts.get(key);
      if (kept) {
        next.set(key, kept);
        continue;
      }
      const ops = this.moveFrom(part);
      if (ops) {
        next.set(key, ops.sums);
        moves.push(...ops.ops);
        stats.partsMoved++;
      } else {
        const sums = { part, v: new Float64Array(2 * this.capacity) };
        next.set(key, sums);
        fresh.push(sums);
        stats.partsRead++;
      }
    }
    this.parts = next;

    // Dirty SLOs read their recent rows again before anything sums them.
    const dirtyIds = full ? null : [...dirty].map((i) => this.ids[i]);
    if (full || dirty.size > 0) await this.readRecentRows(m, dirtyIds, dirty);
    stats.ms.dirty = lap();
    await this.apply(m, moves, null);
    stats.ms.moves = lap();
    await this.apply(m, fresh.map((s) => ({ level: s.part.level, range: s.part.range, sign: 1 as const, v: s.v })), null);
    stats.ms.reads = lap();
    if (!full && dirty.size > 0) {
      const reread = [...next.values()].filter((s) => !fresh.includes(s));
      for (const s of reread) for (const i of dirty) s.v[2 * i] = s.v[2 * i + 1] = 0;
      await this.apply(m, reread.map((s) => ({ level: s.part.level, range: s.part.range, sign: 1 as const, v: s.v })), dirty);
    }
    stats.ms.dirty += lap();
    stats.dirtySlos = full ? this.slots.size : dirty.size;
    this.watermark = xmin;
    this.endMs = endMs;
    this.lastStats = stats;
    this.lastChanges = { full, reread: new Set([...dirty].map((i) => this.ids[i])), earliest };
    return new CachedSums(this.slots, this.parts, minuteHorizonMs);
  }

  private reset(): void {
    this.slots.clear();
    this.versions.clear();
    this.ids = [];
    this.capacity = 0;
    this.parts = new Map();
    this.rows.minute.clear();
    this.rows.hour.clear();
  }

  /** syncSlos gives new SLOs a slot and returns the slots to read again: new or edited SLOs. */
  private syncSlos(slos: readonly { id: string; version: number }[], full: boolean): Set<number> {
    const dirty = new Set<number>();
    const live = new Set<string>();
    for (const { id, version } of slos) {
      live.add(id);
      let slot = this.slots.get(id);
      if (slot === undefined) {
        slot = this.ids.length;
        this.ids.push(id);
        this.slots.set(id, slot);
        dirty.add(slot);
      } else if (this.versions.get(id) !== version) {
        dirty.add(slot);
      }
      this.versions.set(id, version);
    }
    // Deleted SLOs leave an unused slot behind until the next full read.
    for (const id of [...this.slots.keys()]) {
      if (!live.has(id)) {
        this.slots.delete(id);
        this.versions.delete(id);
      }
    }
    if (this.ids.length > this.capacity) this.grow(Math.max(this.ids.length, 2 * this.capacity, 64));
    if (full) dirty.clear();
    return dirty;
  }

  private grow(capacity: number): void {
    const widen = (a: Float64Array) => {
      const b = new Float64Array(2 * capacity);
      b.set(a);
      return b;
    };
    for (const s of this.parts.values()) s.v = widen(s.v);
    for (const level of LEVELS) for (const [ms, a] of this.rows[level]) this.rows[level].set(ms, widen(a));
    this.capacity = capacity;
  }

  /**
   * applyChanges reads every row written since the watermark: a recent one
   * is applied to the parts holding it as the difference to the kept value;
   * an older one makes its SLO dirty.
   */
  private async applyChanges(m: EntityManager, dirty: Set<number>, earliest: Map<string, number>): Promise<number> {
    let n = 0;
    for (const level of LEVELS) {
      const rows = await this.sli.changedSince(m, level, this.watermark!);
      n += rows.length;
      const holding = [...this.parts.values()].filter((s) => s.part.level === level);
      for (const r of rows) {
        const ms = r.bucketMs;
        const seen = earliest.get(r.sloId);
        if (seen === undefined || ms < seen) earliest.set(r.sloId, ms);
        const i = this.slots.get(r.sloId);
        if (i === undefined || dirty.has(i)) continue;
        if (ms < this.recentFrom[level]) {
          dirty.add(i);
          continue;
        }
        const kept = this.rowAt(level, ms);
        const dg = r.good - kept[2 * i];
        const dt = r.total - kept[2 * i + 1];
        kept[2 * i] += dg;
        kept[2 * i + 1] += dt;
        for (const s of holding) {
          if (ms >= s.part.range[0] && ms < s.part.range[1]) {
            s.v[2 * i] += dg;
            s.v[2 * i + 1] += dt;
          }
        }
      }
    }
    return n;
  }

  private rowAt(level: StoredLevel, ms: number): Float64Array {
    let a = this.rows[level].get(ms);
    if (!a) {
      a = new Float64Array(2 * this.capacity);
      this.rows[level].set(ms, a);
    }
    return a;
  }

  /**
   * moveFrom finds a kept part of the same level that `part` can be reached
   * from by adding and subtracting fewer buckets than reading it whole.
   */
  private moveFrom(part: StoredPart): { sums: PartSums; ops: Op[] } | null {
    const [a2, b2] = part.range;
    let best: { from: PartSums; cost: number } | null = null;
    for (const s of this.parts.values()) {
      const [a1, b1] = s.part.range;
      if (s.part.level !== part.level || a1 >= b2 || a2 >= b1) continue;
      const cost = Math.abs(a2 - a1) + Math.abs(b2 - b1);
      if (cost < b2 - a2 && (!best || cost < best.cost)) best = { from: s, cost };
    }
    if (!best) return null;
    const [a1, b1] = best.from.part.range;
    const sums = { part, v: best.from.v.slice() };
    const ops: Op[] = [];
    const op = (f: number, t: number, sign: 1 | -1) => {
      if (f < t) ops.push({ level: part.level, range: [f, t], sign, v: sums.v });
    };
    op(a1, a2, -1);
    op(a2, a1, 1);
    op(b1, b2, 1);
    op(b2, b1, -1);
    return { sums, ops };
  }

  /** readRecentRows (re)loads the kept recent rows of `ids` (every SLO when null). */
  private async readRecentRows(m: EntityManager, ids: string[] | null, slots: Set<number>): Promise<void> {
    for (const level of LEVELS) {
      if (ids) for (const a of this.rows[level].values()) for (const i of slots) a[2 * i] = a[2 * i + 1] = 0;
      for (const r of await this.sli.rowsFrom(m, level, this.recentFrom[level], ids)) {
        const i = this.slots.get(r.sloId);
        if (i === undefined) continue;
        const a = this.rowAt(level, r.bucketMs);
        a[2 * i] = r.good;
        a[2 * i + 1] = r.total;
      }
    }
  }

  /**
   * apply adds or subtracts each op's range into its sums: buckets in the
   * recent zone from the kept rows, older ones with one query per level.
   * `only` limits both to those slots (dirty SLOs); null means every SLO.
   */
  private async apply(m: EntityManager, ops: Op[], only: Set<number> | null): Promise<void> {
    const old: Record<StoredLevel, Op[]> = { minute: [], hour: [] };
    for (const op of ops) {
      const split = this.recentFrom[op.level];
      const [f, t] = op.range;
      if (f < split) old[op.level].push({ ...op, range: [f, Math.min(t, split)] });
      for (let ms = Math.max(f, split); ms < t; ms += STEP[op.level]) {
        const row = this.rows[op.level].get(ms);
        if (!row) continue;
        if (only) {
          for (const i of only) {
            op.v[2 * i] += op.sign * row[2 * i];
            op.v[2 * i + 1] += op.sign * row[2 * i + 1];
          }
        } else {
          for (let k = 0; k < row.length; k++) op.v[k] += op.sign * row[k];
        }
      }
    }
    const ids = only ? [...only].map((i) => this.ids[i]) : null;
    for (const level of LEVELS) await this.sumStored(m, level, old[level], ids);
  }

  /** sumStored reads every op's range from the table at once. */
  private async sumStored(m: EntityManager, level: StoredLevel, ops: Op[], ids: string[] | null): Promise<void> {
    for (const r of await this.sli.sumRanges(m, level, ops.map((o) => o.range), ids)) {
      const i = this.slots.get(r.sloId);
      if (i === undefined) continue;
      const op = ops[r.index];
      op.v[2 * i] += op.sign * r.good;
      op.v[2 * i + 1] += op.sign * r.total;
    }
  }
}
