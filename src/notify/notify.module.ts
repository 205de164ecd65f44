import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AlertmanagerPusher } from './alertmanager-pusher.service.js';
import { ChannelRepository } from './channel.repository.js';
import { ChannelSender } from './channel-sender.service.js';
import { ChannelsController } from './channels.controller.js';
import { Dispatcher } from './dispatcher.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotifyMetrics } from './notify.metrics.js';
import { NotifyPlanner } from './notify-planner.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { SilenceRepository } from './silence.repository.js';
import { SilencesController } from './silences.controller.js';

/**
 * NotifyModule: channels, silences, the outbox and its dispatcher. Its
 * channel repository is the CHANNEL_DIRECTORY that SLOs and rules consult,
 * wired by the app module (slo does not import notify).
 */
@Module({
  imports: [MetricsModule],
  controllers: [ChannelsController, SilencesController, NotificationsController],
  providers: [
    AlertmanagerPusher,
    ChannelRepository,
    ChannelSender,
    Dispatcher,
    NotifyMetrics,
    NotifyPlanner,
    OutboxRepository,
    SilenceRepository,
  ],
  exports: [NotifyPlanner, AlertmanagerPusher, ChannelRepository, OutboxRepository],
})
export class NotifyModule {}
