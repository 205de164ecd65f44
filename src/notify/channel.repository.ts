import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Channel, ChannelConfig } from './channel.types.js';

interface Row {
  id: string;
  name: string;
  type: string;
  config: Omit<ChannelConfig, 'type'>;
  severities: string[];
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

const fromRow = (r: Row): Channel => ({
  id: r.id,
  name: r.name,
  config: { ...r.config, type: r.type } as ChannelConfig,
  severities: r.severities,
  isDefault: r.is_default,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** ChannelRepository stores channels with their secrets; only redact() output leaves the API. */
@Injectable()
export class ChannelRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(m: EntityManager = this.dataSource.manager): Promise<Channel[]> {
    return ((await m.query(`SELECT * FROM channels ORDER BY name`)) as Row[]).map(fromRow);
  }

  /** missing: the refs that name no channel, by id or by name (ChannelDirectory). */
  async missing(refs: readonly string[]): Promise<string[]> {
    if (refs.length === 0) return [];
    const rows: { ref: string }[] = await this.dataSource.query(
      `SELECT r AS ref FROM unnest($1::text[]) AS r WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.name = r OR c.id::text = r)`,
      [refs],
    );
    return rows.map((r) => r.ref);
  }

  async get(id: string): Promise<Channel | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM channels WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async insert(c: Omit<Channel, 'id' | 'createdAt' | 'updatedAt'>): Promise<Channel | undefined> {
    const { type, ...config } = c.config;
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO channels (id, name, type, config, severities, is_default) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO NOTHING RETURNING *`,
      [randomUUID(), c.name, type, JSON.stringify(config), c.severities, c.isDefault],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async update(id: string, c: Omit<Channel, 'id' | 'createdAt' | 'updatedAt'>): Promise<Channel | undefined | 'conflict'> {
    const clash = await this.dataSource.query(`SELECT 1 FROM channels WHERE name = $1 AND id <> $2`, [c.name, id]);
    if (clash.length) return 'conflict';
    const { type, ...config } = c.config;
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE channels SET name = $2, type = $3, config = $4, severities = $5, is_default = $6, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, c.name, type, JSON.stringify(config), c.severities, c.isDefault],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const [, n] = await this.dataSource.query(`DELETE FROM channels WHERE id = $1`, [id]);
    return Number(n) > 0;
  }
}
