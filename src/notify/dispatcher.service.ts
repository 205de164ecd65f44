import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { CLOCK, type Clock, systemClock } from '../common/clock.js';
import { ChannelRepository } from './channel.repository.js';
import { ChannelSender } from './channel-sender.service.js';
import type { Channel } from './channel.types.js';
import type { AlertSnapshot, Notification, NotificationKind, SendResult } from './message/notification.js';
import { NotifyMetrics } from './notify.metrics.js';
import { OutboxRepository, OutboxRow } from './outbox.repository.js';
import { MINUTE_MS } from '../kernel/minute-ranges.js';

const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 5 * MINUTE_MS;
const CLAIM_BATCH = 20;

/** backoffMs is full-jitter exponential backoff: uniform in [0, min(cap, base × 2^(attempt-1))]. */
export function backoffMs(attempt: number, random: (max: number) => number = (max) => randomInt(0, max + 1)): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return random(ceiling);
}

/**
 * Dispatcher runs in every replica: it claims due outbox rows (SKIP LOCKED,
 * with a lease), sends them outside any transaction, and records the
 * outcome. Delivery is at least once: a sender that dies mid-send leaves
 * its lease to lapse, and another replica sends again. Slack webhooks are
 * paced to about one message a second per webhook within this process.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dispatcher');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly lastSlackSend = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxRepository,
    private readonly channels: ChannelRepository,
    private readonly sender: ChannelSender,
    private readonly metrics: NotifyMetrics,
    // Pacing and retry times are computed from this clock; which rows are due is PostgreSQL's now().
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), this.config.notify.pollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = this.drain().catch((e: unknown) => {
      this.logger.warn(`dispatch failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    await this.running;
    this.running = undefined;
  }

  /** drain sends everything due now; exposed for tests and the shutdown path. */
  async drain(): Promise<void> {
    const rows = await this.outbox.claim(CLAIM_BATCH, this.config.notify.leaseMs);
    // Channels are read only when there is something to send: most polls find nothing.
    const channels = rows.length > 0 ? new Map((await this.channels.list()).map((c) => [c.id, c])) : new Map<string, Channel>();
    for (const row of rows) {
      if (this.stopped) {
        // Leave it to the lease: another replica, or this one after restart, sends it.
        continue;
      }
      await this.deliver(row, channels.get(row.channel_id));
    }
    const depth = await this.outbox.depth();
    this.metrics.depth.set(depth.pending);
    this.metrics.oldest.set(depth.oldestAgeSeconds);
  }

  private async deliver(row: OutboxRow, channel: Channel | undefined): Promise<void> {
    if (!channel) return this.outbox.markDead(row.id, 'channel was deleted');
    const type = channel.config.type;
    const now = this.clock.now();
    if (channel.config.type === 'slack') {
      // Paced per webhook URL, not per channel: two channels may share a webhook.
      const hook = channel.config.webhookUrl;
      const last = this.lastSlackSend.get(hook) ?? 0;
      if (now - last < this.config.notify.slackMinIntervalMs) {
        // Pacing is not a failure: the attempt is handed back uncounted.
        return this.outbox.retryAt(row.id, last + this.config.notify.slackMinIntervalMs, row.last_error ?? '', false);
      }
      this.lastSlackSend.set(hook, now);
    }
    const payload = row.payload as { kind: NotificationKind; alert: AlertSnapshot };
    const result = await this.sender.send(channel, { kind: payload.kind, alert: payload.alert, publicUrl: this.config.publicUrl, sentAt: new Date(now).toISOString() });
    await this.record(row, type, result, this.clock.now());
  }

  private async record(row: OutboxRow, type: string, result: SendResult, nowMs: number): Promise<void> {
    if (result.ok) {
      this.metrics.sent.inc({ channel_type: type, kind: row.kind });
      return this.outbox.markSent(row.id);
    }
    const tooOld = nowMs - new Date(row.created_at).getTime() > this.config.notify.maxAgeMs;
    if (result.permanent || row.attempts >= this.config.notify.maxAttempts || tooOld) {
      this.metrics.dead.inc({ channel_type: type });
      this.logger.warn(`notification ${row.id} (${type}) dead after ${row.attempts} attempt(s): ${result.error}`);
      return this.outbox.markDead(row.id, result.error);
    }
    this.metrics.failed.inc({ channel_type: type });
    const delay = Math.max(backoffMs(row.attempts), result.retryAfterMs ?? 0);
    return this.outbox.retryAt(row.id, nowMs + delay, result.error);
  }

  /** sendTest sends a synthetic notification right away, so a user can check a channel. */
  async sendTest(channel: Channel, nowMs: number): Promise<SendResult> {
    const at = new Date(nowMs).toISOString();
    return this.sender.send(channel, {
      kind: 'test',
      publicUrl: this.config.publicUrl,
      sentAt: at,
      alert: {
        id: '00000000-0000-0000-0000-000000000000',
        fingerprint: 'test',
        alertname: 'BurnwatchTest',
        severity: 'info',
        state: 'firing',
        service: 'burnwatch',
        labels: { alertname: 'BurnwatchTest', channel: channel.name },
        annotations: { summary: `Test notification for channel ${channel.name}` },
        value: null,
        details: {},
        activeAt: at,
        firedAt: at,
        resolvedAt: null,
      },
    });
  }
}
