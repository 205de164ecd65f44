import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../common/auth.guard.js';
import { badRequest, notFound } from '../common/errors.js';
import { OutboxRepository, OutboxRow } from './outbox.repository.js';
import { isUuid } from '../common/patterns.js';

const STATUSES = ['pending', 'sending', 'sent', 'dead'];
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const view = (r: OutboxRow) => ({
  id: Number(r.id),
  alertId: r.alert_id,
  channelId: r.channel_id,
  kind: r.kind,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: iso(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: iso(r.created_at),
  sentAt: iso(r.sent_at),
});

/** NotificationsController: the outbox as users see it — what was sent, what is failing, and why. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly outbox: OutboxRepository) {}

  @Get()
  @RequireScope('read')
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  @ApiQuery({ name: 'alert', required: false })
  async list(@Query('status') status?: string, @Query('alert') alert?: string, @Query('limit') limit?: string) {
    if (status !== undefined && !STATUSES.includes(status)) throw badRequest(`status: expected one of ${STATUSES.join(', ')}`);
    if (alert !== undefined && !isUuid(alert)) throw badRequest('alert: expected an alert id');
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1000);
    return (await this.outbox.list({ status, alertId: alert, limit: n })).map(view);
  }

  @Post(':id/retry')
  @RequireScope('write')
  @HttpCode(200)
  async retry(@Param('id') id: string) {
    if (!/^\d{1,18}$/.test(id) || !(await this.outbox.retryDead(id))) throw notFound(`dead notification ${id} not found`);
    return { id: Number(id), status: 'pending' };
  }
}
