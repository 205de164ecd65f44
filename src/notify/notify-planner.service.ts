import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { alertView, type AlertRow } from '../alerting/alert.repository.js';
import { ChannelRepository } from './channel.repository.js';
import type { Channel } from './channel.types.js';
import { planNotification } from './notification-plan.js';
import { OutboxRepository } from './outbox.repository.js';
import { isSilenced } from './silence-matcher.js';
import { SilenceRepository } from './silence.repository.js';

/** snapshot is what a notification says about its alert, frozen when it is queued. */
export function snapshot(a: AlertRow) {
  const { source: _source, sourceId: _sourceId, lastSentAt: _lastSentAt, ...rest } = alertView(a);
  return rest;
}

/**
 * NotifyPlanner runs at the end of each evaluation, in its transaction: it
 * decides per alert whether a firing, repeat or resolved notification is
 * due (planNotification), skips silenced alerts, routes to channels, and
 * writes outbox rows. Sending happens later, outside the transaction.
 */
@Injectable()
export class NotifyPlanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: ChannelRepository,
    private readonly outbox: OutboxRepository,
    private readonly silences: SilenceRepository,
  ) {}

  async plan(m: EntityManager, nowMs: number): Promise<number> {
    const alerts: (AlertRow & { repeats: number; just_resolved: boolean; channel_ids: string[] | null })[] = await m.query(
      `SELECT a.*,
              EXISTS (SELECT 1 FROM alert_transitions t WHERE t.alert_id = a.id AND t.transition = 'resolved' AND t.at = to_timestamp($1)) AS just_resolved,
              COALESCE(
                (SELECT ARRAY(SELECT jsonb_array_elements_text(s.spec->'channels')) FROM slos s WHERE a.source = 'slo' AND s.id = a.source_id),
                (SELECT ARRAY(SELECT jsonb_array_elements_text(r.spec->'channels')) FROM alert_rules r WHERE a.source = 'rule' AND r.id = a.source_id)
              ) AS channel_ids
       FROM alerts a
       WHERE a.state = 'firing' OR (a.state = 'resolved' AND a.resolved_at >= to_timestamp($1) - interval '1 minute')`,
      [nowMs / 1000],
    );
    if (alerts.length === 0) return 0;
    const channels = await this.channels.list(m);
    const silences = await this.silences.active(m, nowMs);
    const rows = [];
    for (const a of alerts) {
      const kind = planNotification(
        {
          state: a.state,
          transition: a.just_resolved ? 'resolved' : undefined,
          lastSentAtMs: a.last_sent_at ? new Date(a.last_sent_at).getTime() : undefined,
          repeats: a.repeats,
        },
        isSilenced(a.labels, silences, nowMs),
        nowMs,
        this.config.notify,
      );
      if (!kind) continue;
      const seq = kind === 'repeat' ? a.repeats + 1 : 0;
      for (const c of route(channels, a.channel_ids ?? [], a.severity)) {
        rows.push({ dedupKey: `${a.id}:${kind}:${seq}:${c.id}`, alertId: a.id, channelId: c.id, kind, payload: { kind, alert: snapshot(a) } });
      }
      if (kind !== 'resolved') {
        await m.query(`UPDATE alerts SET last_sent_at = to_timestamp($2), repeats = repeats + $3 WHERE id = $1`, [a.id, nowMs / 1000, kind === 'repeat' ? 1 : 0]);
      }
    }
    return this.outbox.enqueue(m, rows);
  }
}

/** route: the named channels, or the default ones when none is named, that take this severity. */
export function route(all: Channel[], named: string[], severity: string): Channel[] {
  // Alertmanager channels are not sent notifications: AlertmanagerPusher re-sends alert state every tick.
  return routeAll(all, named, severity).filter((c) => c.config.type !== 'alertmanager');
}

/** routeAll: like route, Alertmanager channels included. */
export function routeAll(all: Channel[], named: string[], severity: string): Channel[] {
  const picked = named.length > 0 ? all.filter((c) => named.includes(c.id) || named.includes(c.name)) : all.filter((c) => c.isDefault);
  return picked.filter((c) => c.severities.length === 0 || c.severities.includes(severity));
}
