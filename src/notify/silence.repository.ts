import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Matcher, SilenceWindow } from './silence-matcher.js';

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
}

interface Row {
  id: string;
  matchers: Matcher[];
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  comment: string;
  created_at: Date;
}

const fromRow = (r: Row): Silence => ({
  id: r.id,
  matchers: r.matchers,
  startsAt: r.starts_at.toISOString(),
  endsAt: r.ends_at.toISOString(),
  createdBy: r.created_by,
  comment: r.comment,
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class SilenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(s: Omit<Silence, 'id' | 'createdAt'>): Promise<Silence> {
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), JSON.stringify(s.matchers), s.startsAt, s.endsAt, s.createdBy, s.comment],
    );
    return fromRow(rows[0]);
  }

  async list(includeExpired: boolean): Promise<Silence[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM silences ${includeExpired ? '' : 'WHERE ends_at > now()'} ORDER BY starts_at DESC`,
    );
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Silence | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM silences WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** expire ends a silence now (kept for history, like Alertmanager). */
  async expire(id: string, nowMs: number): Promise<boolean> {
    const [, n] = await this.dataSource.query(
      `UPDATE silences SET ends_at = GREATEST(starts_at + interval '1 millisecond', to_timestamp($2)) WHERE id = $1 AND ends_at > to_timestamp($2)`,
      [id, nowMs / 1000],
    );
    return Number(n) > 0;
  }

  /** Silences that can apply at or after nowMs, for the evaluator's tick. */
  async active(m: EntityManager, nowMs: number): Promise<SilenceWindow[]> {
    const rows: Row[] = await m.query(`SELECT * FROM silences WHERE ends_at > to_timestamp($1)`, [nowMs / 1000]);
    return rows.map((r) => ({ matchers: r.matchers, startsAtMs: r.starts_at.getTime(), endsAtMs: r.ends_at.getTime() }));
  }
}
