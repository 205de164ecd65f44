import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EventCounts } from '../evaluation/burn-rate.js';
import type { Range } from '../kernel/minute-ranges.js';
import type { WindowCounts } from '../evaluation/slo-evaluator.js';
import type { SliRow } from './sli-accumulator.js';
import { joinUpserts, type UpsertStatement } from '../database/upsert-statement.js';
import { storedParts, type StoredPart } from '../kernel/stored-ranges.js';

type Table = 'sli_minute' | 'sli_hour';

/**
 * SliRepository reads and writes exact per-SLO good/total counts. Writes are
 * additive upserts inside the ingest group commit; reads sum hour rows for
 * whole hours and minute rows at the edges.
 */
@Injectable()
export class SliRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * prune deletes SLO counts past retention, and rows of deleted SLOs (written
   * by a batch in flight while the SLO was deleted).
   */
  async prune(minuteCutoffMs: number, hourCutoffMs: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [, minutes]: [unknown, number] = await m.query(
        `DELETE FROM sli_minute WHERE bucket < to_timestamp($1) OR slo_id NOT IN (SELECT id FROM slos)`,
        [minuteCutoffMs / 1000],
      );
      const [, hours]: [unknown, number] = await m.query(
        `DELETE FROM sli_hour WHERE bucket < to_timestamp($1) OR slo_id NOT IN (SELECT id FROM slos)`,
        [hourCutoffMs / 1000],
      );
      // Deleted rows leave no changed_xid: the evaluator's kept data starts learn of them here (DataStartCache).
      if (Number(minutes) + Number(hours) > 0) {
        await m.query(
          `INSERT INTO sli_prunes (id, n, minute_cutoff, hour_cutoff) VALUES (1, 1, to_timestamp($1), to_timestamp($2))
           ON CONFLICT (id) DO UPDATE SET n = sli_prunes.n + 1, minute_cutoff = GREATEST(sli_prunes.minute_cutoff, excluded.minute_cutoff),
                                          hour_cutoff = GREATEST(sli_prunes.hour_cutoff, excluded.hour_cutoff)`,
          [minuteCutoffMs / 1000, hourCutoffMs / 1000],
        );
      }
    });
  }

  /**
   * upsert is the additive upsert of `rows` into `table`, as a statement the
   * ingest group commit runs together with its RED rows (one statement, one
   * round trip: see RedRepository.write).
   */
  /** write runs the same additive upsert on its own, inside `m`'s transaction (backfills, tests, benchmarks). */
  async write(m: EntityManager, table: Table, rows: readonly SliRow[]): Promise<void> {
    const statement = this.upsert(table, rows);
    if (!statement) return;
    const { sql, params } = joinUpserts([statement]);
    await m.query(sql, params);
  }

  upsert(table: Table, rows: readonly SliRow[]): UpsertStatement | undefined {
    if (rows.length === 0) return undefined;
    return (param) =>
      `INSERT INTO ${table} (slo_id, bucket, good, total)
       SELECT id, to_timestamp(ms / 1000.0), good, total
       FROM unnest(${param(rows.map((r) => r.sloId))}::uuid[], ${param(rows.map((r) => r.bucketMs))}::double precision[],
                   ${param(rows.map((r) => r.good))}::double precision[], ${param(rows.map((r) => r.total))}::double precision[]) AS t(id, ms, good, total)
       ON CONFLICT (slo_id, bucket) DO UPDATE SET good = ${table}.good + excluded.good, total = ${table}.total + excluded.total,
                                                  changed_xid = pg_current_xact_id()`;
  }

  /**
   * loadSums answers many (SLO, range) sums with one query per table. The
   * distinct ranges are shared by all SLOs (windows evaluated at the same
   * instant have the same bounds), and the query joins on them, so it reads
   * exactly the rows inside some range — never the whole span between the
   * oldest and newest edge, which for minute rows would be days of data.
   */
  async loadSums(m: EntityManager, sloIds: string[], ranges: Range[], minuteHorizonMs: number): Promise<SumLookup> {
    const parts = { hour: new Map<string, StoredPart>(), minute: new Map<string, StoredPart>() };
    for (const [f, t] of ranges) for (const p of storedParts(f, t, minuteHorizonMs)) parts[p.level].set(p.key, p);
    const result = new Map<string, EventCounts>();
    if (sloIds.length > 0) {
      await this.sumHours(m, sloIds, [...parts.hour.values()], result);
      await this.sumMinutes(m, sloIds, [...parts.minute.values()], result);
    }
    return new SumLookup(result, minuteHorizonMs);
  }

  /**
   * Hour ranges nest (the 30-day window holds the 3-day one): every hour row
   * between the oldest start and the end is needed anyway, so one scan with a
   * FILTER per range reads each row once.
   */
  private async sumHours(m: EntityManager, sloIds: string[], parts: StoredPart[], result: Map<string, EventCounts>): Promise<void> {
    if (parts.length === 0) return;
    const list = parts.map((p) => p.range);
    const params: unknown[] = [sloIds];
    const cols = list.map(([f, t], i) => {
      const cond = `bucket >= to_timestamp($${params.push(f / 1000)}) AND bucket < to_timestamp($${params.push(t / 1000)})`;
      return `SUM(good) FILTER (WHERE ${cond}) AS g${i}, SUM(total) FILTER (WHERE ${cond}) AS t${i}`;
    });
    const min = Math.min(...list.map((r) => r[0]));
    const max = Math.max(...list.map((r) => r[1]));
    const rows: Record<string, string | number | null>[] = await m.query(
      `SELECT slo_id, ${cols.join(', ')} FROM sli_hour
       WHERE slo_id = ANY($1::uuid[]) AND bucket >= to_timestamp($${params.push(min / 1000)}) AND bucket < to_timestamp($${params.push(max / 1000)})
       GROUP BY slo_id`,
      params,
    );
    for (const row of rows) {
      parts.forEach((p, i) => {
        const total = Number(row[`t${i}`] ?? 0);
        if (total > 0) result.set(`${row.slo_id}|${p.key}`, { good: Number(row[`g${i}`] ?? 0), total });
      });
    }
  }

  /**
   * Minute ranges are short edges far apart (the first minutes of each
   * window): joining on them reads only rows inside some edge, never the
   * days of minute rows between them.
   */
  private async sumMinutes(m: EntityManager, sloIds: string[], parts: StoredPart[], result: Map<string, EventCounts>): Promise<void> {
    if (parts.length === 0) return;
    const list = parts.map((p) => p.range);
    const rows: { slo_id: string; idx: string; good: number; total: number }[] = await m.query(
      `SELECT x.slo_id, r.idx, SUM(x.good) AS good, SUM(x.total) AS total
       FROM unnest($2::double precision[], $3::double precision[]) WITH ORDINALITY AS r(f, t, idx)
       JOIN sli_minute x ON x.bucket >= to_timestamp(r.f) AND x.bucket < to_timestamp(r.t)
       WHERE x.slo_id = ANY($1::uuid[])
       GROUP BY x.slo_id, r.idx`,
      [sloIds, list.map((r) => r[0] / 1000), list.map((r) => r[1] / 1000)],
    );
    for (const row of rows) {
      result.set(`${row.slo_id}|${parts[Number(row.idx) - 1].key}`, { good: Number(row.good), total: Number(row.total) });
    }
  }

  async deleteCounts(m: EntityManager, sloId: string): Promise<void> {
    await m.query(`DELETE FROM sli_minute WHERE slo_id = $1`, [sloId]);
    await m.query(`DELETE FROM sli_hour WHERE slo_id = $1`, [sloId]);
  }

  /** Per-hour and per-minute counts of one SLO in [from, to), for history charts. */
  async series(sloId: string, fromMs: number, toMs: number): Promise<{ hours: SliRow[]; minutes: SliRow[] }> {
    const q = (table: Table) =>
      this.dataSource.query(
        `SELECT extract(epoch FROM bucket) * 1000 AS ms, good, total FROM ${table}
         WHERE slo_id = $1 AND bucket >= to_timestamp($2) AND bucket < to_timestamp($3) ORDER BY bucket`,
        [sloId, fromMs / 1000, toMs / 1000],
      ) as Promise<{ ms: string; good: number; total: number }[]>;
    const [hours, minutes] = await Promise.all([q('sli_hour'), q('sli_minute')]);
    const conv = (r: { ms: string; good: number; total: number }) => ({ sloId, bucketMs: Number(r.ms), good: Number(r.good), total: Number(r.total) });
    return { hours: hours.map(conv), minutes: minutes.map(conv) };
  }
}

/** SumLookup serves the pure core's WindowCounts from the sums loaded for one tick. */
export class SumLookup {
  constructor(
    private readonly sums: Map<string, EventCounts>,
    private readonly minuteHorizonMs: number,
  ) {}

  countsFor(sloId: string): WindowCounts {
    return {
      sum: (fromMs: number, toMs: number): EventCounts => {
        let good = 0;
        let total = 0;
        for (const p of storedParts(fromMs, toMs, this.minuteHorizonMs)) {
          const c = this.sums.get(`${sloId}|${p.key}`);
          if (c) {
            good += c.good;
            total += c.total;
          }
        }
        return { good, total };
      },
    };
  }
}
