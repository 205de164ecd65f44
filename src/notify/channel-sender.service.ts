import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config.js';
import { buildEmail, createSmtpTransport, sendEmail, type SmtpTransport } from './channels/email.js';
import { buildPostableAlert, sendToAlertmanagers } from './channels/alertmanager.js';
import { validityMs } from './alertmanager-pusher.service.js';
import { buildSlackPayload, sendSlack } from './channels/slack.js';
import { buildWebhookPayload, sendWebhook } from './channels/webhook.js';
import type { Channel } from './channel.types.js';
import type { Notification, SendResult } from './message/notification.js';

/**
 * ChannelSender delivers one notification to one channel. It owns the
 * pooled SMTP transport (created on first use, closed at shutdown) so a
 * burst of alerts reuses connections.
 */
@Injectable()
export class ChannelSender implements OnApplicationShutdown {
  private transport: SmtpTransport | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async send(channel: Channel, n: Notification): Promise<SendResult> {
    const timeoutMs = this.config.notify.timeoutMs;
    const c = channel.config;
    if (c.type === 'slack') return sendSlack(c.webhookUrl, buildSlackPayload(n), { timeoutMs });
    if (c.type === 'webhook') return sendWebhook(c.url, c.headers, buildWebhookPayload(n, channel.name), { timeoutMs });
    if (c.type === 'alertmanager') {
      // Only the channel test comes this way: alerts reach Alertmanager through AlertmanagerPusher.
      const alert = buildPostableAlert(n, { validityMs: validityMs(this.config.evalIntervalSeconds * 1000), generatorURL: n.publicUrl });
      const { failures: _failures, ...result } = await sendToAlertmanagers(c.urls, c.auth, [alert], { timeoutMs });
      return result;
    }
    const smtp = this.config.smtp;
    if (!smtp.host) return { ok: false, permanent: true, error: 'email channel, but SMTP_HOST is not configured' };
    this.transport ??= createSmtpTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      user: smtp.user,
      password: smtp.password,
      from: smtp.from,
      timeoutMs,
      tlsRejectUnauthorized: smtp.tlsRejectUnauthorized,
    });
    return sendEmail(this.transport, smtp.from, c.to, buildEmail(n));
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
