import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { ChannelRepository } from './channel.repository.js';
import type { Channel } from './channel.types.js';
import { buildPostableAlert, sendToAlertmanagers, type PostableAlert } from './channels/alertmanager.js';
import type { NotifiableAlert } from './notifiable-alert.js';
import { routeAll } from './notify-planner.service.js';
import { NotifyMetrics } from './notify.metrics.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

/** Prometheus' default --rules.alert.resend-delay: the floor of the validity below. */
const MIN_RESEND_MS = MINUTE_MS;
/** Prometheus posts at most 64 alerts per request by default. */
const BATCH = 64;

/**
 * validityMs is how long Alertmanager keeps a firing alert without hearing
 * from us again: four resend periods, as Prometheus does, so a few missed
 * ticks or a restart of Burnwatch do not resolve it, while a Burnwatch that
 * is gone for good stops paging within minutes.
 */
export function validityMs(evalIntervalMs: number): number {
  return 4 * Math.max(evalIntervalMs, MIN_RESEND_MS);
}

/** generatorUrl is the SLO's page in the console, or the alert itself for symptom rules. */
function generatorUrl(publicUrl: string, a: Pick<NotifiableAlert, 'id' | 'source' | 'sourceId'>): string {
  const base = publicUrl.replace(/\/+$/, '');
  return a.source === 'slo' ? `${base}/slos/${encodeURIComponent(a.sourceId)}` : `${base}/api/v1/alerts/${encodeURIComponent(a.id)}`;
}

/**
 * AlertmanagerPusher sends the current state of every alert routed to an
 * Alertmanager channel after each evaluation tick of the leader — state,
 * not events, so a lost request is made good by the next tick and no
 * outbox is needed. It never blocks the tick: a push still running when the
 * next tick ends makes that tick's push skip.
 */
@Injectable()
export class AlertmanagerPusher implements OnApplicationShutdown {
  private readonly logger = new Logger('AlertmanagerPusher');
  private running: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly channels: ChannelRepository,
    private readonly metrics: NotifyMetrics,
  ) {}

  /** afterTick starts a push in the background; tests await the returned promise. */
  afterTick(alerts: readonly NotifiableAlert[], nowMs: number): Promise<void> {
    if (this.running) return this.running;
    this.running = this.push(alerts, nowMs)
      .catch((e: unknown) => this.logger.warn(`alertmanager push failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  async push(alerts: readonly NotifiableAlert[], nowMs: number): Promise<void> {
    const targets = (await this.channels.list()).filter((c) => c.config.type === 'alertmanager');
    if (targets.length === 0) return;
    const byChannel = new Map<string, { channel: Channel; alerts: PostableAlert[] }>();
    const sentAt = new Date(nowMs).toISOString();
    const validity = validityMs(this.config.evalIntervalSeconds * 1000);
    for (const a of alerts) {
      // Resolved alerts come while alerting retains them (RESOLVED_RETENTION_MS in
      // evaluation/alert-state.ts), so each is re-sent for that long, as Prometheus does.
      if (a.state !== 'firing' && !(a.state === 'resolved' && a.firedAtMs !== undefined)) continue;
      const kind = a.state === 'resolved' ? 'resolved' : 'firing';
      const postable = buildPostableAlert(
        { kind, alert: a.snapshot, publicUrl: this.config.publicUrl, sentAt },
        { validityMs: validity, generatorURL: generatorUrl(this.config.publicUrl, a) },
      );
      for (const c of routeAll(targets, a.channels, a.severity)) {
        const entry = byChannel.get(c.id) ?? { channel: c, alerts: [] };
        entry.alerts.push(postable);
        byChannel.set(c.id, entry);
      }
    }
    await Promise.all([...byChannel.values()].map(({ channel, alerts: list }) => this.send(channel, list)));
  }

  private async send(channel: Channel, alerts: PostableAlert[]): Promise<void> {
    if (channel.config.type !== 'alertmanager') return;
    for (let i = 0; i < alerts.length; i += BATCH) {
      const result = await sendToAlertmanagers(channel.config.urls, channel.config.auth, alerts.slice(i, i + BATCH), { timeoutMs: this.config.notify.timeoutMs });
      // Errors are already free of URLs' secrets and credentials (sendToAlertmanagers redacts them).
      for (const f of result.failures) this.logger.warn(`channel ${channel.name}: ${f}`);
      if (result.ok) this.metrics.sent.inc({ channel_type: 'alertmanager', kind: 'push' });
      else this.metrics.failed.inc({ channel_type: 'alertmanager' });
    }
  }
}
