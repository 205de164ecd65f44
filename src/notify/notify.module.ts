import { Global, Module } from '@nestjs/common';
import { CHANNEL_DIRECTORY } from '../common/channel-directory.js';
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

@Global()
@Module({
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
    { provide: CHANNEL_DIRECTORY, useExisting: ChannelRepository },
  ],
  exports: [NotifyPlanner, Dispatcher, AlertmanagerPusher, CHANNEL_DIRECTORY, OutboxRepository],
})
export class NotifyModule {}
