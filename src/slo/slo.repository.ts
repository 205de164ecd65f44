import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { parseWindow, formatWindow } from '../evaluation/windows.js';
import type { Slo, SloSpec } from './slo.types.js';

interface Row {
  id: string;
  name: string;
  spec: Omit<SloSpec, 'window'> & { window: string };
  version: number;
  approximate_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: Row): Slo {
  return {
    ...r.spec,
    window: parseWindow(r.spec.window),
    id: r.id,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    approximateUntil: r.approximate_until ? r.approximate_until.toISOString() : null,
  };
}

const toStored = (spec: SloSpec) => JSON.stringify({ ...spec, window: formatWindow(spec.window) });

export interface SloFilter {
  service?: string;
  name?: string;
  label?: [string, string];
}

/** SloRepository stores SLO definitions; the spec is one jsonb column, validated before it gets here. */
@Injectable()
export class SloRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: SloFilter = {}, m: EntityManager = this.dataSource.manager): Promise<Slo[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.service) where.push(`service = $${params.push(filter.service)}`);
    if (filter.name) where.push(`name = $${params.push(filter.name)}`);
    if (filter.label) where.push(`spec->'labels'->>$${params.push(filter.label[0])} = $${params.push(filter.label[1])}`);
    const rows: Row[] = await m.query(
      `SELECT * FROM slos ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name`,
      params,
    );
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Slo | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM slos WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /**
   * listSince is list() for a caller that keeps the SLOs it read before:
   * only new or edited ones (by version) are read and parsed again.
   */
  async listSince(known: ReadonlyMap<string, Slo>, m: EntityManager = this.dataSource.manager): Promise<Slo[]> {
    const ids: { id: string; version: number }[] = await m.query(`SELECT id, version FROM slos ORDER BY name`);
    const stale = ids.filter((r) => known.get(r.id)?.version !== r.version).map((r) => r.id);
    const fresh = new Map<string, Slo>();
    if (stale.length > 0) {
      const rows: Row[] = await m.query(`SELECT * FROM slos WHERE id = ANY($1::uuid[])`, [stale]);
      for (const r of rows) fresh.set(r.id, fromRow(r));
    }
    // A row edited between the two reads is simply read at its newer version.
    return ids.map((r) => fresh.get(r.id) ?? known.get(r.id)).filter((s): s is Slo => s !== undefined);
  }

  /** insert returns undefined when the name is taken (unique violation), so the caller can answer 409. */
  async insert(spec: SloSpec, m: EntityManager): Promise<Slo | undefined> {
    const rows: Row[] = await m.query(
      `INSERT INTO slos (id, name, service, spec) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO NOTHING RETURNING *`,
      [randomUUID(), spec.name, spec.service, toStored(spec)],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** update returns 'conflict' when the new name belongs to another SLO. */
  async update(id: string, spec: SloSpec, m: EntityManager): Promise<Slo | undefined | 'conflict'> {
    const clash: { id: string }[] = await m.query(`SELECT id FROM slos WHERE name = $1 AND id <> $2`, [spec.name, id]);
    if (clash.length) return 'conflict';
    // TypeORM answers UPDATE … RETURNING with [rows, affectedCount].
    const [rows]: [Row[], number] = await m.query(
      `UPDATE slos SET name = $2, service = $3, spec = $4, version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, spec.name, spec.service, toStored(spec)],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async setApproximateUntil(id: string, untilMs: number | null, m: EntityManager): Promise<void> {
    await m.query(`UPDATE slos SET approximate_until = $2 WHERE id = $1`, [id, untilMs === null ? null : new Date(untilMs)]);
  }

  async delete(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [, count] = await m.query(`DELETE FROM slos WHERE id = $1`, [id]);
      await m.query(`DELETE FROM sli_minute WHERE slo_id = $1`, [id]);
      await m.query(`DELETE FROM sli_hour WHERE slo_id = $1`, [id]);
      return Number(count) > 0;
    });
  }

  /** fingerprint changes whenever any SLO is created, edited or deleted: replicas poll it to reload. */
  async fingerprint(): Promise<string> {
    const [row]: { n: string; v: string; t: Date | null }[] = await this.dataSource.query(
      `SELECT count(*) AS n, COALESCE(sum(version), 0) AS v, max(updated_at) AS t FROM slos`,
    );
    return `${row.n}:${row.v}:${row.t?.toISOString() ?? ''}`;
  }
}
