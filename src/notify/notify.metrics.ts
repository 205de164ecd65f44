import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';

/** NotifyMetrics: delivery outcomes by channel type, and how far behind the outbox is. */
@Injectable()
export class NotifyMetrics {
  readonly sent: Counter<'channel_type' | 'kind'>;
  readonly failed: Counter<'channel_type'>;
  readonly dead: Counter<'channel_type'>;
  readonly depth: Gauge;
  readonly oldest: Gauge;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.sent = new Counter({ name: 'burnwatch_notifications_sent_total', help: 'Notifications delivered.', labelNames: ['channel_type', 'kind'], registers });
    this.failed = new Counter({ name: 'burnwatch_notifications_failed_total', help: 'Delivery attempts that failed and will be retried.', labelNames: ['channel_type'], registers });
    this.dead = new Counter({ name: 'burnwatch_notifications_dead_total', help: 'Notifications moved to dead letter.', labelNames: ['channel_type'], registers });
    this.depth = new Gauge({ name: 'burnwatch_outbox_depth', help: 'Notifications waiting to be sent (pending or being sent).', registers });
    this.oldest = new Gauge({ name: 'burnwatch_outbox_oldest_pending_age_seconds', help: 'Age of the oldest notification not yet sent.', registers });
  }
}
