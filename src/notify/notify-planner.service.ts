import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { ChannelRepository } from './channel.repository.js';
import type { Channel } from './channel.types.js';
import type { NotifiableAlert, SentMark } from './notifiable-alert.js';
import { planNotification } from './notification-plan.js';
import { OutboxRepository } from './outbox.repository.js';
import { isSilenced } from './silence-matcher.js';
import { SilenceRepository } from './silence.repository.js';

/**
 * NotifyPlanner runs at the end of each evaluation, in its transaction: it
 * decides per alert whether a firing, repeat or resolved notification is
 * due (planNotification), skips silenced alerts, routes to channels, and
 * writes outbox rows. Sending happens later, outside the transaction. The
 * alerts come from alerting; what was queued goes back to it as SentMarks,
 * since the alert's bookkeeping (last sent, repeats) is alerting's to keep.
 */
@Injectable()
export class NotifyPlanner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: ChannelRepository,
    private readonly outbox: OutboxRepository,
    private readonly silences: SilenceRepository,
  ) {}

  async plan(m: EntityManager, alerts: readonly NotifiableAlert[], nowMs: number): Promise<SentMark[]> {
    if (alerts.length === 0) return [];
    const channels = await this.channels.list(m);
    const silences = await this.silences.active(m, nowMs);
    const rows = [];
    const sent: SentMark[] = [];
    for (const a of alerts) {
      const kind = planNotification(
        { state: a.state, transition: a.justResolved ? 'resolved' : undefined, lastSentAtMs: a.lastSentAtMs, repeats: a.repeats },
        isSilenced(a.labels, silences, nowMs),
        nowMs,
        this.config.notify,
      );
      if (!kind) continue;
      const seq = kind === 'repeat' ? a.repeats + 1 : 0;
      for (const c of route(channels, a.channels, a.severity)) {
        rows.push({ dedupKey: `${a.id}:${kind}:${seq}:${c.id}`, alertId: a.id, channelId: c.id, kind, payload: { kind, alert: a.snapshot } });
      }
      if (kind !== 'resolved') sent.push({ alertId: a.id, repeat: kind === 'repeat' });
    }
    await this.outbox.enqueue(m, rows);
    return sent;
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
