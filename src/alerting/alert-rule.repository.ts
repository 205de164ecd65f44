import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { symptomRuleToJson, type SymptomRuleSpec } from '../evaluation/symptom-rule.js';
import { validateSymptomRule } from './alert-rule.validation.js';

export interface AlertRule {
  id: string;
  spec: SymptomRuleSpec;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  spec: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: Row): AlertRule {
  // Stored as the user-facing JSON; re-validated on read so the types hold.
  const { spec } = validateSymptomRule(r.spec);
  return { id: r.id, spec: spec!, version: r.version, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString() };
}

/** AlertRuleRepository stores symptom rules as their validated JSON. */
@Injectable()
export class AlertRuleRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(m: EntityManager = this.dataSource.manager, service?: string): Promise<AlertRule[]> {
    const rows: Row[] = await m.query(`SELECT * FROM alert_rules ${service ? 'WHERE service = $1' : ''} ORDER BY name`, service ? [service] : []);
    return rows.map(fromRow);
  }

  async get(id: string): Promise<AlertRule | undefined> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM alert_rules WHERE id = $1`, [id]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async insert(spec: SymptomRuleSpec): Promise<AlertRule | undefined> {
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO alert_rules (id, name, service, spec) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING *`,
      [randomUUID(), spec.name, spec.selector.service, JSON.stringify(symptomRuleToJson(spec))],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async update(id: string, spec: SymptomRuleSpec): Promise<AlertRule | undefined | 'conflict'> {
    const clash = await this.dataSource.query(`SELECT 1 FROM alert_rules WHERE name = $1 AND id <> $2`, [spec.name, id]);
    if (clash.length) return 'conflict';
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE alert_rules SET name = $2, service = $3, spec = $4, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [id, spec.name, spec.selector.service, JSON.stringify(symptomRuleToJson(spec))],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const [, n] = await this.dataSource.query(`DELETE FROM alert_rules WHERE id = $1`, [id]);
    return Number(n) > 0;
  }
}
