import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertOwner } from '../evaluation/alert-conditions.js';
import type { AlertState, AlertStep } from '../evaluation/alert-state.js';

export interface AlertRow {
  id: string;
  fingerprint: string;
  source: 'slo' | 'rule';
  source_id: string;
  alertname: string;
  severity: string;
  service: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'resolved' | 'cancelled';
  value: number | null;
  details: Record<string, unknown>;
  active_at: Date;
  fired_at: Date | null;
  resolved_at: Date | null;
  keep_firing_since: Date | null;
  last_sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ms = (d: Date | null | undefined) => (d ? d.getTime() : undefined);
const ts = (n: number | undefined) => (n === undefined ? null : new Date(n));

/** toState turns a stored incident into the pure core's AlertState. */
export function toState(r: AlertRow): AlertState {
  return {
    fingerprint: r.fingerprint,
    labels: r.labels,
    annotations: r.annotations,
    ...(r.value !== null ? { value: r.value } : {}),
    state: r.state === 'pending' ? 'pending' : r.state === 'firing' ? 'firing' : 'inactive',
    activeAt: ms(r.active_at),
    firedAt: ms(r.fired_at),
    resolvedAt: ms(r.resolved_at),
    lastSentAt: ms(r.last_sent_at),
    keepFiringSince: ms(r.keep_firing_since),
  };
}

/** alertView is an incident as the API and notifications show it: camelCase, ISO times. */
export function alertView(a: AlertRow) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: a.id,
    fingerprint: a.fingerprint,
    source: a.source,
    sourceId: a.source_id,
    alertname: a.alertname,
    severity: a.severity,
    service: a.service,
    state: a.state,
    labels: a.labels,
    annotations: a.annotations,
    value: a.value,
    details: a.details,
    activeAt: iso(a.active_at),
    firedAt: iso(a.fired_at),
    resolvedAt: iso(a.resolved_at),
    lastSentAt: iso(a.last_sent_at),
  };
}

export interface AlertFilter {
  state?: string;
  severity?: string;
  sloId?: string;
  service?: string;
  limit: number;
}

/**
 * AlertRepository persists alert incidents and their transitions. It is
 * written only inside the evaluator's transaction, so a tick's snapshot,
 * state changes and (later) outbox rows commit or roll back together.
 */
@Injectable()
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** current: the latest incident per fingerprint still relevant to the state machine (open, or resolved within retention). */
  async current(m: EntityManager, resolvedSinceMs: number): Promise<Map<string, AlertRow>> {
    const rows: AlertRow[] = await m.query(
      `SELECT DISTINCT ON (fingerprint) * FROM alerts
       WHERE state IN ('pending', 'firing') OR (state = 'resolved' AND resolved_at >= to_timestamp($1))
       ORDER BY fingerprint, created_at DESC`,
      [resolvedSinceMs / 1000],
    );
    return new Map(rows.map((r) => [r.fingerprint, r]));
  }

  /** apply persists one step of one alert and its transition; returns the incident id touched, if any. */
  async apply(
    m: EntityManager,
    prev: AlertRow | undefined,
    step: AlertStep,
    src: AlertOwner,
    details: Record<string, unknown>,
    nowMs: number,
  ): Promise<string | undefined> {
    const next = step.next;
    let id = prev?.id;
    const open = prev && (prev.state === 'pending' || prev.state === 'firing');
    if (next && next.state !== 'inactive' && !open) {
      // A new incident: either the first one or the previous one was resolved.
      id = randomUUID();
      await m.query(
        `INSERT INTO alerts (id, fingerprint, source, source_id, alertname, severity, service, labels, annotations, state,
                             value, details, active_at, fired_at, keep_firing_since)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          id, next.fingerprint, src.source, src.sourceId, next.labels.alertname ?? '', src.severity, src.service,
          JSON.stringify(next.labels), JSON.stringify(next.annotations ?? {}), next.state, next.value ?? null,
          JSON.stringify(details), ts(next.activeAt), ts(next.firedAt), ts(next.keepFiringSince),
        ],
      );
    } else if (prev && open) {
      const state = next === undefined ? 'cancelled' : next.state === 'inactive' ? 'resolved' : next.state;
      await m.query(
        `UPDATE alerts SET state = $2, value = COALESCE($3, value), details = CASE WHEN $4::jsonb = '{}' THEN details ELSE $4::jsonb END,
                fired_at = $5, resolved_at = $6, keep_firing_since = $7, annotations = $8, updated_at = now()
         WHERE id = $1`,
        [
          prev.id, state, next?.value ?? null, JSON.stringify(state === 'resolved' || state === 'cancelled' ? {} : details),
          ts(next?.firedAt ?? ms(prev.fired_at)), state === 'resolved' ? ts(next?.resolvedAt ?? nowMs) : null,
          ts(next?.keepFiringSince), JSON.stringify(next?.annotations ?? prev.annotations),
        ],
      );
    }
    if (step.transition && id) {
      await m.query(`INSERT INTO alert_transitions (alert_id, at, transition, value, details) VALUES ($1, to_timestamp($2), $3, $4, $5)`, [
        id, nowMs / 1000, step.transition, next?.value ?? null, JSON.stringify(step.transition === 'firing' ? details : {}),
      ]);
    }
    return id;
  }

  /**
   * resolveOrphans resolves open alerts whose SLO or rule was deleted: nothing
   * evaluates them any more, and an alert nobody can resolve would page forever.
   * The caller says which SLOs and rules exist (the ones its tick evaluated):
   * the `slos` table is the SLO module's to read.
   */
  async resolveOrphans(m: EntityManager, nowMs: number, liveSloIds: readonly string[], liveRuleIds: readonly string[]): Promise<number> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE alerts a SET state = CASE WHEN a.state = 'firing' THEN 'resolved' ELSE 'cancelled' END,
              resolved_at = CASE WHEN a.state = 'firing' THEN to_timestamp($1) ELSE NULL END, updated_at = now()
       WHERE a.state IN ('pending', 'firing')
         AND NOT (a.source = 'slo' AND a.source_id = ANY($2::uuid[]))
         AND NOT (a.source = 'rule' AND a.source_id = ANY($3::uuid[]))
       RETURNING a.id, a.state`,
      [nowMs / 1000, liveSloIds, liveRuleIds],
    );
    for (const r of rows as { id: string; state: string }[]) {
      await m.query(`INSERT INTO alert_transitions (alert_id, at, transition, details) VALUES ($1, to_timestamp($2), $3, '{"reason":"source deleted"}')`, [
        r.id,
        nowMs / 1000,
        r.state,
      ]);
    }
    return rows.length;
  }

  /**
   * notifiable: the alerts notify may have something to say about at
   * `nowMs` — every firing one, and those that fired and resolved within
   * `resolvedWithinMs` — with whether this tick resolved them and the
   * channels their rule names (an SLO's channels are the SLO module's to tell).
   */
  async notifiable(
    m: EntityManager,
    nowMs: number,
    resolvedWithinMs: number,
  ): Promise<(AlertRow & { repeats: number; just_resolved: boolean; rule_channels: string[] | null })[]> {
    return m.query(
      `SELECT a.*,
              EXISTS (SELECT 1 FROM alert_transitions t WHERE t.alert_id = a.id AND t.transition = 'resolved' AND t.at = to_timestamp($1)) AS just_resolved,
              (SELECT ARRAY(SELECT jsonb_array_elements_text(r.spec->'channels')) FROM alert_rules r WHERE a.source = 'rule' AND r.id = a.source_id) AS rule_channels
       FROM alerts a
       WHERE a.state = 'firing' OR (a.state = 'resolved' AND a.fired_at IS NOT NULL AND a.resolved_at >= to_timestamp($2))`,
      [nowMs / 1000, (nowMs - resolvedWithinMs) / 1000],
    );
  }

  /**
   * pruneClosed deletes incidents that closed (resolved or cancelled) before
   * the cutoff, with their transitions and notifications (the foreign keys
   * cascade): history as old as the hour rows it was judged from. Open
   * incidents are kept however old.
   */
  async pruneClosed(cutoffMs: number): Promise<number> {
    const [, n] = await this.dataSource.query(`DELETE FROM alerts WHERE state IN ('resolved', 'cancelled') AND updated_at < to_timestamp($1)`, [
      cutoffMs / 1000,
    ]);
    return Number(n);
  }

  /** markSent records that a firing or repeat notification was queued, so repeats keep their interval. */
  async markSent(m: EntityManager, marks: readonly { alertId: string; repeat: boolean }[], nowMs: number): Promise<void> {
    if (marks.length === 0) return;
    await m.query(
      `UPDATE alerts a SET last_sent_at = to_timestamp($3), repeats = a.repeats + x.inc
       FROM unnest($1::uuid[], $2::int[]) AS x(id, inc) WHERE a.id = x.id`,
      [marks.map((k) => k.alertId), marks.map((k) => (k.repeat ? 1 : 0)), nowMs / 1000],
    );
  }

  async list(f: AlertFilter): Promise<AlertRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!f.state || f.state === 'active') where.push(`state IN ('pending', 'firing')`);
    else if (f.state !== 'all') where.push(`state = $${params.push(f.state)}`);
    if (f.severity) where.push(`severity = $${params.push(f.severity)}`);
    if (f.sloId) where.push(`source = 'slo' AND source_id = $${params.push(f.sloId)}`);
    if (f.service) where.push(`service = $${params.push(f.service)}`);
    return this.dataSource.query(
      `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC LIMIT $${params.push(f.limit)}`,
      params,
    );
  }

  async get(id: string): Promise<{ alert: AlertRow; transitions: { at: Date; transition: string; value: number | null; details: unknown }[] } | undefined> {
    const rows: AlertRow[] = await this.dataSource.query(`SELECT * FROM alerts WHERE id = $1`, [id]);
    if (!rows[0]) return undefined;
    const transitions = await this.dataSource.query(
      `SELECT at, transition, value, details FROM alert_transitions WHERE alert_id = $1 ORDER BY at, id`,
      [id],
    );
    return { alert: rows[0], transitions };
  }

  async countsByStateSeverity(): Promise<{ state: string; severity: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT state, severity, count(*)::int AS n FROM alerts WHERE state IN ('pending', 'firing') GROUP BY 1, 2`,
    );
  }

  async open(): Promise<AlertRow[]> {
    return this.dataSource.query(`SELECT * FROM alerts WHERE state IN ('pending', 'firing')`);
  }
}
